// Builds what the sandbox serves, only when it is missing or older than its sources: the plugin (dist/, the
// create-plugin webpack build) and the sandbox host (sandbox/.build/, sandbox/webpack.host.config.ts). Used by
// `npm start` and the browser tests.
import { execSync } from 'child_process';
import { existsSync, readdirSync, statSync } from 'fs';
import { createRequire } from 'module';
import { dirname, join } from 'path';
import { fileURLToPath } from 'url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { sandboxReact, hostBuildDir, reactPackageDirs } = createRequire(import.meta.url)('../../sandbox/reactVersion.js');

function newestMtime(path) {
  if (!existsSync(path)) {
    return 0;
  }
  const stat = statSync(path);
  if (!stat.isDirectory()) {
    return stat.mtimeMs;
  }
  let newest = 0;
  for (const entry of readdirSync(path)) {
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

function isStale(output, sources) {
  return !existsSync(output) || statSync(output).mtimeMs < Math.max(...sources.map((s) => newestMtime(join(root, s))));
}

/** Builds dist/ with `npm run build` when dist/module.js is missing or older than src/. */
export function ensurePluginBuilt({ log = console.log } = {}) {
  if (isStale(join(root, 'dist', 'panel', 'module.js'), ['src', 'webpack.config.ts', 'package-lock.json'])) {
    log('Building the plugin (dist/ is missing or older than src/)…');
    execSync('npm run build --silent', { cwd: root, stdio: 'inherit' });
  }
}

/**
 * Builds the sandbox host for the React that SANDBOX_REACT selects (19 by default) into sandbox/.build/react<N>/ when
 * it is missing or older than its sources; installs sandbox/react19/ first when React 19 is wanted and absent.
 */
export function ensureSandboxHostBuilt({ log = console.log } = {}) {
  const react = sandboxReact();
  const reactDirs = reactPackageDirs(react);
  if (reactDirs && !existsSync(join(reactDirs['react-dom'], 'package.json'))) {
    log(`Installing React ${react} for the sandbox host (sandbox/react${react}/)…`);
    execSync('npm ci --no-audit --no-fund', { cwd: join(root, 'sandbox', `react${react}`), stdio: 'inherit' });
  }
  const sources = ['sandbox/host', 'sandbox/webpack.host.config.ts', 'sandbox/reactVersion.js', 'package-lock.json', `sandbox/react${react}/package-lock.json`];
  if (isStale(join(hostBuildDir(react), 'host.js'), sources)) {
    log(`Building the sandbox host for React ${react} (sandbox/.build/react${react}/ is missing or older than sandbox/host/)…`);
    execSync('npx --no-install webpack -c sandbox/webpack.host.config.ts', { cwd: root, stdio: 'inherit', env: { ...process.env, SANDBOX_REACT: react } });
  }
}

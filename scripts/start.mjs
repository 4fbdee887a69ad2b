// `npm start`: builds the plugin when dist/ is missing or older than src/, starts the demo Go service (with a
// normal request load, scenarios off) and the sandbox page, and prints the URL. Ctrl-C stops everything.
//   SANDBOX_PORT (default 3001)  DEMO_SCENARIOS=a,b (scenarios on at start)
import { execSync } from 'child_process';
import { existsSync, readdirSync, statSync } from 'fs';
import { createRequire } from 'module';
import { dirname, join } from 'path';
import { fileURLToPath } from 'url';

const require = createRequire(import.meta.url);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { startDemoService } = require('./lib/demo-service.js');
const { startSandbox } = require('../sandbox/server.js');

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

const distModule = join(root, 'dist', 'module.js');
if (!existsSync(distModule) || statSync(distModule).mtimeMs < newestMtime(join(root, 'src'))) {
  console.log('Building the plugin (dist/ is missing or older than src/)…');
  execSync('npm run build --silent', { cwd: root, stdio: 'inherit' });
}

const scenarios = (process.env.DEMO_SCENARIOS || '').split(',').filter(Boolean);
const demo = await startDemoService({ scenarios, load: true });
console.log(`Demo Go service: ${demo.url}  (pprof: ${demo.url}/debug/pprof/, metrics: ${demo.url}/metrics)`);
const sandbox = await startSandbox({ demoUrl: demo.url, port: Number(process.env.SANDBOX_PORT ?? 3001) });
console.log(`Sandbox: ${sandbox.url}/`);

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await sandbox.close();
  await demo.stop();
  process.exit(0);
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

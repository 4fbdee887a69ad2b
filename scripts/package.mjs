// `npm run package`: the release archive Grafana installs. Builds dist/ (production), zips it as
// artifacts/seed-goruntime-app-<version>.zip with one top-level folder named by the plugin id (the layout
// `grafana cli --pluginUrl <zip> plugins install seed-goruntime-app` unpacks into the plugins folder), writes its
// SHA-256 and MD5 checksums beside it (grafana.com's submission form asks for one), checks the archive the way
// Grafana's plugin validator does (scripts/lib/pluginArchive.js) and prints its listing. Exit code 1 when a check
// fails. Sign it before publishing (`npm run sign`, see README "Releasing").
//   node scripts/package.mjs [--no-build]
import { execSync } from 'child_process';
import { createHash } from 'crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'fs';
import { createRequire } from 'module';
import { basename, join } from 'path';

import { root } from './lib/builds.mjs';

const require = createRequire(import.meta.url);
const { buildPluginZip, readPluginZip, checkPluginArchive } = require('./lib/pluginArchive.js');
const { repositoryLinkExists } = require('./lib/repositoryLinks.js');

if (!process.argv.includes('--no-build')) {
  execSync('npm run build --silent', { cwd: root, stdio: 'inherit' });
}
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const pluginJson = JSON.parse(readFileSync(join(root, 'dist', 'plugin.json'), 'utf8'));
const version = pluginJson.info.version;
const zip = buildPluginZip(join(root, 'dist'), pluginJson.id);

const outDir = join(root, 'artifacts');
mkdirSync(outDir, { recursive: true });
const file = join(outDir, `${pluginJson.id}-${version}.zip`);
writeFileSync(file, zip);
for (const algorithm of ['sha256', 'md5']) {
  // The format `sha256sum -c` / `md5sum -c` read.
  writeFileSync(`${file}.${algorithm}`, `${createHash(algorithm).update(zip).digest('hex')}  ${basename(file)}\n`);
}

const files = readPluginZip(zip);
for (const [name, bytes] of Object.entries(files)) {
  console.log(`${String(bytes.length).padStart(9)}  ${name}`);
}
console.log(`${file} (${zip.length} bytes, ${Object.keys(files).length} files)`);
console.log(`sha256 ${readFileSync(`${file}.sha256`, 'utf8').split(' ')[0]}`);
const problems = checkPluginArchive(files, {
  version: pkg.version,
  license: pkg.license,
  linkExists: (url) => repositoryLinkExists(url, pkg, root),
});
if (problems.length) {
  console.error(`The archive fails ${problems.length} check(s):\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(
  'archive checks: layout, ids, versions, paths, README links, LICENSE, CHANGELOG, no eval, no Angular — all passed'
);

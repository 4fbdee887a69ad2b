// Writes V8's code cache for each `goprof` bundle (dist-cli/<name>.js.cache, which bin/goprof.js offers V8 when it
// loads the bundle). Run by scripts/build-cli.mjs in a child process with Node's default flags, since V8 rejects a
// cache made under other flags.
//
// The bundles are loaded exactly as bin/goprof.js loads them, then run the commands users start most, with their
// output discarded: `--help`, `analyze` on a small CPU profile, heap profile and goroutine dump shipped in
// fixtures/demo, and each other command's `--help` (so that every bundle is loaded and gets a cache). V8 compiles
// functions lazily, on their first call, and a cache holds the functions compiled when it is made, so these commands
// then start without compiling their code.
'use strict';

const fs = require('fs');
const path = require('path');
const { distDir, loadBundle, loaded } = require('../bin/goprof.js');

const fixtures = path.join(__dirname, '..', 'fixtures', 'demo', 'gc-pressure');
const COMMANDS = [
  ['--help'],
  ['analyze', path.join(fixtures, 'cpu.pb.gz')],
  ['analyze', path.join(fixtures, 'heap.pb.gz')],
  ['analyze', path.join(fixtures, 'goroutine.debug2.txt')],
  ['diagnose', '--help'],
  ['analyze', '--pyroscope', 'http://localhost:4040', '--help'],
];

async function main() {
  const { exports } = loadBundle('goprof.js', false);
  const discard = { stdout: () => undefined, stderr: () => undefined };
  for (const argv of COMMANDS) {
    const code = await exports.run(argv, discard);
    if (code !== 0) {
      throw new Error(`goprof ${argv.join(' ')} exited with ${code} while making the code cache`);
    }
  }
  for (const [name, { script }] of loaded) {
    fs.writeFileSync(`${distDir}/${name}.cache`, script.createCachedData());
  }
}

main().catch((error) => {
  process.stderr.write(`${error.stack || error}\n`);
  process.exitCode = 1;
});

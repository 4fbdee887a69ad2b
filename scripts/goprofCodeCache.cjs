// Writes V8's code cache for the `goprof` bundle (dist-cli/goprof.js.cache, which bin/goprof.js offers V8 when it
// loads the bundle). Run by scripts/build-cli.mjs in a child process with Node's default flags, since V8 rejects a
// cache made under other flags.
//
// The bundle is loaded exactly as bin/goprof.js loads it, then runs the commands users start most (`--help`, and
// `analyze` on a small CPU profile, heap profile and goroutine dump shipped in fixtures/demo) with their output
// discarded: V8 compiles functions lazily, on their first call, and the cache holds the functions compiled when it
// is made, so these commands then start without compiling their code.
'use strict';

const fs = require('fs');
const path = require('path');
const { bundleFile, codeCacheFile, loadBundle } = require('../bin/goprof.js');

const fixtures = path.join(__dirname, '..', 'fixtures', 'demo', 'gc-pressure');
const COMMANDS = [
  ['--help'],
  ['analyze', path.join(fixtures, 'cpu.pb.gz')],
  ['analyze', path.join(fixtures, 'heap.pb.gz')],
  ['analyze', path.join(fixtures, 'goroutine.debug2.txt')],
];

async function main() {
  fs.rmSync(codeCacheFile, { force: true });
  const { exports, script } = loadBundle(fs.statSync(bundleFile).mtimeMs, false);
  const discard = { stdout: () => undefined, stderr: () => undefined };
  for (const argv of COMMANDS) {
    const code = await exports.run(argv, discard);
    if (code !== 0) {
      throw new Error(`goprof ${argv.join(' ')} exited with ${code} while making the code cache`);
    }
  }
  fs.writeFileSync(codeCacheFile, script.createCachedData());
}

main().catch((error) => {
  process.stderr.write(`${error.stack || error}\n`);
  process.exitCode = 1;
});

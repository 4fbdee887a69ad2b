#!/usr/bin/env node
// `goprof` CLI entry point. Runs the prebuilt bundle `dist-cli/goprof.js` (made by `npm run build`, see
// scripts/build-cli.mjs) when it is at least as new as every source file it was built from; otherwise (a fresh clone
// before the first build, or sources edited since) it runs the TypeScript sources through tsx, a devDependency.
'use strict';

const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const bundle = path.join(root, 'dist-cli', 'goprof.js');

/** The bundle, when it exists and no source it was built from changed after it; else null. */
function freshBundle() {
  let builtAt;
  let inputs;
  try {
    builtAt = fs.statSync(bundle).mtimeMs;
    inputs = JSON.parse(fs.readFileSync(path.join(root, 'dist-cli', 'inputs.json'), 'utf8'));
  } catch {
    return null;
  }
  for (const input of inputs) {
    let modified;
    try {
      modified = fs.statSync(path.join(root, input)).mtimeMs;
    } catch {
      return null; // a source was moved or deleted since the build
    }
    if (modified > builtAt) {
      return null;
    }
  }
  return bundle;
}

const built = process.env.GOPROF_FROM_SOURCE ? null : freshBundle();
if (process.env.GOPROF_TRACE_LOADER) {
  process.stderr.write(`goprof: running ${built ? 'the bundle' : 'the sources through tsx'}\n`);
}
let run;
if (built) {
  ({ run } = require(built));
} else {
  require('tsx/cjs');
  ({ run } = require('../src/cli/main.ts'));
}

run(process.argv.slice(2)).then(
  (code) => {
    // exitCode rather than exit(): lets large JSON on a pipe finish writing.
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`goprof: internal error: ${(error && error.stack) || error}\n`);
    process.exitCode = 1;
  }
);

#!/usr/bin/env node
// `goprof` CLI entry point. Runs the TypeScript sources through tsx (a devDependency), so it works right after
// `npm ci` with no build step: `npx goprof analyze http://localhost:6060 --profile cpu --json`.
'use strict';

require('tsx/cjs');
const { run } = require('../src/cli/main.ts');

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

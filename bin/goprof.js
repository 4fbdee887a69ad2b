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
/**
 * Loads the bundle with V8's code cache (`dist-cli/goprof.js.cache`, written by `npm run build`): compiling the
 * 290 KB bundle was a third of the time `goprof --help` spends beyond Node's own start. V8 rejects a cache made by
 * another Node or V8 version, and then compiles as usual.
 * (https://nodejs.org/docs/latest-v20.x/api/vm.html#scriptcreatecacheddata)
 */
function loadBundle(file) {
  const vm = require('vm');
  const Module = require('module');
  const cacheFile = `${file}.cache`;
  let cachedData;
  try {
    // V8 checks a cache against the source's length only, so a cache older than the bundle is never offered.
    if (fs.statSync(cacheFile).mtimeMs >= fs.statSync(file).mtimeMs) {
      cachedData = fs.readFileSync(cacheFile);
    }
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(Module.wrap(fs.readFileSync(file, 'utf8')), { filename: file, cachedData });
  const bundleModule = new Module(file, module);
  bundleModule.filename = file;
  bundleModule.paths = Module._nodeModulePaths(path.dirname(file));
  script
    .runInThisContext()
    .call(
      bundleModule.exports,
      bundleModule.exports,
      Module.createRequire(file),
      bundleModule,
      file,
      path.dirname(file)
    );
  bundleModule.loaded = true;
  if (process.env.GOPROF_WRITE_CODE_CACHE) {
    // After the command ran, so that the functions it compiled lazily are in the cache too.
    process.on('exit', () => fs.writeFileSync(cacheFile, script.createCachedData()));
  }
  if (process.env.GOPROF_TRACE_LOADER) {
    process.stderr.write(
      `goprof: code cache ${cachedData ? (script.cachedDataRejected ? 'rejected' : 'used') : 'absent'}\n`
    );
  }
  return bundleModule.exports;
}

let run;
if (built) {
  ({ run } = loadBundle(built));
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

#!/usr/bin/env node
// `goprof` CLI entry point. Runs the prebuilt bundle `dist-cli/goprof.js` (made by `npm run build`, see
// scripts/build-cli.mjs) when it is at least as new as every source file it was built from, or when the sources are
// absent (an installed package ships the bundle alone); otherwise (a fresh clone before the first build, or sources
// edited since) it runs the TypeScript sources through tsx, a devDependency.
//
// Everything here runs before each command, so it is kept to a few system calls: no `path.join` in loops (in a cold
// process it cost more than the stat calls themselves) and no `module` built-in (loading it pulls in the ES module
// loader).
'use strict';

const fs = require('fs');

const root = require('path').dirname(__dirname);
const distDir = `${root}/dist-cli`;
const bundleFile = `${distDir}/goprof.js`;

/** Modification time of `file` in ms, or undefined when it does not exist. */
function modifiedAt(file) {
  const stats = fs.statSync(file, { throwIfNoEntry: false });
  return stats === undefined ? undefined : stats.mtimeMs;
}

/** The bundle's modification time when bin/goprof.js should run it, else undefined (run the sources). */
function freshBundleTime() {
  const builtAt = modifiedAt(bundleFile);
  if (builtAt === undefined) {
    return undefined;
  }
  if (modifiedAt(`${root}/src`) === undefined) {
    return builtAt; // an installed package: the bundle without the sources it came from
  }
  let inputs;
  try {
    // Every source the build read (scripts/build-cli.mjs), relative to the repository root.
    inputs = JSON.parse(fs.readFileSync(`${distDir}/inputs.json`, 'utf8'));
  } catch {
    return undefined;
  }
  for (const input of inputs) {
    const modified = modifiedAt(`${root}/${input}`);
    if (modified === undefined || modified > builtAt) {
      return undefined; // a source was edited, moved or deleted since the build
    }
  }
  return builtAt;
}

// Module.wrap's parameters, without loading the `module` built-in; the code caches are made from this same text.
const WRAPPER_HEAD = '(function (exports, require, module, __filename, __dirname) { ';
const WRAPPER_TAIL = '\n});';

/** Bundles loaded so far, by file name in dist-cli: their exports and compiled scripts. */
const loaded = new Map();

/**
 * Compiles and runs the bundle dist-cli/`name` (goprof.js, or a command bundle it requires as `./name`, see
 * scripts/build-cli.mjs) once, with V8's code cache (`<name>.cache`, written by `npm run build` after running
 * commands, so that the functions they compile are in it) unless `useCodeCache` is false. Compiling the bundle without
 * it was a third of what `goprof --help` spent beyond Node's own start. V8 rejects a cache made by another Node or V8
 * version or with other flags, and then compiles as usual; it checks a cache against the source's length only, so a
 * cache older than its bundle is never offered.
 * (https://nodejs.org/docs/latest-v20.x/api/vm.html#scriptcreatecacheddata)
 * Returns the bundle's exports and its compiled script (scripts/goprofCodeCache.cjs makes the caches from them).
 */
function loadBundle(name, useCodeCache = true) {
  const known = loaded.get(name);
  if (known !== undefined) {
    return known;
  }
  const vm = require('vm');
  const file = `${distDir}/${name}`;
  const cacheFile = `${file}.cache`;
  let cachedData;
  if (useCodeCache && (modifiedAt(cacheFile) ?? -Infinity) >= (modifiedAt(file) ?? Infinity)) {
    try {
      cachedData = fs.readFileSync(cacheFile);
    } catch {
      cachedData = undefined;
    }
  }
  const source = fs.readFileSync(file, 'utf8');
  const script = new vm.Script(WRAPPER_HEAD + source + WRAPPER_TAIL, { filename: file, cachedData });
  if (process.env.GOPROF_TRACE_LOADER) {
    const cache = cachedData ? (script.cachedDataRejected ? 'rejected' : 'used') : 'absent';
    process.stderr.write(`goprof: ${name} code cache ${cache}\n`);
  }
  const bundleModule = { exports: {} };
  const entry = { exports: bundleModule.exports, script };
  loaded.set(name, entry);
  // The bundles require Node built-ins and each other (`./analyze.js`), nothing else: they are self-contained.
  const requireFromBundle = (id) => (id.startsWith('./') ? loadBundle(id.slice(2), useCodeCache).exports : require(id));
  script
    .runInThisContext()
    .call(bundleModule.exports, bundleModule.exports, requireFromBundle, bundleModule, file, distDir);
  entry.exports = bundleModule.exports;
  return entry;
}

function main() {
  const builtAt = process.env.GOPROF_FROM_SOURCE ? undefined : freshBundleTime();
  if (process.env.GOPROF_TRACE_LOADER) {
    process.stderr.write(`goprof: running ${builtAt !== undefined ? 'the bundle' : 'the sources through tsx'}\n`);
  }
  let run;
  if (builtAt !== undefined) {
    ({ run } = loadBundle('goprof.js').exports);
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
}

if (require.main === module) {
  main();
} else {
  module.exports = { distDir, loadBundle, loaded };
}

// Builds the `goprof` CLI into minified CommonJS files in dist-cli/, so the command starts like a native tool: no
// TypeScript compiler, no tsx loader and no source maps at run time. `npm run build` runs it after the plugin build;
// bin/goprof.js uses the bundle when it is newer than every source file it was built from.
//
// dist-cli/goprof.js is src/cli/main.ts (command-line parsing and help); each command main.ts loads on first use
// (analyze, diagnose, pyroscope) is a bundle of its own, holding the core code it needs: `goprof --help` then reads
// and deserialises a few KB instead of the whole analysis code, and `goprof analyze` does not load the diagnosis or
// Pyroscope code. main.ts hands a command only plain data (parsed arguments, output callbacks), so the copies of
// shared modules in several bundles never meet.
import { build } from 'esbuild';
import { mkdirSync, rmSync, writeFileSync } from 'fs';
import { dirname, join } from 'path';
import { fileURLToPath } from 'url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist-cli');
/** The modules main.ts loads on first use (`command` in src/cli/main.ts), each bundled to dist-cli/<name>.js. */
const COMMANDS = ['analyze', 'diagnose', 'pyroscope'];

/** main.ts's `require('./analyze')` etc. stay requires of the command bundles, which bin/goprof.js serves. */
const commandsOutsideMain = {
  name: 'commands-outside-main',
  setup(b) {
    const filter = new RegExp(`^\\./(${COMMANDS.join('|')})$`);
    b.onResolve({ filter }, (args) =>
      args.importer.endsWith(join('src', 'cli', 'main.ts')) ? { path: `${args.path}.js`, external: true } : undefined
    );
  },
};

/**
 * long.js left out: protobufjs/minimal requires it at load, only to return Long objects from its own 64-bit readers,
 * which the core never calls (src/core/wire/protoReader.ts reads 64-bit varints itself); loading it compiles a
 * WebAssembly module at every start. Without it protobufjs's util.Long is null, as in a browser build without long.
 */
const withoutLong = {
  name: 'without-long',
  setup(b) {
    b.onResolve({ filter: /^long$/ }, () => ({ path: 'long', namespace: 'without-long' }));
    b.onLoad({ filter: /.*/, namespace: 'without-long' }, () => ({ contents: 'module.exports = null;', loader: 'js' }));
  },
};

/**
 * fflate, set up on first use: its module builds its Huffman tables at load (loops over 32k entries, run once, so in
 * V8's interpreter: milliseconds at every start), while the CLI inflates with Node's zlib (src/cli/nativeGunzip.ts)
 * and needs fflate only to gzip a profile it writes. The stand-in exports what the core imports from fflate; an
 * import it lacks fails the build. It loads fflate's browser build: the Node build requires worker_threads at load
 * (for its asynchronous API, which the core does not use), which pulls in Node's streams and worker modules; the
 * synchronous inflater and deflater are the same code in both builds.
 */
const fflateOnFirstUse = {
  name: 'fflate-on-first-use',
  setup(b) {
    // `fflate` is the stand-in; it requires `fflate-used`, which imports from fflate only what the stand-in exports,
    // so that the rest of fflate is still left out of the bundle.
    const USED = ['Inflate', 'gzipSync'];
    b.onResolve({ filter: /^fflate(-used)?$/ }, (args) => ({ path: args.path, namespace: 'fflate-on-first-use' }));
    b.onLoad({ filter: /^fflate-used$/, namespace: 'fflate-on-first-use' }, () => ({
      resolveDir: root,
      loader: 'js',
      contents: `export { ${USED.join(', ')} } from 'fflate/browser';`,
    }));
    b.onLoad({ filter: /^fflate$/, namespace: 'fflate-on-first-use' }, () => ({
      resolveDir: root,
      loader: 'js',
      contents: `
        let fflate;
        const load = () => (fflate ??= require('fflate-used'));
        export function gzipSync(data, options) { return load().gzipSync(data, options); }
        export class Inflate { constructor(ondata) { return new (load().Inflate)(ondata); } }
      `,
    }));
  },
};

rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });
const result = await build({
  absWorkingDir: root,
  entryPoints: {
    goprof: 'src/cli/main.ts',
    ...Object.fromEntries(COMMANDS.map((name) => [name, `src/cli/${name}.ts`])),
  },
  outdir,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  minify: true,
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
  plugins: [commandsOutsideMain, withoutLong, fflateOnFirstUse],
  // The build lists every source it read, so bin/goprof.js can tell a stale bundle from a fresh one cheaply.
  metafile: true,
});
// Our sources only: not node_modules, nor the stand-in for long.js (`without-long:long`, a path in its own namespace).
const inputs = Object.keys(result.metafile.inputs).filter((p) => !p.includes('node_modules') && !p.includes(':'));
writeFileSync(join(outdir, 'inputs.json'), JSON.stringify(inputs));

// V8's code cache for each bundle (dist-cli/<name>.js.cache, see bin/goprof.js and scripts/goprofCodeCache.cjs).
const { spawnSync } = await import('child_process');
const cached = spawnSync(process.execPath, [join(root, 'scripts/goprofCodeCache.cjs')], {
  stdio: ['ignore', 'ignore', 'inherit'],
});
if (cached.status !== 0) {
  throw new Error(`scripts/goprofCodeCache.cjs exited with ${cached.status}`);
}

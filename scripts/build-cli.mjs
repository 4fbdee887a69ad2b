// Builds the `goprof` CLI into one minified CommonJS file, `dist-cli/goprof.js`, so the command starts like a native
// tool: no TypeScript compiler, no tsx loader and no source maps at run time. `npm run build` runs it after the plugin
// build; bin/goprof.js uses the bundle when it is newer than every source file it was built from.
import { build } from 'esbuild';
import { dirname, join } from 'path';
import { fileURLToPath } from 'url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

await build({
  entryPoints: [join(root, 'src/cli/main.ts')],
  outfile: join(root, 'dist-cli/goprof.js'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  minify: true,
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
  // The bundle lists every source it read, so bin/goprof.js can tell a stale bundle from a fresh one cheaply.
  metafile: true,
  // fflate's browser build: its Node build requires worker_threads at load (for its asynchronous API, which the CLI
  // does not use), and that pulls in Node's streams and worker modules at every start. The synchronous inflater and
  // deflater the core uses are the same code in both builds.
  alias: { fflate: 'fflate/browser' },
}).then(async (result) => {
  const { writeFile } = await import('fs/promises');
  const inputs = Object.keys(result.metafile.inputs).filter((p) => !p.includes('node_modules'));
  await writeFile(join(root, 'dist-cli/inputs.json'), JSON.stringify(inputs));
});

// V8's code cache for the bundle (dist-cli/goprof.js.cache, see bin/goprof.js and scripts/goprofCodeCache.cjs).
const { spawnSync } = await import('child_process');
const cached = spawnSync(process.execPath, [join(root, 'scripts/goprofCodeCache.cjs')], {
  stdio: ['ignore', 'ignore', 'inherit'],
});
if (cached.status !== 0) {
  throw new Error(`scripts/goprofCodeCache.cjs exited with ${cached.status}`);
}

#!/usr/bin/env node
/**
 * `npm run bench:cpuprof -- <goprof arguments>`: runs one `goprof` command under `node --cpu-prof` and prints the
 * functions with the most self time (V8's sampling profiler, the profile Chrome DevTools opens).
 *
 * The command runs from a bundle built like dist-cli/goprof.js but not minified, so that the profile names our
 * functions as the sources do; `--file F.cpuprofile` instead summarises a profile made elsewhere.
 *
 *   npm run bench:cpuprof -- analyze bench/.data/goroutines-100k-demo.debug2.txt
 *   npm run bench:cpuprof -- --top 20 analyze fixtures/demo/gc-pressure/cpu.pb.gz
 *
 * Options (before the goprof arguments): --top N (default 10), --keep (keep the .cpuprofile and say where),
 * --file F.cpuprofile.
 */
import { spawnSync } from 'child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { dirname, join, relative } from 'path';
import { fileURLToPath } from 'url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

function parseArgs(argv) {
  const opts = { top: 10, keep: false, file: undefined, command: [] };
  let i = 0;
  for (; i < argv.length; i++) {
    if (argv[i] === '--top') {
      opts.top = Number(argv[++i]);
    } else if (argv[i] === '--keep') {
      opts.keep = true;
    } else if (argv[i] === '--file') {
      opts.file = argv[++i];
    } else {
      break;
    }
  }
  opts.command = argv.slice(i);
  return opts;
}

/** The CLI as one readable CommonJS file (same entry and platform as scripts/build-cli.mjs, names kept). */
async function readableBundle(dir) {
  const { build } = await import('esbuild');
  const outfile = join(dir, 'goprof-readable.cjs');
  await build({
    entryPoints: [join(ROOT, 'src/cli/main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    minify: false,
    keepNames: true,
    logLevel: 'warning',
  });
  return outfile;
}

/**
 * For a bundle esbuild wrote without minifying: the source module of each bundle line, from the `// src/…` comment
 * esbuild puts before each module's code. Returns (line0) => 'src/…ts' or undefined.
 */
function bundleModules(bundlePath) {
  let lines;
  try {
    lines = readFileSync(bundlePath, 'utf8').split('\n');
  } catch {
    return () => undefined;
  }
  const marks = [];
  lines.forEach((text, i) => {
    const m = /^\/\/ ((?:src|node_modules)\/\S+)$/.exec(text);
    if (m) {
      marks.push([i, m[1]]);
    }
  });
  return (line0) => {
    let found;
    for (const [at, module] of marks) {
      if (at > line0) {
        break;
      }
      found = module;
    }
    return found;
  };
}

/** Self time per function (name, file, line), from the samples and their time deltas. */
export function selfTimes(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map();
  const { samples, timeDeltas } = profile;
  for (let i = 0; i < samples.length; i++) {
    // timeDeltas[i] is the time since the previous sample: it is charged to the node sampled now, as DevTools does.
    selfUs.set(samples[i], (selfUs.get(samples[i]) ?? 0) + (timeDeltas[i] ?? 0));
  }
  const byFunction = new Map();
  const modulesOf = new Map();
  let totalUs = 0;
  for (const [id, us] of selfUs) {
    const { functionName, url, lineNumber } = byId.get(id).callFrame;
    const path = url.replace(/^file:\/\//, '');
    let file = url ? relative(ROOT, path) : '';
    if (path.endsWith('goprof-readable.cjs')) {
      if (!modulesOf.has(path)) {
        modulesOf.set(path, bundleModules(path));
      }
      file = `${modulesOf.get(path)(lineNumber) ?? 'bundle'} (bundle line`;
    }
    const key = `${functionName || '(anonymous)'}\u0000${file}\u0000${lineNumber}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
    totalUs += us;
  }
  const rows = [...byFunction]
    .map(([key, us]) => {
      const [name, file, line] = key.split('\u0000');
      const where = file.endsWith('(bundle line') ? `${file} ${Number(line) + 1})` : `${file}:${Number(line) + 1}`;
      return { name, where: file ? where : '', ms: us / 1000 };
    })
    .sort((a, b) => b.ms - a.ms);
  return { rows, totalMs: totalUs / 1000 };
}

function print(profilePath, top) {
  const { rows, totalMs } = selfTimes(JSON.parse(readFileSync(profilePath, 'utf8')));
  console.log(`self time, top ${top} of ${rows.length} functions; ${totalMs.toFixed(0)} ms sampled in all`);
  const shown = rows.slice(0, top);
  const nameWidth = Math.max(8, ...shown.map((r) => r.name.length));
  console.log(`${'self ms'.padStart(8)} ${'share'.padStart(6)}  ${'function'.padEnd(nameWidth)}  where`);
  for (const r of shown) {
    const share = `${((100 * r.ms) / totalMs).toFixed(1)}%`;
    console.log(`${r.ms.toFixed(1).padStart(8)} ${share.padStart(6)}  ${r.name.padEnd(nameWidth)}  ${r.where}`);
  }
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (opts.file) {
    print(opts.file, opts.top);
    return;
  }
  if (opts.command.length === 0) {
    console.error('usage: node bench/cpuProfTop.mjs [--top N] [--keep] <goprof arguments> | --file F.cpuprofile');
    process.exit(2);
  }
  const dir = mkdtempSync(join(tmpdir(), 'goprof-cpuprof-'));
  try {
    const bundle = await readableBundle(dir);
    const runner = `require(${JSON.stringify(bundle)}).run(process.argv.slice(1)).then((c) => { process.exitCode = c; })`;
    const started = performance.now();
    const r = spawnSync(
      process.execPath,
      ['--cpu-prof', '--cpu-prof-dir', dir, '--cpu-prof-interval', '100', '-e', runner, ...opts.command],
      { cwd: ROOT, encoding: 'utf8', maxBuffer: 512 << 20 }
    );
    const wallMs = performance.now() - started;
    if (r.status !== 0) {
      console.error(`goprof ${opts.command.join(' ')} exited ${r.status}: ${r.stderr.slice(0, 500)}`);
      process.exit(1);
    }
    const profile = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
    console.log(
      `goprof ${opts.command.join(' ')}: ${wallMs.toFixed(0)} ms wall under the profiler, node ${process.version}`
    );
    print(join(dir, profile), opts.top);
    if (opts.keep) {
      console.log(`profile kept: ${join(dir, profile)} (open it in Chrome DevTools, Performance tab)`);
    }
  } finally {
    if (!opts.keep) {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

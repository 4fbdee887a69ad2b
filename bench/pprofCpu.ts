/**
 * CPU time of decode + call tree + flame frame, ours against Go's profile.Parse alone and against the same work
 * (parse + tree + frame) written in plain Go (tools/pprofcheck/frame.go), interleaved round by round
 * (`npx tsx bench/pprofCpu.ts [--baseline DIR] [--rounds N] FILE...`). CPU time (user + system, every thread, so
 * the garbage collectors' too) is steadier than wall time on a loaded machine. `--baseline DIR` adds the same
 * pipeline from another checkout's sources (e.g. `git worktree add DIR main`), timed in the same rounds.
 *
 * Each side runs in a fresh process per round (bench/pprofCpuChild.cjs: warm-up calls, then the median of timed
 * calls), as Go's does: two pipelines in one process measured up to 1.5x apart on identical code, whichever ran
 * first being slower.
 * Before timing a file, the Go frame's row count and row digest are checked against ours: the same work, or no row.
 */
import { execFileSync } from 'child_process';
import { buildSync } from 'esbuild';
import { readFileSync } from 'fs';
import { resolve } from 'path';
import { nativeGunzip } from '../src/cli/nativeGunzip';
import { buildCallTree } from '../src/core/analysis/callTree';
import { toNestedSet } from '../src/core/analysis/nestedSet';
import { parsePprof } from '../src/core/model/parsePprof';
import { assertGoFrameEquals, goFrameBench, goParseBench } from '../tools/pprofcheck/runner';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
/** Milliseconds with two decimals below 10 ms (small profiles take a fraction of one). */
const ms = (x: number) => x.toFixed(x < 10 ? 2 : 1);
/** Median with the range of the rounds, e.g. `195.0 [188.2-210.4]`. */
const spread = (xs: number[]) => `${ms(median(xs))} [${ms(Math.min(...xs))}-${ms(Math.max(...xs))}]`;

/**
 * One file of checkout `dir`'s pipeline as esbuild bundles it (as `npm run build` bundles the CLI and webpack the
 * plugin): users run bundles, not the sources as tsx runs them. Under tsx's CommonJS every call of an imported
 * function goes through an export getter, a few milliseconds on google/pprof's large.cpu that no user pays.
 */
function bundlePipeline(dir: string, name: string): string {
  const out = resolve(__dirname, '.data', `pipeline-${name}.cjs`);
  const modules = {
    tree: 'src/core/analysis/callTree',
    frame: 'src/core/analysis/nestedSet',
    parse: 'src/core/model/parsePprof',
    gunzip: 'src/cli/nativeGunzip',
  };
  const contents = Object.entries(modules)
    .map(([as, path]) => `export * as ${as} from ${JSON.stringify(resolve(dir, path))};`)
    .join('\n');
  buildSync({
    stdin: { contents, resolveDir: dir, loader: 'ts' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile: out,
    logLevel: 'error',
  });
  return out;
}

function runChild(bundle: string, file: string): number {
  // Plain Node (no tsx, whose resolver would also map the bundle's `require('module')` to this repository's module.tsx).
  const out = execFileSync(process.execPath, [resolve(__dirname, 'pprofCpuChild.cjs'), bundle, file], {
    encoding: 'utf8',
  });
  return JSON.parse(out.trim().split('\n').pop()!).cpuMs;
}

function main(): void {
  const args = process.argv.slice(2);
  let rounds = 7;
  const sides: Record<string, string> = { ours: resolve(__dirname, '..') };
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--rounds') {
      rounds = Number(args[++i]);
    } else if (args[i] === '--baseline') {
      sides.baseline = resolve(args[++i]);
    } else {
      files.push(args[i]);
    }
  }
  console.log(
    `node ${process.version}, ${rounds} rounds, median CPU ms [min-max of the rounds], each side a fresh process per round` +
      ', ours as esbuild bundles it'
  );
  const bundles = Object.fromEntries(Object.entries(sides).map(([name, dir]) => [name, bundlePipeline(dir, name)]));
  for (const file of files) {
    // The Go frame must be ours row for row (untimed; this process's own sources).
    const frame = toNestedSet(buildCallTree(parsePprof(new Uint8Array(readFileSync(file)), { gunzip: nativeGunzip })));
    assertGoFrameEquals(file, frame);
    // Ours (and the baseline), then Go's Parse alone, then the same work in Go; every other round in reverse.
    const steps: Array<[string, () => number]> = [
      ...Object.keys(sides).map((name): [string, () => number] => [name, () => runChild(bundles[name], file)]),
      // Go: one process per call, one warm-up call, then the median of three runs, each a batch of at least 50 ms
      // as ours.
      ['goParse', () => goParseBench(file, 3, 50).medianCpuNs / 1e6],
      ['goFrame', () => goFrameBench(file, 3, 50).medianCpuNs / 1e6],
    ];
    const cpu: Record<string, number[]> = Object.fromEntries(steps.map(([name]) => [name, []]));
    for (let round = 0; round < rounds; round++) {
      for (const [name, run] of round % 2 ? [...steps].reverse() : steps) {
        cpu[name].push(run());
      }
    }
    const goParse = median(cpu.goParse);
    const goFrameMs = median(cpu.goFrame);
    const line = Object.keys(sides)
      .map((name) => {
        const side = median(cpu[name]);
        return `${name} ${spread(cpu[name])} (Go Parse/${name} ${(goParse / side).toFixed(2)}x, Go same work/${name} ${(goFrameMs / side).toFixed(2)}x)`;
      })
      .join(', ');
    console.log(
      `${file.split('/').slice(-2).join('/')} (${frame.levels.length} rows, same in Go): Go profile.Parse ${spread(cpu.goParse)}, ` +
        `Go parse+tree+frame ${spread(cpu.goFrame)}, ${line}`
    );
  }
}

main();

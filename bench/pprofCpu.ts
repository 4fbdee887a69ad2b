/**
 * CPU time of decode + call tree + flame frame, ours against Go's profile.Parse alone, interleaved round by round
 * (`npx tsx bench/pprofCpu.ts [--baseline DIR] [--rounds N] FILE...`). CPU time (user + system, every thread, so
 * the garbage collectors' too) is steadier than wall time on a loaded machine. `--baseline DIR` adds the same
 * pipeline from another checkout's sources (e.g. `git worktree add DIR main`), timed in the same rounds.
 *
 * Each side runs in a fresh process per round (warm-up calls, then the median of timed calls), as Go's does: two
 * pipelines in one process measured up to 1.5x apart on identical code, whichever ran first being slower.
 */
import { execFileSync } from 'child_process';
import { readFileSync } from 'fs';
import { basename, resolve } from 'path';
import { nativeGunzip } from '../src/cli/nativeGunzip';
import { goParseBench } from '../tools/pprofcheck/runner';

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/** Child mode: the pipeline of checkout `dir` on `file`; prints the median CPU ms of the timed calls. */
async function child(dir: string, file: string): Promise<void> {
  const tree = await import(`${dir}/src/core/analysis/callTree`);
  const frame = await import(`${dir}/src/core/analysis/nestedSet`);
  const parse = await import(`${dir}/src/core/model/parsePprof`);
  const gz = new Uint8Array(readFileSync(file));
  const pipeline = () => frame.toNestedSet(tree.buildCallTree(parse.parsePprof(gz, { gunzip: nativeGunzip })));
  // Warm-up: small inputs need many calls before V8 has optimized the hot loops (Go's code is compiled ahead).
  const start = cpuMs();
  let calls = 0;
  for (; calls < 30 && (calls < 2 || cpuMs() - start < 1000); calls++) {
    pipeline();
  }
  // A timed run of a small input is a batch of calls of at least 50 ms.
  const batch = Math.max(1, Math.ceil(50 / ((cpuMs() - start) / calls)));
  const runs: number[] = [];
  for (let run = 0; run < 3; run++) {
    const t = cpuMs();
    for (let i = 0; i < batch; i++) {
      pipeline();
    }
    runs.push((cpuMs() - t) / batch);
  }
  console.log(JSON.stringify({ cpuMs: median(runs) }));
}

function runChild(dir: string, file: string): number {
  const out = execFileSync(process.execPath, ['--import', 'tsx', __filename, '--child', dir, file], {
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
  console.log(`node ${process.version}, ${rounds} rounds, median CPU ms`);
  for (const file of files) {
    const cpu: Record<string, number[]> = { go: [] };
    Object.keys(sides).forEach((name) => (cpu[name] = []));
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 ? Object.entries(sides).reverse() : Object.entries(sides);
      for (const [name, dir] of order) {
        cpu[name].push(runChild(dir, file));
      }
      // Go: one process per round, one warm-up parse, then the median of three.
      cpu.go.push(goParseBench(file, 3).medianCpuNs / 1e6);
    }
    const go = median(cpu.go);
    const line = Object.keys(sides)
      .map((name) => `${name} ${median(cpu[name]).toFixed(1)} (Go/${name} ${(go / median(cpu[name])).toFixed(2)}x)`)
      .join(', ');
    console.log(`${basename(file)}: Go profile.Parse ${go.toFixed(1)}, ${line}`);
  }
}

if (process.argv[2] === '--child') {
  child(process.argv[3], process.argv[4]).catch((error) => {
    console.error(error);
    process.exit(1);
  });
} else {
  main();
}

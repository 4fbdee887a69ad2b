/**
 * CPU time of decode + call tree + flame frame, ours against Go's profile.Parse alone, interleaved round by round
 * (`npx tsx bench/pprofCpu.ts [--baseline DIR] [--rounds N] FILE...`). CPU time (user + system, every thread, so
 * the garbage collectors' too) is steadier than wall time on a loaded machine. `--baseline DIR` adds the same
 * pipeline from another checkout's sources (e.g. `git worktree add DIR main`), timed in the same rounds.
 */
import { readFileSync } from 'fs';
import { basename, resolve } from 'path';
import { nativeGunzip } from '../src/cli/nativeGunzip';
import { buildCallTree } from '../src/core/analysis/callTree';
import { toNestedSet } from '../src/core/analysis/nestedSet';
import { parsePprof } from '../src/core/model/parsePprof';
import { goParseBench } from '../tools/pprofcheck/runner';

type Pipeline = (gz: Uint8Array) => unknown;

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  let rounds = 15;
  let baselineDir: string | undefined;
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--rounds') {
      rounds = Number(args[++i]);
    } else if (args[i] === '--baseline') {
      baselineDir = resolve(args[++i]);
    } else {
      files.push(args[i]);
    }
  }
  const pipelines: Record<string, Pipeline> = {
    ours: (gz) => toNestedSet(buildCallTree(parsePprof(gz, { gunzip: nativeGunzip }))),
  };
  if (baselineDir) {
    const tree = await import(`${baselineDir}/src/core/analysis/callTree`);
    const frame = await import(`${baselineDir}/src/core/analysis/nestedSet`);
    const parse = await import(`${baselineDir}/src/core/model/parsePprof`);
    pipelines.baseline = (gz) => frame.toNestedSet(tree.buildCallTree(parse.parsePprof(gz, { gunzip: nativeGunzip })));
  }
  console.log(`node ${process.version}, ${rounds} rounds after warm-up, median CPU ms`);
  for (const file of files) {
    const gz = new Uint8Array(readFileSync(file));
    // Warm up: small inputs need many calls before V8 has optimized the hot loops (Go's code is compiled ahead).
    // A run of a small input is a batch of calls of at least 50 ms, timed as a whole.
    const batch: Record<string, number> = {};
    for (const [name, pipeline] of Object.entries(pipelines)) {
      const start = cpuMs();
      let calls = 0;
      for (; calls < 30 && cpuMs() - start < 1000; calls++) {
        pipeline(gz);
      }
      batch[name] = Math.max(1, Math.ceil(50 / ((cpuMs() - start) / calls)));
    }
    const cpu: Record<string, number[]> = { go: [] };
    Object.keys(pipelines).forEach((name) => (cpu[name] = []));
    for (let round = 0; round < rounds + 2; round++) {
      // Alternate the order so that neither side always runs right after Go's process.
      const order = round % 2 ? Object.entries(pipelines).reverse() : Object.entries(pipelines);
      for (const [name, pipeline] of order) {
        const start = cpuMs();
        for (let i = 0; i < batch[name]; i++) {
          pipeline(gz);
        }
        if (round >= 2) {
          cpu[name].push((cpuMs() - start) / batch[name]);
        }
      }
      // Go: one process per round, one warm-up parse, then the median of three.
      const go = goParseBench(file, 3);
      if (round >= 2) {
        cpu.go.push(go.medianCpuNs / 1e6);
      }
    }
    const go = median(cpu.go);
    const line = Object.keys(pipelines)
      .map((name) => `${name} ${median(cpu[name]).toFixed(1)} (Go/${name} ${(go / median(cpu[name])).toFixed(2)}x)`)
      .join(', ');
    console.log(`${basename(file)}: Go profile.Parse ${go.toFixed(1)}, ${line}`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

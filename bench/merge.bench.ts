/**
 * Profile merge benchmark (`npm run bench -- merge`). Not a test: it prints a table. mergeProfiles is what a
 * Pyroscope-less window of several captures goes through (src/core/analysis/merge.ts); its inputs here:
 *   - the CPU profiles of every demo scenario in fixtures/demo (13 small profiles, few shared stacks);
 *   - the allocs profiles of every demo scenario (same binary: most functions and locations are shared);
 *   - google/pprof's large.cpu (20k samples) three times, when the Go module cache has it: a window of the same
 *     process, where merge mostly finds existing keys.
 * MERGE_COMPARE=<module path> also times that module's `mergeProfiles` in the same interleaved runs and checks that
 * both give the same profile (to compare a rewrite with the version before it under the same machine load).
 * Timings: median and min of RUNS runs after WARMUP runs; a run is a batch of at least 100 ms. Wall time and CPU
 * time (user + system of this process, which includes the garbage collector's threads) are both shown: on a shared
 * machine wall time also counts waiting for a core.
 */
import { existsSync, readdirSync, readFileSync } from 'fs';
import { loadavg } from 'os';
import { isDeepStrictEqual } from 'util';
import { join, resolve } from 'path';

import { mergeProfiles } from '../src/core/analysis/merge';
import { parsePprof } from '../src/core/model/parsePprof';
import type { Profile } from '../src/core/model/profile';
import { googleLargeCpu } from './googleLargeCpu.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const WARMUP = 2;
const BATCH_MS = 100;
const FIXTURES = join(__dirname, '..', 'fixtures', 'demo');

function fixtureProfiles(file: string): Profile[] {
  return readdirSync(FIXTURES)
    .filter((scenario) => existsSync(join(FIXTURES, scenario, file)))
    .sort()
    .map((scenario) => parsePprof(readFileSync(join(FIXTURES, scenario, file))));
}

type Merge = (profiles: readonly Profile[]) => Profile;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

interface Run {
  wall: number;
  cpu: number;
}

function time(steps: Record<string, Merge>, input: readonly Profile[]): Map<string, Run[]> {
  const batch = new Map<string, number>();
  for (const [name, merge] of Object.entries(steps)) {
    merge(input);
    const start = performance.now();
    merge(input);
    batch.set(name, Math.max(1, Math.ceil(BATCH_MS / Math.max(0.001, performance.now() - start))));
  }
  const times = new Map<string, Run[]>(Object.keys(steps).map((k) => [k, []]));
  for (let run = 0; run < WARMUP + RUNS; run++) {
    for (const [name, merge] of Object.entries(steps)) {
      const n = batch.get(name)!;
      const start = performance.now();
      const cpu = process.cpuUsage();
      for (let i = 0; i < n; i++) {
        merge(input);
      }
      const used = process.cpuUsage(cpu);
      if (run >= WARMUP) {
        times.get(name)!.push({ wall: (performance.now() - start) / n, cpu: (used.user + used.system) / 1000 / n });
      }
    }
  }
  return times;
}

async function main(): Promise<void> {
  const steps: Record<string, Merge> = { mergeProfiles };
  const compare = process.env.MERGE_COMPARE;
  if (compare) {
    steps[`MERGE_COMPARE (${compare})`] = (await import(resolve(compare))).mergeProfiles;
  }
  const inputs: Array<[string, Profile[]]> = [
    ['13 demo CPU profiles', fixtureProfiles('cpu.pb.gz')],
    ['13 demo allocs profiles', fixtureProfiles('allocs.pb.gz')],
  ];
  const large = googleLargeCpu();
  if (large) {
    const p = parsePprof(readFileSync(large));
    inputs.push(['google/pprof large.cpu x3', [p, p, p]]);
  }
  console.log(`node ${process.version}, ${RUNS} runs after ${WARMUP} warm-up runs, load average ${loadavg()[0]}\n`);
  for (const [name, input] of inputs) {
    const samples = input.reduce((n, p) => n + p.samples.count, 0);
    const merged = mergeProfiles(input);
    console.log(`## ${name}: ${samples} samples in, ${merged.samples.count} out, ${merged.locations.count} locations`);
    if (compare && !isDeepStrictEqual(steps[`MERGE_COMPARE (${compare})`](input), merged)) {
      console.log('   !! MERGE_COMPARE gives a different profile');
      process.exitCode = 1;
    }
    for (const [step, runs] of time(steps, input)) {
      const figures = (xs: number[]) => `median ${median(xs).toFixed(2)} ms, min ${Math.min(...xs).toFixed(2)} ms`;
      console.log(
        `   ${step.padEnd(56)} wall ${figures(runs.map((r) => r.wall))}; cpu ${figures(runs.map((r) => r.cpu))}`
      );
    }
  }
}

void main();

/**
 * Execution trace read + analysis on a ≥ 50 MB trace of the demo service, against golang.org/x/exp/trace (the
 * reader of `go tool trace`) running the same analysis (tools/tracecheck -bench) on the same file in the same run.
 * Nothing is asserted; the table and the ratios are the output.
 *
 * Input: bench/.data/trace-demo.trace (gitignored), captured once from /debug/pprof/trace?seconds=N of the demo with
 * the runnable-backlog scenario (hundreds of short goroutines, ~20 MB of trace a second) and the built-in load, N
 * lengthened from 5 s until the trace is ≥ 50 MB.
 *
 * Ours runs in a fresh Node process per run (bench/traceWorker.ts) so its peak RSS is its own; memory is reported as
 * (peak RSS − RSS before reading the file) / trace size, the input bytes included. Go's peak is the maximum
 * resident size of the tracecheck process (GNU time), whole process. On a shared machine wall times swing with the
 * load, so CPU time (user + system, all threads) is measured too: ours around the analysis, Go's for a whole
 * one-run tracecheck process (GNU time; process start and file read included, which favours ours slightly).
 * Env: BENCH_RUNS (default 3).
 */
import { spawnSync } from 'child_process';
import { existsSync, mkdirSync, renameSync, statSync, writeFileSync } from 'fs';
import { loadavg } from 'os';
import { join } from 'path';
import { goTraceBench, tracecheckBinary } from '../tools/tracecheck/runner';
import { startDemoService } from '../tests/support/demoService';

const DATA = join(__dirname, '.data');
const TRACE = join(DATA, 'trace-demo.trace');
const MIN_BYTES = 50 * 1024 * 1024;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

async function ensureTrace(): Promise<void> {
  if (existsSync(TRACE) && statSync(TRACE).size >= MIN_BYTES) {
    return;
  }
  mkdirSync(DATA, { recursive: true });
  const demo = await startDemoService({ scenarios: ['runnable-backlog'], load: true });
  try {
    for (const seconds of [5, 6, 8, 12, 16, 24, 32]) {
      console.log(`capturing /debug/pprof/trace?seconds=${seconds} from the demo…`);
      const res = await fetch(`${demo.url}/debug/pprof/trace?seconds=${seconds}`);
      if (!res.ok) {
        throw new Error(`trace capture: HTTP ${res.status} ${await res.text()}`);
      }
      const body = Buffer.from(await res.arrayBuffer());
      if (body.length >= MIN_BYTES) {
        writeFileSync(`${TRACE}.tmp`, body);
        renameSync(`${TRACE}.tmp`, TRACE);
        return;
      }
      console.log(`  ${(body.length / 1e6).toFixed(1)} MB, too small`);
    }
    throw new Error('the demo did not produce a 50 MB trace in 32 s');
  } finally {
    await demo.stop();
  }
}

interface OursRun {
  ns: number;
  cpuNs: number;
  bytes: number;
  events: number;
  baselineRss: number;
  peakRss: number;
}

function oursOnce(): OursRun {
  const result = spawnSync(
    process.execPath,
    ['--expose-gc', '--max-old-space-size=8192', '--import', 'tsx', join(__dirname, 'traceWorker.ts'), TRACE],
    { encoding: 'utf8', maxBuffer: 1 << 20 }
  );
  if (result.status !== 0) {
    throw new Error(`traceWorker failed: ${result.stderr}`);
  }
  return JSON.parse(result.stdout) as OursRun;
}

/** One run of the Go reader under GNU time: peak resident memory and CPU time (user + system) of the process. */
function goProcess(): { peakRss: number; cpuNs: number } | undefined {
  if (!existsSync('/usr/bin/time')) {
    return undefined;
  }
  const out = spawnSync('/usr/bin/time', ['-f', '%M %U %S', tracecheckBinary(), '-bench', '-n', '1', TRACE], {
    encoding: 'utf8',
  });
  const [kb, user, system] = (out.stderr.trim().split('\n').pop() ?? '').split(' ').map(Number);
  return Number.isFinite(kb) ? { peakRss: kb * 1024, cpuNs: (user + system) * 1e9 } : undefined;
}

const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  await ensureTrace();
  tracecheckBinary();
  const ours: OursRun[] = [];
  for (let i = 0; i < RUNS; i++) {
    ours.push(oursOnce());
  }
  const go = goTraceBench(TRACE, RUNS);
  const goRun = goProcess();
  const size = ours[0].bytes;
  const oursMs = median(ours.map((r) => r.ns)) / 1e6;
  const goMs = go.medianNs / 1e6;
  const oursMem = median(ours.map((r) => r.peakRss - r.baselineRss)) / size;
  const oursCpuMs = median(ours.map((r) => r.cpuNs)) / 1e6;
  const goCpuMs = goRun ? goRun.cpuNs / 1e6 : NaN;
  const rows = [
    ['contender', 'median wall', 'events/s', 'speed vs Go', 'CPU time', 'CPU speed vs Go', 'peak memory / trace size'],
    [
      'ours: TraceReader + TraceAnalyzer (Node)',
      `${oursMs.toFixed(0)} ms`,
      `${(((ours[0].events / oursMs) * 1e3) / 1e6).toFixed(2)} M`,
      `${(goMs / oursMs).toFixed(2)}x`,
      `${oursCpuMs.toFixed(0)} ms`,
      `${(goCpuMs / oursCpuMs).toFixed(2)}x`,
      `${oursMem.toFixed(1)}x`,
    ],
    [
      'Go: golang.org/x/exp/trace + same analysis',
      `${goMs.toFixed(0)} ms`,
      `${(((ours[0].events / goMs) * 1e3) / 1e6).toFixed(2)} M`,
      '1.00x',
      goRun ? `${goCpuMs.toFixed(0)} ms (whole process)` : 'n/a',
      '1.00x',
      goRun ? `${(goRun.peakRss / size).toFixed(1)}x (whole process)` : 'n/a',
    ],
  ];
  console.log(`input: ${TRACE}, ${(size / 1e6).toFixed(1)} MB, ${ours[0].events} events, ${RUNS} runs each`);
  console.log(
    `load average at the end: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} on this machine\n`
  );
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  for (const row of rows) {
    console.log(row.map((cell, c) => cell.padEnd(widths[c])).join('  '));
  }
  console.log(`\nspeed vs Go > 1 means ours is faster; aim ≥ 0.5x. Memory aim < 10x (gotraceui ~30x).`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

/**
 * Node-side access to the trace cross-check tool (tests and bench): builds `tools/tracecheck` once into
 * `.cache/bin/tracecheck` (rebuilt when its sources are newer) and runs it.
 */
import { execFileSync } from 'child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'fs';
import { join, resolve } from 'path';
import { goCommand } from '../pprofcheck/runner';

const toolDir = __dirname;
const repoRoot = resolve(toolDir, '..', '..');
const binary = join(repoRoot, '.cache', 'bin', 'tracecheck');

function newestSource(): number {
  return Math.max(
    ...readdirSync(toolDir)
      .filter((f) => f.endsWith('.go') || f === 'go.mod' || f === 'go.sum')
      .map((f) => statSync(join(toolDir, f)).mtimeMs)
  );
}

/** Path of the built tool, building it when missing or stale. */
export function tracecheckBinary(): string {
  if (!existsSync(binary) || statSync(binary).mtimeMs < newestSource()) {
    mkdirSync(join(repoRoot, '.cache', 'bin'), { recursive: true });
    execFileSync(goCommand(), ['build', '-o', binary, '.'], { cwd: toolDir, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  return binary;
}

export interface GoGoroutine {
  id: number;
  name: string;
  running: number;
  runnable: number;
  syscall: number;
  waiting: Record<string, number>;
  gcAssist: number;
  created: number;
  ended: number;
}

export interface GoProfileRecord {
  pcs: string;
  funcs: string[] | null;
  count: number;
  time: number;
}

export interface GoTraceReport {
  file: string;
  events: string[];
  goroutines: GoGoroutine[];
  gc: Array<[number, number]>;
  stw: Array<{ start: number; end: number; reason: string }>;
  heapAlloc: Array<[number, number]>;
  heapGoal: Array<[number, number]>;
  profiles: Record<'sched' | 'net' | 'sync' | 'syscall', GoProfileRecord[]>;
  /** Every runnable → running wait, ns, in trace order (the scheduler latency percentiles). */
  schedWaits: number[];
  end: number;
  error?: string;
}

/** What golang.org/x/exp/trace reads from each file, and the same analysis as src/core/analysis/traceAnalysis.ts. */
export function goTraceReports(files: string[]): GoTraceReport[] {
  const out = execFileSync(tracecheckBinary(), files, { encoding: 'utf8', maxBuffer: 1024 * 1024 * 1024 });
  return out
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as GoTraceReport);
}

export interface GoTraceBench {
  bytes: number;
  runs: number;
  medianNs: number;
  minNs: number;
  allNs: number[];
  peakHeapBytes: number;
}

/** Times x/exp/trace reading plus the same analysis in-process (median of `runs`). */
export function goTraceBench(file: string, runs: number): GoTraceBench {
  const out = execFileSync(tracecheckBinary(), ['-bench', '-n', String(runs), file], { encoding: 'utf8' });
  return JSON.parse(out) as GoTraceBench;
}

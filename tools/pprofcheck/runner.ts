/**
 * Node-side access to the Go cross-check tool (tests and bench): builds `tools/pprofcheck` once into
 * `.cache/bin/pprofcheck` (rebuilt when its sources are newer) and runs it.
 */
import { execFileSync } from 'child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'fs';
import { join, resolve } from 'path';

const toolDir = __dirname;
const repoRoot = resolve(toolDir, '..', '..');
const binary = join(repoRoot, '.cache', 'bin', 'pprofcheck');

/** The `go` command: on PATH, else the standard install location. */
export function goCommand(): string {
  const candidates = (process.env.PATH ?? '').split(':').map((dir) => join(dir, 'go'));
  candidates.push('/usr/local/go/bin/go');
  const found = candidates.find((c) => existsSync(c));
  if (!found) {
    throw new Error('the Go toolchain (go) is required for tools/pprofcheck: install Go 1.26 at /usr/local/go');
  }
  return found;
}

function newestSource(): number {
  return Math.max(
    ...readdirSync(toolDir)
      .filter((f) => f.endsWith('.go') || f === 'go.mod' || f === 'go.sum')
      .map((f) => statSync(join(toolDir, f)).mtimeMs)
  );
}

/** Path of the built tool, building it when missing or stale. */
export function pprofcheckBinary(): string {
  if (!existsSync(binary) || statSync(binary).mtimeMs < newestSource()) {
    mkdirSync(join(repoRoot, '.cache', 'bin'), { recursive: true });
    execFileSync(goCommand(), ['build', '-o', binary, '.'], { cwd: toolDir, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  return binary;
}

export interface GoFunctionRow {
  name: string;
  flat: number;
  cum: number;
}

export interface GoReport {
  sampleType: string;
  samples: number;
  total: number;
  /** `go tool pprof`'s percentage denominator: the sum of absolute values (or of the diff base's samples). */
  pprofTotal: number;
  functions: GoFunctionRow[];
}

export interface GoFileReport {
  file: string;
  sampleTypes: string[];
  defaultSampleType: string;
  samples: number;
  locations: number;
  functions: number;
  mappings: number;
  timeNanos: number;
  durationNanos: number;
  period: number;
  reports: GoReport[];
}

/** flat/cum per function for every sample type of each file, computed by google/pprof's parser. */
export function goFlatCum(files: string[], sampleType = 'all'): GoFileReport[] {
  const out = execFileSync(pprofcheckBinary(), ['-sample_type', sampleType, ...files], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  return out
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as GoFileReport);
}

export interface GoBenchResult {
  bytes: number;
  runs: number;
  medianNs: number;
  minNs: number;
  allNs: number[];
  samples: number;
  allocBytes: number;
}

/** Times google/pprof's profile.Parse in-process on one file (median of `runs`). */
export function goParseBench(file: string, runs: number): GoBenchResult {
  const out = execFileSync(pprofcheckBinary(), ['-bench', '-n', String(runs), file], { encoding: 'utf8' });
  return JSON.parse(out) as GoBenchResult;
}

/** Writes small real profiles of a built-in Go workload (cpu.pb.gz, heap.pb.gz) into `dir`. */
export function goGenerateProfiles(dir: string): void {
  execFileSync(pprofcheckBinary(), ['-gen', dir], { stdio: 'ignore' });
}

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
  let out: string;
  try {
    out = execFileSync(pprofcheckBinary(), ['-sample_type', sampleType, ...files], {
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    // The tool's own message (google/pprof's parse error) is the useful part, not "Command failed".
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new Error(stderr ? stderr.replace(/^pprofcheck: /, '') : String(error));
  }
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
  /** CPU time (user + system, every thread) per run and its median. */
  allCpuNs: number[];
  medianCpuNs: number;
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

let pprofTool: string | undefined;

/** The `go tool pprof` executable: Go 1.24+ builds it on first use and `go tool -n` prints where it is. */
export function goToolPprof(): string {
  pprofTool ??= execFileSync(goCommand(), ['tool', '-n', 'pprof'], { encoding: 'utf8' }).trim();
  return pprofTool;
}

export interface PprofTopRow {
  name: string;
  flat: number;
  cum: number;
}

export interface PprofTop {
  /** The "of X total" of the header: what `go tool pprof` divides by for its percentages. */
  total: number;
  rows: PprofTopRow[];
}

const NANOS_PER: Record<string, number> = { nanoseconds: 1, microseconds: 1e3, milliseconds: 1e6, seconds: 1e9 };

/**
 * `go tool pprof -top` itself (not our reading of google/pprof's parser) for one sample type: its first `nodes`
 * rows by flat and its total, in the sample type's own unit. Times are printed in ns and bytes in B (`-unit`) so
 * that the figures are exact; nothing is symbolized (`-symbolize=none`), so unsymbolized addresses stay as the
 * file has them, grouped per mapping the way pprof shows them.
 */
export function goToolPprofTop(file: string, sampleType: string, unit: string, nodes: number): PprofTop {
  const nanosPer = NANOS_PER[unit];
  const unitArgs = nanosPer ? ['-unit=ns'] : unit === 'bytes' ? ['-unit=B'] : [];
  const out = execFileSync(
    goToolPprof(),
    [
      '-top',
      `-nodecount=${nodes}`,
      '-nodefraction=0',
      '-symbolize=none',
      `-sample_index=${sampleType}`,
      ...unitArgs,
      file,
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 }
  );
  const value = (text: string): number => {
    const m = /^(-?\d+(?:\.\d+)?)(ns|B)?$/.exec(text);
    if (!m) {
      throw new Error(`go tool pprof printed a value this reader does not know: ${text}`);
    }
    const n = Number(m[1]);
    return m[2] === 'ns' ? n / nanosPer : n;
  };
  const header = /of (\S+) total/.exec(out);
  const rows: PprofTopRow[] = [];
  for (const line of out.split('\n')) {
    const m = /^\s*(\S+)\s+-?[\d.]+%\s+-?[\d.]+%\s+(\S+)\s+-?[\d.]+%\s+(.*)$/.exec(line);
    if (m) {
      rows.push({ name: m[3].replace(/ \(inline\)$/, ''), flat: value(m[1]), cum: value(m[2]) });
    }
  }
  return { total: header ? value(header[1]) : 0, rows };
}

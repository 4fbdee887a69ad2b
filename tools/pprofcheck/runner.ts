/**
 * Node-side access to the Go cross-check tool (tests and bench): builds `tools/pprofcheck` once into
 * `.cache/bin/pprofcheck` (rebuilt when its sources are newer) and runs it.
 */
import { execFileSync } from 'child_process';
import { createHash } from 'crypto';
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

/** Runs the tool and returns its JSON lines; a failure throws the tool's own message (google/pprof's parse error). */
function jsonLines<T>(args: string[]): T[] {
  let out: string;
  try {
    out = execFileSync(pprofcheckBinary(), args, {
      encoding: 'utf8',
      maxBuffer: 1024 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    // The tool's own message is the useful part, not "Command failed".
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new Error(stderr ? stderr.replace(/^pprofcheck: /, '') : String(error));
  }
  return out
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as T);
}

/** flat/cum per function for every sample type of each file, computed by google/pprof's parser. */
export function goFlatCum(files: string[], sampleType = 'all'): GoFileReport[] {
  return jsonLines<GoFileReport>(['-sample_type', sampleType, ...files]);
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
  /** With the frame work: the flame frame's row count. */
  rows: number;
  /** Calls per timed run. */
  batch: number;
  allocBytes: number;
}

function goBench(file: string, runs: number, minMs: number, frame: boolean): GoBenchResult {
  const args = ['-bench', ...(frame ? ['-frame'] : []), '-n', String(runs), '-min_ms', String(minMs), file];
  return JSON.parse(execFileSync(pprofcheckBinary(), args, { encoding: 'utf8' })) as GoBenchResult;
}

/**
 * Times google/pprof's profile.Parse in-process on one file (median of `runs`; with `minMs`, each run a batch of
 * calls lasting at least that much CPU time, its times per call).
 */
export function goParseBench(file: string, runs: number, minMs = 0): GoBenchResult {
  return goBench(file, runs, minMs, false);
}

/**
 * Times, in-process on one file, the same work as our decode + call tree + flame frame written in plain Go
 * (tools/pprofcheck/frame.go: profile.Parse, the top-down tree of the default sample type, its nested-set rows).
 */
export function goFrameBench(file: string, runs: number, minMs = 0): GoBenchResult {
  return goBench(file, runs, minMs, true);
}

export interface GoFrameReport {
  file: string;
  rows: number;
  /** {@link nestedSetDigest} of the Go frame's rows. */
  digest: string;
  /** With `withRows`: every row's label, level, value and self, in row order. */
  labels?: string[];
  levels?: number[];
  values?: number[];
  selfs?: number[];
}

/** The Go code's flame frame (tools/pprofcheck/frame.go) of each file: row count and digest, or all rows. */
export function goFlameFrame(files: string[], withRows = false): GoFrameReport[] {
  return jsonLines<GoFrameReport>(['-frame', ...(withRows ? ['-frame_rows'] : []), ...files]);
}

/**
 * Throws unless the Go code's flame frame of `file` is `frame` (ours) row for row, by row count and digest: a
 * benchmark calls it before timing the Go frame against ours, so that both sides do the same work.
 */
export function assertGoFrameEquals(file: string, frame: NestedSetColumns): void {
  const [go] = goFlameFrame([file]);
  if (go.rows !== frame.levels.length || go.digest !== nestedSetDigest(frame)) {
    throw new Error(`${file}: the Go flame frame (${go.rows} rows) differs from ours (${frame.levels.length} rows)`);
  }
}

/** Flame-frame rows as the analysis core's `toNestedSet` returns them (labels are ids into `names`). */
export interface NestedSetColumns {
  levels: ArrayLike<number>;
  values: ArrayLike<number>;
  selfs: ArrayLike<number>;
  labelIds: ArrayLike<number>;
  names: readonly string[];
}

/**
 * SHA-256 (hex) of the rows as text, one `level value self label\n` line per row, UTF-8: what `pprofcheck -frame`
 * prints for its own rows, so equal digests mean equal frames (integer values print alike in Go and JavaScript).
 */
export function nestedSetDigest(frame: NestedSetColumns): string {
  const hash = createHash('sha256');
  const chunk: string[] = [];
  for (let i = 0; i < frame.levels.length; i++) {
    chunk.push(`${frame.levels[i]} ${frame.values[i]} ${frame.selfs[i]} ${frame.names[frame.labelIds[i]]}\n`);
    if (chunk.length === 4096) {
      hash.update(chunk.join(''), 'utf8');
      chunk.length = 0;
    }
  }
  hash.update(chunk.join(''), 'utf8');
  return hash.digest('hex');
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

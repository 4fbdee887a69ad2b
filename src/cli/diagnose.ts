/**
 * `goprof diagnose <url|file...> [--seconds N] [--baseline-seconds N] [--baseline <file|dir>...] [--json]`
 *
 * A URL is a Go service (its pprof under `/debug/pprof`, or the URL as given when it already ends there): the
 * diagnosis gathers, in one N-second window, a CPU profile, allocs/mutex/block deltas, a goroutine dump at the start
 * and at the end, and the heap (src/core/analysis/findings/gather.ts). `--baseline-seconds M` first gathers an
 * M-second window as the baseline (the time before), so findings say what changed.
 * Files and directories are saved captures (diagnoseFiles.ts); `--baseline` names captures of the time before.
 *
 * Prints the findings by layer, or with `--json` `{ findings: [...] }` sorted by severity (diagnoseOutput.ts).
 * Exit status, as for `goprof analyze` (main.ts): 0 when the diagnosis ran, whatever it found; 2 for bad usage or
 * when no input could be read (HTTP errors, not profiles, missing files); 3 when the target could not be reached at
 * all; 1 for internal errors.
 *
 * Entry point for src/cli/main.ts: `runDiagnose(argv, io)` with argv after the word `diagnose`.
 */
import {
  DEFAULT_DECODE_LIMITS,
  diagnoseReport,
  type DiagnosisProfiles,
  gatherFromPprof,
  type GatherResult,
  InputError,
  type PprofFetcher,
} from '../core';
import { loadDiagnosisFiles } from './diagnoseFiles';
import { boundedGet, HttpStatusError, UnreachableError } from './http';
import { nativeGunzip } from './nativeGunzip';
import { diagnosisJson, diagnosisText, type DiagnosisOutput } from './diagnoseOutput';

export interface DiagnoseIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Defaults to the global fetch (Node 20). */
  fetch?: typeof fetch;
  /** Defaults to Date.now. */
  now?: () => number;
}

export interface DiagnoseArgs {
  sources: string[];
  seconds: number;
  baselineSeconds: number;
  baselineFiles: string[];
  json: boolean;
  /** Report the capture windows on stderr (default: when stderr is a terminal). */
  progress?: boolean;
}

export const DIAGNOSE_USAGE =
  'usage: goprof diagnose <url | file|dir...> [--seconds N] [--baseline-seconds N] [--baseline <file|dir>]... [--json] [--progress]';

export const DIAGNOSE_HELP = `${DIAGNOSE_USAGE}

Findings by layer (where CPU goes, scheduling, memory, system interaction), each with its evidence and a next step.

<url>                  a Go service base URL (pprof under /debug/pprof): captures CPU, heap, allocs, mutex, block
                       and goroutine profiles over --seconds, plus two goroutine dumps for growth
<file|dir>...          capture files (pprof protobuf, gzip or not, and goroutine dumps); a directory: its files
--seconds N            capture length for a URL (default 5)
--baseline-seconds N   a URL: also capture N seconds before, as the baseline to compare with
--baseline <file|dir>  files: the baseline captures (repeatable)
--json                 print the findings as JSON
--progress             report the capture windows on stderr (on by default in a terminal)

Exit codes: 0 ok (findings or none), 2 bad input or usage, 3 target unreachable.`;

class UsageError extends Error {}

/** In the message of a request that got no HTTP response at all (refused, DNS, timeout). */
const UNREACHABLE = 'failed, no response';

function positiveNumber(flag: string, value: string | undefined): number {
  const n = Number(value);
  if (value === undefined || !Number.isFinite(n) || n < 0) {
    throw new UsageError(`${flag} needs a number of seconds, got ${value ?? 'nothing'}`);
  }
  return n;
}

export function parseDiagnoseArgs(argv: readonly string[]): DiagnoseArgs {
  const args: DiagnoseArgs = { sources: [], seconds: 5, baselineSeconds: 0, baselineFiles: [], json: false };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].startsWith('--') ? argv[i].split(/=(.*)/s, 2) : [argv[i], undefined];
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case '--seconds':
        args.seconds = Math.max(1, positiveNumber(flag, value()));
        break;
      case '--baseline-seconds':
        args.baselineSeconds = positiveNumber(flag, value());
        break;
      case '--baseline':
        args.baselineFiles.push(value() ?? '');
        break;
      case '--json':
        args.json = true;
        break;
      case '--progress':
        args.progress = true;
        break;
      default:
        if (flag.startsWith('-')) {
          throw new UsageError(`unknown option ${flag}`);
        }
        args.sources.push(flag);
    }
  }
  const urls = args.sources.filter(isUrl);
  if (args.sources.length === 0) {
    throw new UsageError('give a Go service URL or capture files');
  }
  if (urls.length > 0 && (urls.length > 1 || args.sources.length > 1)) {
    throw new UsageError('give one URL, or any number of files (not both)');
  }
  if (urls.length === 0 && args.baselineSeconds > 0) {
    throw new UsageError('--baseline-seconds captures from a URL; for files use --baseline <file|dir>');
  }
  return args;
}

function isUrl(s: string): boolean {
  return /^https?:\/\//i.test(s);
}

/** `http://host:6060` -> `http://host:6060/debug/pprof/`; a URL already under /debug/pprof is kept. */
export function pprofBase(url: string): string {
  const trimmed = url.replace(/\/+$/, '');
  return /\/debug\/pprof$/.test(trimmed) ? `${trimmed}/` : `${trimmed}/debug/pprof/`;
}

/**
 * The Node side of {@link PprofFetcher}: one bounded GET per request (http.ts: deadline over the whole exchange, size
 * cap, same-origin redirects), HTTP errors named with the body's first line. Only a request that reached nothing
 * is marked unreachable; a target that connected but answered late is named as such. Profiles are inflated by
 * Node's zlib (bounded by the decode limit), so the diagnosis's own work stays short next to the deadlines.
 */
export function httpFetcher(base: string, timeoutSeconds: number, io: DiagnoseIO): PprofFetcher {
  return {
    now: io.now ?? Date.now,
    gunzip: nativeGunzip,
    async get(path: string): Promise<Uint8Array> {
      const url = base + path;
      try {
        return await boundedGet(url, {
          deadlineSeconds: timeoutSeconds,
          maxBytes: DEFAULT_DECODE_LIMITS.maxInputBytes,
          fetch: io.fetch,
        });
      } catch (error) {
        if (error instanceof UnreachableError) {
          throw new Error(`GET ${url} ${UNREACHABLE}: ${error.message.replace(`${url}: cannot reach the target: `, '')}`);
        }
        if (error instanceof HttpStatusError && error.status >= 400) {
          throw new Error(`GET ${url}: HTTP ${error.status}${error.detail ? ` (${error.detail})` : ''}`);
        }
        throw new Error(`GET ${error instanceof InputError ? error.describe() : (error as Error).message}`);
      }
    },
  };
}

function describeInputs(p: DiagnosisProfiles): string[] {
  const out: string[] = [];
  for (const kind of ['cpu', 'heap', 'allocs', 'mutex', 'block'] as const) {
    const profile = p[kind];
    if (profile) {
      const span = profile.durationNanos > 0 ? ` over ${(profile.durationNanos / 1e9).toFixed(1)} s` : '';
      out.push(`${kind}${span}`);
    }
  }
  const n = p.goroutines?.length ?? 0;
  if (n > 0) {
    out.push(`${n} goroutine snapshot${n === 1 ? '' : 's'}`);
  }
  return out;
}

function isEmpty(p: DiagnosisProfiles): boolean {
  return !p.cpu && !p.heap && !p.allocs && !p.mutex && !p.block && (p.goroutines?.length ?? 0) === 0;
}

async function gather(
  args: DiagnoseArgs,
  io: DiagnoseIO
): Promise<{ main: GatherResult; baseline?: GatherResult; inputs: string[] }> {
  const url = args.sources.find(isUrl);
  if (url) {
    const base = pprofBase(url);
    const showProgress = args.progress ?? (!io.fetch && process.stderr.isTTY === true);
    const capture = (seconds: number, what: string) => {
      if (showProgress) {
        io.stderr(`goprof diagnose: capturing the ${what} window (${seconds} s) from ${base}\n`);
      }
      return gatherFromPprof(httpFetcher(base, seconds + 30, io), { seconds, source: base });
    };
    const baseline = args.baselineSeconds > 0 ? await capture(args.baselineSeconds, 'baseline') : undefined;
    const main = await capture(args.seconds, 'diagnosis');
    return { main, baseline, inputs: describeInputs(main.profiles) };
  }
  const files = loadDiagnosisFiles(args.sources);
  const base = args.baselineFiles.length ? loadDiagnosisFiles(args.baselineFiles) : undefined;
  return {
    main: { profiles: files.profiles, missing: files.skipped },
    baseline: base ? { profiles: base.profiles, missing: base.skipped.map((s) => `baseline ${s}`) } : undefined,
    inputs: files.directory ? [`${files.directory}/: ${files.used.join(', ')}`] : files.used,
  };
}

export async function runDiagnose(argv: readonly string[], io: DiagnoseIO): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout(`${DIAGNOSE_HELP}\n`);
    return 0;
  }
  let args: DiagnoseArgs;
  try {
    args = parseDiagnoseArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`goprof diagnose: ${error.message}\n${DIAGNOSE_USAGE}\n`);
      return 2;
    }
    throw error;
  }
  let gathered: Awaited<ReturnType<typeof gather>>;
  try {
    gathered = await gather(args, io);
  } catch (error) {
    // Files that cannot be read (missing, unreadable): bad input.
    io.stderr(`goprof diagnose: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  const { main, baseline } = gathered;
  if (isEmpty(main.profiles)) {
    io.stderr(
      `goprof diagnose: no input could be read${main.missing.length ? `:\n  ${main.missing.join('\n  ')}` : ''}\n`
    );
    return main.missing.some((m) => m.includes(UNREACHABLE)) ? 3 : 2;
  }
  const source = args.sources.some(isUrl) ? 'pprof' : 'files';
  const report = diagnoseReport({ ...main.profiles, baseline: baseline?.profiles, source });
  const out: DiagnosisOutput = {
    target: args.sources.join(' '),
    window: main.profiles.window,
    baselineWindow: baseline?.profiles.window,
    findings: report.findings,
    inputs: gathered.inputs,
    missing: [...main.missing, ...(baseline?.missing ?? [])],
    failures: report.failures,
    notes: report.notes,
  };
  io.stdout(`${args.json ? diagnosisJson(out) : diagnosisText(out)}\n`);
  return 0;
}

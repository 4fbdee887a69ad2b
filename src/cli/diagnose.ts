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
import { diagnoseReport, type DiagnosisProfiles, gatherFromPprof, type GatherResult, type PprofFetcher } from '../core';
import { loadDiagnosisFiles } from './diagnoseFiles';
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
}

export const DIAGNOSE_USAGE =
  'usage: goprof diagnose <url | file|dir...> [--seconds N] [--baseline-seconds N] [--baseline <file|dir>]... [--json]';

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

/** The Node side of {@link PprofFetcher}: GET with a timeout, HTTP errors named with the body's first line. */
export function httpFetcher(base: string, timeoutSeconds: number, io: DiagnoseIO): PprofFetcher {
  const doFetch = io.fetch ?? fetch;
  return {
    now: io.now ?? Date.now,
    async get(path: string): Promise<Uint8Array> {
      const url = base + path;
      let response: Response;
      try {
        response = await doFetch(url, { signal: AbortSignal.timeout(timeoutSeconds * 1000) });
      } catch (error) {
        const cause =
          error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
        throw new Error(`GET ${url} ${UNREACHABLE}: ${cause}`);
      }
      const body = new Uint8Array(await response.arrayBuffer());
      if (!response.ok) {
        const text = new TextDecoder().decode(body.slice(0, 200)).split('\n', 1)[0].trim();
        throw new Error(`GET ${url}: HTTP ${response.status}${text ? ` (${text})` : ''}`);
      }
      return body;
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
    const capture = (seconds: number) =>
      gatherFromPprof(httpFetcher(base, seconds + 30, io), { seconds, source: base });
    const baseline = args.baselineSeconds > 0 ? await capture(args.baselineSeconds) : undefined;
    const main = await capture(args.seconds);
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
  };
  io.stdout(`${args.json ? diagnosisJson(out) : diagnosisText(out)}\n`);
  return 0;
}

/**
 * `goprof analyze <source>` (arguments parsed by args.ts, see main.ts): a profile, goroutine dump or execution trace
 * from a file or a live Go service, as a text report or `--json`. Loaded by main.ts only when this command runs.
 */
import { AnalysisOptionError, InputError, parsePprof, type GoroutineByteStream, type Profile } from '../core';
import type { AnalyzeArgs, ProfileKind } from './args';
import { EXIT_BAD_INPUT, EXIT_INTERNAL, EXIT_OK, EXIT_UNREACHABLE } from './exitCodes';
import { formatReport } from './format';
import { nativeGunzip } from './nativeGunzip';
import {
  buildGoroutineReport,
  GoroutineReport,
  goroutineTextReport,
  isGoroutineTextCandidate,
  snapshotFromCapture,
  TimedGoroutineSnapshot,
} from './goroutines';
import { AnalyzeReport, buildReport, buildSummary, inferKind, ReportKind, ReportSummary } from './report';
import {
  baseUrl,
  DeadlineError,
  fetchBytes,
  HttpStatusError,
  isUrl,
  openFileStream,
  profileUrl,
  readFileBytes,
  UnreachableError,
} from './source';
import type { Output } from './main';
import { buildTraceReport, formatTraceReport, looksLikeTrace, TraceReport } from './traceReport';

const sleep = (seconds: number) => new Promise((resolve) => setTimeout(resolve, seconds * 1000));

/** Whether the target's pprof index offers the goroutineleak profile (Go 1.26 with the goroutineleakprofile experiment). */
async function offersGoroutineLeak(args: AnalyzeArgs): Promise<boolean> {
  try {
    const url = `${baseUrl(args.source)}/debug/pprof/`;
    const index = new TextDecoder().decode(await fetchBytes(url, args.timeout, fetchOptions(args)));
    return /goroutineleak\?debug=1/.test(index);
  } catch {
    return false;
  }
}

/** Reports a long wait on stderr when asked to (`--progress`) or when stderr is a terminal. */
function progress(args: AnalyzeArgs, out: Output, text: string): void {
  if (args.progress ?? process.stderr.isTTY === true) {
    out.stderr(`goprof: ${text}\n`);
  }
}

/** K debug=2 snapshots, `interval` seconds apart, for the goroutine report (growth needs two or more). */
async function goroutineSnapshots(
  args: AnalyzeArgs,
  kind: 'goroutine' | 'goroutineleak',
  out: Output
): Promise<GoroutineReport> {
  const leakKind = kind === 'goroutineleak' || (await offersGoroutineLeak(args)) ? 'goroutineleak' : 'goroutine';
  const snapshots: TimedGoroutineSnapshot[] = [];
  for (let i = 0; i < args.samples; i++) {
    if (i > 0) {
      progress(args, out, `goroutine snapshot ${i} of ${args.samples} taken; the next in ${args.interval} s`);
      await sleep(args.interval);
    }
    const url = profileUrl(args.source, leakKind, undefined, 2);
    const body = await fetchBytes(url, args.timeout, fetchOptions(args));
    const time = Date.now();
    snapshots.push({ time, snapshot: snapshotFromCapture(body, { source: url, timestamp: time, profile: leakKind }) });
  }
  return buildGoroutineReport(snapshots.length === 1 ? snapshots[0].snapshot : snapshots);
}

async function analyzeUrl(args: AnalyzeArgs, out: Output): Promise<ReportSummary> {
  const kind: ProfileKind = args.profile ?? 'cpu';
  const url = profileUrl(args.source, kind, args.seconds);
  const waited = kind === 'cpu' ? (args.seconds ?? 5) : (args.seconds ?? 0);
  if (waited > 0) {
    progress(args, out, `capturing ${kind === 'cpu' ? 'a' : 'a delta'} ${kind} profile over ${waited} s from ${url}`);
  }
  const bytes = await fetchBytes(url, waited + args.timeout, fetchOptions(args));
  const profile = parsePprof(bytes, { source: url, gunzip: nativeGunzip });
  const report = profileReport(args, profile, { url, kind: inferKind(profile, kind) });
  if (kind === 'goroutine' || kind === 'goroutineleak') {
    report.goroutines = await goroutineSnapshots(args, kind, out);
  }
  return report;
}

function fetchOptions(args: AnalyzeArgs) {
  return { followAnyRedirect: args.followRedirects };
}

/** The JSON report, or for the text report only what it prints (no flame graph). */
function profileReport(
  args: AnalyzeArgs,
  profile: Profile,
  extra: { url?: string; kind: ReportKind }
): ReportSummary | AnalyzeReport {
  const options = { ...reportOptions(args), ...extra };
  return args.json ? buildReport(profile, options) : buildSummary(profile, options);
}

function reportOptions(args: AnalyzeArgs) {
  return {
    source: args.source,
    sampleType: args.sampleType,
    top: args.top,
    maxNodes: args.maxNodes,
    mainModules: args.mainModules,
  };
}

/**
 * Goroutine text (a debug=1 or debug=2 dump, crash output, `go test` output or a log holding one): only the goroutine
 * section can be computed from it.
 */
function textGoroutineReport(args: AnalyzeArgs, bytes: Uint8Array | GoroutineByteStream, size: number): AnalyzeReport {
  const goroutines = goroutineTextReport(bytes, { source: args.source }); // read as UTF-8
  const kind: ReportKind = goroutines.profile === 'goroutineleak' ? 'goroutineleak' : 'goroutine';
  return {
    version: 1,
    source: args.source,
    profile: {
      kind,
      sampleTypes: [{ type: kind, unit: 'count' }],
      sampleType: kind,
      unit: 'count',
      total: goroutines.total,
      durationNanos: 0,
      timeNanos: '0',
      period: 1,
      periodType: { type: kind, unit: 'count' },
      samples: 0,
      locations: 0,
      functions: 0,
      bytes: size,
    },
    top: [],
    mainModules: args.mainModules ?? [],
    flame: { levels: [0], values: [goroutines.total], selfs: [goroutines.total], labels: ['total'] },
    goroutines,
  };
}

/**
 * A file's report, or its bytes for the caller to analyse: a goroutine text file larger than its head is read through
 * a small buffer (see openFileStream); a file no larger than its head is that head, read once.
 */
function readOrStreamFile(args: AnalyzeArgs): AnalyzeReport | Uint8Array | undefined {
  const file = openFileStream(args.source);
  if (file === undefined) {
    return undefined;
  }
  try {
    if (file.head.length === file.size) {
      return file.head;
    }
    if (looksLikeTrace(file.head) || !isGoroutineTextCandidate(file.head)) {
      return undefined;
    }
    return textGoroutineReport(args, file.stream, file.size);
  } finally {
    file.close();
  }
}

async function analyzeFile(args: AnalyzeArgs): Promise<ReportSummary | TraceReport> {
  const read = readOrStreamFile(args);
  if (read !== undefined && !(read instanceof Uint8Array)) {
    return read;
  }
  const bytes = read ?? (await readFileBytes(args.source));
  if (looksLikeTrace(bytes)) {
    return buildTraceReport(bytes, args.source, args.top);
  }
  if (isGoroutineTextCandidate(bytes)) {
    return textGoroutineReport(args, bytes, bytes.length);
  }
  const profile = parsePprof(bytes, { source: args.source, gunzip: nativeGunzip });
  const hint = args.profile ?? /(mutex|block)[^/]*$/.exec(args.source)?.[1];
  const report = profileReport(args, profile, { kind: args.profile ?? inferKind(profile, hint) });
  if (report.profile.kind === 'goroutine' || report.profile.kind === 'goroutineleak') {
    report.goroutines = buildGoroutineReport(snapshotFromCapture(bytes, { source: args.source }));
  }
  return report;
}

/** Runs `goprof analyze` with parsed arguments: the report on stdout, or the error on stderr; returns the exit code. */
export async function runAnalyze(args: AnalyzeArgs, out: Output): Promise<number> {
  try {
    const report = isUrl(args.source) ? await analyzeUrl(args, out) : await analyzeFile(args);
    if (args.json) {
      out.stdout(`${JSON.stringify(report, null, 2)}\n`);
    } else {
      out.stdout('kind' in report ? formatTraceReport(report) : formatReport(report));
    }
    return EXIT_OK;
  } catch (error) {
    return reportError(error, out);
  }
}

function reportError(error: unknown, out: Output): number {
  if (error instanceof UnreachableError || error instanceof DeadlineError) {
    out.stderr(`goprof: ${error.message}\n`);
    return EXIT_UNREACHABLE;
  }
  if (error instanceof InputError) {
    out.stderr(`goprof: ${error.describe()}\n`);
    return EXIT_BAD_INPUT;
  }
  if (error instanceof HttpStatusError || error instanceof AnalysisOptionError) {
    out.stderr(`goprof: ${error.message}\n`);
    return EXIT_BAD_INPUT;
  }
  out.stderr(`goprof: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return EXIT_INTERNAL;
}

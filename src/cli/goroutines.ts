/**
 * The `goroutines` object of `goprof analyze <url|file> --profile goroutine --json`.
 *
 * Entry points for src/cli/main.ts (which does the fetching and flag parsing):
 *
 *   snapshotFromCapture(body: string | Uint8Array, meta?: { source?: string; timestamp?: number;
 *                       profile?: 'goroutine' | 'goroutineleak' }): GoroutineSnapshot
 *     Any capture of /debug/pprof/goroutine (or goroutineleak): gzip/protobuf (debug=0), debug=1 text or debug=2
 *     text, told apart by content. Against a URL, fetch `?debug=2` (exact states and wait minutes); when the target's
 *     pprof index lists `goroutineleak` (Go 1.26 with GOEXPERIMENT=goroutineleakprofile), fetch
 *     `/debug/pprof/goroutineleak?debug=2` instead: the same full dump with `(leaked)` marks. Throws typed
 *     InputErrors (src/core/errors.ts) only.
 *
 *   buildGoroutineReport(input: GoroutineSnapshot | readonly TimedGoroutineSnapshot[],
 *                        options?: GoroutineReportOptions): GoroutineReport
 *     One snapshot: totals, counts by state group and by exact reason, clusters.
 *     K snapshots (`--samples K --interval S`: pass `{ time: Date.now() at capture, snapshot }` for each, any order):
 *     the same for the latest snapshot, plus `growth` per cluster over the window and `window`.
 *
 * Pure: no I/O, no clock; the output is JSON-ready and deterministic for a given input.
 */
import {
  clusterGoroutines,
  type ClusterGrowth,
  countByReason,
  countByState,
  type CrashCause,
  crashFindings,
  describeNonPprof,
  type Finding,
  GOROUTINE_STATES,
  type GoroutineCluster,
  goroutineSeries,
  type GoroutineSnapshot,
  type GoroutineState,
  type GoroutineTextInput,
  isGzip,
  parsePprof,
  type RaceReport,
  snapshotFromProfile,
  snapshotFromText,
  snapshotsFromText,
  type TimedGoroutineSnapshot,
} from '../core';
import { nativeGunzip } from './nativeGunzip';
export type { TimedGoroutineSnapshot } from '../core';

export interface GoroutineReportOptions {
  /** Clusters listed (largest first); the rest are counted in `clustersOmitted`. Default 50. */
  maxClusters?: number;
  /** Add each cluster's stack (`func file:line`, leaf first). Default false. */
  includeFrames?: boolean;
}

export interface GoroutineReportCluster {
  count: number;
  state: GoroutineState;
  reason: string;
  function: string;
  createdBy: string | null;
  /** `func file:line` of the `go` statement, null when unknown (proto profiles, goroutine 1). */
  creationSite: string | null;
  waitMinutes: { min: number; max: number };
  /** Members marked `(leaked)` by Go 1.26's goroutineleak GC (only when > 0). */
  leaked?: number;
  /** With K snapshots. */
  growth?: Pick<ClusterGrowth, 'first' | 'last' | 'perMinute' | 'monotone' | 'growing' | 'counts'>;
  frames?: string[];
}

export interface GoroutineReport {
  total: number;
  /** Goroutines per state group (ids of model/goroutineState.ts GOROUTINE_STATES), non-zero only, legend order. */
  byState: Partial<Record<GoroutineState, number>>;
  /** Goroutines per exact wait reason or status as printed (or inferred), largest first. */
  byReason: Record<string, number>;
  clusters: GoroutineReportCluster[];
  clustersOmitted: number;
  /** Second level: clusters grouped by creation site, largest first (top 20). */
  creationSites: Array<{ createdBy: string | null; creationSite: string | null; count: number; clusters: number }>;
  /** Where the states come from: debug=2 headers, debug=1 text or a proto profile (inferred). */
  source: GoroutineSnapshot['source'];
  profile: GoroutineSnapshot['profile'];
  /** Goroutines whose state could not be determined (inferred sources only). */
  unclassified: number;
  truncated: boolean;
  warnings: string[];
  /** With K snapshots. */
  samples?: number;
  window?: { from: string; to: string; minutes: number };
  /** Why the process printed its goroutines (crash output), when the text says. */
  cause?: CrashCause;
  /** How the dump was found in the text (prefix removed, several dumps split). */
  notes?: string[];
  /** Race-detector reports found in the text. */
  races?: RaceReport[];
  /** Findings the crash calls for (deadlock, test timeout, concurrent map writes). */
  findings?: Finding[];
}

/** Share of control bytes (other than tab, newline, CR, form feed and ESC of colour codes) text may hold. */
const MAX_CONTROL_SHARE = 0.01;

/**
 * Whether a file's bytes should be read as goroutine text: not gzip, text (a log may carry colour codes, so ESC is
 * allowed), and not one of the texts the pprof sniffer names precisely (HTML, XML, JSON, debug=1 heap, mutex or
 * threadcreate text), whose message says what to request instead.
 */
export function isGoroutineTextCandidate(bytes: Uint8Array): boolean {
  if (bytes.length === 0 || isGzip(bytes)) {
    return false;
  }
  const n = Math.min(bytes.length, 4096);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i];
    if (b === 0) {
      return false;
    }
    if ((b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c && b !== 0x1b) || b === 0x7f) {
      control++;
    }
  }
  if (control > n * MAX_CONTROL_SHARE) {
    return false;
  }
  const described = describeNonPprof(bytes) ?? '';
  return !/^(an HTML|an XML|JSON|a (threadcreate|heap|block or mutex) profile)/.test(described);
}

/** Decodes any goroutine capture into a snapshot (see the file comment). */
export function snapshotFromCapture(
  body: string | Uint8Array,
  meta: { source?: string; timestamp?: number; profile?: 'goroutine' | 'goroutineleak' } = {}
): GoroutineSnapshot {
  if (typeof body !== 'string') {
    if (isGzip(body)) {
      return snapshotFromProfile(parsePprof(body, { source: meta.source, gunzip: nativeGunzip }), meta.timestamp);
    }
  }
  return snapshotFromText(body, meta); // bytes are read as UTF-8
}

/**
 * The report of goroutine text (a dump, crash output or a log holding them): several dumps become a series, the
 * crash cause, notes, race reports and crash findings are added.
 */
export function goroutineTextReport(
  text: GoroutineTextInput,
  meta: { source?: string; timestamp?: number; profile?: 'goroutine' | 'goroutineleak' } = {},
  options: GoroutineReportOptions = {}
): GoroutineReport {
  const { snapshots, races, notes } = snapshotsFromText(text, meta);
  // A stream is read once: a second reading takes all its bytes.
  const latest =
    snapshots.length > 0
      ? snapshots[snapshots.length - 1].snapshot
      : snapshotFromText(typeof text === 'string' || text instanceof Uint8Array ? text : text.all(), meta);
  const report = buildGoroutineReport(
    snapshots.length > 1 ? snapshots.map(({ time, snapshot }) => ({ time, snapshot })) : latest,
    options
  );
  if (latest.cause !== undefined) {
    report.cause = latest.cause;
  }
  if (notes.length > 0) {
    report.notes = notes;
  }
  if (races.length > 0) {
    report.races = races;
  }
  const findings = crashFindings(latest);
  if (findings.length > 0) {
    report.findings = findings;
  }
  return report;
}

function stateCounts(snapshot: GoroutineSnapshot): Partial<Record<GoroutineState, number>> {
  const all = countByState(snapshot);
  const out: Partial<Record<GoroutineState, number>> = {};
  for (const s of GOROUTINE_STATES) {
    if (all[s] > 0) {
      out[s] = all[s];
    }
  }
  return out;
}

function reportCluster(c: GoroutineCluster, count: number, options: GoroutineReportOptions): GoroutineReportCluster {
  const out: GoroutineReportCluster = {
    count,
    state: c.state,
    reason: c.reason,
    function: c.function,
    createdBy: c.createdBy ?? null,
    creationSite: c.creationSite || null,
    waitMinutes: { ...c.waitMinutes },
  };
  if (c.leaked > 0) {
    out.leaked = c.leaked;
  }
  if (options.includeFrames) {
    out.frames = c.frames.map((f) => `${f.func} ${f.file}:${f.line}`);
  }
  return out;
}

export function buildGoroutineReport(
  input: GoroutineSnapshot | readonly TimedGoroutineSnapshot[],
  options: GoroutineReportOptions = {}
): GoroutineReport {
  const maxClusters = options.maxClusters ?? 50;
  const series = Array.isArray(input) ? (input as readonly TimedGoroutineSnapshot[]) : undefined;
  if (series !== undefined && series.length === 0) {
    throw new RangeError('buildGoroutineReport needs at least one snapshot');
  }
  const latest = series ? series.reduce((a, b) => (b.time >= a.time ? b : a)).snapshot : (input as GoroutineSnapshot);
  const clustered = clusterGoroutines(latest);

  let clusters: GoroutineReportCluster[];
  let window: GoroutineReport['window'];
  if (series === undefined) {
    clusters = clustered.clusters.map((c) => reportCluster(c, c.count, options));
  } else {
    const s = goroutineSeries(series);
    clusters = s.clusters.map((sc) => {
      const c = reportCluster(sc.latest, sc.growth.last, options);
      const { first, last, perMinute, monotone, growing, counts } = sc.growth;
      c.growth = { first, last, perMinute, monotone, growing, counts };
      return c;
    });
    window = {
      from: new Date(s.from).toISOString(),
      to: new Date(s.to).toISOString(),
      minutes: Math.round(((s.to - s.from) / 60000) * 100) / 100,
    };
  }
  const byReason: Record<string, number> = {};
  for (const [reason, count] of countByReason(latest)) {
    byReason[reason] = count;
  }
  const report: GoroutineReport = {
    total: latest.total,
    byState: stateCounts(latest),
    byReason,
    clusters: clusters.slice(0, maxClusters),
    clustersOmitted: Math.max(0, clusters.length - maxClusters),
    creationSites: clustered.byCreationSite.slice(0, 20).map((g) => ({
      createdBy: g.createdBy ?? null,
      creationSite: g.creationSite || null,
      count: g.count,
      clusters: g.clusters.length,
    })),
    source: latest.source,
    profile: latest.profile,
    unclassified: latest.unclassified,
    truncated: latest.truncated,
    warnings: [...latest.warnings],
  };
  if (series !== undefined) {
    report.samples = series.length;
    report.window = window;
  }
  return report;
}

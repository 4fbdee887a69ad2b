/**
 * The `goprof analyze` report: built from a decoded profile by the core, shaped for JSON (a stable contract,
 * documented in src/cli/README.md) and for the human summary. Pure: no I/O.
 */
import {
  buildCallTree,
  cpuSplit,
  FRAME_CLASSES,
  type FrameClass,
  inferMainModules,
  inferProfileKind,
  type Profile,
  type ProfileKind,
  pruneCallTree,
  resolveSampleType,
  rowLabels,
  toNestedSet,
  topFunctions,
  type ValueType,
} from '../core';
import type { GoroutineReport } from './goroutines';

export type ReportKind = ProfileKind;

export interface AnalyzeReport {
  /** Schema version of this JSON; bumped on incompatible changes. */
  version: 1;
  source: string;
  /** The URL fetched (URL sources only). */
  url?: string;
  profile: {
    kind: ReportKind;
    sampleTypes: ValueType[];
    /** The sample type analysed and its unit. */
    sampleType: string;
    unit: string;
    /** Sum of the analysed sample type over all samples (signed: the net change of a delta profile). */
    total: number;
    /**
     * Only for delta profiles with negative samples: the sum of absolute values, which `go tool pprof` divides by
     * for its percentages (google/pprof:internal/report computeTotal). `total` stays the net change.
     */
    absoluteTotal?: number;
    durationNanos: number;
    /** Collection time, ns since the epoch, as a decimal string (exact; above 2^53). */
    timeNanos: string;
    period: number;
    periodType: ValueType;
    samples: number;
    locations: number;
    functions: number;
    /** Uncompressed size in bytes. */
    bytes: number;
  };
  /** Functions by self (flat) value, descending; `total` is the cumulative value. */
  top: Array<{ function: string; self: number; total: number }>;
  /** Fraction of the total per frame class (CPU profiles only). */
  cpuSplit?: Record<FrameClass, number>;
  /** Import-path prefixes treated as user code. */
  mainModules: string[];
  /** Grafana nested-set flame graph (depth-first, root "total" at level 0), pruned to the node budget. */
  flame: { levels: number[]; values: number[]; selfs: number[]; labels: string[] };
  /** Goroutine analysis (goroutine profiles): states, clusters, growth across snapshots. */
  goroutines?: GoroutineReport;
}

export interface ReportOptions {
  source: string;
  url?: string;
  kind?: ReportKind;
  sampleType?: string;
  top: number;
  maxNodes: number;
  mainModules?: string[];
}

/** The kind of a profile from its content (mutex vs block from `hint`, the profile requested or the file name). */
export function inferKind(profile: Profile, hint?: string): ReportKind {
  return inferProfileKind(profile, hint);
}

function absoluteTotal(profile: Profile, typeIndex: number): number {
  const { values, count } = profile.samples;
  const stride = profile.sampleTypes.length;
  let sum = 0;
  for (let i = 0; i < count; i++) {
    sum += Math.abs(values[i * stride + typeIndex]);
  }
  return sum;
}

/** The report without its flame graph: all that the text report (format.ts) prints. */
export type ReportSummary = Omit<AnalyzeReport, 'flame'>;

/**
 * The report's summary, top table and CPU split, without the flame graph: building, pruning and laying out the call
 * tree is most of the analysis of a large profile, and only the JSON report carries its result.
 */
export function buildSummary(profile: Profile, options: ReportOptions): ReportSummary {
  return summaryOf(profile, options, resolveSampleType(profile, options.sampleType));
}

/** The whole report, flame graph included (`goprof analyze --json`). */
export function buildReport(profile: Profile, options: ReportOptions): AnalyzeReport {
  const typeIndex = resolveSampleType(profile, options.sampleType);
  const { cpuSplit: split, ...summary } = summaryOf(profile, options, typeIndex);
  let tree = buildCallTree(profile, { sampleType: typeIndex });
  if (options.maxNodes > 0) {
    tree = pruneCallTree(tree, options.maxNodes);
  }
  const flame = toNestedSet(tree);
  // The JSON's key order: the flame graph follows mainModules, the CPU split comes last.
  return {
    ...summary,
    flame: {
      levels: Array.from(flame.levels),
      values: Array.from(flame.values),
      selfs: Array.from(flame.selfs),
      labels: rowLabels(flame),
    },
    ...(split ? { cpuSplit: split } : {}),
  };
}

function summaryOf(profile: Profile, options: ReportOptions, typeIndex: number): ReportSummary {
  const sampleType = profile.sampleTypes[typeIndex];
  const kind = options.kind ?? inferKind(profile);
  const mainModules = options.mainModules ?? inferMainModules(profile);
  const top = topFunctions(profile, { sampleType: typeIndex, limit: options.top });
  const report: ReportSummary = {
    version: 1,
    source: options.source,
    ...(options.url ? { url: options.url } : {}),
    profile: {
      kind,
      sampleTypes: profile.sampleTypes,
      sampleType: sampleType.type,
      unit: sampleType.unit,
      total: top.total,
      durationNanos: profile.durationNanos,
      timeNanos: profile.timeNanos.toString(),
      period: profile.period,
      periodType: profile.periodType,
      samples: profile.samples.count,
      locations: profile.locations.count,
      functions: profile.functions.count,
      bytes: profile.byteLength,
    },
    top: top.rows.map((r) => ({ function: r.name, self: r.flat, total: r.cum })),
    mainModules,
  };
  const absolute = absoluteTotal(profile, typeIndex);
  if (absolute !== top.total) {
    report.profile.absoluteTotal = absolute;
  }
  if (kind === 'cpu') {
    const split = cpuSplit(profile, { sampleType: typeIndex, mainModules });
    report.cpuSplit = Object.fromEntries(FRAME_CLASSES.map((c) => [c, split.fractions[c]])) as Record<
      FrameClass,
      number
    >;
  }
  return report;
}

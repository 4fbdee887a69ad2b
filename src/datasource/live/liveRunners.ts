/**
 * Every query type of a pprof-mode data source, answered from the live store (answer.ts): the flame graph, top
 * table and CPU split of a window are the exact merge of the CPU windows that cover it; cumulative profiles are the
 * difference of two reads; diffs compare two windows of the store; goroutine states and clusters come from the
 * stored goroutine snapshots; findings run the rules on the window's captures and say as of when.
 */
import type { DataFrame } from '@grafana/data';

import {
  clusterGoroutines,
  cpuSplit,
  GoroutineCluster,
  goroutineSeries,
  type GoroutineSnapshot,
  type Profile,
  TimedGoroutineSnapshot,
  topFunctions,
} from '../../core';
import { ClusterRow, toClustersFrame, toFlameFrame, toStateHeatmapFrame, toTopFrame } from '../../frames';
import { captureMode } from '../pprof/capturePlan';
import { grafanaUnit } from '../query/profileTypes';
import type { GoRuntimeQuery } from '../types';
import { failure, pprofTarget, RunContext } from '../runners/context';
import type { Capture } from './captureStore';
import {
  LiveView,
  liveAnswer,
  pendingText,
  pollingText,
  requireStored,
  statusNotices,
  windowText,
  clockTime,
} from './answer';
import type { Needs } from './liveSession';
import type { Span } from './policy';
import {
  consistentSnapshots as consistentGoroutineSnapshots,
  cpuWindow,
  cumulativeWindow,
  goroutineSnapshots,
  snapshotWindow,
  WindowProfile,
} from './windows';

export interface LiveProfileSpec {
  profile: string;
  sampleType?: string;
  /** Store kind: `cpu`, or the endpoint read as a snapshot. */
  kind: string;
  mode: 'cpu' | 'delta' | 'snapshot';
  needs: Needs;
}

/** What the store must poll for a profile query, and how a window of it is read. */
export function liveProfileSpec(ctx: RunContext, query: GoRuntimeQuery, fallback = 'cpu'): LiveProfileSpec {
  const { profile, sampleType } = pprofTarget(ctx, query, fallback);
  const mode = captureMode(profile, sampleType);
  const kind = profile === 'cpu' ? 'cpu' : profile;
  const needs: Needs =
    mode === 'cpu'
      ? { cpu: true, cpuSeconds: query.seconds }
      : mode === 'delta'
        ? { cumulative: [kind] }
        : { snapshots: [kind] };
  return { profile, sampleType, kind, mode, needs };
}

export function readWindow(view: LiveView, spec: LiveProfileSpec, window: Span = view.window): WindowProfile {
  if (spec.mode === 'cpu') {
    return cpuWindow(view.store, window);
  }
  return spec.mode === 'delta'
    ? cumulativeWindow(view.store, spec.kind, window)
    : snapshotWindow(view.store, spec.kind, window);
}

const KIND_NAMES: Record<string, string> = {
  cpu: 'CPU window',
  dump: 'goroutine dump',
  goroutine: 'goroutine profile',
};

/** "6 CPU windows, 10:01:02–10:02:02, cover 100% of the window" or "allocs: difference of reads at 10:01 and 10:02". */
export function coverageText(spec: LiveProfileSpec, wp: WindowProfile): string {
  const n = wp.captures.length;
  if (n === 0) {
    return `no ${spec.profile} capture in this window yet`;
  }
  const span = wp.coverage.span ?? { from: wp.captures[0].from, to: wp.captures[n - 1].to };
  if (spec.mode === 'delta') {
    return `${spec.profile}: difference of the reads at ${clockTime(span.from)} and ${clockTime(span.to)} (${Math.round(wp.coverage.fraction * 100)}% of the window)`;
  }
  if (spec.mode === 'snapshot') {
    return `${spec.profile} snapshot of ${clockTime(wp.captures[n - 1].to)}`;
  }
  const name = KIND_NAMES[spec.kind] ?? spec.kind;
  return `${n} ${name}${n === 1 ? '' : 's'} ${windowText(span)} cover ${Math.round(wp.coverage.fraction * 100)}% of the window`;
}

/** The facts a flame graph header shows about a stored window. */
function liveCustom(view: LiveView, spec: LiveProfileSpec, wp: WindowProfile): Record<string, unknown> {
  return {
    source: 'pprof',
    profile: spec.profile,
    sampleType: spec.sampleType,
    window: wp.coverage.span && spec.mode === 'cpu' ? wp.coverage.span : view.window,
    requestedWindow: view.window,
    seconds: spec.mode === 'cpu' ? view.status.cpuSeconds : 0,
    captures: wp.captures.map((c) => c.id),
    coverage: wp.coverage.fraction,
    live: `${coverageText(spec, wp)} · ${pollingText(view.status)}`,
    pending: wp.profile
      ? undefined
      : spec.mode === 'cpu'
        ? pendingText(view.status)
        : `waiting for ${spec.mode === 'delta' ? 'a second read' : 'a read'} of ${spec.profile}`,
    asOf: wp.captures.at(-1)?.to,
  };
}

function emptyFlame(
  query: GoRuntimeQuery,
  custom: Record<string, unknown>,
  notices: ReturnType<typeof statusNotices>
): DataFrame {
  return toFlameFrame(
    { levels: [], values: [], selfs: [], labelIds: [], names: [] },
    { refId: query.refId, unit: 'short', custom, notices: notices.length ? notices : undefined }
  );
}

export type FlameBuilder = (
  profile: Profile,
  query: GoRuntimeQuery,
  sampleType: string | undefined
) => { frame: DataFrame };

/** Flame graph (or bottom-up) of the window out of the store; `build` is the runner's profile -> frame step. */
export function liveFlamegraph(
  ctx: RunContext,
  query: GoRuntimeQuery,
  build: (profile: Profile, custom: Record<string, unknown>, notices: ReturnType<typeof statusNotices>) => DataFrame
) {
  const spec = liveProfileSpec(ctx, query);
  return liveAnswer(
    ctx,
    query,
    { needs: spec.needs, kinds: [spec.kind], what: `${spec.profile} profile`, key: 'flamegraph' },
    (view) => {
      const wp = readWindow(view, spec);
      const custom = liveCustom(view, spec, wp);
      const notices = statusNotices(view.status, [spec.kind]);
      return [wp.profile ? build(wp.profile, custom, notices) : emptyFlame(query, custom, notices)];
    }
  );
}

export function liveTop(ctx: RunContext, query: GoRuntimeQuery, limit: number) {
  const spec = liveProfileSpec(ctx, query);
  return liveAnswer(
    ctx,
    query,
    { needs: spec.needs, kinds: [spec.kind], what: `${spec.profile} profile`, key: 'top' },
    (view) => {
      const wp = readWindow(view, spec);
      const custom = liveCustom(view, spec, wp);
      if (!wp.profile) {
        return [toTopFrame([], 0, 'short', { refId: query.refId, custom })];
      }
      const table = topFunctions(wp.profile, {
        sampleType: spec.sampleType,
        focus: query.focus || undefined,
        ignore: query.ignore || undefined,
        limit,
      });
      return [
        toTopFrame(table.rows, table.total, grafanaUnit(table.sampleType.unit), {
          refId: query.refId,
          custom: { ...custom, sampleType: table.sampleType.type, total: table.total },
        }),
      ];
    }
  );
}

/** The comparison window against its baseline, both read from the store. */
export function liveDiff(
  ctx: RunContext,
  query: GoRuntimeQuery,
  baselineOf: (comparison: Span) => Span,
  build: (
    baseline: Profile,
    comparison: Profile,
    sampleType: string | undefined,
    custom: Record<string, unknown>
  ) => DataFrame
) {
  const spec = liveProfileSpec(ctx, query);
  return liveAnswer(
    ctx,
    query,
    { needs: spec.needs, kinds: [spec.kind], what: `${spec.profile} diff`, key: 'diff' },
    (view) => {
      const baselineWindow = baselineOf(view.window);
      requireStored(ctx, { ...view, window: baselineWindow }, `${spec.profile} diff baseline`);
      const c = readWindow(view, spec);
      const b = readWindow(view, spec, baselineWindow);
      const custom = {
        ...liveCustom(view, spec, c),
        window: c.coverage.span ?? view.window,
        baselineWindow: b.coverage.span ?? baselineWindow,
        live: `comparison: ${coverageText(spec, c)}; baseline: ${coverageText(spec, b)}`,
      };
      if (!b.profile || !c.profile) {
        const side = !b.profile ? `baseline ${windowText(baselineWindow)}` : `comparison ${windowText(view.window)}`;
        if (!c.profile && view.live) {
          return [emptyFlame(query, custom, [])];
        }
        throw failure(ctx, `${spec.profile} diff`, `no ${spec.profile} capture in the ${side}: ${custom.live}`);
      }
      return [build(b.profile, c.profile, spec.sampleType, custom)];
    }
  );
}

const splitCache = new WeakMap<Capture, ReturnType<typeof cpuSplit>>();

/** One row per stored CPU window in the range: where its CPU went, by frame class. */
export function liveCpuSplit(
  ctx: RunContext,
  query: GoRuntimeQuery,
  frame: (
    rows: Array<{ time: number; split: ReturnType<typeof cpuSplit> }>,
    custom: Record<string, unknown>
  ) => DataFrame
) {
  return liveAnswer(
    ctx,
    query,
    { needs: { cpu: true, cpuSeconds: query.seconds }, kinds: ['cpu'], what: 'cpu profile', key: 'cpuSplit' },
    (view) => {
      const wp = cpuWindow(view.store, view.window);
      const rows = wp.captures.map((c) => {
        let split = splitCache.get(c);
        if (!split && c.type === 'profile') {
          split = cpuSplit(c.profile, {
            sampleType: 'cpu',
            focus: query.focus || undefined,
            ignore: query.ignore || undefined,
          });
          if (!query.focus && !query.ignore) {
            splitCache.set(c, split);
          }
        }
        return { time: c.to, split: split! };
      });
      return [frame(rows, { source: 'pprof', seconds: view.status.cpuSeconds, live: pollingText(view.status) })];
    }
  );
}

/** A goroutine query's answer: it needs counts and dumps polled, and changes when either arrives. */
function goroutineAnswer(
  ctx: RunContext,
  query: GoRuntimeQuery,
  intervalMs: number,
  key: string,
  compute: (view: LiveView) => DataFrame[]
) {
  const needs: Needs = { goroutines: true, dumps: true, goroutineIntervalMs: query.interval ? intervalMs : undefined };
  return liveAnswer(
    ctx,
    query,
    { needs, kinds: ['dump', 'goroutine'], what: 'goroutine dump (debug=2)', key },
    compute
  );
}

/** Goroutine snapshots of the window (dumps and proto profiles), with the goroutine cadence in use. */
export function windowSnapshots(view: LiveView, window: Span = view.window): TimedGoroutineSnapshot[] {
  const cadence =
    view.status.intervals.goroutine ?? view.status.intervals.dump ?? view.session.limits.goroutineIntervalMs;
  return goroutineSnapshots(view.store, window, cadence);
}

/** Snapshots of one source for what compares them (cluster growth, findings): windows.ts consistentSnapshots. */
export function consistentSnapshots(view: LiveView, window: Span = view.window): TimedGoroutineSnapshot[] {
  const cadence =
    view.status.intervals.goroutine ?? view.status.intervals.dump ?? view.session.limits.goroutineIntervalMs;
  return consistentGoroutineSnapshots(view.store, window, cadence);
}

const countCache = new WeakMap<GoroutineSnapshot, number[]>();

/** Heatmap columns: one per stored goroutine snapshot in the window, counts per state. */
export function liveStates(
  ctx: RunContext,
  query: GoRuntimeQuery,
  intervalMs: number,
  labels: readonly string[],
  counts: (s: GoroutineSnapshot) => number[],
  custom: (extra: object) => Record<string, unknown>
) {
  return goroutineAnswer(ctx, query, intervalMs, 'goroutineStates', (view) => {
    const snapshots = windowSnapshots(view);
    const columns = snapshots.map((s) => {
      let c = countCache.get(s.snapshot);
      if (!c) {
        c = counts(s.snapshot);
        countCache.set(s.snapshot, c);
      }
      return { time: s.time, counts: c };
    });
    if (columns.length === 1) {
      // A single column gives the heatmap no cell width: a zero column one interval before it.
      columns.unshift({ time: columns[0].time - intervalMs, counts: labels.map(() => 0) });
    }
    const latest = snapshots.at(-1);
    return [
      toStateHeatmapFrame(labels, columns, {
        refId: query.refId,
        custom: custom({
          intervalMs: view.status.intervals.goroutine ?? view.status.intervals.dump ?? intervalMs,
          total: latest?.snapshot.total,
          capturedAt: latest?.time,
          live: pollingText(view.status),
          pending: latest ? undefined : 'waiting for the first goroutine snapshot',
        }),
      }),
    ];
  });
}

/** Clusters of the newest snapshot in the window, with growth per minute over the window's snapshots. */
export function liveClusters(
  ctx: RunContext,
  query: GoRuntimeQuery,
  intervalMs: number,
  row: (c: GoroutineCluster, growth: number | null) => ClusterRow
) {
  return goroutineAnswer(ctx, query, intervalMs, 'goroutineClusters', (view) => {
    const snapshots = consistentSnapshots(view).slice(-120);
    const latest = snapshots.at(-1);
    if (!latest) {
      return [
        toClustersFrame([], {
          refId: query.refId,
          custom: { source: 'pprof', window: view.window, live: pollingText(view.status) },
        }),
      ];
    }
    const custom = {
      source: 'pprof',
      snapshots: snapshots.length,
      from: snapshots[0].time,
      to: latest.time,
      total: latest.snapshot.total,
    };
    if (snapshots.length === 1) {
      const result = clusterGoroutines(latest.snapshot);
      const rows = result.clusters.slice(0, query.limit ?? result.clusters.length).map((c) => row(c, null));
      return [toClustersFrame(rows, { refId: query.refId, custom: { ...custom, capturedAt: latest.time } })];
    }
    const series = goroutineSeries(snapshots);
    const rows = series.clusters
      .filter((c) => c.growth.last > 0)
      .slice(0, query.limit ?? series.clusters.length)
      .map((c) => ({ ...row(c.latest, c.growth.perMinute), count: c.growth.last }));
    return [toClustersFrame(rows, { refId: query.refId, custom })];
  });
}

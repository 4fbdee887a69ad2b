/**
 * `cpuSplit`: where CPU goes, per frame class (user, third-party, stdlib, GC, scheduler, syscall, cgo, other
 * runtime), as a wide time series of fractions (unit `percentunit`, one field per class, stackable to 100%).
 *
 * pprof: one live CPU capture gives one row at its end; with `stream` on, captures of `interval` run back to back
 * while the dashboard is open (they share the per-target CPU lane with every other CPU query, so panels never
 * trip "cpu profiling already in use"). Pyroscope: one merged CPU profile per time bucket.
 */
import type { DataFrame } from '@grafana/data';
import { Observable, map, mergeMap } from 'rxjs';

import { cpuSplit, type CpuSplit, FRAME_CLASS_TITLES, FRAME_CLASSES } from '../../core';
import { toTimeSeriesFrame } from '../../frames';
import { planCapture } from '../pprof/capturePlan';
import { BucketCache, runBuckets, timeBuckets } from '../pyroscope/buckets';
import { parseDuration } from '../query/time';
import { toQueryFailure } from '../transport/failure';
import type { GoRuntimeQuery } from '../types';
import { captureSeconds, frames, lazily, pyroscopeId, RunContext, Runner, uploadPeriod } from './context';
import { poll } from './poll';

interface SplitRow {
  time: number;
  /** Fractions per class in FRAME_CLASSES order, null for a bucket without samples. */
  fractions: Array<number | null>;
  totalNs: number;
}

function row(time: number, split: CpuSplit | undefined): SplitRow {
  return {
    time,
    fractions: FRAME_CLASSES.map((c) => (split && split.total > 0 ? split.fractions[c] : null)),
    totalNs: split?.total ?? 0,
  };
}

function splitFrame(rows: readonly SplitRow[], query: GoRuntimeQuery, custom: object): DataFrame {
  return toTimeSeriesFrame(
    rows.map((r) => r.time),
    FRAME_CLASSES.map((c, i) => ({
      name: c,
      displayName: FRAME_CLASS_TITLES[c],
      values: rows.map((r) => r.fractions[i]),
      unit: 'percentunit',
    })),
    { refId: query.refId, name: 'cpu split', custom: { ...custom, cpuNanos: rows.map((r) => r.totalNs) } }
  );
}

function splitOf(profile: Parameters<typeof cpuSplit>[0], query: GoRuntimeQuery): CpuSplit {
  const hasCpu = profile.sampleTypes.some((t) => t.type === 'cpu');
  return cpuSplit(profile, {
    sampleType: hasCpu ? 'cpu' : undefined,
    focus: query.focus || undefined,
    ignore: query.ignore || undefined,
  });
}

export const runCpuSplit: Runner = (ctx, query) => {
  if (ctx.target.options.mode === 'pyroscope') {
    return frames(lazily(() => storedSplit(ctx, query)));
  }
  return lazily(() => (query.stream ? liveStream(ctx, query) : frames(liveOnce(ctx, query))));
};

function liveOnce(ctx: RunContext, query: GoRuntimeQuery): Observable<DataFrame[]> {
  const plan = planCapture('cpu', 'cpu', captureSeconds(ctx, query, 'cpu'));
  return ctx.pprof
    .capture(plan, query.instance)
    .pipe(
      map((c) => [
        splitFrame([row(c.capturedAt, splitOf(c.profile, query))], query, { source: 'pprof', seconds: plan.seconds }),
      ])
    );
}

function liveStream(ctx: RunContext, query: GoRuntimeQuery) {
  captureSeconds(ctx, query, 'cpu'); // a past range fails here, before any capture
  const seconds = Math.max(1, Math.round((parseDuration(query.interval) ?? 10_000) / 1000));
  const plan = planCapture('cpu', 'cpu', Math.min(seconds, Math.max(1, ctx.target.options.timeout - 2)));
  const rows: SplitRow[] = [];
  return poll({
    key: `${ctx.streamKey}-cpuSplit`,
    intervalMs: 0,
    sample: () => ctx.pprof.capture(plan, query.instance),
    onSample: (c) => {
      rows.push(row(c.capturedAt, splitOf(c.profile, query)));
      while (rows.length > 0 && rows[0].time < c.capturedAt - (ctx.range.to - ctx.range.from)) {
        rows.shift();
      }
      return [splitFrame(rows, query, { source: 'pprof', seconds: plan.seconds })];
    },
    describeError: (e) => toQueryFailure(e, { target: ctx.target.name, profile: 'cpu profile' }).message,
  });
}

const splitCache = new BucketCache<SplitRow>();

function storedSplit(ctx: RunContext, query: GoRuntimeQuery): Observable<DataFrame[]> {
  const selector = query.labelSelector ?? '{}';
  const interval = parseDuration(query.interval) ?? ctx.intervalMs;
  return pyroscopeId(ctx, {
    ...query,
    profileType: query.profileType?.includes(':cpu:') ? query.profileType : 'cpu',
  }).pipe(
    mergeMap((id) => uploadPeriod(ctx, id, selector).pipe(map((period) => ({ id, period })))),
    map(({ id, period }) => ({ id, buckets: timeBuckets(ctx.range.from, ctx.range.to, interval, period) })),
    mergeMap(({ id, buckets }) =>
      runBuckets({
        buckets,
        key: `${ctx.target.baseUrl}|split|${id}|${selector}|${query.focus ?? ''}|${query.ignore ?? ''}`,
        concurrency: ctx.target.options.bucketConcurrency,
        now: ctx.now,
        cache: splitCache,
        fetch: (b) =>
          ctx.pyroscope
            .mergeProfile({ profileTypeID: id, labelSelector: selector, start: b.from, end: b.to })
            .pipe(map((p) => row(b.to, p ? splitOf(p, query) : undefined))),
      }).pipe(
        map((rows) => [
          splitFrame(rows, query, { source: 'pyroscope', profile: id, bucketMs: buckets[0].to - buckets[0].from }),
        ])
      )
    )
  );
}

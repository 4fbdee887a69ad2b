/**
 * `cpuSplit`: where CPU goes, per frame class (user, third-party, stdlib, GC, scheduler, syscall, cgo, other
 * runtime), as a wide time series of fractions (unit `percentunit`, one field per class, stackable to 100%).
 *
 * pprof: one row per CPU window of the live store in the range (the store captures back to back while a panel
 * follows now, one CPU profile per process at a time). Pyroscope: one merged CPU profile per time bucket.
 */
import type { DataFrame } from '@grafana/data';
import { Observable, map, mergeMap } from 'rxjs';

import { cpuSplit, type CpuSplit, FRAME_CLASS_TITLES, FRAME_CLASSES } from '../../core';
import { toTimeSeriesFrame } from '../../frames';
import { BucketCache, runBuckets, timeBuckets } from '../pyroscope/buckets';
import { parseDuration } from '../query/time';
import type { GoRuntimeQuery } from '../types';
import { liveCpuSplit } from '../live/liveRunners';
import { frames, lazily, pyroscopeId, RunContext, Runner, uploadPeriod } from './context';

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
  return liveCpuSplit(ctx, query, (rows, custom) =>
    splitFrame(
      rows.map((r) => row(r.time, r.split)),
      query,
      custom
    )
  );
};

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

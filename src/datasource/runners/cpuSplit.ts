/**
 * `cpuSplit`: where CPU goes, per frame class (user, third-party, stdlib, GC, scheduler, syscall, cgo, other
 * runtime), as a wide time series of fractions (unit `percentunit`, one field per class, stackable to 100%).
 *
 * pprof: one row per CPU window of the live store in the range (the store captures back to back while a panel
 * follows now, one CPU profile per process at a time). Pyroscope: one merged CPU profile per time bucket (and one
 * for the bucket before the range), each spread over the time its uploads cover (buckets.ts `spreadOverUploads`,
 * the uploads' stamps and values from SelectSeries at a 1 s step): an upload is stamped at the start of the 10-30 s
 * it covers, so a bucket's own merge runs ahead of its CPU.
 */
import type { DataFrame } from '@grafana/data';
import { Observable, forkJoin, map, mergeMap } from 'rxjs';

import { cpuSplit, type CpuSplit, FRAME_CLASS_TITLES, FRAME_CLASSES } from '../../core';
import { toTimeSeriesFrame } from '../../frames';
import { BucketCache, runBuckets, spreadOverUploads, timeBuckets, type Upload } from '../pyroscope/buckets';
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

/** Uploads from SelectSeries at a 1 s step: a point at T covers (T - 1 s, T], so the stamp is taken mid-second. */
function uploadsOf(series: ReadonlyArray<{ timestamps: readonly number[]; values: readonly number[] }>): Upload[] {
  return series.flatMap((s) => s.timestamps.map((t, i) => ({ time: t - 500, value: s.values[i] })));
}

function storedSplit(ctx: RunContext, query: GoRuntimeQuery): Observable<DataFrame[]> {
  const selector = query.labelSelector ?? '{}';
  const interval = parseDuration(query.interval) ?? ctx.intervalMs;
  return pyroscopeId(ctx, {
    ...query,
    profileType: query.profileType?.includes(':cpu:') ? query.profileType : 'cpu',
  }).pipe(
    mergeMap((id) => uploadPeriod(ctx, id, selector).pipe(map((period) => ({ id, period })))),
    mergeMap(({ id, period }) => {
      const buckets = timeBuckets(ctx.range.from, ctx.range.to, interval, period);
      const width = buckets[0].to - buckets[0].from;
      // The bucket before the range: its last uploads cover the range's first seconds.
      const fetched = [{ from: buckets[0].from - width, to: buckets[0].from }, ...buckets];
      const uploads = ctx.pyroscope
        .selectSeries({
          profileTypeID: id,
          labelSelector: selector,
          start: fetched[0].from,
          end: fetched[fetched.length - 1].to,
          stepSeconds: 1,
        })
        .pipe(map(uploadsOf));
      const merges = runBuckets({
        buckets: fetched,
        key: `${ctx.target.baseUrl}|split|${id}|${selector}|${query.focus ?? ''}|${query.ignore ?? ''}`,
        concurrency: ctx.target.options.bucketConcurrency,
        now: ctx.now,
        cache: splitCache,
        fetch: (b) =>
          ctx.pyroscope
            .mergeProfile({ profileTypeID: id, labelSelector: selector, start: b.from, end: b.to })
            .pipe(map((p) => row(b.to, p ? splitOf(p, query) : undefined))),
      });
      return forkJoin([merges, uploads]).pipe(
        map(([merged, stamps]) => {
          // CPU nanoseconds per class, spread over the uploads' spans, then back to fractions.
          const nanos = merged.map((r) => (r.totalNs > 0 ? r.fractions.map((f) => (f ?? 0) * r.totalNs) : []));
          const spread = spreadOverUploads(fetched, nanos, stamps, period).slice(1);
          const rows = buckets.map((b, i): SplitRow => {
            const total = spread[i].reduce((a, v) => a + v, 0);
            return {
              time: b.to,
              fractions: FRAME_CLASSES.map((_, c) => (total > 0 ? spread[i][c] / total : null)),
              totalNs: Math.round(total),
            };
          });
          return [
            splitFrame(rows, query, {
              source: 'pyroscope',
              profile: id,
              bucketMs: width,
              uploadPeriodMs: period,
              cpu: 'spread over the span each upload covers',
            }),
          ];
        })
      );
    })
  );
}

/**
 * The goroutine heatmap's time buckets in Pyroscope mode, shared by `goroutineStates` (counts per state) and
 * `goroutineClusters` with `perBucket` (the clusters of each bucket): one merged goroutine profile per bucket
 * (SelectMergeProfile, `bucketConcurrency` at a time, settled buckets cached, a bucket both queries ask for at once
 * fetched once), analysed once into state counts and clusters; and one SelectSeries AVERAGE with step = bucket width,
 * whose point at a bucket's end says how many goroutines one stored snapshot in it holds. A merge adds up every
 * snapshot in the bucket, so each bucket's counts are scaled by that average over the merged total.
 */
import { Observable, forkJoin, map, mergeMap } from 'rxjs';

import { clusterGoroutines, countByState, GOROUTINE_STATES, snapshotFromProfile } from '../../core';
import { type ClusterRow, clusterRow } from '../../frames';
import { type Bucket, BucketCache, runBuckets, timeBuckets } from '../pyroscope/buckets';
import { parseDuration } from '../query/time';
import type { GoRuntimeQuery } from '../types';
import { pyroscopeId, RunContext, uploadPeriod } from './context';

/** Clusters kept per bucket before scaling: more than any tooltip or clusters view shows. */
const CLUSTERS_PER_BUCKET = 200;

/** What one bucket's merged goroutine profile holds, unscaled (sums over the bucket's snapshots). */
export interface BucketGoroutines {
  /** Goroutines per state, in GOROUTINE_STATES order. */
  states: number[];
  total: number;
  /** Largest clusters first, counts unscaled. */
  clusters: ClusterRow[];
}

export interface GoroutineBucket {
  bucket: Bucket;
  /** Undefined when no goroutine profile was stored in the bucket. */
  goroutines?: BucketGoroutines;
  /** Average goroutines per snapshot over merged total (1 when the series has no point for the bucket). */
  scale: number;
}

export interface GoroutineBuckets {
  profileTypeID: string;
  widthMs: number;
  buckets: GoroutineBucket[];
}

const cache = new BucketCache<BucketGoroutines | null>();

/** Scales a cluster row's count (`clusterRow`'s rounding) to the per-snapshot average. */
export function scaledCluster(row: ClusterRow, scale: number): ClusterRow {
  return { ...row, count: Math.round(row.count * scale * 100) / 100 };
}

export function storedGoroutineBuckets(ctx: RunContext, query: GoRuntimeQuery): Observable<GoroutineBuckets> {
  const selector = query.labelSelector ?? '{}';
  const interval = parseDuration(query.interval) ?? ctx.intervalMs;
  return pyroscopeId(ctx, query, 'goroutine').pipe(
    mergeMap((id) => uploadPeriod(ctx, id, selector).pipe(map((period) => ({ id, period })))),
    mergeMap(({ id, period }) => {
      const buckets = timeBuckets(ctx.range.from, ctx.range.to, interval, period);
      const width = buckets[0].to - buckets[0].from;
      const averages = ctx.pyroscope
        .selectSeries({
          profileTypeID: id,
          labelSelector: selector,
          start: buckets[0].from,
          end: buckets[buckets.length - 1].to,
          stepSeconds: width / 1000,
          aggregation: 'average',
        })
        .pipe(
          map(
            (series) => new Map(series.flatMap((s) => s.timestamps.map((t, i): [number, number] => [t, s.values[i]])))
          )
        );
      const merged = runBuckets<BucketGoroutines | null>({
        buckets,
        key: `${ctx.target.baseUrl}|goroutines|${id}|${selector}`,
        concurrency: ctx.target.options.bucketConcurrency,
        now: ctx.now,
        cache,
        fetch: (b) =>
          ctx.pyroscope.mergeProfile({ profileTypeID: id, labelSelector: selector, start: b.from, end: b.to }).pipe(
            map((p) => {
              const snapshot = p ? snapshotFromProfile(p) : undefined;
              if (!snapshot) {
                return null;
              }
              const byState = countByState(snapshot);
              const clusters = clusterGoroutines(snapshot).clusters.slice(0, CLUSTERS_PER_BUCKET);
              return {
                states: GOROUTINE_STATES.map((s) => byState[s]),
                total: snapshot.total,
                clusters: clusters.map((c) => clusterRow(c)),
              };
            })
          ),
      });
      return forkJoin([merged, averages]).pipe(
        map(([perBucket, avg]) => ({
          profileTypeID: id,
          widthMs: width,
          buckets: buckets.map((bucket, i): GoroutineBucket => {
            const goroutines = perBucket[i] ?? undefined;
            const average = avg.get(bucket.to);
            const scale = goroutines && goroutines.total > 0 && average !== undefined ? average / goroutines.total : 1;
            return { bucket, goroutines, scale };
          }),
        }))
      );
    })
  );
}

/**
 * `goroutineClusters`: goroutines grouped by state + stack + creation site (the core's clustering), as a table.
 *
 * pprof: the newest goroutine snapshot of the live store in the range, with a growth column (goroutines per minute
 * over the range's snapshots, the leak-suspect signal). Pyroscope: the merged goroutine profile of the window,
 * states inferred, counts scaled to the window's average goroutine count per snapshot (see context.ts
 * `snapshotAverage`), so one snapshot's numbers and a window's read the same. With `perBucket` (the panel's
 * heatmap): the clusters of each heatmap bucket, from the buckets `goroutineStates` merges (goroutineBuckets.ts),
 * each scaled to its bucket's average, in one table with a `Bucket end` column.
 */
import type { DataFrame } from '@grafana/data';
import { Observable, forkJoin, map, mergeMap } from 'rxjs';

import { clusterGoroutines, snapshotFromProfile } from '../../core';
import { clusterRow, toClustersFrame } from '../../frames';
import { liveClusters } from '../live/liveRunners';
import type { GoRuntimeQuery } from '../types';
import { frames, lazily, noDataNotice, pyroscopeId, RunContext, Runner, snapshotAverage } from './context';
import { scaledCluster, storedGoroutineBuckets } from './goroutineBuckets';
import { pollInterval } from './goroutineStates';

export const runGoroutineClusters: Runner = (ctx, query) => {
  if (ctx.target.options.mode === 'pyroscope') {
    return frames(lazily(() => (query.perBucket ? bucketClusters(ctx, query) : storedClusters(ctx, query))));
  }
  return liveClusters(ctx, query, pollInterval(ctx, query), (c, growth) => clusterRow(c, 1, growth));
};

function storedClusters(ctx: RunContext, query: GoRuntimeQuery): Observable<DataFrame[]> {
  const selector = query.labelSelector ?? '{}';
  const window = { from: ctx.range.from, to: ctx.range.to };
  return pyroscopeId(ctx, query, 'goroutine').pipe(
    mergeMap((id) =>
      forkJoin([
        ctx.pyroscope.mergeProfile({ profileTypeID: id, labelSelector: selector, start: window.from, end: window.to }),
        snapshotAverage(ctx, id, selector, window),
      ]).pipe(
        map(([profile, average]) => {
          const custom = {
            source: 'pyroscope',
            profile: id,
            window,
            counts: 'goroutines per snapshot, averaged over the window',
          };
          if (!profile) {
            const frame = toClustersFrame([], { refId: query.refId, custom });
            frame.meta = { ...frame.meta, notices: [noDataNotice(ctx, id, selector, window)] };
            return [frame];
          }
          const snapshot = snapshotFromProfile(profile);
          const result = clusterGoroutines(snapshot);
          // The merge adds up every stored snapshot in the window; the series says how many goroutines one holds.
          const scale = average !== undefined && snapshot.total > 0 ? average / snapshot.total : 1;
          const rows = result.clusters.slice(0, query.limit ?? result.clusters.length).map((c) => clusterRow(c, scale));
          return [
            toClustersFrame(rows, {
              refId: query.refId,
              custom: { ...custom, average, unclassified: snapshot.unclassified },
            }),
          ];
        })
      )
    )
  );
}

function bucketClusters(ctx: RunContext, query: GoRuntimeQuery): Observable<DataFrame[]> {
  return storedGoroutineBuckets(ctx, query).pipe(
    map(({ profileTypeID, widthMs, buckets }) => {
      const rows = [];
      const bucketEnds = [];
      for (const { bucket, goroutines, scale } of buckets) {
        for (const row of (goroutines?.clusters ?? []).slice(0, query.limit ?? Infinity)) {
          rows.push(scaledCluster(row, scale));
          bucketEnds.push(bucket.to);
        }
      }
      const window = { from: buckets[0].bucket.from, to: buckets[buckets.length - 1].bucket.to };
      const custom = {
        source: 'pyroscope',
        profile: profileTypeID,
        window,
        bucketMs: widthMs,
        // Buckets that held a goroutine profile: the others have no rows and no clusters to show.
        stored: buckets.filter((b) => b.goroutines).map((b) => b.bucket.to),
        counts: 'goroutines per snapshot, averaged over each bucket',
      };
      return [toClustersFrame(rows, { refId: query.refId, custom, bucketEnds })];
    })
  );
}

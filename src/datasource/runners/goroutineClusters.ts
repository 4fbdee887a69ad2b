/**
 * `goroutineClusters`: goroutines grouped by state + stack + creation site (the core's clustering), as a table.
 *
 * pprof: one `debug=2` dump; with `stream` on, a dump every interval and a growth column (goroutines per minute
 * over the snapshots seen so far, the leak-suspect signal). Pyroscope: the merged goroutine profile of the window,
 * states inferred, counts scaled to the window's average goroutine count per snapshot (see context.ts
 * `snapshotAverage`), so one snapshot's numbers and a window's read the same.
 */
import type { DataFrame } from '@grafana/data';
import { Observable, forkJoin, map, mergeMap } from 'rxjs';

import {
  clusterGoroutines,
  GOROUTINE_STATE_LABELS,
  type GoroutineCluster,
  goroutineSeries,
  snapshotFromProfile,
  type TimedGoroutineSnapshot,
} from '../../core';
import { type ClusterRow, toClustersFrame } from '../../frames';
import { toQueryFailure } from '../transport/failure';
import type { GoRuntimeQuery } from '../types';
import { frames, lazily, noDataNotice, pyroscopeId, RunContext, Runner, snapshotAverage } from './context';
import { dumpProfile, pollInterval, requireLive } from './goroutineStates';
import { poll } from './poll';

/** Snapshots kept for growth in a live stream (an hour at the default 5 s interval would be 720). */
export const MAX_STREAM_SNAPSHOTS = 120;

export function clusterRow(c: GoroutineCluster, scale = 1, growthPerMinute: number | null = null): ClusterRow {
  return {
    count: Math.round(c.count * scale * 100) / 100,
    state: GOROUTINE_STATE_LABELS[c.state],
    reason: c.reason,
    function: c.function,
    createdBy: c.createdBy ?? '',
    creationSite: c.creationSite,
    waitMinutesMin: c.waitMinutes.min,
    waitMinutesMax: c.waitMinutes.max,
    leaked: c.leaked,
    growthPerMinute,
  };
}

export const runGoroutineClusters: Runner = (ctx, query) => {
  if (ctx.target.options.mode === 'pyroscope') {
    return frames(lazily(() => storedClusters(ctx, query)));
  }
  return lazily(() => {
    requireLive(ctx, 'goroutine dump (debug=2)');
    return query.stream ? liveStream(ctx, query) : frames(liveOnce(ctx, query));
  });
};

function liveOnce(ctx: RunContext, query: GoRuntimeQuery): Observable<DataFrame[]> {
  return ctx.pprof.goroutines(query.instance, dumpProfile(query)).pipe(
    map((s) => {
      const result = clusterGoroutines(s.snapshot);
      const limit = query.limit ?? result.clusters.length;
      return [
        toClustersFrame(
          result.clusters.slice(0, limit).map((c) => clusterRow(c)),
          {
            refId: query.refId,
            custom: {
              source: 'pprof',
              total: result.total,
              clusters: result.clusters.length,
              capturedAt: s.capturedAt,
            },
          }
        ),
      ];
    })
  );
}

function liveStream(ctx: RunContext, query: GoRuntimeQuery) {
  const snapshots: TimedGoroutineSnapshot[] = [];
  return poll({
    key: `${ctx.streamKey}-goroutineClusters`,
    intervalMs: pollInterval(ctx, query),
    sample: () => ctx.pprof.goroutines(query.instance, dumpProfile(query)),
    onSample: (s) => {
      snapshots.push({ time: s.capturedAt, snapshot: s.snapshot });
      if (snapshots.length > MAX_STREAM_SNAPSHOTS) {
        snapshots.shift();
      }
      const series = goroutineSeries(snapshots);
      const rows = series.clusters
        .filter((c) => c.growth.last > 0)
        .slice(0, query.limit ?? series.clusters.length)
        .map((c) => ({
          ...clusterRow(c.latest, 1, snapshots.length > 1 ? c.growth.perMinute : null),
          count: c.growth.last,
        }));
      return [
        toClustersFrame(rows, {
          refId: query.refId,
          custom: {
            source: 'pprof',
            snapshots: snapshots.length,
            from: series.from,
            to: series.to,
            total: s.snapshot.total,
          },
        }),
      ];
    },
    describeError: (e) => toQueryFailure(e, { target: ctx.target.name, profile: 'goroutine dump (debug=2)' }).message,
  });
}

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

/**
 * `goroutineStates`: goroutines per state over time, as a heatmap-cells frame (x = time, y = state, value = count).
 *
 * pprof: one column per goroutine snapshot of the live store in the range (debug=2 dumps, or the cheaper goroutine
 * proto profile between dumps when dumps are too costly for the interval: live/liveSession.ts), streamed while the
 * range follows now; refreshes and zooms keep every column the store holds. Pyroscope: one merged goroutine profile per time bucket, states
 * inferred from the stacks (Pyroscope stores goroutine profiles, which hold no state: golang/go#74964); merged
 * counts are
 * the sum over every profile in the bucket, so they are scaled to the bucket's average goroutine count
 * (SelectSeries with AVERAGE aggregation).
 */
import type { DataFrame } from '@grafana/data';
import { Observable, forkJoin, map, mergeMap } from 'rxjs';

import {
  countByState,
  GOROUTINE_STATE_LABELS,
  GOROUTINE_STATES,
  type GoroutineSnapshot,
  snapshotFromProfile,
} from '../../core';
import { toStateHeatmapFrame } from '../../frames';
import { liveStates } from '../live/liveRunners';
import { BucketCache, runBuckets, timeBuckets } from '../pyroscope/buckets';
import { parseDuration } from '../query/time';
import type { GoRuntimeQuery } from '../types';
import { frames, lazily, pyroscopeId, RunContext, Runner, uploadPeriod } from './context';

export const STATE_LABELS = GOROUTINE_STATES.map((s) => GOROUTINE_STATE_LABELS[s]);
export const MIN_POLL_MS = 5000;

export function stateCounts(snapshot: GoroutineSnapshot, scale = 1): number[] {
  const byState = countByState(snapshot);
  return GOROUTINE_STATES.map((s) => Math.round(byState[s] * scale * 100) / 100);
}

export function pollInterval(ctx: RunContext, query: GoRuntimeQuery): number {
  return parseDuration(query.interval) ?? Math.max(MIN_POLL_MS, ctx.intervalMs);
}

/** `goroutineleak` (Go 1.26, when the target enables it) or the plain goroutine dump. */
export function dumpProfile(query: GoRuntimeQuery): 'goroutine' | 'goroutineleak' {
  return query.profileType === 'goroutineleak' ? 'goroutineleak' : 'goroutine';
}

export const runGoroutineStates: Runner = (ctx, query) => {
  if (ctx.target.options.mode === 'pyroscope') {
    return frames(lazily(() => storedStates(ctx, query)));
  }
  return liveStates(
    ctx,
    query,
    pollInterval(ctx, query),
    STATE_LABELS,
    (s) => stateCounts(s),
    (extra) => custom(ctx, 'pprof', extra)
  );
};

function custom(ctx: RunContext, source: string, extra: object = {}) {
  return { source, states: [...GOROUTINE_STATES], ...extra, target: ctx.target.name };
}

const stateBucketCache = new BucketCache<number[]>();

function storedStates(ctx: RunContext, query: GoRuntimeQuery): Observable<DataFrame[]> {
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
      const perBucket = runBuckets({
        buckets,
        key: `${ctx.target.baseUrl}|states|${id}|${selector}`,
        concurrency: ctx.target.options.bucketConcurrency,
        now: ctx.now,
        cache: stateBucketCache,
        fetch: (b) =>
          ctx.pyroscope.mergeProfile({ profileTypeID: id, labelSelector: selector, start: b.from, end: b.to }).pipe(
            map((p) => {
              // Counts per state, then the merged total (the denominator of the scale below).
              const snapshot = p ? snapshotFromProfile(p) : undefined;
              return snapshot ? [...stateCounts(snapshot), snapshot.total] : [];
            })
          ),
      });
      return forkJoin([perBucket, averages]).pipe(
        map(([counts, avg]) => {
          const columns = buckets.map((b, i) => {
            const c = counts[i];
            if (!c || c.length === 0) {
              return { time: b.to, counts: STATE_LABELS.map(() => 0) };
            }
            const total = c[c.length - 1];
            const average = avg.get(b.to);
            const scale = total > 0 && average !== undefined ? average / total : 1;
            return { time: b.to, counts: c.slice(0, -1).map((v) => Math.round(v * scale * 100) / 100) };
          });
          return [
            toStateHeatmapFrame(STATE_LABELS, columns, {
              refId: query.refId,
              custom: custom(ctx, 'pyroscope', {
                profile: id,
                bucketMs: width,
                counts: 'average goroutines per profile in the bucket',
              }),
            }),
          ];
        })
      );
    })
  );
}

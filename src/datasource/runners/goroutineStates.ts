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
import { Observable, map } from 'rxjs';

import { countByState, GOROUTINE_STATE_LABELS, GOROUTINE_STATES, type GoroutineSnapshot } from '../../core';
import { toStateHeatmapFrame } from '../../frames';
import { liveStates } from '../live/liveRunners';
import { parseDuration } from '../query/time';
import type { GoRuntimeQuery } from '../types';
import { frames, lazily, RunContext, Runner } from './context';
import { storedGoroutineBuckets } from './goroutineBuckets';

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

function storedStates(ctx: RunContext, query: GoRuntimeQuery): Observable<DataFrame[]> {
  return storedGoroutineBuckets(ctx, query).pipe(
    map(({ profileTypeID, widthMs, buckets }) => {
      const columns = buckets.map(({ bucket, goroutines, scale }) => ({
        time: bucket.to,
        counts: goroutines
          ? goroutines.states.map((v) => Math.round(v * scale * 100) / 100)
          : STATE_LABELS.map(() => 0),
      }));
      return [
        toStateHeatmapFrame(STATE_LABELS, columns, {
          refId: query.refId,
          custom: custom(ctx, 'pyroscope', {
            profile: profileTypeID,
            bucketMs: widthMs,
            counts: 'average goroutines per profile in the bucket',
          }),
        }),
      ];
    })
  );
}

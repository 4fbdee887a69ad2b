/**
 * `goroutineStates`: goroutines per state over time, as a heatmap-cells frame (x = time, y = state, value = count).
 *
 * pprof: a live stream of `goroutine?debug=2` dumps, one every interval, while the dashboard is open (states and
 * wait reasons come from the dump headers). Pyroscope: one merged goroutine profile per time bucket, states
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
import { pushStateColumn, type StateColumn, streamingStateHeatmap, toStateHeatmapFrame } from '../../frames';
import { endsNow, HistoryNeedsPyroscopeError } from '../pprof/capturePlan';
import { BucketCache, runBuckets, timeBuckets } from '../pyroscope/buckets';
import { parseDuration } from '../query/time';
import { toQueryFailure } from '../transport/failure';
import type { GoRuntimeQuery } from '../types';
import { failure, frames, lazily, pyroscopeId, RunContext, Runner, uploadPeriod } from './context';
import { poll } from './poll';

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

/** A live range check shared by the goroutine runners: a dump describes now, not a past window. */
export function requireLive(ctx: RunContext, what: string): void {
  if (!endsNow(ctx.range, ctx.now)) {
    throw failure(ctx, what, new HistoryNeedsPyroscopeError(ctx.now - ctx.range.to).message);
  }
}

export const runGoroutineStates: Runner = (ctx, query) => {
  if (ctx.target.options.mode === 'pyroscope') {
    return frames(lazily(() => storedStates(ctx, query)));
  }
  return lazily(() => {
    requireLive(ctx, 'goroutine dump (debug=2)');
    return query.stream === false ? frames(liveOnce(ctx, query)) : liveStream(ctx, query);
  });
};

function custom(ctx: RunContext, source: string, extra: object = {}) {
  return { source, states: [...GOROUTINE_STATES], ...extra, target: ctx.target.name };
}

/** One dump, with a zero column one interval earlier so the heatmap can infer the cell width. */
function liveOnce(ctx: RunContext, query: GoRuntimeQuery): Observable<DataFrame[]> {
  const interval = pollInterval(ctx, query);
  return ctx.pprof.goroutines(query.instance, dumpProfile(query)).pipe(
    map((s) => {
      const column = { time: s.capturedAt, counts: stateCounts(s.snapshot) };
      const calibration = { time: s.capturedAt - interval, counts: STATE_LABELS.map(() => 0) };
      return [
        toStateHeatmapFrame(STATE_LABELS, [calibration, column], {
          refId: query.refId,
          custom: custom(ctx, 'pprof', { total: s.snapshot.total }),
        }),
      ];
    })
  );
}

function liveStream(ctx: RunContext, query: GoRuntimeQuery) {
  const interval = pollInterval(ctx, query);
  const columns = Math.min(5000, Math.max(2, Math.ceil((ctx.range.to - ctx.range.from) / interval)));
  const frame = streamingStateHeatmap(STATE_LABELS, columns, {
    refId: query.refId,
    custom: custom(ctx, 'pprof', { intervalMs: interval }),
  });
  let first: StateColumn | undefined;
  return poll({
    key: `${ctx.streamKey}-goroutineStates`,
    intervalMs: interval,
    sample: () => ctx.pprof.goroutines(query.instance, dumpProfile(query)),
    onSample: (s) => {
      const column = { time: s.capturedAt, counts: stateCounts(s.snapshot) };
      pushStateColumn(frame, STATE_LABELS, column);
      frame.meta = {
        ...frame.meta,
        custom: { ...frame.meta.custom, total: s.snapshot.total, capturedAt: s.capturedAt },
      };
      if (!first) {
        // A single column gives the heatmap no cell width: the first response adds a zero column before it.
        first = column;
        const calibration = { time: column.time - interval, counts: STATE_LABELS.map(() => 0) };
        return [
          toStateHeatmapFrame(STATE_LABELS, [calibration, column], { refId: query.refId, custom: frame.meta.custom }),
        ];
      }
      return [frame];
    },
    describeError: (e) => toQueryFailure(e, { target: ctx.target.name, profile: 'goroutine dump (debug=2)' }).message,
  });
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

/**
 * What a query runner gets: the clients for this data source, the dashboard range and interval, and helpers that
 * resolve the profile a query means in the current mode.
 */
import type { DataFrame, DataQueryResponse } from '@grafana/data';
import { Observable, catchError, map, of, shareReplay, switchMap } from 'rxjs';

import type { Diagnose } from '../findings/seam';
import type { PprofClient } from '../pprof/pprofClient';
import { LOOKBACK_MS, type PyroscopeClient } from '../pyroscope/pyroscopeClient';
import { HistoryNeedsPyroscopeError, liveSeconds, RangeMs } from '../pprof/capturePlan';
import { parseProfileTypeId, pprofFor, pprofProfile, pyroscopeIdFor, type PyroscopeProfileType } from '../../core';
import { Target, targetLabel } from '../target';
import { QueryFailure } from '../transport/failure';
import type { GoRuntimeQuery } from '../types';

export interface RunContext {
  target: Target;
  pprof: PprofClient;
  pyroscope: PyroscopeClient;
  range: RangeMs;
  intervalMs: number;
  maxDataPoints: number;
  now: number;
  /** Stable id of the panel/query for streaming keys. */
  streamKey: string;
  diagnose?: Diagnose;
}

export type Runner = (ctx: RunContext, query: GoRuntimeQuery) => Observable<DataQueryResponse>;

/** A runner result with one emission. */
export function frames(data: Observable<DataFrame[]>): Observable<DataQueryResponse> {
  return data.pipe(map((d) => ({ data: d })));
}

export function failure(ctx: RunContext, profile: string, cause: string): QueryFailure {
  return new QueryFailure({ target: targetLabel(ctx.target), profile }, cause);
}

/** The pprof profile and sample type a query means (a Pyroscope ID in a pprof-mode query is translated). */
export function pprofTarget(
  ctx: RunContext,
  query: GoRuntimeQuery,
  fallback = 'cpu'
): { profile: string; sampleType?: string } {
  const raw = query.profileType || fallback;
  if (pprofProfile(raw)) {
    return { profile: raw, sampleType: query.sampleType || undefined };
  }
  const translated = pprofFor(raw);
  if (translated) {
    return { profile: translated.profile, sampleType: query.sampleType || translated.sampleType };
  }
  // An endpoint this plugin does not know (a custom runtime/pprof profile): fetched as a snapshot.
  return { profile: raw, sampleType: query.sampleType || undefined };
}

/** Live capture length for the dashboard range; a past range is an error that says history needs Pyroscope. */
export function captureSeconds(ctx: RunContext, query: GoRuntimeQuery, profile: string): number {
  try {
    return liveSeconds(ctx.range, ctx.now, {
      maxSeconds: ctx.target.options.defaultCpuSeconds,
      timeoutSeconds: ctx.target.options.timeout,
      seconds: query.seconds,
    });
  } catch (e) {
    if (e instanceof HistoryNeedsPyroscopeError) {
      throw failure(ctx, `${profile} profile`, e.message);
    }
    throw e;
  }
}

const PROFILE_TYPES_TTL_MS = 60_000;
const profileTypeCache = new Map<string, { at: number; types: Observable<PyroscopeProfileType[]> }>();

/** ProfileTypes of the last hour, cached for a minute per target (used to resolve IDs that differ by source). */
export function availableProfileTypes(ctx: RunContext): Observable<PyroscopeProfileType[]> {
  const key = ctx.target.baseUrl;
  const cached = profileTypeCache.get(key);
  if (cached && Date.now() - cached.at < PROFILE_TYPES_TTL_MS) {
    return cached.types;
  }
  const types = ctx.pyroscope
    .profileTypes({ start: ctx.now - 3600_000, end: ctx.now })
    .pipe(shareReplay({ bufferSize: 1, refCount: false }));
  profileTypeCache.set(key, { at: Date.now(), types });
  return types;
}

/**
 * The Pyroscope profile type ID a query means. IDs pass through; pprof names are translated (`cpu` ->
 * `process_cpu:cpu:nanoseconds:cpu:nanoseconds`). Goroutines are spelled `goroutines` by the Go SDK and `goroutine`
 * by Alloy (src/core/model/goProfiles.ts), so that one is looked up in ProfileTypes.
 */
export function pyroscopeId(ctx: RunContext, query: GoRuntimeQuery, fallback = 'cpu'): Observable<string> {
  const raw = query.profileType || fallback;
  const direct = parseProfileTypeId(raw) ? raw : pyroscopeIdFor(raw, query.sampleType);
  if (!direct) {
    throw failure(ctx, raw, `"${raw}" is not a Pyroscope profile type ID and has no Pyroscope equivalent`);
  }
  const t = parseProfileTypeId(direct)!;
  if (t.name !== 'goroutines' && t.name !== 'goroutine') {
    return of(direct);
  }
  return availableProfileTypes(ctx).pipe(
    map(
      (types) =>
        types.find((x) => x.id === direct)?.id ?? types.find((x) => /^goroutines?:goroutine:/.test(x.id))?.id ?? direct
    )
  );
}

/** Runs `build` lazily so synchronous throws (validation, path safety) become Observable errors. */
export function lazily<T>(build: () => Observable<T>): Observable<T> {
  return of(null).pipe(switchMap(build));
}

const DAY_MS = 24 * 3600_000;

/**
 * Why a Pyroscope window answered no samples, in words for the panel. Beyond the lookback Pyroscope answers
 * `200 {}` for a merge and an all-zero flame graph, exactly as for a selector that matches nothing, so the reason is
 * worked out here from the window's age.
 */
export function noDataReason(ctx: RunContext, profile: string, selector: string, window: RangeMs): string {
  const age = ctx.now - window.to;
  if (age > LOOKBACK_MS) {
    return `this window holds no data: it ended ${(age / DAY_MS).toFixed(1)} days ago and Pyroscope reads only the last 7 days by default (max_query_lookback), so nothing older is returned`;
  }
  return `this window holds no data: no ${profile} profiles match ${selector} in it (check the service name in the selector and that the service pushes this profile type)`;
}

export function noDataNotice(ctx: RunContext, profile: string, selector: string, window: RangeMs) {
  return { severity: 'info' as const, text: noDataReason(ctx, profile, selector, window) };
}

/** Profile types Pyroscope stores as snapshots (a state at one instant), whose merge over a window is a sum. */
export function isInstantProfileType(id: string): boolean {
  return /^memory:inuse_(space|objects):/.test(id) || /^goroutines?:/.test(id);
}

/**
 * The average of SelectSeries points that cover `window`: a point at T covers (T - step, T], so the point stamped at
 * `window.from` covers the step *before* the window and is left out (grafana/pyroscope:pkg/model/timeseries/range.go).
 */
export function windowAverage(
  series: ReadonlyArray<{ timestamps: readonly number[]; values: readonly number[] }>,
  window: RangeMs
): number | undefined {
  let sum = 0;
  let n = 0;
  for (const s of series) {
    s.timestamps.forEach((t, i) => {
      if (t > window.from && t <= window.to) {
        sum += s.values[i];
        n++;
      }
    });
  }
  return n > 0 ? sum / n : undefined;
}

/** SelectSeries AVERAGE with one step the length of the window: Pyroscope's per-snapshot average over it. */
export function snapshotAverage(
  ctx: RunContext,
  profileTypeID: string,
  labelSelector: string,
  window: RangeMs
): Observable<number | undefined> {
  return ctx.pyroscope
    .selectSeries({
      profileTypeID,
      labelSelector,
      start: window.from,
      end: window.to,
      stepSeconds: Math.max(1, (window.to - window.from) / 1000),
      aggregation: 'average',
    })
    .pipe(map((series) => windowAverage(series, window)));
}

const UPLOAD_PROBE_MS = 10 * 60_000;
const DEFAULT_UPLOAD_MS = 15_000;
const uploadPeriods = new Map<string, { at: number; period: Observable<number> }>();

/**
 * How often the service uploads this profile type: the median spacing of SelectSeries points at a 1 s step over the
 * last 10 minutes of the range (pyroscope-go pushes every 15 s by default; the demo's CPU arrives every 30 s). 15 s
 * when the probe sees fewer than two uploads or fails. Cached a minute per target, type and selector.
 */
export function uploadPeriod(ctx: RunContext, profileTypeID: string, labelSelector: string): Observable<number> {
  const key = `${ctx.target.baseUrl}|${profileTypeID}|${labelSelector}`;
  const cached = uploadPeriods.get(key);
  if (cached && Date.now() - cached.at < PROFILE_TYPES_TTL_MS) {
    return cached.period;
  }
  const end = ctx.range.to;
  const period = ctx.pyroscope
    .selectSeries({
      profileTypeID,
      labelSelector,
      start: Math.max(ctx.range.from, end - UPLOAD_PROBE_MS),
      end,
      stepSeconds: 1,
    })
    .pipe(
      map((series) => {
        const times = [...new Set(series.flatMap((s) => s.timestamps))].sort((a, b) => a - b);
        const gaps = times
          .slice(1)
          .map((t, i) => t - times[i])
          .sort((a, b) => a - b);
        return gaps.length ? gaps[Math.floor(gaps.length / 2)] : DEFAULT_UPLOAD_MS;
      }),
      // The probe only refines bucket widths: when it fails, the default period serves and the queries themselves
      // report whatever is wrong with the server.
      catchError(() => of(DEFAULT_UPLOAD_MS)),
      shareReplay({ bufferSize: 1, refCount: false })
    );
  uploadPeriods.set(key, { at: Date.now(), period });
  return period;
}

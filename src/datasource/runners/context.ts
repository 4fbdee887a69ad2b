/**
 * What a query runner gets: the clients for this data source, the dashboard range and interval, and helpers that
 * resolve the profile a query means in the current mode.
 */
import type { DataFrame, DataQueryResponse } from '@grafana/data';
import { Observable, map, of, shareReplay, switchMap } from 'rxjs';

import type { Diagnose } from '../findings/seam';
import type { PprofClient } from '../pprof/pprofClient';
import type { PyroscopeClient } from '../pyroscope/pyroscopeClient';
import { HistoryNeedsPyroscopeError, liveSeconds, RangeMs } from '../pprof/capturePlan';
import { pprofFor, pprofProfile, pyroscopeIdFor, parseProfileTypeId } from '../../core/model/goProfiles';
import { Target, targetLabel } from '../target';
import { QueryFailure } from '../transport/failure';
import type { GoRuntimeQuery } from '../types';
import type { PyroscopeProfileType } from '../../core/wire/pyroscopeQuerier';

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
 * by Alloy (reference 4.2), so that one is looked up in ProfileTypes.
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

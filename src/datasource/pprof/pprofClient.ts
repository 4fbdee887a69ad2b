/**
 * Live reads from a Go process's net/http/pprof through the data proxy: the index page, binary profiles
 * (`profile?seconds=N`, `allocs?seconds=N`, `heap`...) and goroutine dumps (`goroutine?debug=2`).
 * Decoding is the analysis core's (parsePprof, snapshotFromText); this file only fetches, shares and names.
 */
import { Observable, catchError, map, mergeMap, throwError } from 'rxjs';

import {
  type GoroutineSnapshot,
  parsePprof,
  parsePprofIndex,
  type PprofIndexEntry,
  type Profile,
  snapshotFromText,
} from '../../core';
import { Target, targetLabel } from '../target';
import { toQueryFailure } from '../transport/failure';
import { describeRequest, fetchBinary, fetchText, ProxyRequest } from '../transport/proxyFetch';
import { expandPrefix, safeEndpoint, safePath } from '../transport/paths';
import { exclusiveLanes, requestFlights } from '../transport/singleFlight';
import { streamGunzip } from '../transport/streamGunzip';
import { retryWhileProfilerBusy } from '../transport/profilerBusy';
import { CapturePlan } from './capturePlan';

export interface CapturedProfile {
  profile: Profile;
  plan: CapturePlan;
  /** Milliseconds since the epoch when the capture ended (the response arrived). */
  capturedAt: number;
  bytes: number;
}

export interface CapturedSnapshot {
  snapshot: GoroutineSnapshot;
  capturedAt: number;
  bytes: number;
}

export class PprofClient {
  constructor(
    private readonly target: Target,
    /** Path prefix template after dashboard-variable interpolation (gateways). */
    private readonly prefixTemplate: string = target.options.pathPrefix
  ) {}

  /** `<prefix><pprofPath>/<endpoint>`, every part checked by transport/paths.ts. */
  path(endpoint: string, instance?: string): string {
    const prefix = expandPrefix(this.prefixTemplate, instance);
    const pprof = safePath('pprof path', this.target.options.pprofPath);
    return `${prefix}${pprof}/${endpoint === '' ? '' : safeEndpoint(endpoint)}`;
  }

  private label(instance?: string): string {
    return targetLabel(this.target, instance ? `instance ${instance}` : undefined);
  }

  /** Requests sharing one target share flights and lanes: the key is the proxy URL plus the full path. */
  private flightKey(req: Omit<ProxyRequest, 'responseType'>): string {
    return `${this.target.baseUrl}${describeRequest(req)}`;
  }

  index(instance?: string): Observable<PprofIndexEntry[]> {
    const subject = { target: this.label(instance), profile: 'pprof index' };
    return this.guard(subject, () => {
      const req = { path: this.path('', instance) };
      return fetchText(this.target.baseUrl, req, this.target.options).pipe(
        map((r) => parsePprofIndex(r.data)),
        catchError((e) => throwError(() => toQueryFailure(e, { ...subject, request: describeRequest(req) })))
      );
    });
  }

  capture(plan: CapturePlan, instance?: string): Observable<CapturedProfile> {
    const subject = { target: this.label(instance), profile: `${plan.profile} profile` };
    return this.guard(subject, () => {
      const req: ProxyRequest = {
        path: this.path(plan.endpoint, instance),
        params: plan.params,
        responseType: 'arraybuffer',
      };
      const request = describeRequest(req);
      const source = `${this.target.name} ${request}`;
      const { maxProfileBytes } = this.target.options;
      const fetchAndDecode = () =>
        fetchBinary(this.target.baseUrl, req, this.target.options).pipe(
          // Inflated by the platform's DecompressionStream where there is one (transport/streamGunzip.ts).
          mergeMap(async (r) => {
            const raw = new Uint8Array(r.data);
            const maxDecompressedBytes = maxProfileBytes * 4;
            const inflated = await streamGunzip(raw, maxDecompressedBytes);
            const maxInputBytes = inflated && inflated !== raw ? maxDecompressedBytes : maxProfileBytes;
            return {
              profile: parsePprof(inflated ?? raw, { source, limits: { maxInputBytes, maxDecompressedBytes } }),
              plan,
              capturedAt: Date.now(),
              bytes: r.bytes,
            };
          }),
          catchError((e) => throwError(() => toQueryFailure(e, { ...subject, request })))
        );
      const key = this.flightKey(req);
      // One CPU profile per process at a time: identical captures share, different ones queue on the lane.
      const start =
        plan.mode === 'cpu'
          ? () =>
              exclusiveLanes
                .lane(`${this.target.baseUrl}${this.path('', instance)}#cpu`)
                .run(() => fetchAndDecode().pipe(retryWhileProfilerBusy()))
          : fetchAndDecode;
      return requestFlights.run(key, start);
    });
  }

  /**
   * Raw bytes of `<pprof base>/<endpoint>?<query>` (e.g. `profile?seconds=5`, `goroutine?debug=2`, `` for the
   * index), for the core's findings gatherer. Same path checks, size limit, single-flight and CPU lane as above.
   */
  raw(pathAndQuery: string, instance?: string): Observable<Uint8Array> {
    const [endpoint, query = ''] = pathAndQuery.split('?');
    const subject = {
      target: this.label(instance),
      profile: endpoint === '' ? 'pprof index' : `${endpoint === 'profile' ? 'cpu' : endpoint} profile`,
    };
    return this.guard(subject, () => {
      const params = Object.fromEntries(new URLSearchParams(query));
      const req: ProxyRequest = { path: this.path(endpoint, instance), params, responseType: 'arraybuffer' };
      const request = describeRequest(req);
      const fetchBytes = () =>
        fetchBinary(this.target.baseUrl, req, this.target.options).pipe(
          map((r) => new Uint8Array(r.data)),
          catchError((e) => throwError(() => toQueryFailure(e, { ...subject, request })))
        );
      const start =
        endpoint === 'profile'
          ? () =>
              exclusiveLanes
                .lane(`${this.target.baseUrl}${this.path('', instance)}#cpu`)
                .run(() => fetchBytes().pipe(retryWhileProfilerBusy()))
          : fetchBytes;
      return requestFlights.run(`${this.flightKey(req)}#raw`, start);
    });
  }

  /** A `debug=2` goroutine dump (states, wait reasons, wait minutes), or the Go 1.26 `goroutineleak` one. */
  goroutines(instance?: string, profile: 'goroutine' | 'goroutineleak' = 'goroutine'): Observable<CapturedSnapshot> {
    const subject = { target: this.label(instance), profile: `${profile} dump (debug=2)` };
    return this.guard(subject, () => {
      const req: ProxyRequest = { path: this.path(profile, instance), params: { debug: 2 }, responseType: 'text' };
      const request = describeRequest(req);
      return requestFlights.run(this.flightKey(req), () =>
        fetchText(this.target.baseUrl, req, this.target.options).pipe(
          map((r) => {
            const capturedAt = Date.now();
            const snapshot = snapshotFromText(r.data, {
              source: `${this.target.name} ${request}`,
              timestamp: capturedAt,
              profile,
            });
            return { snapshot, capturedAt, bytes: r.bytes };
          }),
          catchError((e) => throwError(() => toQueryFailure(e, { ...subject, request })))
        )
      );
    });
  }

  /** Errors thrown while building a request (unsafe paths) become query failures too. */
  private guard<T>(subject: { target: string; profile: string }, build: () => Observable<T>): Observable<T> {
    try {
      return build();
    } catch (e) {
      return throwError(() => toQueryFailure(e, subject));
    }
  }
}

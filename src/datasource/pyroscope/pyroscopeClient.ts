/**
 * Grafana Pyroscope through the data proxy: Connect RPC, `POST /querier.v1.QuerierService/<Method>` with JSON
 * (grafana/pyroscope:pkg/api/api.go). The tenant (`X-Scope-OrgID`) and any basic auth are added by Grafana's
 * proxy from the data source settings, never by the browser (section 3).
 *
 * Decoding is the wire layer's (src/core/wire/pyroscope*.ts); profiles go through the core's validation
 * (`profileFromWire`) like any pprof file, so every analysis runs on Pyroscope data unchanged.
 */
import { isFetchError } from '@grafana/runtime';
import { Observable, catchError, forkJoin, map, of, retry, throwError, timer } from 'rxjs';

import {
  decodeConnectError,
  decodeFlameGraph,
  decodeFlameGraphDiff,
  decodeLabelsSet,
  decodeNames,
  decodeProfileTypes,
  decodeSeries,
  type JsonObject,
  mergeProfiles,
  parsePyroscopeJson,
  type Profile,
  profileFromWire,
  type PyroscopeFlameRows,
  pyroscopeProfileToWire,
  type PyroscopeProfileType,
  type PyroscopeSeries,
} from '../../core';
import { Target, targetLabel } from '../target';
import { QueryFailure, rawBodyText, toQueryFailure } from '../transport/failure';
import { fetchText } from '../transport/proxyFetch';
import { requestFlights } from '../transport/singleFlight';
import { mergeLimit } from './concurrency';
import {
  diffBody,
  labelNamesBody,
  labelValuesBody,
  profileTypesBody,
  SelectParams,
  selectMergeProfileBody,
  selectMergeStacktracesBody,
  selectSeriesBody,
  seriesBody,
  SeriesParams,
  splitRange,
  TimeRangeMs,
} from './requests';

export const QUERIER = '/querier.v1.QuerierService';

/** Pyroscope's default max_query_lookback (grafana/pyroscope:pkg/validation/limits.go): older data is not read. */
export const LOOKBACK_MS = 7 * 24 * 3600_000;

/**
 * What to do about Pyroscope's own errors (grafana/pyroscope:pkg/validation/validate.go, pkg/tenant). A 401 reaches
 * the browser as Grafana's data proxy rewrites it: `400 Authentication to data source failed`.
 */
export function pyroscopeHint(status: number | undefined, code: string, message: string): string {
  if (/time range exceeds the limit/i.test(message)) {
    return ' (Pyroscope max_query_length, 1d by default: narrow the range or raise -querier.max-query-length)';
  }
  if (
    code === 'unauthenticated' ||
    status === 401 ||
    /no org id/i.test(message) ||
    /Authentication to data source failed/i.test(message)
  ) {
    return ' (Pyroscope refused the request as unauthenticated: a multi-tenant Pyroscope wants the tenant in the X-Scope-OrgID header; add it under HTTP headers in the data source settings, header X-Scope-OrgID, value the tenant ID)';
  }
  if (status === 404) {
    return " (no such Pyroscope API path: the data source URL should be Pyroscope's HTTP address, e.g. http://pyroscope:4040, or the URL of a gateway in front of it)";
  }
  return '';
}

/** Failures worth one more try: Pyroscope's `500 canceled: stream error` under concurrent merges, a 503. */
function transient(error: unknown): boolean {
  if (!isFetchError(error) || error.cancelled) {
    return false;
  }
  const body = rawBodyText(error.data);
  return error.status === 503 || (error.status === 500 && /canceled|stream error|unavailable/i.test(body));
}

const RETRY_DELAY_MS = 250;
const MAX_BODY_IN_MESSAGE = 200;

/** A metadata range Pyroscope accepts: the last 7 days of it at most, in pieces of at most its 1d query length. */
export function metadataRanges(r: TimeRangeMs): TimeRangeMs[] {
  return splitRange({ start: Math.max(r.start, r.end - LOOKBACK_MS), end: r.end });
}

function union<T>(parts: T[][], key: (x: T) => string): T[] {
  const seen = new Map<string, T>();
  parts.forEach((part) => part.forEach((x) => seen.has(key(x)) || seen.set(key(x), x)));
  return [...seen.values()];
}

/** A SelectMergeProfile body without samples: `{}` (beyond the lookback) or `{sampleType:[{}], stringTable:[""]}`. */
function holdsNoProfile(body: JsonObject): boolean {
  return !Array.isArray(body.sample) || body.sample.length === 0;
}

/** Grafana's own error bodies are `{"message": "..."}`; anything else is kept as it is. */
function grafanaMessage(text: string): string {
  try {
    const body = JSON.parse(text);
    return typeof body?.message === 'string' ? body.message : text;
  } catch {
    return text;
  }
}

export class PyroscopeClient {
  constructor(private readonly target: Target) {}

  /**
   * One Connect call; identical calls in flight share one request; a transient server failure is retried once.
   */
  call(method: string, body: object, what = `Pyroscope ${method}`): Observable<JsonObject> {
    const path = `${QUERIER}/${method}`;
    const request = `POST ${path}`;
    const subject = { target: targetLabel(this.target), profile: what, request };
    const json = JSON.stringify(body);
    return requestFlights.run(`${this.target.baseUrl}${path} ${json}`, () =>
      fetchText(
        this.target.baseUrl,
        { path, method: 'POST', body, headers: { 'Connect-Protocol-Version': '1' } },
        this.target.options
      ).pipe(
        retry({ count: 1, delay: (e) => (transient(e) ? timer(RETRY_DELAY_MS) : throwError(() => e)) }),
        map((r) => parsePyroscopeJson(r.data)),
        catchError((e) => throwError(() => this.failure(e, subject)))
      )
    );
  }

  private failure(error: unknown, subject: { target: string; profile: string; request: string }): QueryFailure {
    if (isFetchError(error) && !error.cancelled) {
      const text = rawBodyText(error.data);
      const connect = decodeConnectError(text);
      if (connect) {
        const hint = pyroscopeHint(error.status, connect.code, connect.message);
        const cause = `${subject.request}: HTTP ${error.status} ${connect.code}: ${connect.message}${hint}`;
        return new QueryFailure(subject, cause, error.status);
      }
      const hint = pyroscopeHint(error.status, '', text);
      if (hint) {
        const flat = grafanaMessage(text).replace(/\s+/g, ' ').trim().slice(0, MAX_BODY_IN_MESSAGE);
        const cause = `${subject.request}: HTTP ${error.status}${flat ? `: ${flat}` : ''}${hint}`;
        return new QueryFailure(subject, cause, error.status);
      }
    }
    return toQueryFailure(error, subject);
  }

  /** Calls `one` per metadata piece (see {@link metadataRanges}) and joins the answers. */
  private metadata<T>(r: TimeRangeMs, one: (piece: TimeRangeMs) => Observable<T[]>, key: (x: T) => string) {
    const pieces = metadataRanges(r).map(one);
    return pieces.length === 1 ? pieces[0] : forkJoin(pieces).pipe(map((parts) => union(parts, key)));
  }

  profileTypes(r: TimeRangeMs): Observable<PyroscopeProfileType[]> {
    return this.metadata(
      r,
      (piece) => this.call('ProfileTypes', profileTypesBody(piece), 'profile types').pipe(map(decodeProfileTypes)),
      (t) => t.id
    );
  }

  /** Label names for autocompletion, without Pyroscope's internal `__name__`-style labels (as Grafana hides them). */
  labelNames(selector: string | undefined, r: TimeRangeMs): Observable<string[]> {
    return this.metadata(
      r,
      (piece) =>
        this.call('LabelNames', labelNamesBody(selector, piece), 'label names').pipe(
          map((body) => decodeNames(body).filter((n) => !n.startsWith('__')))
        ),
      (n) => n
    ).pipe(map((names) => [...names].sort()));
  }

  labelValues(name: string, selector: string | undefined, r: TimeRangeMs): Observable<string[]> {
    return this.metadata(
      r,
      (piece) =>
        this.call('LabelValues', labelValuesBody(name, selector, piece), `values of label ${name}`).pipe(
          map(decodeNames)
        ),
      (n) => n
    ).pipe(map((values) => [...values].sort()));
  }

  /** Label sets restricted to `labelNames` (e.g. service_name and __profile_type__). */
  series(
    selector: string | undefined,
    labelNames: string[],
    r: TimeRangeMs
  ): Observable<Array<Record<string, string>>> {
    return this.metadata(
      r,
      (piece) => this.call('Series', seriesBody(selector, labelNames, piece), 'series').pipe(map(decodeLabelsSet)),
      (labels) => JSON.stringify(Object.entries(labels).sort())
    );
  }

  mergeStacktraces(p: SelectParams): Observable<PyroscopeFlameRows> {
    return this.call('SelectMergeStacktraces', selectMergeStacktracesBody(p), `${p.profileTypeID} flame graph`).pipe(
      map((body) => decodeFlameGraph(body.flamegraph))
    );
  }

  diff(left: SelectParams, right: SelectParams): Observable<PyroscopeFlameRows> {
    return this.call('Diff', diffBody(left, right), `${right.profileTypeID} diff`).pipe(
      map((body) => decodeFlameGraphDiff(body.flamegraph))
    );
  }

  /**
   * The merged pprof profile of a range (SelectMergeProfile). Ranges above Pyroscope's 24h query limit are
   * fetched in 24h pieces and merged by the core (`mergeProfiles`). Undefined when the range holds no samples.
   */
  mergeProfile(p: SelectParams): Observable<Profile | undefined> {
    const what = `${p.profileTypeID} profile`;
    const limit = mergeLimit(this.target.baseUrl, this.target.options.bucketConcurrency);
    const pieces = splitRange(p).map((r) =>
      limit
        .run(() => this.call('SelectMergeProfile', selectMergeProfileBody({ ...p, ...r }), what))
        .pipe(
          map((body) => {
            if (holdsNoProfile(body)) {
              return undefined;
            }
            try {
              const wire = pyroscopeProfileToWire(body, 0, { maxInputBytes: this.target.options.maxProfileBytes });
              return profileFromWire(wire);
            } catch (e) {
              throw toQueryFailure(e, {
                target: targetLabel(this.target),
                profile: what,
                request: `POST ${QUERIER}/SelectMergeProfile`,
              });
            }
          })
        )
    );
    return forkJoin(pieces).pipe(
      map((profiles) => profiles.filter((x): x is Profile => x !== undefined && x.samples.count > 0)),
      map((profiles) =>
        profiles.length === 0 ? undefined : profiles.length === 1 ? profiles[0] : mergeProfiles(profiles)
      )
    );
  }

  /** SelectSeries; ranges above 24h are fetched in pieces and their points concatenated per label set. */
  selectSeries(p: SeriesParams): Observable<PyroscopeSeries[]> {
    const pieces = splitRange(p).map((r) =>
      this.call('SelectSeries', selectSeriesBody({ ...p, ...r }), `${p.profileTypeID} series`).pipe(map(decodeSeries))
    );
    if (pieces.length === 0) {
      return of([]);
    }
    return forkJoin(pieces).pipe(map(concatSeries));
  }
}

export function concatSeries(parts: PyroscopeSeries[][]): PyroscopeSeries[] {
  const byLabels = new Map<string, PyroscopeSeries>();
  for (const part of parts) {
    for (const s of part) {
      const key = JSON.stringify(Object.entries(s.labels).sort());
      const into = byLabels.get(key);
      if (into) {
        // Loops, not push(...spread): a piece of a long range at a 1 s step holds 86,400 points.
        for (let i = 0; i < s.timestamps.length; i++) {
          into.timestamps.push(s.timestamps[i]);
          into.values.push(s.values[i]);
        }
      } else {
        byLabels.set(key, { labels: s.labels, timestamps: s.timestamps.slice(), values: s.values.slice() });
      }
    }
  }
  return [...byLabels.values()];
}

/**
 * Grafana Pyroscope through the data proxy: Connect RPC, `POST /querier.v1.QuerierService/<Method>` with JSON
 * (grafana/pyroscope:pkg/api/api.go). The tenant (`X-Scope-OrgID`) and any basic auth are added by Grafana's
 * proxy from the data source settings, never by the browser (section 3).
 *
 * Decoding is the wire layer's (src/core/wire/pyroscope*.ts); profiles go through the core's validation
 * (`profileFromWire`) like any pprof file, so every analysis runs on Pyroscope data unchanged.
 */
import { isFetchError } from '@grafana/runtime';
import { Observable, catchError, forkJoin, map, of, throwError } from 'rxjs';

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

/** Hints for Pyroscope's own error messages (pkg/validation/validate.go, tenant interceptor). */
function connectHint(code: string, message: string): string {
  if (/time range exceeds the limit/i.test(message)) {
    return ' (Pyroscope max_query_length, 24h by default: narrow the range or raise -querier.max-query-length)';
  }
  if (code === 'unauthenticated' || /no org id/i.test(message)) {
    return ' (multi-tenant Pyroscope: set the tenant (X-Scope-OrgID) in the data source settings)';
  }
  return '';
}

export class PyroscopeClient {
  constructor(private readonly target: Target) {}

  /** One Connect call; identical calls in flight share one request. */
  call(method: string, body: object, what = `Pyroscope ${method}`): Observable<JsonObject> {
    const path = `${QUERIER}/${method}`;
    const request = `POST ${path}`;
    const subject = { target: targetLabel(this.target), profile: what, request };
    const json = JSON.stringify(body);
    return requestFlights.run(`${this.target.baseUrl}${path} ${json}`, () =>
      fetchText(
        this.target.baseUrl,
        { path, method: 'POST', body, headers: { 'Connect-Protocol-Version': '1' } },
        this.target.options.maxProfileBytes
      ).pipe(
        map((r) => parsePyroscopeJson(r.data)),
        catchError((e) => throwError(() => this.failure(e, subject)))
      )
    );
  }

  private failure(error: unknown, subject: { target: string; profile: string; request: string }): QueryFailure {
    if (isFetchError(error) && !error.cancelled) {
      const connect = decodeConnectError(rawBodyText(error.data));
      if (connect) {
        const cause = `${subject.request}: HTTP ${error.status} ${connect.code}: ${connect.message}${connectHint(connect.code, connect.message)}`;
        return new QueryFailure(subject, cause, error.status);
      }
    }
    return toQueryFailure(error, subject);
  }

  profileTypes(r: TimeRangeMs): Observable<PyroscopeProfileType[]> {
    return this.call('ProfileTypes', profileTypesBody(r), 'profile types').pipe(map(decodeProfileTypes));
  }

  /** Label names for autocompletion, without Pyroscope's internal `__name__`-style labels (as Grafana hides them). */
  labelNames(selector: string | undefined, r: TimeRangeMs): Observable<string[]> {
    return this.call('LabelNames', labelNamesBody(selector, r), 'label names').pipe(
      map((body) => decodeNames(body).filter((n) => !n.startsWith('__')))
    );
  }

  labelValues(name: string, selector: string | undefined, r: TimeRangeMs): Observable<string[]> {
    return this.call('LabelValues', labelValuesBody(name, selector, r), `values of label ${name}`).pipe(
      map(decodeNames)
    );
  }

  /** Label sets restricted to `labelNames` (e.g. service_name and __profile_type__). */
  series(
    selector: string | undefined,
    labelNames: string[],
    r: TimeRangeMs
  ): Observable<Array<Record<string, string>>> {
    return this.call('Series', seriesBody(selector, labelNames, r), 'series').pipe(map(decodeLabelsSet));
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
    const pieces = splitRange(p).map((r) =>
      this.call('SelectMergeProfile', selectMergeProfileBody({ ...p, ...r }), what).pipe(
        map((body) => {
          const limit = this.target.options.maxProfileBytes;
          try {
            return profileFromWire(pyroscopeProfileToWire(body, 0, { maxInputBytes: limit }));
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
    return (pieces.length === 1 ? pieces[0].pipe(map((x) => [x])) : forkJoin(pieces)).pipe(
      map((profiles) => profiles.filter((x) => x.samples.count > 0)),
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

function concatSeries(parts: PyroscopeSeries[][]): PyroscopeSeries[] {
  const byLabels = new Map<string, PyroscopeSeries>();
  for (const part of parts) {
    for (const s of part) {
      const key = JSON.stringify(Object.entries(s.labels).sort());
      const into = byLabels.get(key);
      if (into) {
        into.timestamps.push(...s.timestamps);
        into.values.push(...s.values);
      } else {
        byLabels.set(key, { labels: s.labels, timestamps: [...s.timestamps], values: [...s.values] });
      }
    }
  }
  return [...byLabels.values()];
}

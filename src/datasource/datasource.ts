import {
  CoreApp,
  DataQueryRequest,
  DataQueryResponse,
  DataSourceApi,
  DataSourceInstanceSettings,
  LoadingState,
  MetricFindValue,
  ScopedVars,
  TestDataSourceResponse,
} from '@grafana/data';
import { getTemplateSrv, TemplateSrv } from '@grafana/runtime';
import { Observable, catchError, lastValueFrom, map, merge, of } from 'rxjs';

import { annotationSupport } from './annotations/annotations';
import { EditorOption, labelNames, labelValues, profileTypeOptions } from './editorApi';
import type { Diagnose } from './findings/seam';
import { testPprof, testPyroscope } from './health';
import { PprofClient } from './pprof/pprofClient';
import { exportProfile } from './profileExports';
import type { ExportedProfile, ProfileExporter } from '../frames';
import { PyroscopeClient } from './pyroscope/pyroscopeClient';
import type { TimeRangeMs } from './pyroscope/requests';
import { interpolateQuery } from './query/interpolate';
import { migrateQuery } from './query/migrate';
import { validateQuery } from './query/validate';
import { pyroscopeIdFor } from '../core';
import { RunContext, Runner } from './runners/context';
import { runCpuSplit } from './runners/cpuSplit';
import { runDiff } from './runners/diff';
import { runFindings } from './runners/findings';
import { runFlamegraph } from './runners/flamegraph';
import { runGoroutineClusters } from './runners/goroutineClusters';
import { runGoroutineStates } from './runners/goroutineStates';
import { runTrace } from './runners/trace';
import { runSeries } from './runners/series';
import { runTop } from './runners/top';
import { Target, targetLabel } from './target';
import { isQueryFailure, toQueryFailure } from './transport/failure';
import { GoRuntimeOptions, GoRuntimeQuery, QueryType, resolveOptions } from './types';
import { parseVariableQuery, runVariableQuery, VariableQuery } from './variables/metricFind';

const RUNNERS: Record<QueryType, Runner> = {
  flamegraph: runFlamegraph,
  top: runTop,
  diff: runDiff,
  goroutineStates: runGoroutineStates,
  goroutineClusters: runGoroutineClusters,
  cpuSplit: runCpuSplit,
  findings: runFindings,
  series: runSeries,
  trace: runTrace,
};

export interface DataSourceDeps {
  templateSrv?: TemplateSrv;
  /** The findings rules (src/datasource/findings/seam.ts); tests inject stubs. */
  diagnose?: Diagnose;
  now?: () => number;
}

/**
 * Frontend-only data source: every request goes through Grafana's data proxy (`instanceSettings.url` is
 * `/api/datasources/proxy/uid/<uid>` with `access: proxy`), so credentials stay on the server. Each query type has
 * a runner in ./runners; this class migrates, interpolates and validates queries, runs them side by side, and turns
 * every failure into a per-query error naming target, profile and cause.
 */
export class GoRuntimeDataSource
  extends DataSourceApi<GoRuntimeQuery, GoRuntimeOptions>
  implements ProfileExporter
{
  readonly target: Target;
  private readonly templateSrv: TemplateSrv;
  private readonly deps: DataSourceDeps;

  constructor(instanceSettings: DataSourceInstanceSettings<GoRuntimeOptions>, deps: DataSourceDeps = {}) {
    super(instanceSettings);
    this.deps = deps;
    this.templateSrv = deps.templateSrv ?? getTemplateSrv();
    this.target = {
      name: instanceSettings.name,
      uid: instanceSettings.uid,
      baseUrl: instanceSettings.url ?? '',
      options: resolveOptions(instanceSettings.jsonData),
    };
    this.annotations = annotationSupport;
  }

  get mode() {
    return this.target.options.mode;
  }

  /** The pprof profile a flame frame was drawn from (its `meta.custom.exportProfile` key), gzipped. */
  exportProfile(key: string): Promise<ExportedProfile | undefined> {
    return exportProfile(key);
  }

  getDefaultQuery(_app: CoreApp): Partial<GoRuntimeQuery> {
    return this.mode === 'pyroscope'
      ? { queryType: 'flamegraph', profileType: pyroscopeIdFor('cpu'), labelSelector: '{}' }
      : { queryType: 'flamegraph', profileType: 'cpu' };
  }

  filterQuery(query: GoRuntimeQuery): boolean {
    return !query.hide;
  }

  /** Migration, then interpolation: saved queries of any known shape, with variables resolved. */
  prepareQuery(query: GoRuntimeQuery, scopedVars: ScopedVars = {}): GoRuntimeQuery {
    return interpolateQuery(migrateQuery(query), scopedVars, this.templateSrv);
  }

  interpolateVariablesInQueries(queries: GoRuntimeQuery[], scopedVars: ScopedVars): GoRuntimeQuery[] {
    return queries.map((q) => ({ ...this.prepareQuery(q, scopedVars), datasource: this.getRef() }));
  }

  /** Clients for one request: the gateway prefix may hold dashboard variables. */
  clients(scopedVars: ScopedVars = {}) {
    const prefix = this.templateSrv.replace(this.target.options.pathPrefix, scopedVars, 'raw');
    return { pprof: new PprofClient(this.target, prefix), pyroscope: new PyroscopeClient(this.target) };
  }

  query(request: DataQueryRequest<GoRuntimeQuery>): Observable<DataQueryResponse> {
    const now = this.deps.now?.() ?? Date.now();
    const clients = this.clients(request.scopedVars);
    const rawTo = request.range.raw.to;
    const streams = request.targets
      .filter((t) => !t.hide)
      .map((original) => {
        const key = `${this.target.uid}-${request.panelId ?? request.app ?? 'explore'}-${original.refId}`;
        const ctx: RunContext = {
          target: this.target,
          ...clients,
          range: {
            from: request.range.from.valueOf(),
            to: request.range.to.valueOf(),
            rawTo: typeof rawTo === 'string' ? rawTo : undefined,
          },
          intervalMs: request.intervalMs,
          maxDataPoints: request.maxDataPoints ?? 1000,
          now,
          streamKey: key,
          diagnose: this.deps.diagnose,
        };
        return this.runOne(ctx, this.prepareQuery(original, request.scopedVars), key);
      });
    return streams.length ? merge(...streams) : of({ data: [], state: LoadingState.Done });
  }

  private runOne(ctx: RunContext, query: GoRuntimeQuery, key: string): Observable<DataQueryResponse> {
    const subject = { target: targetLabel(this.target), profile: `${query.queryType} query ${query.refId}` };
    const problems = validateQuery(query, this.mode);
    if (problems.length) {
      const message = `${subject.target}, ${subject.profile}: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`;
      return of({ key, data: [], state: LoadingState.Error, errors: [{ refId: query.refId, message }] });
    }
    return RUNNERS[query.queryType ?? 'flamegraph'](ctx, query).pipe(
      map((response) => ({ ...response, key: response.key ?? key })),
      catchError((error) => {
        const failure = isQueryFailure(error) ? error : toQueryFailure(error, subject);
        return of({
          key,
          data: [],
          state: LoadingState.Error,
          errors: [{ refId: query.refId, message: failure.message, status: failure.status }],
        });
      })
    );
  }

  /** Dashboard variables: services(), profileTypes(), labelNames(), labelValues(name[, {selector}]). */
  async metricFindQuery(
    query: string | { query?: string },
    options?: { range?: DataQueryRequest['range']; scopedVars?: ScopedVars }
  ): Promise<MetricFindValue[]> {
    const text = typeof query === 'string' ? query : (query?.query ?? '');
    const interpolated = this.templateSrv.replace(text, options?.scopedVars, 'raw');
    const parsed: VariableQuery = parseVariableQuery(interpolated);
    const now = this.deps.now?.() ?? Date.now();
    const range = options?.range
      ? { start: options.range.from.valueOf(), end: options.range.to.valueOf() }
      : { start: now - 3600_000, end: now };
    return lastValueFrom(runVariableQuery(parsed, this.mode, this.clients(options?.scopedVars), range));
  }

  /** Editor: the profiles this target offers (pprof index) or the profile types Pyroscope holds. */
  profileTypeOptions(range?: TimeRangeMs, instance?: string): Promise<EditorOption[]> {
    return profileTypeOptions(this.mode, this.clients(), range ?? this.lastHour(), instance);
  }

  /** Editor: label names for selector autocompletion (Pyroscope). */
  labelNames(selector?: string, range?: TimeRangeMs): Promise<string[]> {
    return labelNames(this.clients(), selector, range ?? this.lastHour());
  }

  labelValues(name: string, selector?: string, range?: TimeRangeMs): Promise<string[]> {
    return labelValues(this.clients(), name, selector, range ?? this.lastHour());
  }

  private lastHour(): TimeRangeMs {
    const now = this.deps.now?.() ?? Date.now();
    return { start: now - 3600_000, end: now };
  }

  async testDatasource(): Promise<TestDataSourceResponse> {
    const clients = this.clients();
    return this.mode === 'pyroscope'
      ? testPyroscope(clients.pyroscope, this.deps.now?.() ?? Date.now())
      : testPprof(this.target, clients.pprof);
  }
}

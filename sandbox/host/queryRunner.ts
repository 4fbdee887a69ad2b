// Runs the panel's queries against the data source and turns the responses into the PanelData the panel receives,
// following Grafana's PanelQueryRunner/runRequest: a Loading state first, response packets merged by `key` (a
// streaming data source sends several), frames normalised with toDataFrame and tagged with their refId, errors turned
// into `errors` with state Error, and the panel's field config applied (applyFieldOverrides) so frames carry display
// processors. Starting a new run unsubscribes the old one, which cancels its HTTP requests.
import {
  applyFieldOverrides,
  CoreApp,
  LoadingState,
  rangeUtil,
  toDataFrame,
  type DataFrame,
  type DataQueryRequest,
  type DataQueryResponse,
  type DataSourceApi,
  type FieldConfigSource,
  type GrafanaTheme2,
  type InterpolateFunction,
  type PanelData,
  type PanelPlugin,
  type TimeRange,
} from '@grafana/data';
import { toDataQueryError } from '@grafana/runtime';
import type { DataQuery } from '@grafana/schema';
import { catchError, defer, from, map, type Observable, of, scan, startWith } from 'rxjs';

export interface QueryRunInput {
  datasource: DataSourceApi;
  targets: DataQuery[];
  range: TimeRange;
  timeZone: string;
  maxDataPoints: number;
  panelId: number;
}

let requestCounter = 0;

export function buildRequest({ datasource, targets, range, timeZone, maxDataPoints, panelId }: QueryRunInput): DataQueryRequest<DataQuery> {
  const { interval, intervalMs } = rangeUtil.calculateInterval(range, maxDataPoints);
  const ref = { uid: datasource.uid, type: datasource.type };
  return {
    app: CoreApp.Dashboard,
    requestId: `SQR${++requestCounter}`,
    panelId,
    dashboardUID: 'sandbox',
    range,
    rangeRaw: range.raw,
    timezone: timeZone,
    interval,
    intervalMs,
    maxDataPoints,
    scopedVars: {
      __interval: { text: interval, value: interval },
      __interval_ms: { text: String(intervalMs), value: intervalMs },
    },
    targets: targets.filter((t) => !t.hide).map((t) => ({ ...t, datasource: t.datasource ?? ref })),
    startTime: Date.now(),
  };
}

/** Emits PanelData for one run of `request`: Loading, then every response packet merged, or an error. */
export function runRequest(datasource: DataSourceApi, request: DataQueryRequest<DataQuery>): Observable<PanelData> {
  const loading: PanelData = { state: LoadingState.Loading, series: [], timeRange: request.range, request };
  return defer(() => from(datasource.query(request) as Promise<DataQueryResponse> | Observable<DataQueryResponse>)).pipe(
    scan(
      (acc, packet: DataQueryResponse) => {
        const key = packet.key ?? 'A';
        const frames = (packet.data ?? []).map((item: unknown) => toDataFrame(item));
        acc.packets.set(key, frames);
        return {
          packets: acc.packets,
          state: packet.state ?? LoadingState.Done,
          errors: packet.errors ?? (packet.error ? [packet.error] : undefined),
        };
      },
      { packets: new Map<string, DataFrame[]>(), state: LoadingState.Loading as LoadingState, errors: undefined as PanelData['errors'] }
    ),
    map(
      ({ packets, state, errors }): PanelData => ({
        state: errors?.length ? LoadingState.Error : state,
        series: [...packets.values()].flat(),
        errors,
        error: errors?.[0],
        timeRange: request.range,
        request,
      })
    ),
    startWith(loading),
    catchError((error: unknown) => {
      const dataError = toDataQueryError(error as Parameters<typeof toDataQueryError>[0]);
      return of<PanelData>({ ...loading, state: LoadingState.Error, error: dataError, errors: [dataError] });
    })
  );
}

/** Applies the panel's field config to the frames, as Grafana does before handing data to a panel. */
export function withFieldConfig(
  data: PanelData,
  plugin: PanelPlugin,
  fieldConfig: FieldConfigSource,
  theme: GrafanaTheme2,
  timeZone: string,
  replaceVariables: InterpolateFunction
): PanelData {
  if (data.series.length === 0) {
    return data;
  }
  const series = applyFieldOverrides({
    data: data.series,
    fieldConfig,
    fieldConfigRegistry: plugin.fieldConfigRegistry,
    replaceVariables,
    theme,
    timeZone,
  });
  return { ...data, series };
}

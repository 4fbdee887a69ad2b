/**
 * Queries the panel runs itself through the data source of its own targets: drill-downs into a window or a bucket,
 * the comparison with a baseline, the inverted flame graph, and the views a dashboard has no query for. The request
 * is the panel's own (`PanelData.request`, the one Grafana's query runner sent) with other targets and possibly
 * another range, so interval, scoped variables and the dashboard's identity carry over. The data source is taken
 * with `getDataSourceSrv().get(ref)`, which works in Grafana and in the sandbox alike.
 */
import {
  dateTime,
  LoadingState,
  toDataFrame,
  type DataFrame,
  type DataQueryError,
  type DataQueryRequest,
  type DataQueryResponse,
  type DataSourceApi,
  type DataSourceRef,
  type TimeRange,
} from '@grafana/data';
import { getDataSourceSrv } from '@grafana/runtime';
import { defer, from, map, scan, type Observable } from 'rxjs';

import type { GoRuntimeQuery } from '../../query';
import type { TimeWindow } from '../types';

/** The data source plugin id (src/datasource/plugin.json). */
export const DATASOURCE_TYPE = 'seed-goruntime-datasource';

export interface QueryResult {
  state: LoadingState;
  frames: DataFrame[];
  errors?: DataQueryError[];
  /** Increases with every response packet (streaming frames change in place). */
  revision: number;
}

export const IDLE: QueryResult = { state: LoadingState.NotStarted, frames: [], revision: 0 };

/** The Go Runtime Profiles data source the panel's targets use, or undefined (another or a mixed data source). */
export function goRuntimeDatasource(request: DataQueryRequest | undefined): DataSourceRef | undefined {
  for (const target of request?.targets ?? []) {
    const ref = target.datasource;
    if (!ref?.uid) {
      continue;
    }
    const type = ref.type ?? getDataSourceSrv().getInstanceSettings(ref)?.type;
    if (type === DATASOURCE_TYPE) {
      return { uid: ref.uid, type };
    }
  }
  return undefined;
}

/** `pprof` or `pyroscope`, from the data source's settings (what the panel can ask of it differs). */
export function datasourceMode(ref: DataSourceRef | undefined): 'pprof' | 'pyroscope' | undefined {
  if (!ref) {
    return undefined;
  }
  const mode = (getDataSourceSrv().getInstanceSettings(ref)?.jsonData as { mode?: string } | undefined)?.mode;
  return mode === 'pyroscope' ? 'pyroscope' : 'pprof';
}

export interface QuerySpec {
  datasource: DataSourceRef;
  queries: GoRuntimeQuery[];
  /** An absolute window; omitted = the panel's request range as it is (relative ranges stay "now"). */
  window?: TimeWindow;
}

/** A stable identity for a spec: effects re-run only when it changes. */
export function specKey(spec: QuerySpec | undefined): string {
  return spec ? JSON.stringify([spec.datasource.uid, spec.queries, spec.window]) : '';
}

function absoluteRange(w: TimeWindow): TimeRange {
  const range = { from: dateTime(w.from), to: dateTime(w.to) };
  return { ...range, raw: { ...range } };
}

export function buildRequest(base: DataQueryRequest, spec: QuerySpec, tag: string): DataQueryRequest<GoRuntimeQuery> {
  const range = spec.window ? absoluteRange(spec.window) : base.range;
  return {
    ...base,
    requestId: `${base.requestId}-${tag}`,
    range,
    rangeRaw: range.raw,
    targets: spec.queries.map((q) => ({ ...q, datasource: spec.datasource })),
    startTime: Date.now(),
  };
}

/** Runs a request the way Grafana's runRequest does: packets merged by key, the latest state, errors collected. */
export function runPanelRequest(ds: DataSourceApi, request: DataQueryRequest): Observable<QueryResult> {
  return defer(() => from(ds.query(request) as Promise<DataQueryResponse> | Observable<DataQueryResponse>)).pipe(
    scan(
      (acc, packet: DataQueryResponse) => {
        const key = packet.key ?? 'A';
        const frames = (packet.data ?? []).map((d: unknown) =>
          (d as DataFrame).fields ? (d as DataFrame) : toDataFrame(d)
        );
        acc.packets.set(key, frames);
        if (packet.errors?.length || packet.error) {
          acc.errors.set(key, packet.errors ?? [packet.error!]);
        } else {
          acc.errors.delete(key);
        }
        acc.state = packet.state ?? LoadingState.Done;
        acc.revision++;
        return acc;
      },
      {
        packets: new Map<string, DataFrame[]>(),
        errors: new Map<string, DataQueryError[]>(),
        state: LoadingState.Loading,
        revision: 0,
      }
    ),
    map((acc) => {
      const errors = [...acc.errors.values()].flat();
      return {
        state: errors.length && acc.state !== LoadingState.Streaming ? LoadingState.Error : acc.state,
        frames: [...acc.packets.values()].flat(),
        errors: errors.length ? errors : undefined,
        revision: acc.revision,
      };
    })
  );
}

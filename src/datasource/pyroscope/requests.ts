/**
 * Request bodies of Grafana Pyroscope's QuerierService, exactly as documented (Connect JSON, json_name spelling:
 * grafana/pyroscope:api/querier/v1/querier.proto, api/types/v1/types.proto). Pure functions so tests assert the
 * bodies byte for byte.
 *
 * - `start`/`end` are epoch milliseconds and required by every Select call, LabelNames, LabelValues and Series;
 * - the profile type goes in `profileTypeID`, never in the selector (the server adds `__profile_type__`);
 * - `step` of SelectSeries is a double in seconds and must be >= 0.001 (v2 rejects a missing step);
 * - `maxNodes` 0 or absent means the server default (8192), so it is only sent when set.
 */
export interface TimeRangeMs {
  start: number;
  end: number;
}

export interface SelectParams extends TimeRangeMs {
  profileTypeID: string;
  labelSelector: string;
  maxNodes?: number;
}

export interface SeriesParams extends SelectParams {
  stepSeconds: number;
  groupBy?: string[];
  aggregation?: 'sum' | 'average';
  limit?: number;
}

const AGGREGATION = {
  sum: 'TIME_SERIES_AGGREGATION_TYPE_SUM',
  average: 'TIME_SERIES_AGGREGATION_TYPE_AVERAGE',
} as const;

function range({ start, end }: TimeRangeMs) {
  return { start: Math.floor(start), end: Math.ceil(end) };
}

function select(p: SelectParams) {
  return {
    profileTypeID: p.profileTypeID,
    labelSelector: p.labelSelector.trim() || '{}',
    ...range(p),
    ...(p.maxNodes ? { maxNodes: p.maxNodes } : {}),
  };
}

export function profileTypesBody(r: TimeRangeMs) {
  return range(r);
}

export function labelNamesBody(selector: string | undefined, r: TimeRangeMs) {
  return { matchers: selector && selector.trim() !== '{}' ? [selector.trim()] : [], ...range(r) };
}

export function labelValuesBody(name: string, selector: string | undefined, r: TimeRangeMs) {
  return { name, ...labelNamesBody(selector, r) };
}

/** `Series` with `labelNames` is the cheap "services and their profile types" listing both Pyroscope UIs use. */
export function seriesBody(selector: string | undefined, labelNames: string[], r: TimeRangeMs) {
  return { ...labelNamesBody(selector, r), labelNames };
}

export function selectMergeStacktracesBody(p: SelectParams) {
  return select(p);
}

export function selectMergeProfileBody(p: SelectParams) {
  return select(p);
}

export function diffBody(left: SelectParams, right: SelectParams) {
  return { left: select(left), right: select(right) };
}

export function selectSeriesBody(p: SeriesParams) {
  return {
    profileTypeID: p.profileTypeID,
    labelSelector: p.labelSelector.trim() || '{}',
    ...range(p),
    step: Math.max(0.001, p.stepSeconds),
    groupBy: p.groupBy ?? [],
    ...(p.aggregation ? { aggregation: AGGREGATION[p.aggregation] } : {}),
    ...(p.limit ? { limit: p.limit } : {}),
  };
}

/** Pyroscope's default `max_query_length` (24h): longer Select calls are split (pyroscope:pkg/validation/limits.go). */
export const MAX_QUERY_MS = 24 * 3600 * 1000;

/** Consecutive windows of at most `maxMs` covering [start, end]. */
export function splitRange(r: TimeRangeMs, maxMs = MAX_QUERY_MS): TimeRangeMs[] {
  const out: TimeRangeMs[] = [];
  for (let s = r.start; s < r.end; s += maxMs) {
    out.push({ start: s, end: Math.min(r.end, s + maxMs) });
  }
  return out.length ? out : [r];
}

/**
 * The small responses of Pyroscope's QuerierService (Connect JSON) as plain records: profile types, label names and
 * values, series label sets, SelectSeries points, and Connect errors.
 *
 * Shapes: grafana/pyroscope:api/querier/v1/querier.proto, api/types/v1/types.proto;
 * pkg/frontend/readpath/queryfrontend/query_select_time_series.go. SelectSeries points are sparse (only buckets
 * with data) and a point's timestamp is the bucket end; callers decide about zero fill.
 */
import { PYROSCOPE_JSON, PyroscopeShapeError, double, int64, list, object, str, strings } from './pyroscopeJson';

export interface PyroscopeProfileType {
  /** `<name>:<sampleType>:<sampleUnit>:<periodType>:<periodUnit>` (optionally `:delta`). */
  id: string;
  name: string;
  sampleType: string;
  sampleUnit: string;
  periodType: string;
  periodUnit: string;
}

export interface PyroscopeSeries {
  labels: Record<string, string>;
  /** Milliseconds since the epoch (bucket end), ascending as sent. */
  timestamps: number[];
  values: number[];
}

export interface ConnectError {
  code: string;
  message: string;
}

export function decodeProfileTypes(body: unknown): PyroscopeProfileType[] {
  return list(object(body, '(response)').profileTypes, 'profileTypes').map((raw, i) => {
    const t = object(raw, `profileTypes[${i}]`);
    const at = (k: string) => str(t[k], `profileTypes[${i}].${k}`);
    const id = at('ID');
    if (!id) {
      throw new PyroscopeShapeError('profile type without ID', `profileTypes[${i}].ID`);
    }
    return {
      id,
      name: at('name'),
      sampleType: at('sampleType'),
      sampleUnit: at('sampleUnit'),
      periodType: at('periodType'),
      periodUnit: at('periodUnit'),
    };
  });
}

/** LabelNames and LabelValues both answer `{names: [...]}`. */
export function decodeNames(body: unknown): string[] {
  return strings(object(body, '(response)').names, 'names');
}

function labelPairs(value: unknown, field: string): Record<string, string> {
  const out: Record<string, string> = {};
  list(value, field).forEach((raw, i) => {
    const pair = object(raw, `${field}[${i}]`);
    out[str(pair.name, `${field}[${i}].name`)] = str(pair.value, `${field}[${i}].value`);
  });
  return out;
}

/** Series answers `{labelsSet: [{labels: [{name, value}]}]}`. */
export function decodeLabelsSet(body: unknown): Array<Record<string, string>> {
  return list(object(body, '(response)').labelsSet, 'labelsSet').map((raw, i) =>
    labelPairs(object(raw, `labelsSet[${i}]`).labels, `labelsSet[${i}].labels`)
  );
}

/** SelectSeries answers `{series: [{labels, points: [{value, timestamp}]}]}`; omitted values are 0. */
export function decodeSeries(body: unknown): PyroscopeSeries[] {
  return list(object(body, '(response)').series, 'series').map((raw, i) => {
    const s = object(raw, `series[${i}]`);
    const points = list(s.points, `series[${i}].points`).map((p, j) => object(p, `series[${i}].points[${j}]`));
    return {
      labels: labelPairs(s.labels, `series[${i}].labels`),
      timestamps: points.map((p, j) => int64(p.timestamp, `series[${i}].points[${j}].timestamp`)),
      values: points.map((p, j) => double(p.value, `series[${i}].points[${j}].value`)),
    };
  });
}

/**
 * A Connect unary error body (`{"code": "invalid_argument", "message": "..."}`, connectrpc.com/docs/protocol),
 * or undefined when the body is something else (a proxy's page). Pyroscope v1 wraps errors of its query frontend
 * once more, so the message is itself a JSON-encoded Connect error
 * (`{"code":"invalid_argument","message":"{\"code\":\"invalid_argument\",\"message\":\"1:2: parse error...\"}"}`);
 * those layers are unwrapped so the user reads the innermost message once.
 */
export function decodeConnectError(text: string): ConnectError | undefined {
  let outer: ConnectError | undefined;
  let current = text;
  for (let depth = 0; depth < 4; depth++) {
    const layer = connectLayer(current);
    if (!layer) {
      break;
    }
    outer = { code: outer?.code ?? layer.code, message: layer.message };
    current = layer.message;
  }
  return outer;
}

function connectLayer(text: string): ConnectError | undefined {
  if (!text.trimStart().startsWith('{')) {
    return undefined;
  }
  try {
    const body = JSON.parse(text);
    if (body && typeof body === 'object' && typeof body.code === 'string') {
      return { code: body.code, message: typeof body.message === 'string' ? body.message : '' };
    }
  } catch {
    // not JSON: the caller reports the raw text
  }
  return undefined;
}

export { PYROSCOPE_JSON };

import type { DataSourceJsonData } from '@grafana/data';

/** Where profiles come from: a live Go process's net/http/pprof, or the Pyroscope continuous-profiling store. */
export type TargetMode = 'pprof' | 'pyroscope';

/**
 * Data source settings (`jsonData`). Secrets never live here: basic auth passwords and custom header values
 * (e.g. a Pyroscope tenant in `X-Scope-OrgID`) are in `secureJsonData` and added by Grafana's data proxy
 * (`jsonData.httpHeaderNameN` + `secureJsonData.httpHeaderValueN`,
 * grafana/grafana:docs/sources/administration/provisioning/index.md).
 */
export interface GoRuntimeOptions extends DataSourceJsonData {
  mode?: TargetMode;
  /** pprof mode: path under the data source URL where net/http/pprof is mounted (default `/debug/pprof`). */
  pprofPath?: string;
  /**
   * pprof mode behind a gateway: a path prefix template placed before `pprofPath`, e.g. `/pods/${instance}`.
   * `${instance}` is the query's instance; dashboard variables are interpolated too. Values may not escape the base.
   */
  pathPrefix?: string;
  /**
   * Seconds Grafana's data proxy waits for response headers (`[dataproxy] timeout`, default 30). Provisioning YAML
   * and the HTTP API may store it as a string ("60"), which Grafana accepts too (see {@link proxyTimeoutSeconds}).
   */
  timeout?: number | string;
  /** Largest response body accepted, in bytes; larger ones are rejected before decoding. */
  maxProfileBytes?: number;
  /** Longest live CPU/delta capture in seconds; a dashboard range ending now is captured up to this length. */
  defaultCpuSeconds?: number;
  /** Pyroscope mode: parallel requests when a query needs one profile per time bucket. */
  bucketConcurrency?: number;
  /** pprof mode: path of a runtime/trace flight recorder snapshot endpoint (e.g. `/debug/flightrecorder`). */
  flightRecorderPath?: string;
}

/** Secrets: the basic auth password and custom header values (`httpHeaderValueN`, see components/config/headers.ts). */
export interface GoRuntimeSecureOptions {
  basicAuthPassword?: string;
}

export { QUERY_SCHEMA_VERSION, QUERY_TYPES } from '../query';
export type { BaselineSpec, GoRuntimeQuery, QueryType } from '../query';

export const DEFAULT_OPTIONS = {
  mode: 'pprof' as TargetMode,
  pprofPath: '/debug/pprof',
  pathPrefix: '',
  timeout: 30,
  maxProfileBytes: 64 * 1024 * 1024,
  defaultCpuSeconds: 10,
  bucketConcurrency: 4,
  flightRecorderPath: '',
};

export type ResolvedOptions = typeof DEFAULT_OPTIONS;

/**
 * The data proxy's timeout as Grafana reads `jsonData.timeout` (grafana/grafana:
 * pkg/services/datasources/service/datasource.go `getTimeout`): a number (its integer part), or a string of digits
 * (`strconv.Atoi`); anything else, zero or negative means the default. Reading it the same way keeps captures
 * below the timeout Grafana actually applies.
 */
export function proxyTimeoutSeconds(value: unknown, fallback: number = DEFAULT_OPTIONS.timeout): number {
  let seconds = 0;
  if (typeof value === 'number' && Number.isFinite(value)) {
    seconds = Math.trunc(value);
  } else if (typeof value === 'string' && /^[+-]?\d+$/.test(value)) {
    seconds = Number(value);
  }
  return seconds > 0 ? seconds : fallback;
}

export function resolveOptions(jsonData: GoRuntimeOptions | undefined): ResolvedOptions {
  const j = jsonData ?? {};
  const positive = (v: unknown, d: number) => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : d);
  return {
    mode: j.mode === 'pyroscope' ? 'pyroscope' : 'pprof',
    pprofPath: j.pprofPath?.trim() || DEFAULT_OPTIONS.pprofPath,
    pathPrefix: j.pathPrefix?.trim() ?? '',
    timeout: proxyTimeoutSeconds(j.timeout),
    maxProfileBytes: positive(j.maxProfileBytes, DEFAULT_OPTIONS.maxProfileBytes),
    defaultCpuSeconds: positive(j.defaultCpuSeconds, DEFAULT_OPTIONS.defaultCpuSeconds),
    bucketConcurrency: Math.min(16, positive(j.bucketConcurrency, DEFAULT_OPTIONS.bucketConcurrency)),
    flightRecorderPath: j.flightRecorderPath?.trim() ?? '',
  };
}

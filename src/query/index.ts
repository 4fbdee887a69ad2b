/**
 * The query a Go runtime panel or dashboard sends to the data source: shared by the data source (which runs it), the
 * panel (which plans its companion queries) and provisioned dashboards. It lives outside src/datasource so the panel
 * depends on the query's shape, never on the data source's code.
 */
import type { DataQuery } from '@grafana/schema';

export const QUERY_TYPES = [
  'flamegraph',
  'top',
  'diff',
  'goroutineStates',
  'goroutineClusters',
  'cpuSplit',
  'findings',
  'series',
  'trace',
] as const;
export type QueryType = (typeof QUERY_TYPES)[number];

/** The baseline of a diff: the same-length window `offset` earlier (`1h`, `30m`), or an absolute range. */
export type BaselineSpec = { kind: 'offset'; offset: string } | { kind: 'range'; from: string; to: string };

export const QUERY_SCHEMA_VERSION = 2;

export interface GoRuntimeQuery extends DataQuery {
  queryType?: QueryType;
  /**
   * pprof mode: a net/http/pprof profile name (`cpu`, `heap`, `allocs`, `goroutine`, `mutex`, `block`,
   * `threadcreate`, `goroutineleak`). Pyroscope mode: a profile type ID
   * (`process_cpu:cpu:nanoseconds:cpu:nanoseconds`). Either form is translated when the mode differs.
   */
  profileType?: string;
  /** pprof mode: the sample type to show (`alloc_space`, `inuse_objects`, `delay`...); default per profile. */
  sampleType?: string;
  /** Pyroscope mode: Prometheus-style label selector, e.g. `{service_name="checkout"}`. */
  labelSelector?: string;
  /** pprof mode behind a gateway: the value of `${instance}` in the path prefix template. */
  instance?: string;
  maxNodes?: number;
  /** Keep only stacks with a frame matching this regular expression (pprof -focus). */
  focus?: string;
  /** Drop stacks with a frame matching this regular expression (pprof -ignore). */
  ignore?: string;
  /** Bottom-up (callers) flame graph. */
  inverted?: boolean;
  baseline?: BaselineSpec;
  /** Pyroscope series: labels to group by, aggregation, top-N series. */
  groupBy?: string[];
  aggregation?: 'sum' | 'average';
  limit?: number;
  /** pprof mode: capture length override in seconds (else derived from the range, see README). */
  seconds?: number;
  /** pprof mode: keep polling the target while the dashboard is open (goroutine states, CPU split). */
  stream?: boolean;
  /**
   * `goroutineClusters` in Pyroscope mode: the clusters of every bucket of the goroutine-state heatmap (same buckets,
   * a `Bucket end` column) rather than of the whole window.
   */
  perBucket?: boolean;
  /** Polling interval / bucket width, e.g. `10s` (default: Grafana's interval, at least 5s). */
  interval?: string;
  /** `trace` queries: a live `trace?seconds=N` capture (default) or the flight recorder snapshot. */
  traceSource?: 'live' | 'flightRecorder';
  /** Saved-query shape version, for migration. */
  schemaVersion?: number;
}

import type { DataSourceJsonData } from '@grafana/data';
import type { DataQuery } from '@grafana/schema';

/** Where profiles come from: a live Go process's net/http/pprof, or the Pyroscope continuous-profiling store. */
export type TargetMode = 'pprof' | 'pyroscope';

export interface GoRuntimeOptions extends DataSourceJsonData {
  mode?: TargetMode;
  /** Path under the data source URL where net/http/pprof is mounted (default `/debug/pprof`). */
  pprofPath?: string;
  /** Largest profile body accepted before decoding, in bytes. */
  maxProfileBytes?: number;
  /** Default CPU capture length for live queries, in seconds. */
  defaultCpuSeconds?: number;
}

export interface GoRuntimeQuery extends DataQuery {
  /** Profile to read: cpu, heap, allocs, goroutine, mutex, block, threadcreate. */
  profile?: string;
}

export const DEFAULT_OPTIONS: Required<Pick<GoRuntimeOptions, 'mode' | 'pprofPath' | 'maxProfileBytes' | 'defaultCpuSeconds'>> = {
  mode: 'pprof',
  pprofPath: '/debug/pprof',
  maxProfileBytes: 64 * 1024 * 1024,
  defaultCpuSeconds: 10,
};

/**
 * What each query type is for and which query fields it reads, so the editor shows only the fields that matter
 * and says in one line what the panel will get.
 */
import type { GoRuntimeQuery, QueryType, TargetMode } from '../types';

export type EditorField =
  | 'profileType'
  | 'sampleType'
  | 'labelSelector'
  | 'maxNodes'
  | 'focus'
  | 'ignore'
  | 'inverted'
  | 'baseline'
  | 'groupBy'
  | 'aggregation'
  | 'limit'
  | 'interval'
  | 'stream'
  | 'seconds'
  | 'instance'
  | 'traceSource';

export interface QueryTypeInfo {
  value: QueryType;
  label: string;
  description: string;
  /** Fields read in each mode (the mode-specific ones are filtered by {@link editorFields}). */
  fields: EditorField[];
  /** Profile the query type reads when none is chosen. */
  defaultProfile?: string;
}

const PROFILE_FIELDS: EditorField[] = [
  'profileType',
  'sampleType',
  'labelSelector',
  'maxNodes',
  'focus',
  'ignore',
  'inverted',
  'seconds',
  'instance',
];

export const QUERY_TYPE_INFO: readonly QueryTypeInfo[] = [
  {
    value: 'flamegraph',
    label: 'Flame graph',
    description: 'Where time or memory goes in the window (nested-set frame for the Flame Graph panel).',
    fields: PROFILE_FIELDS,
  },
  {
    value: 'top',
    label: 'Top functions',
    description: 'Self and total per function, as go tool pprof -top (table).',
    fields: ['profileType', 'sampleType', 'labelSelector', 'focus', 'ignore', 'limit', 'seconds', 'instance'],
  },
  {
    value: 'diff',
    label: 'Diff',
    description: 'The window against a baseline (diff flame graph). Live targets compare two back-to-back halves.',
    fields: [...PROFILE_FIELDS, 'baseline'],
  },
  {
    value: 'goroutineStates',
    label: 'Goroutine states',
    description: 'Goroutines per state over time (heatmap-cells frame for the Heatmap panel).',
    fields: ['labelSelector', 'interval', 'stream', 'instance'],
    defaultProfile: 'goroutine',
  },
  {
    value: 'goroutineClusters',
    label: 'Goroutine clusters',
    description: 'Goroutines grouped by state, stack and creation site (table); streamed, with growth per minute.',
    fields: ['labelSelector', 'limit', 'interval', 'stream', 'instance'],
    defaultProfile: 'goroutine',
  },
  {
    value: 'cpuSplit',
    label: 'CPU split',
    description: 'Share of CPU in user code, libraries, GC, scheduler, syscalls and cgo (time series).',
    fields: ['labelSelector', 'focus', 'ignore', 'interval', 'stream', 'seconds', 'instance'],
    defaultProfile: 'cpu',
  },
  {
    value: 'findings',
    label: 'Findings',
    description: 'Diagnosis of the window by the four-layer method (table; also usable as annotations).',
    fields: ['labelSelector', 'baseline', 'seconds', 'instance'],
  },
  {
    value: 'series',
    label: 'Series (Pyroscope)',
    description: 'Total of a profile type over time from Pyroscope SelectSeries (time series).',
    fields: ['profileType', 'labelSelector', 'groupBy', 'aggregation', 'limit', 'interval'],
  },
  {
    value: 'trace',
    label: 'Execution trace',
    description:
      'Goroutine states, group lanes, GC/STW and latency flame graphs from a Go execution trace (live or flight recorder).',
    fields: ['traceSource', 'seconds', 'limit', 'instance'],
  },
];

const PPROF_ONLY: EditorField[] = ['sampleType', 'seconds', 'instance', 'stream', 'traceSource'];
const PYROSCOPE_ONLY: EditorField[] = ['labelSelector', 'groupBy', 'aggregation'];

export function queryTypeInfo(type: QueryType | undefined): QueryTypeInfo {
  return QUERY_TYPE_INFO.find((t) => t.value === type) ?? QUERY_TYPE_INFO[0];
}

/** The fields the editor shows for a query in a mode (`instance` only when the path prefix uses it). */
export function editorFields(query: GoRuntimeQuery, mode: TargetMode, prefixUsesInstance: boolean): EditorField[] {
  return queryTypeInfo(query.queryType).fields.filter((f) => {
    if (mode === 'pprof' && PYROSCOPE_ONLY.includes(f)) {
      return false;
    }
    if (mode === 'pyroscope' && PPROF_ONLY.includes(f)) {
      return false;
    }
    return f !== 'instance' || prefixUsesInstance;
  });
}

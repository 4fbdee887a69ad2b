/**
 * Table frames of an execution trace: goroutine groups (what `go tool trace`'s goroutine analysis lists per start
 * function) and GC / stop-the-world spans (bands on the time axis). Writer, reader and field names in one file.
 */
import { DataFrame, FieldType, createDataFrame } from '@grafana/data';

export const TRACE_GROUPS_FRAME_NAME = 'goroutine groups';
export const TRACE_SPANS_FRAME_NAME = 'gc and stw';

export interface GroupRow {
  name: string;
  count: number;
  running: number;
  runnable: number;
  syscall: number;
  blocked: number;
  gcAssist: number;
  /** The block reason with the most time, '' when never blocked. */
  topReason: string;
}

const GROUP_FIELDS: Array<[keyof GroupRow, string, string | undefined]> = [
  ['name', 'Start function', undefined],
  ['count', 'Goroutines', 'short'],
  ['running', 'Execution', 'ns'],
  ['runnable', 'Scheduler wait', 'ns'],
  ['syscall', 'Syscall', 'ns'],
  ['blocked', 'Blocked', 'ns'],
  ['gcAssist', 'GC assist', 'ns'],
  ['topReason', 'Blocked most on', undefined],
];

export function traceGroupsFrame(
  rows: readonly GroupRow[],
  options: { refId?: string; custom?: Record<string, unknown> } = {}
): DataFrame {
  return createDataFrame({
    name: TRACE_GROUPS_FRAME_NAME,
    refId: options.refId,
    meta: { preferredVisualisationType: 'table', custom: options.custom },
    fields: GROUP_FIELDS.map(([key, name, unit]) => ({
      name,
      type: unit ? FieldType.number : FieldType.string,
      values: rows.map((r) => r[key]),
      config: unit ? { unit } : {},
    })),
  });
}

export function readTraceGroups(frame: DataFrame): GroupRow[] | undefined {
  if (frame.name !== TRACE_GROUPS_FRAME_NAME) {
    return undefined;
  }
  const columns = GROUP_FIELDS.map(([, name]) => frame.fields.find((f) => f.name === name)?.values);
  if (columns.some((c) => c === undefined)) {
    return undefined;
  }
  return Array.from({ length: frame.length }, (_, i) => {
    const row = {} as Record<keyof GroupRow, unknown>;
    GROUP_FIELDS.forEach(([key], c) => (row[key] = columns[c]![i]));
    return row as unknown as GroupRow;
  });
}

export interface SpanRow {
  /** ms since the epoch. */
  start: number;
  end: number;
  kind: 'gc' | 'stw';
  /** For stop-the-world: Go's reason ("GC mark termination"...). */
  reason: string;
}

export function traceSpansFrame(
  rows: readonly SpanRow[],
  options: { refId?: string; custom?: Record<string, unknown> } = {}
): DataFrame {
  return createDataFrame({
    name: TRACE_SPANS_FRAME_NAME,
    refId: options.refId,
    meta: { preferredVisualisationType: 'table', custom: options.custom },
    fields: [
      { name: 'time', type: FieldType.time, values: rows.map((r) => r.start) },
      { name: 'timeEnd', type: FieldType.time, values: rows.map((r) => r.end) },
      { name: 'kind', type: FieldType.string, values: rows.map((r) => r.kind) },
      { name: 'reason', type: FieldType.string, values: rows.map((r) => r.reason) },
    ],
  });
}

export function readTraceSpans(frame: DataFrame): SpanRow[] | undefined {
  if (frame.name !== TRACE_SPANS_FRAME_NAME) {
    return undefined;
  }
  const get = (name: string) => frame.fields.find((f) => f.name === name)?.values;
  const [start, end, kind, reason] = ['time', 'timeEnd', 'kind', 'reason'].map(get);
  if (!start || !end || !kind || !reason) {
    return undefined;
  }
  return Array.from({ length: frame.length }, (_, i) => ({
    start: start[i],
    end: end[i],
    kind: kind[i],
    reason: reason[i],
  }));
}

export const TRACE_GROUP_WAITS_FRAME_NAME = 'goroutine group waits';

/** One stack a goroutine group waited on (core GroupWaitRecord). */
export interface GroupWaitRow {
  group: string;
  /** 'runnable' (scheduler wait), 'syscall' or 'waiting' (blocked). */
  kind: 'runnable' | 'syscall' | 'waiting';
  /** Go's block reason for 'waiting' ("sync", "chan receive", "select", "network"…), else ''. */
  reason: string;
  /** Function names, leaf first. */
  funcs: string[];
  count: number;
  /** ns. */
  time: number;
}

/** The stack column is root first, `;`-separated (the folded-stack format): Go function names hold no `;`. */
const STACK_SEPARATOR = ';';

const GROUP_WAIT_FIELDS = {
  group: 'Start function',
  kind: 'State',
  reason: 'Block reason',
  stack: 'Stack',
  count: 'Intervals',
  time: 'Wait time',
} as const;

export function traceGroupWaitsFrame(
  rows: readonly GroupWaitRow[],
  options: { refId?: string; custom?: Record<string, unknown> } = {}
): DataFrame {
  const f = GROUP_WAIT_FIELDS;
  return createDataFrame({
    name: TRACE_GROUP_WAITS_FRAME_NAME,
    refId: options.refId,
    meta: { preferredVisualisationType: 'table', custom: options.custom },
    fields: [
      { name: f.group, type: FieldType.string, values: rows.map((r) => r.group) },
      { name: f.kind, type: FieldType.string, values: rows.map((r) => r.kind) },
      { name: f.reason, type: FieldType.string, values: rows.map((r) => r.reason) },
      {
        name: f.stack,
        type: FieldType.string,
        values: rows.map((r) => [...r.funcs].reverse().join(STACK_SEPARATOR)),
      },
      { name: f.count, type: FieldType.number, values: rows.map((r) => r.count), config: { unit: 'short' } },
      { name: f.time, type: FieldType.number, values: rows.map((r) => r.time), config: { unit: 'ns' } },
    ],
  });
}

export function readTraceGroupWaits(frame: DataFrame): GroupWaitRow[] | undefined {
  if (frame.name !== TRACE_GROUP_WAITS_FRAME_NAME) {
    return undefined;
  }
  const get = (name: string) => frame.fields.find((f) => f.name === name)?.values;
  const f = GROUP_WAIT_FIELDS;
  const [group, kind, reason, stack, count, time] = [f.group, f.kind, f.reason, f.stack, f.count, f.time].map(get);
  if (!group || !kind || !reason || !stack || !count || !time) {
    return undefined;
  }
  return Array.from({ length: frame.length }, (_, i) => ({
    group: group[i],
    kind: kind[i],
    reason: reason[i],
    funcs: stack[i] === '' ? [] : String(stack[i]).split(STACK_SEPARATOR).reverse(),
    count: count[i],
    time: time[i],
  }));
}

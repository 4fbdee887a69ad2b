/**
 * Trace state spans → time buckets, for the goroutine-state heatmap (the same states and labels as the dump-based
 * heatmap, core/model/goroutineState.ts) and for goroutine-group lanes (Grafana's State timeline).
 *
 * A trace knows every state change, so a bucket's value is exact: the mean number of goroutines in each state over
 * the bucket (the time goroutines spent in the state inside the bucket, divided by its width). Goroutines are
 * counted from their first transition in the trace (before it their state is unknown) until they end.
 *
 * Trace block reasons (golang/go:src/runtime/traceruntime.go traceBlockReasonStrings) are coarser than dump wait
 * reasons: "sync" covers Mutex, RWMutex, WaitGroup and semaphores, and is shown as mutex/rwmutex.
 */
import { GOROUTINE_STATES, GOROUTINE_STATE_LABELS, GoroutineState } from '../model/goroutineState';
import { CallTree, CallTreeBuilder, ROOT_LABEL } from './callTree';
import { LaneState, LatencyProfileName, TraceAnalysis } from './traceAnalysis';

const REASON_STATES: ReadonlyMap<string, GoroutineState> = new Map<string, GoroutineState>([
  ['network', 'io-wait'],
  ['chan receive', 'chan-receive'],
  ['chan send', 'chan-send'],
  ['select', 'select'],
  ['sync', 'mutex'],
  ['sync.(*Cond).Wait', 'cond'],
  ['sleep', 'sleep'],
  ['GC mark assist wait for work', 'gc'],
  ['GC background sweeper wait', 'gc'],
  ['wait until GC ends', 'gc'],
  ['GC weak to strong wait', 'gc'],
  ['system goroutine wait', 'idle-system'],
]);

/** The heatmap state of a trace block reason. */
export function traceWaitState(reason: string): GoroutineState {
  return REASON_STATES.get(reason) ?? 'other';
}

const STATE_INDEX = new Map(GOROUTINE_STATES.map((s, i) => [s, i]));

function laneStateIndex(state: LaneState, reason: string): number {
  switch (state) {
    case LaneState.Running:
      return STATE_INDEX.get('running')!;
    case LaneState.Runnable:
      return STATE_INDEX.get('runnable')!;
    case LaneState.Syscall:
      return STATE_INDEX.get('syscall')!;
    case LaneState.Waiting:
      return STATE_INDEX.get(traceWaitState(reason))!;
    default:
      return -1;
  }
}

export interface TraceBuckets {
  /** Bucket edges in trace ns: bucket i covers [edges[i], edges[i+1]). */
  edges: number[];
}

/** `count` equal buckets over the whole trace. */
export function traceBuckets(a: TraceAnalysis, count: number): TraceBuckets {
  const n = Math.max(1, Math.floor(count));
  const width = Math.max(1, a.end) / n;
  return { edges: Array.from({ length: n + 1 }, (_, i) => (i === n ? Math.max(1, a.end) : i * width)) };
}

/** Adds the overlap of [start, end) with each bucket into acc[bucket * stride + state]. */
function spread(acc: Float64Array, edges: number[], stride: number, state: number, start: number, end: number): void {
  const n = edges.length - 1;
  const width = (edges[n] - edges[0]) / n;
  let b = Math.max(0, Math.min(n - 1, Math.floor((start - edges[0]) / width)));
  while (b < n && edges[b] < end) {
    const lo = Math.max(start, edges[b]);
    const hi = Math.min(end, edges[b + 1]);
    if (hi > lo) {
      acc[b * stride + state] += hi - lo;
    }
    b++;
  }
}

/**
 * Time per lane, bucket and state, ns, at [(lane * buckets + bucket) * states + state]: one pass over the transition
 * log, each goroutine's state holding from its transition to its next one (or the end of the trace). `laneOfGroup`
 * maps group indexes to lanes (absent: one lane with every goroutine); goroutines of groups without a lane
 * (-1 or beyond the array) are skipped.
 */
function stateTime(a: TraceAnalysis, buckets: TraceBuckets, lanes = 1, laneOfGroup?: Int32Array): Float64Array {
  const stride = GOROUTINE_STATES.length;
  const nBuckets = buckets.edges.length - 1;
  const acc = new Float64Array(lanes * nBuckets * stride);
  const log = a.transitions;
  const waitingIndex = a.reasons.map((reason) => laneStateIndex(LaneState.Waiting, reason));
  const plainIndex = [
    LaneState.Running,
    LaneState.Runnable,
    LaneState.Syscall,
    LaneState.Waiting,
    LaneState.Absent,
  ].map((lane) => laneStateIndex(lane, ''));
  const stateIndex = (lane: LaneState, reason: number) => (reason >= 0 ? waitingIndex[reason] : plainIndex[lane]);
  /** Per goroutine index: its lane (-1: none), and the time and heatmap state (-1: none) of its last transition. */
  const laneOf = new Int32Array(log.goroutines);
  for (let i = 0; i < laneOf.length; i++) {
    laneOf[i] = laneOfGroup ? (laneOfGroup[log.groupOf[i]] ?? -1) : 0;
  }
  const since = new Float64Array(log.goroutines);
  const state = new Int32Array(log.goroutines).fill(-1);
  const close = (i: number, end: number) => {
    if (state[i] >= 0 && laneOf[i] >= 0) {
      spread(acc.subarray(laneOf[i] * nBuckets * stride), buckets.edges, stride, state[i], since[i], end);
    }
  };
  for (const c = log.cursor(); c.next();) {
    const i = c.goroutine;
    close(i, c.time);
    since[i] = c.time;
    state[i] = stateIndex(c.state, c.reason);
  }
  for (let i = 0; i < state.length; i++) {
    close(i, a.end);
  }
  return acc;
}

export interface TraceStateColumn {
  /** End of the bucket, trace ns. */
  end: number;
  /** Mean goroutines per state over the bucket, in GOROUTINE_STATES order. */
  counts: number[];
}

/** Mean goroutine counts per state and bucket (the heatmap's columns). */
export function traceStateColumns(a: TraceAnalysis, buckets: TraceBuckets): TraceStateColumn[] {
  const stride = GOROUTINE_STATES.length;
  const acc = stateTime(a, buckets);
  const columns: TraceStateColumn[] = [];
  for (let b = 0; b + 1 < buckets.edges.length; b++) {
    const width = buckets.edges[b + 1] - buckets.edges[b];
    const counts: number[] = [];
    for (let s = 0; s < stride; s++) {
      counts.push(width > 0 ? acc[b * stride + s] / width : 0);
    }
    columns.push({ end: buckets.edges[b + 1], counts });
  }
  return columns;
}

export interface GroupLane {
  name: string;
  count: number;
  /** Per bucket: the state its goroutines spent most time in (label), or null when none of them existed. */
  states: Array<string | null>;
  /** Per bucket: mean goroutines of the group in that state. */
  weights: number[];
}

/** Lanes for the `top` busiest goroutine groups (running + runnable + syscall time), each bucket its dominant state. */
export function groupLanes(a: TraceAnalysis, buckets: TraceBuckets, top: number): GroupLane[] {
  const stride = GOROUTINE_STATES.length;
  const nBuckets = buckets.edges.length - 1;
  const groups = a.groups.slice(0, top);
  /** Groups are in a.groups order: the first `top` are lanes 0 … top-1. */
  const laneOfGroup = new Int32Array(a.groups.length).fill(-1);
  groups.forEach((_, lane) => (laneOfGroup[lane] = lane));
  const acc = stateTime(a, buckets, groups.length, laneOfGroup);
  return groups.map((group, lane) => {
    const states: Array<string | null> = [];
    const weights: number[] = [];
    for (let b = 0; b < nBuckets; b++) {
      const base = (lane * nBuckets + b) * stride;
      let best = -1;
      for (let s = 0; s < stride; s++) {
        if (acc[base + s] > 0 && (best < 0 || acc[base + s] > acc[base + best])) {
          best = s;
        }
      }
      const width = buckets.edges[b + 1] - buckets.edges[b];
      states.push(best < 0 ? null : GOROUTINE_STATE_LABELS[GOROUTINE_STATES[best]]);
      weights.push(best < 0 || width <= 0 ? 0 : acc[base + best] / width);
    }
    return { name: group.name, count: group.count, states, weights };
  });
}

export const TRACE_STATE_LABELS: readonly string[] = GOROUTINE_STATES.map((s) => GOROUTINE_STATE_LABELS[s]);

/**
 * A latency profile as a call tree (values in ns of waiting), so the flame frame writer draws it like any profile:
 * `go tool trace -pprof=<name>` opened in pprof. Stacks are leaf first in the records; the tree is root first.
 */
export function latencyCallTree(a: TraceAnalysis, profile: LatencyProfileName): CallTree {
  return stackRecordsCallTree(a.profiles[profile], `${profile} latency`);
}

/** Records of leaf-first stacks with a count and a time (ns) → a root-first call tree of those times. */
export function stackRecordsCallTree(
  records: ReadonlyArray<{ funcs: readonly string[]; count: number; time: number }>,
  type: string
): CallTree {
  const names: string[] = [];
  const ids = new Map<string, number>();
  const nameId = (name: string) => {
    let id = ids.get(name);
    if (id === undefined) {
      id = names.length;
      names.push(name);
      ids.set(name, id);
    }
    return id;
  };
  const root = nameId(ROOT_LABEL);
  const builder = new CallTreeBuilder(root, Math.max(64, records.length * 4));
  let rootTotal = 0;
  let samples = 0;
  for (const r of records) {
    builder.reserve(Math.max(1, r.funcs.length));
    const total = builder.total;
    let node = 0;
    for (let i = r.funcs.length - 1; i >= 0; i--) {
      node = builder.child(node, nameId(r.funcs[i]));
      total[node] += r.time;
    }
    builder.self[node] += r.time;
    rootTotal += r.time;
    samples += r.count;
  }
  builder.total[0] = rootTotal;
  return {
    names,
    ...builder.columns(),
    sampleType: { type, unit: 'nanoseconds' },
    inverted: false,
    sampleCount: samples,
  };
}

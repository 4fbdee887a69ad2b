/**
 * Where each goroutine group waited, by stack: every interval a goroutine spends runnable (scheduler wait), in a
 * syscall or blocked (by block reason) is charged, with its length, to the goroutine's group and to the stack of the
 * event that entered the state — the stacks the latency profiles use (traceAnalysis.ts): for blocking and syscalls
 * the goroutine's own stack, for runnable the unblocking or preempting one.
 *
 * Unlike the latency profiles (which follow `go tool trace -pprof`), intervals still open at the end of the trace are
 * charged up to its end and a goroutine already waiting when the trace started counts from its first event, so a
 * group's stacks add up exactly to its goroutines' state times (GoroutineTrace.runnable, .syscall, .waiting).
 *
 * A goroutine's group is only final once its label is (a goroutine started through a wrapper is labelled by the
 * callee once a deeper stack is seen): until then its intervals wait on the goroutine and move to the group when
 * it is labelled or ends.
 */
import type { CallTree } from './callTree';
import { stackRecordsCallTree } from './traceTimeline';

export type WaitKind = 'runnable' | 'syscall' | 'waiting';

export interface GroupWaitRecord {
  /** Group name, as in TraceAnalysis.groups. */
  group: string;
  kind: WaitKind;
  /** Go's block reason for `waiting` ("sync", "chan receive", "select", "network"…), '' otherwise or unknown. */
  reason: string;
  /** Function names, leaf first; empty when the entering event had no stack. */
  funcs: string[];
  /** Intervals. */
  count: number;
  /** Total ns. */
  time: number;
}

/** The group a goroutine belongs to: its label (the callee of a wrapper it was started through), else its start function. */
export function groupNameOf(g: { label: string; name: string }): string {
  return g.label || g.name || '(unknown start function)';
}

/**
 * What a goroutine was doing, as a number (a transition costs no string work): {@link RUNNABLE}, {@link SYSCALL}, or
 * {@link WAITING} + the index of the block reason in the analysis' reason list.
 */
export const RUNNABLE = 0;
export const SYSCALL = 1;
export const WAITING = 2;

interface Cell {
  state: number;
  stack: number;
  count: number;
  time: number;
}

/** Cells by state code and stack number. */
type Bucket = Map<number, Map<number, Cell>>;

function addCell(bucket: Bucket, state: number, stack: number, count: number, d: number): void {
  let byStack = bucket.get(state);
  if (!byStack) {
    byStack = new Map();
    bucket.set(state, byStack);
  }
  const cell = byStack.get(stack);
  if (cell) {
    cell.count += count;
    cell.time += d;
  } else {
    byStack.set(stack, { state, stack, count, time: d });
  }
}

/** Stack number 0: the entering event had no stack. */
const NO_STACK = 0;

/** Accumulates group waits transition by transition (driven by TraceAnalyzer). */
export class GroupWaitProfiler {
  /** Function names per stack number; stacks with the same names share a number. */
  private readonly stacks: string[][] = [[]];
  private readonly stackByNames = new Map<string, number>([['', NO_STACK]]);
  /** Stack numbers by the analyzer's function-name arrays (one per stack and generation, resolved once). */
  private readonly stackOfNames = new WeakMap<readonly string[], number>();
  private readonly groups = new Map<string, Bucket>();
  /** Intervals of goroutines whose group is not final yet. */
  private readonly pending = new Map<{ label: string; name: string }, Bucket>();

  private stackNumber(funcs: readonly string[]): number {
    if (funcs.length === 0) {
      return NO_STACK;
    }
    let n = this.stackOfNames.get(funcs);
    if (n === undefined) {
      const key = funcs.join('\n');
      n = this.stackByNames.get(key);
      if (n === undefined) {
        n = this.stacks.length;
        this.stacks.push(funcs.slice());
        this.stackByNames.set(key, n);
      }
      this.stackOfNames.set(funcs, n);
    }
    return n;
  }

  private groupBucket(name: string): Bucket {
    let bucket = this.groups.get(name);
    if (!bucket) {
      bucket = new Map();
      this.groups.set(name, bucket);
    }
    return bucket;
  }

  /** Charges `d` ns in a state (a code above) to the goroutine, on the stack `funcs` (leaf first). */
  charge(g: { label: string; name: string }, state: number, funcs: readonly string[], d: number): void {
    const stack = this.stackNumber(funcs);
    let bucket: Bucket | undefined;
    if (g.label !== '') {
      bucket = this.groupBucket(g.label);
    } else {
      bucket = this.pending.get(g);
      if (!bucket) {
        bucket = new Map();
        this.pending.set(g, bucket);
      }
    }
    addCell(bucket, state, stack, 1, d);
  }

  /** The goroutine's group is final (it was labelled, ended or the trace ended): moves its held intervals there. */
  settle(g: { label: string; name: string }): void {
    const held = this.pending.size === 0 ? undefined : this.pending.get(g);
    if (!held) {
      return;
    }
    this.pending.delete(g);
    const bucket = this.groupBucket(groupNameOf(g));
    for (const byStack of held.values()) {
      for (const c of byStack.values()) {
        addCell(bucket, c.state, c.stack, c.count, c.time);
      }
    }
  }

  /**
   * Every group's records, groups in name order, each group's records by time, longest first; `reasons` are the
   * block reasons the {@link WAITING} codes index.
   */
  finish(reasons: readonly string[]): GroupWaitRecord[] {
    for (const g of [...this.pending.keys()]) {
      this.settle(g);
    }
    const out: GroupWaitRecord[] = [];
    for (const group of [...this.groups.keys()].sort()) {
      const cells = [...this.groups.get(group)!.values()].flatMap((byStack) => [...byStack.values()]);
      cells.sort((a, b) => b.time - a.time || a.stack - b.stack);
      for (const c of cells) {
        const kind: WaitKind = c.state === RUNNABLE ? 'runnable' : c.state === SYSCALL ? 'syscall' : 'waiting';
        const reason = kind === 'waiting' ? (reasons[c.state - WAITING] ?? '') : '';
        out.push({ group, kind, reason, funcs: this.stacks[c.stack], count: c.count, time: c.time });
      }
    }
    return out;
  }
}

/** What a wait is shown as: the block reasons gathered the way the Timeline's filter offers them. */
export type WaitCategory =
  'scheduler wait' | 'syscall' | 'network' | 'sync / mutex' | 'channel / select' | 'sleep' | 'GC' | 'other';

export const WAIT_CATEGORIES: readonly WaitCategory[] = [
  'scheduler wait',
  'sync / mutex',
  'channel / select',
  'network',
  'syscall',
  'sleep',
  'GC',
  'other',
];

/**
 * Block reasons are Go's (golang/go:src/runtime/traceruntime.go traceBlockReasonStrings): "sync" covers Mutex,
 * RWMutex, WaitGroup and semaphores; "sync.(*Cond).Wait" is a Cond.
 */
export function waitCategory(kind: WaitKind, reason: string): WaitCategory {
  if (kind === 'runnable') {
    return 'scheduler wait';
  }
  if (kind === 'syscall') {
    return 'syscall';
  }
  if (reason === 'sync' || reason === 'sync.(*Cond).Wait') {
    return 'sync / mutex';
  }
  if (reason === 'chan send' || reason === 'chan receive' || reason === 'select') {
    return 'channel / select';
  }
  if (reason === 'network') {
    return 'network';
  }
  if (reason === 'sleep') {
    return 'sleep';
  }
  if (reason.startsWith('GC ') || reason === 'wait until GC ends') {
    return 'GC';
  }
  return 'other';
}

/**
 * One group's waits as a call tree (values in ns): the root's children are the wait categories, then each stack
 * root first, so a flame graph shows where the group waited and for how long. `categories` keeps only those.
 */
export function groupWaitCallTree(
  records: readonly GroupWaitRecord[],
  group: string,
  categories?: ReadonlySet<WaitCategory>
): CallTree {
  const stacks: Array<{ funcs: string[]; count: number; time: number }> = [];
  for (const r of records) {
    const category = waitCategory(r.kind, r.reason);
    if (r.group === group && (!categories || categories.has(category))) {
      stacks.push({ funcs: [...r.funcs, category], count: r.count, time: r.time });
    }
  }
  return stackRecordsCallTree(stacks, 'wait');
}

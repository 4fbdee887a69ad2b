/**
 * Events of a Go execution trace as the reader delivers them: in a valid order, each with the goroutine, P and
 * thread it happened on, and a time in nanoseconds from the trace's start. The vocabulary (kinds, goroutine and P
 * states, state transitions, ranges) is that of golang/go:src/internal/trace/{event.go,resources.go}, which
 * golang.org/x/exp/trace exports, so analyses written against it mean what Go's tools mean.
 */
import { EV, eventSpec, GO_STATUS, PROC_STATUS } from '../wire/traceSpec';
import { NONE, TraceFrame, TraceGeneration } from '../wire/traceWire';

/** Goroutine states (Go's trace.GoState). */
export enum GoState {
  Undetermined = 0,
  NotExist = 1,
  Runnable = 2,
  Running = 3,
  Waiting = 4,
  Syscall = 5,
}

/** P states (Go's trace.ProcState). */
export enum ProcState {
  Undetermined = 0,
  NotExist = 1,
  Running = 2,
  Idle = 3,
}

/** Wire goroutine status → state (Go's tracev2GoStatus2GoState). */
export const GO_STATUS_TO_STATE: readonly GoState[] = [
  GoState.Undetermined,
  GoState.Runnable,
  GoState.Running,
  GoState.Syscall,
  GoState.Waiting,
];

/** Wire P status → state (Go's tracev2ProcStatus2ProcState): a P in a syscall still runs its goroutine. */
export const PROC_STATUS_TO_STATE: readonly ProcState[] = [
  ProcState.Undetermined,
  ProcState.Running,
  ProcState.Idle,
  ProcState.Running,
  ProcState.Idle,
];

export enum EventKind {
  Bad,
  Sync,
  Metric,
  Label,
  StackSample,
  RangeBegin,
  RangeActive,
  RangeEnd,
  TaskBegin,
  TaskEnd,
  RegionBegin,
  RegionEnd,
  Log,
  StateTransition,
  Experimental,
}

const kinds: EventKind[] = [];
for (const t of [
  EV.ProcStart,
  EV.ProcStop,
  EV.ProcSteal,
  EV.ProcStatus,
  EV.GoCreate,
  EV.GoCreateSyscall,
  EV.GoStart,
  EV.GoDestroy,
  EV.GoDestroySyscall,
  EV.GoStop,
  EV.GoBlock,
  EV.GoUnblock,
  EV.GoSyscallBegin,
  EV.GoSyscallEnd,
  EV.GoSyscallEndBlocked,
  EV.GoStatus,
  EV.GoSwitch,
  EV.GoSwitchDestroy,
  EV.GoCreateBlocked,
  EV.GoStatusStack,
]) {
  kinds[t] = EventKind.StateTransition;
}
kinds[EV.CPUSample] = EventKind.StackSample;
kinds[EV.ProcsChange] = EventKind.Metric;
kinds[EV.HeapAlloc] = EventKind.Metric;
kinds[EV.HeapGoal] = EventKind.Metric;
kinds[EV.STWBegin] = EventKind.RangeBegin;
kinds[EV.GCBegin] = EventKind.RangeBegin;
kinds[EV.GCSweepBegin] = EventKind.RangeBegin;
kinds[EV.GCMarkAssistBegin] = EventKind.RangeBegin;
kinds[EV.GCActive] = EventKind.RangeActive;
kinds[EV.GCSweepActive] = EventKind.RangeActive;
kinds[EV.GCMarkAssistActive] = EventKind.RangeActive;
kinds[EV.STWEnd] = EventKind.RangeEnd;
kinds[EV.GCEnd] = EventKind.RangeEnd;
kinds[EV.GCSweepEnd] = EventKind.RangeEnd;
kinds[EV.GCMarkAssistEnd] = EventKind.RangeEnd;
kinds[EV.GoLabel] = EventKind.Label;
kinds[EV.UserTaskBegin] = EventKind.TaskBegin;
kinds[EV.UserTaskEnd] = EventKind.TaskEnd;
kinds[EV.UserRegionBegin] = EventKind.RegionBegin;
kinds[EV.UserRegionEnd] = EventKind.RegionEnd;
kinds[EV.UserLog] = EventKind.Log;
for (let t = EV.FirstExperimental; t <= EV.LastExperimental; t++) {
  kinds[t] = EventKind.Experimental;
}
kinds[EV.SyncMarker] = EventKind.Sync;

/** Go's NoTask (^uint64(0)), as a number; task 0 is the background task. */
export const NO_TASK = 2 ** 64;

export interface TraceEvent {
  /** Wire event type, or EV.SyncMarker for a generation boundary. */
  type: number;
  /** Nanoseconds since the trace's first generation started; strictly increasing across the reader's output. */
  time: number;
  /**
   * The wire arguments after `dt` (4 slots, as Go's timedEventArgs), with what the ordering smuggles into spare
   * slots: the old P state of ProcStatus/ProcSteal, the parent of UserTaskEnd; GoStatus's args[2] holds
   * oldState * 2^32 + status.
   */
  args: number[];
  /** Goroutine, P and thread the event happened on (-1 for none). */
  g: number;
  p: number;
  m: number;
  /** Tables of the event's generation (strings, stacks, frames). */
  table: TraceGeneration;
  /** Task name for UserTaskEnd (Go's extra string). */
  taskName?: string;
}

export function eventKind(e: TraceEvent): EventKind {
  return kinds[e.type] ?? EventKind.Bad;
}

export function traceString(table: TraceGeneration, id: number): string {
  return id === 0 ? '' : (table.strings.get(id) ?? '');
}

/** The event's own stack ID (0 = none), as Go's Event.Stack(). */
export function eventStackId(e: TraceEvent): number {
  if (e.type === EV.SyncMarker) {
    return 0;
  }
  if (e.type === EV.CPUSample) {
    return e.args[0];
  }
  const spec = eventSpec(e.type);
  if (!spec || spec.stackArgs.length === 0) {
    return 0;
  }
  return e.args[spec.stackArgs[0]];
}

export interface StackFrame extends TraceFrame {
  func: string;
  file: string;
}

/** Frames of a stack, leaf first (Go's Stack.Frames). */
export function stackFrames(table: TraceGeneration, stackId: number): StackFrame[] {
  if (stackId === 0) {
    return [];
  }
  const pcs = table.stacks.get(stackId) ?? [];
  return pcs.map((pc) => {
    const f = table.frames.get(pc)!;
    return { ...f, func: traceString(table, f.funcId), file: traceString(table, f.fileId) };
  });
}

export type Resource = 'goroutine' | 'proc';

export interface StateTransition {
  resource: Resource;
  id: number;
  from: GoState | ProcState;
  to: GoState | ProcState;
  /** Why (GoStop/GoBlock reason string), or "". */
  reason: string;
  /** The transition's stack ID in e.table (0 = none). */
  stack: number;
}

function goT(id: number, from: GoState, to: GoState, reason = '', stack = 0): StateTransition {
  return { resource: 'goroutine', id, from, to, reason, stack };
}

function procT(id: number, from: ProcState, to: ProcState): StateTransition {
  return { resource: 'proc', id, from, to, reason: '', stack: 0 };
}

/** Go's Event.StateTransition(): which resource changed state, from what to what, why, with which stack. */
export function stateTransition(e: TraceEvent): StateTransition {
  const a = e.args;
  switch (e.type) {
    case EV.ProcStart:
      return procT(a[0], ProcState.Idle, ProcState.Running);
    case EV.ProcStop:
      return procT(e.p, ProcState.Running, ProcState.Idle);
    case EV.ProcSteal:
      return procT(a[0], a[3] === PROC_STATUS.SyscallAbandoned ? ProcState.Idle : ProcState.Running, ProcState.Idle);
    case EV.ProcStatus:
      return procT(a[0], a[2] as ProcState, PROC_STATUS_TO_STATE[a[1]]);
    case EV.GoCreate:
    case EV.GoCreateBlocked:
      return goT(a[0], GoState.NotExist, e.type === EV.GoCreateBlocked ? GoState.Waiting : GoState.Runnable, '', a[1]);
    case EV.GoCreateSyscall:
      return goT(a[0], GoState.NotExist, GoState.Syscall);
    case EV.GoStart:
      return goT(a[0], GoState.Runnable, GoState.Running);
    case EV.GoDestroy:
      return goT(e.g, GoState.Running, GoState.NotExist);
    case EV.GoDestroySyscall:
      return goT(e.g, GoState.Syscall, GoState.NotExist);
    case EV.GoStop:
      return goT(e.g, GoState.Running, GoState.Runnable, traceString(e.table, a[0]), a[1]);
    case EV.GoBlock:
      return goT(e.g, GoState.Running, GoState.Waiting, traceString(e.table, a[0]), a[1]);
    case EV.GoUnblock:
    case EV.GoSwitch:
    case EV.GoSwitchDestroy:
      return goT(a[0], GoState.Waiting, GoState.Runnable);
    case EV.GoSyscallBegin:
      return goT(e.g, GoState.Running, GoState.Syscall, '', a[1]);
    case EV.GoSyscallEnd:
      return goT(e.g, GoState.Syscall, GoState.Running);
    case EV.GoSyscallEndBlocked:
      return goT(e.g, GoState.Syscall, GoState.Runnable);
    case EV.GoStatus:
    case EV.GoStatusStack: {
      const from = Math.floor(a[2] / 2 ** 32) as GoState;
      const to = GO_STATUS_TO_STATE[a[2] % 2 ** 32];
      return goT(a[0], from, to, '', e.type === EV.GoStatusStack ? a[3] : 0);
    }
    default:
      throw new Error(`internal error: event type ${e.type} is not a state transition`);
  }
}

export type RangeName = 'stw' | 'gc-mark' | 'gc-sweep' | 'gc-assist';

export interface RangeInfo {
  name: RangeName;
  /** For STW, Go's "stop-the-world (<reason>)" reason. */
  reason: string;
  scope: 'goroutine' | 'proc' | 'none';
  /** Goroutine or P id of the scope (-1 for none). */
  id: number;
}

/** Go's Event.Range() for the four range families. */
export function eventRange(e: TraceEvent): RangeInfo {
  switch (e.type) {
    case EV.STWBegin:
    case EV.STWEnd:
      return { name: 'stw', reason: traceString(e.table, e.args[0]), scope: 'goroutine', id: e.g };
    case EV.GCBegin:
    case EV.GCActive:
    case EV.GCEnd:
      return { name: 'gc-mark', reason: '', scope: 'none', id: NONE };
    case EV.GCSweepBegin:
    case EV.GCSweepActive:
    case EV.GCSweepEnd:
      return { name: 'gc-sweep', reason: '', scope: 'proc', id: e.type === EV.GCSweepActive ? e.args[0] : e.p };
    case EV.GCMarkAssistBegin:
    case EV.GCMarkAssistActive:
    case EV.GCMarkAssistEnd:
      return {
        name: 'gc-assist',
        reason: '',
        scope: 'goroutine',
        id: e.type === EV.GCMarkAssistActive ? e.args[0] : e.g,
      };
    default:
      throw new Error(`internal error: event type ${e.type} is not a range`);
  }
}

export { GO_STATUS, PROC_STATUS };

/**
 * The event table of Go's execution trace format 2 (Go 1.22 and later), from
 * golang/go:src/internal/trace/tracev2/events.go (mirrored in golang.org/x/exp/trace/internal/tracev2).
 *
 * Events are one type byte followed by a fixed number of uvarints. The number is the length of `args` below; for
 * timed events the first argument is `dt`, the tick delta from the previous event of the batch. There is no length
 * prefix, so an event type cannot be skipped without knowing its argument count: that is why this table exists and
 * why the reader refuses a type it does not know.
 */

export const EV = {
  None: 0,
  EventBatch: 1,
  Stacks: 2,
  Stack: 3,
  Strings: 4,
  String: 5,
  CPUSamples: 6,
  CPUSample: 7,
  Frequency: 8,
  ProcsChange: 9,
  ProcStart: 10,
  ProcStop: 11,
  ProcSteal: 12,
  ProcStatus: 13,
  GoCreate: 14,
  GoCreateSyscall: 15,
  GoStart: 16,
  GoDestroy: 17,
  GoDestroySyscall: 18,
  GoStop: 19,
  GoBlock: 20,
  GoUnblock: 21,
  GoSyscallBegin: 22,
  GoSyscallEnd: 23,
  GoSyscallEndBlocked: 24,
  GoStatus: 25,
  STWBegin: 26,
  STWEnd: 27,
  GCActive: 28,
  GCBegin: 29,
  GCEnd: 30,
  GCSweepActive: 31,
  GCSweepBegin: 32,
  GCSweepEnd: 33,
  GCMarkAssistActive: 34,
  GCMarkAssistBegin: 35,
  GCMarkAssistEnd: 36,
  HeapAlloc: 37,
  HeapGoal: 38,
  GoLabel: 39,
  UserTaskBegin: 40,
  UserTaskEnd: 41,
  UserRegionBegin: 42,
  UserRegionEnd: 43,
  UserLog: 44,
  GoSwitch: 45,
  GoSwitchDestroy: 46,
  GoCreateBlocked: 47,
  GoStatusStack: 48,
  ExperimentalBatch: 49,
  Sync: 50,
  ClockSnapshot: 51,
  EndOfGeneration: 52,
  /** Experimental AllocFree events (span, heap object and goroutine stack alloc/free) are 128..136. */
  FirstExperimental: 128,
  LastExperimental: 136,
  /** Not a wire type: the reader's generation boundary marker, as Go's `evSync`. */
  SyncMarker: 255,
} as const;

export interface EventSpec {
  name: string;
  /** Number of uvarint arguments, `dt` included for timed events. */
  argCount: number;
  timed: boolean;
  /** Indices (into the arguments after `dt`) that are stack IDs; the first is the event's own stack. */
  stackArgs: readonly number[];
  /** Indices (into the arguments after `dt`) that are string IDs. */
  stringArgs: readonly number[];
  /** For the end (or active) event of a range, the type of its begin event. */
  startType: number;
}

const specs: Array<EventSpec | undefined> = [];

function def(type: number, name: string, argCount: number, timed: boolean, extra: Partial<EventSpec> = {}): void {
  specs[type] = { name, argCount, timed, stackArgs: [], stringArgs: [], startType: EV.None, ...extra };
}

// Structural events (read by the generation reader, never ordered).
def(EV.EventBatch, 'EventBatch', 4, false);
def(EV.Stacks, 'Stacks', 0, false);
def(EV.Stack, 'Stack', 2, false);
def(EV.Strings, 'Strings', 0, false);
def(EV.String, 'String', 1, false);
def(EV.CPUSamples, 'CPUSamples', 0, false);
def(EV.CPUSample, 'CPUSample', 5, false);
def(EV.Frequency, 'Frequency', 1, false);
def(EV.ExperimentalBatch, 'ExperimentalBatch', 4, false);
def(EV.Sync, 'Sync', 0, false);
def(EV.EndOfGeneration, 'EndOfGeneration', 0, false);
// Timed events. Argument indices below count from the first argument after dt.
def(EV.ProcsChange, 'ProcsChange', 3, true, { stackArgs: [1] });
def(EV.ProcStart, 'ProcStart', 3, true);
def(EV.ProcStop, 'ProcStop', 1, true);
def(EV.ProcSteal, 'ProcSteal', 4, true);
def(EV.ProcStatus, 'ProcStatus', 3, true);
def(EV.GoCreate, 'GoCreate', 4, true, { stackArgs: [2, 1] });
def(EV.GoCreateSyscall, 'GoCreateSyscall', 2, true);
def(EV.GoStart, 'GoStart', 3, true);
def(EV.GoDestroy, 'GoDestroy', 1, true);
def(EV.GoDestroySyscall, 'GoDestroySyscall', 1, true);
def(EV.GoStop, 'GoStop', 3, true, { stackArgs: [1], stringArgs: [0] });
def(EV.GoBlock, 'GoBlock', 3, true, { stackArgs: [1], stringArgs: [0] });
def(EV.GoUnblock, 'GoUnblock', 4, true, { stackArgs: [2] });
def(EV.GoSyscallBegin, 'GoSyscallBegin', 3, true, { stackArgs: [1] });
def(EV.GoSyscallEnd, 'GoSyscallEnd', 1, true, { startType: EV.GoSyscallBegin });
def(EV.GoSyscallEndBlocked, 'GoSyscallEndBlocked', 1, true, { startType: EV.GoSyscallBegin });
def(EV.GoStatus, 'GoStatus', 4, true);
def(EV.STWBegin, 'STWBegin', 3, true, { stackArgs: [1], stringArgs: [0] });
def(EV.STWEnd, 'STWEnd', 1, true, { startType: EV.STWBegin });
def(EV.GCActive, 'GCActive', 2, true, { startType: EV.GCBegin });
def(EV.GCBegin, 'GCBegin', 3, true, { stackArgs: [1] });
def(EV.GCEnd, 'GCEnd', 2, true, { startType: EV.GCBegin });
def(EV.GCSweepActive, 'GCSweepActive', 2, true, { startType: EV.GCSweepBegin });
def(EV.GCSweepBegin, 'GCSweepBegin', 2, true, { stackArgs: [0] });
def(EV.GCSweepEnd, 'GCSweepEnd', 3, true, { startType: EV.GCSweepBegin });
def(EV.GCMarkAssistActive, 'GCMarkAssistActive', 2, true, { startType: EV.GCMarkAssistBegin });
def(EV.GCMarkAssistBegin, 'GCMarkAssistBegin', 2, true, { stackArgs: [0] });
def(EV.GCMarkAssistEnd, 'GCMarkAssistEnd', 1, true, { startType: EV.GCMarkAssistBegin });
def(EV.HeapAlloc, 'HeapAlloc', 2, true);
def(EV.HeapGoal, 'HeapGoal', 2, true);
def(EV.GoLabel, 'GoLabel', 2, true, { stringArgs: [0] });
def(EV.UserTaskBegin, 'UserTaskBegin', 5, true, { stackArgs: [3], stringArgs: [2] });
def(EV.UserTaskEnd, 'UserTaskEnd', 3, true, { stackArgs: [1] });
def(EV.UserRegionBegin, 'UserRegionBegin', 4, true, { stackArgs: [2], stringArgs: [1] });
def(EV.UserRegionEnd, 'UserRegionEnd', 4, true, { stackArgs: [2], stringArgs: [1], startType: EV.UserRegionBegin });
def(EV.UserLog, 'UserLog', 5, true, { stackArgs: [3], stringArgs: [1, 2] });
def(EV.GoSwitch, 'GoSwitch', 3, true);
def(EV.GoSwitchDestroy, 'GoSwitchDestroy', 3, true);
def(EV.GoCreateBlocked, 'GoCreateBlocked', 4, true, { stackArgs: [2, 1] });
def(EV.GoStatusStack, 'GoStatusStack', 5, true, { stackArgs: [3] });
def(EV.ClockSnapshot, 'ClockSnapshot', 4, true);
// Experimental AllocFree events: read (their sizes must be known) and ordered, never analysed.
[
  ['Span', 4],
  ['SpanAlloc', 4],
  ['SpanFree', 2],
  ['HeapObject', 3],
  ['HeapObjectAlloc', 3],
  ['HeapObjectFree', 2],
  ['GoroutineStack', 3],
  ['GoroutineStackAlloc', 3],
  ['GoroutineStackFree', 2],
].forEach(([name, argCount], i) => def(EV.FirstExperimental + i, name as string, argCount as number, true));

/** The spec of a wire event type, or undefined for a type no Go version writes. */
export function eventSpec(type: number): EventSpec | undefined {
  return specs[type];
}

export function eventName(type: number): string {
  return type === EV.SyncMarker ? 'Sync' : (specs[type]?.name ?? `Invalid(${type})`);
}

/** Trace format versions (the NN of `go 1.NN trace`) and the last wire event type each may contain. */
export const TRACE_VERSIONS: ReadonlyMap<number, number> = new Map([
  [22, EV.UserLog],
  [23, EV.ExperimentalBatch],
  [25, EV.ClockSnapshot],
  [26, EV.EndOfGeneration],
]);

/** Versions of the first trace format (Go 1.11 to 1.21), which Go converts with a separate parser. */
export const OLDER_TRACE_VERSIONS: ReadonlySet<number> = new Set([11, 19, 21]);

/** Largest batch the runtime writes (tracev2.MaxBatchSize). */
export const MAX_BATCH_SIZE = 64 << 10;
/** Most frames in one stack (tracev2.MaxFramesPerStack). */
export const MAX_FRAMES_PER_STACK = 128;
/** Longest string (tracev2.MaxEventTrailerDataSize). */
export const MAX_STRING_SIZE = 1 << 10;

/** Goroutine statuses on the wire (tracev2.GoStatus). */
export const GO_STATUS = { Bad: 0, Runnable: 1, Running: 2, Syscall: 3, Waiting: 4 } as const;
/** P statuses on the wire (tracev2.ProcStatus). */
export const PROC_STATUS = { Bad: 0, Running: 1, Idle: 2, Syscall: 3, SyscallAbandoned: 4 } as const;

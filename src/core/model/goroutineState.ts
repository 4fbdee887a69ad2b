/**
 * Goroutine states for display: the runtime's ~47 wait reasons and 8 statuses folded into a small set of groups,
 * while the exact reason is always kept next to the group.
 *
 * Facts: golang/go:src/runtime/runtime2.go `waitReasonStrings`, `gStatusStrings`,
 * and the `gopark` calls that park with each reason). Version differences handled here:
 * - before Go 1.20 `sync.Mutex.Lock`, `sync.RWMutex.RLock`/`Lock` waits print `semacquire`;
 * - before Go 1.24 `sync.WaitGroup.Wait` prints `semacquire`;
 * - Go 1.24's `(synctest)` variants became `(durable)` in 1.25; 1.19's `timer goroutine (idle)` is gone since 1.20.
 * For `semacquire` the group is decided from the frames (`sync.(*Mutex).Lock` …), like the runtime itself would
 * have labelled the wait in a newer version.
 */

/** Display groups, in the order a legend shows them (work first, then waits, then the runtime's own). */
export const GOROUTINE_STATES = [
  'running',
  'runnable',
  'syscall',
  'io-wait',
  'chan-receive',
  'chan-send',
  'select',
  'mutex',
  'waitgroup',
  'cond',
  'semacquire',
  'sleep',
  'gc',
  'idle-system',
  'other',
] as const;

export type GoroutineState = (typeof GOROUTINE_STATES)[number];

export const GOROUTINE_STATE_LABELS: Readonly<Record<GoroutineState, string>> = {
  running: 'running',
  runnable: 'runnable',
  syscall: 'syscall',
  'io-wait': 'IO wait',
  'chan-receive': 'chan receive',
  'chan-send': 'chan send',
  select: 'select',
  mutex: 'mutex/rwmutex',
  waitgroup: 'waitgroup',
  cond: 'cond',
  semacquire: 'semacquire',
  sleep: 'sleep',
  gc: 'GC',
  'idle-system': 'idle/system',
  other: 'other',
};

/**
 * Every status and wait reason printed by Go 1.19–1.26, with its group. Reasons that stand for the goroutine doing
 * GC work on the system stack (`GC assist marking`, `stopping the world`…, which traces report as running,
 * golang/go:src/runtime/tracestatus.go `isWaitingForSuspendG`) are grouped as `gc`, with the GC waits a user
 * goroutine can suffer (`GC assist wait`, `wait for GC cycle`). Parked runtime service goroutines are `idle-system`.
 */
const REASON_STATE: ReadonlyMap<string, GoroutineState> = new Map<string, GoroutineState>([
  // gStatusStrings (printed when the status is not _Gwaiting, or waiting with reason 0)
  ['idle', 'idle-system'],
  ['runnable', 'runnable'],
  ['running', 'running'],
  ['syscall', 'syscall'],
  ['waiting', 'other'],
  ['dead', 'other'],
  ['copystack', 'other'],
  ['preempted', 'runnable'],
  ['leaked', 'other'],
  ['waiting for cgo callback', 'syscall'],
  ['???', 'other'],
  // waitReasonStrings, Go 1.26
  ['GC assist marking', 'gc'],
  ['IO wait', 'io-wait'],
  ['chan receive (nil chan)', 'chan-receive'],
  ['chan send (nil chan)', 'chan-send'],
  ['dumping heap', 'other'],
  ['garbage collection', 'gc'],
  ['garbage collection scan', 'gc'],
  ['panicwait', 'other'],
  ['select', 'select'],
  ['select (no cases)', 'select'],
  ['GC assist wait', 'gc'],
  ['GC sweep wait', 'idle-system'],
  ['GC scavenge wait', 'idle-system'],
  ['chan receive', 'chan-receive'],
  ['chan send', 'chan-send'],
  ['finalizer wait', 'idle-system'],
  ['force gc (idle)', 'idle-system'],
  ['GOMAXPROCS updater (idle)', 'idle-system'],
  ['semacquire', 'semacquire'],
  ['sleep', 'sleep'],
  ['sync.Cond.Wait', 'cond'],
  ['sync.Mutex.Lock', 'mutex'],
  ['sync.RWMutex.RLock', 'mutex'],
  ['sync.RWMutex.Lock', 'mutex'],
  ['sync.WaitGroup.Wait', 'waitgroup'],
  ['trace reader (blocked)', 'idle-system'],
  ['wait for GC cycle', 'gc'],
  ['GC worker (idle)', 'idle-system'],
  ['GC worker (active)', 'gc'],
  ['debug call', 'other'],
  ['GC mark termination', 'gc'],
  ['stopping the world', 'gc'],
  ['flushing proc caches', 'gc'],
  ['trace goroutine status', 'other'],
  ['trace proc status', 'other'],
  ['page trace flush', 'other'],
  ['coroutine', 'other'],
  ['GC weak to strong wait', 'gc'],
  ['synctest.Run', 'other'],
  ['synctest.Wait', 'other'],
  ['chan receive (durable)', 'chan-receive'],
  ['chan send (durable)', 'chan-send'],
  ['select (durable)', 'select'],
  ['sync.WaitGroup.Wait (durable)', 'waitgroup'],
  ['cleanup wait', 'idle-system'],
  ['unknown wait reason', 'other'],
  // Older spellings
  ['timer goroutine (idle)', 'idle-system'], // ≤ 1.19
  ['chan receive (synctest)', 'chan-receive'], // 1.24
  ['chan send (synctest)', 'chan-send'], // 1.24
  ['select (synctest)', 'select'], // 1.24
]);

/** True for a status or wait reason some Go version 1.19–1.26 prints. */
export function isKnownWaitReason(reason: string): boolean {
  return REASON_STATE.has(reason);
}

/** The group of a status or wait reason, without looking at frames; unknown strings are `other`. */
export function stateOfReason(reason: string): GoroutineState {
  return REASON_STATE.get(reason) ?? 'other';
}

/** Reasons whose group depends on the frames (see {@link resolveState}). */
export function reasonNeedsFrames(reason: string): boolean {
  return reason === 'semacquire' || reason === 'runnable' || reason === 'preempted';
}

/** Semaphores behind sync.Mutex and sync.RWMutex (the leaf frame of a lock waiter in debug=2). */
const LOCK_SEMAPHORES = new Set([
  'sync.runtime_SemacquireMutex',
  'internal/sync.runtime_SemacquireMutex',
  'sync.runtime_SemacquireRWMutexR',
  'sync.runtime_SemacquireRWMutex',
]);

/** The sync API (or its slow path) a semaphore wait went through, leaf-most first. */
const SYNC_API_FRAMES: ReadonlyMap<string, string> = new Map([
  ['sync.(*Mutex).lockSlow', 'sync.Mutex.Lock'],
  ['sync.(*Mutex).Lock', 'sync.Mutex.Lock'],
  ['internal/sync.(*Mutex).lockSlow', 'sync.Mutex.Lock'],
  ['internal/sync.(*Mutex).Lock', 'sync.Mutex.Lock'],
  ['sync.(*RWMutex).RLock', 'sync.RWMutex.RLock'],
  ['sync.(*RWMutex).Lock', 'sync.RWMutex.Lock'],
  ['sync.(*WaitGroup).Wait', 'sync.WaitGroup.Wait'],
  ['sync.(*Cond).Wait', 'sync.Cond.Wait'],
]);

/** The linknamed semaphore entry points; before Go 1.20 RWMutex also used runtime_SemacquireMutex. */
const SEMAPHORE_FRAMES: ReadonlyMap<string, string> = new Map([
  ['sync.runtime_SemacquireMutex', 'sync.Mutex.Lock'],
  ['internal/sync.runtime_SemacquireMutex', 'sync.Mutex.Lock'],
  ['sync.runtime_SemacquireRWMutexR', 'sync.RWMutex.RLock'],
  ['sync.runtime_SemacquireRWMutex', 'sync.RWMutex.Lock'],
  ['sync.runtime_SemacquireWaitGroup', 'sync.WaitGroup.Wait'],
]);

/**
 * Which sync primitive a `semacquire` wait is in, from the leaf-most sync API frame: before Go 1.20 `RWMutex.RLock`
 * parked through `sync.runtime_SemacquireMutex` too, so the API frame (`sync.(*RWMutex).RLock`) decides, and a
 * `RWMutex.Lock` waiting on its inner `Mutex` reads as `sync.Mutex.Lock`, as Go ≥1.20 prints it. Returns the reason a
 * Go 1.26 runtime would print, or undefined when nothing sync-like explains it (for example
 * `internal/poll.(*fdMutex).rwlock`, which really is a plain semacquire).
 */
export function semacquireReasonFromFrames(frames: ReadonlyArray<{ readonly func: string }>): string | undefined {
  const limit = Math.min(frames.length, 8);
  for (let i = 0; i < limit; i++) {
    const reason = SYNC_API_FRAMES.get(frames[i].func);
    if (reason !== undefined) {
      return reason;
    }
  }
  for (let i = 0; i < limit; i++) {
    const reason = SEMAPHORE_FRAMES.get(frames[i].func);
    if (reason !== undefined) {
      return reason;
    }
  }
  return undefined;
}

export interface ResolvedState {
  state: GoroutineState;
  /** 'header': from the printed reason alone; 'header+frames': a `semacquire` refined by its frames. */
  basis: 'header' | 'header+frames';
}

/**
 * Group of a goroutine whose header reason is known (debug=2 dumps), refined by frames in two cases:
 * - `semacquire` printed by Go versions that had no specific reason yet (see {@link semacquireReasonFromFrames});
 * - `runnable`/`preempted` with a Mutex/RWMutex semaphore as leaf frame: the unlocker woke it from the lock's wait
 *   queue and it has not run since, so it is still contending for the lock (it competes again, or in starvation mode
 *   owns the lock and waits for a P). Under heavy contention most waiters are in this state at any moment, and
 *   grouping them as runnable would hide the contention that put them there; proto profiles give the same answer
 *   (their stacks still end in the semaphore). The exact reason stays `runnable`.
 */
export function resolveState(reason: string, frames: ReadonlyArray<{ readonly func: string }>): ResolvedState {
  if (reason === 'semacquire') {
    const refined = semacquireReasonFromFrames(frames);
    if (refined !== undefined) {
      return { state: stateOfReason(refined), basis: 'header+frames' };
    }
  } else if ((reason === 'runnable' || reason === 'preempted') && frames.length > 0 && LOCK_SEMAPHORES.has(frames[0].func)) {
    return { state: 'mutex', basis: 'header+frames' };
  }
  return { state: stateOfReason(reason), basis: 'header' };
}

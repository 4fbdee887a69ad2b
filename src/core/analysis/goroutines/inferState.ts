/**
 * State inference for goroutine stacks that carry no state: proto goroutine profiles (what Pyroscope stores) and
 * debug=1 text. Rules: the `gopark` calls of golang/go:src/runtime (chan.go, select.go, sema.go, ...). From the
 * leaf, skip the parking machinery
 * (`runtime.gopark`, `runtime.semacquire1`, `runtime.chanrecv`…), then key on the first frame that names the
 * operation (`runtime.chanrecv1` → chan receive, `sync.runtime_SemacquireMutex` → sync.Mutex.Lock,
 * `internal/poll.runtime_pollWait` → IO wait…). The reason given is the string a Go 1.26 runtime would print, so
 * inferred and printed reasons group together.
 *
 * Limits, stated in the result rather than guessed away: nil-channel and durable variants cannot be told from the
 * stack; debug=1 text hides the leading runtime frames, so a parked channel op there is `unclassified`.
 */
import { parseGoSymbol, isRuntimePackage } from '../../model/goSymbol';
import { semacquireReasonFromFrames, stateOfReason, type GoroutineState } from '../../model/goroutineState';

export interface InferredState {
  state: GoroutineState;
  /** The wait reason or status a Go 1.26 dump would print; '' when unclassified. */
  reason: string;
  /** 'frames': a known runtime/sync/poll frame decided it; 'user-leaf': the leaf is user code, so the goroutine was
   *  preempted there (runnable); 'unclassified': nothing decided it (state `other`). */
  basis: 'frames' | 'user-leaf' | 'unclassified';
  /** Index (leaf = 0) of the frame that decided it, -1 when none. */
  frameIndex: number;
}

/** Parking internals between the leaf and the frame that names the operation. */
const MACHINERY = new Set([
  'runtime.gopark',
  'runtime.goparkunlock',
  'runtime.park_m',
  'runtime.mcall',
  'runtime.semacquire1',
  'runtime.semacquire',
  'runtime.netpollblock',
  'runtime.chanrecv',
  'runtime.chansend',
  'runtime.notifyListWait',
  'runtime.timeSleep',
  'runtime.entersyscall',
  'runtime.reentersyscall',
  'runtime.entersyscallblock',
  'runtime.exitsyscall',
]);

/** Frames that name the operation, with the reason a Go 1.26 runtime prints for it. */
const OPERATION: ReadonlyMap<string, string> = new Map([
  ['runtime.chanrecv1', 'chan receive'],
  ['runtime.chanrecv2', 'chan receive'],
  ['runtime.chansend1', 'chan send'],
  ['runtime.selectgo', 'select'],
  ['runtime.block', 'select (no cases)'],
  ['sync.runtime_notifyListWait', 'sync.Cond.Wait'],
  ['internal/poll.runtime_pollWait', 'IO wait'],
  ['internal/poll.runtime_Semacquire', 'semacquire'],
  ['time.Sleep', 'sleep'],
  ['runtime.gcParkAssist', 'GC assist wait'],
  ['runtime.gcAssistAlloc', 'GC assist wait'],
  ['runtime.gcWaitOnMark', 'wait for GC cycle'],
  ['runtime.GC', 'wait for GC cycle'],
  ['runtime.gcParkStrongFromWeak', 'GC weak to strong wait'],
  ['runtime.ReadTrace', 'trace reader (blocked)'],
  ['runtime.coroswitch', 'coroutine'],
  ['runtime.coroswitch_m', 'coroutine'],
  ['runtime.synctestRun', 'synctest.Run'],
  ['internal/synctest.Run', 'synctest.Run'],
  ['runtime.synctestWait', 'synctest.Wait'],
  ['internal/synctest.Wait', 'synctest.Wait'],
  // Runnable: yielded or preempted (asynchronously, or at a stack check).
  ['runtime.Gosched', 'runnable'],
  ['runtime.goschedIfBusy', 'runnable'],
  ['runtime.goschedguarded', 'runnable'],
  ['runtime.gopreempt_m', 'runnable'],
  ['runtime.asyncPreempt', 'runnable'],
  ['runtime.asyncPreempt2', 'runnable'],
  // In a system call or in C (the traceback of _Gsyscall starts at the caller of entersyscall).
  ['runtime.cgocall', 'syscall'],
  // os/signal's receiver blocks in notetsleepg, which enters a blocking syscall (debug=2 shows it as [syscall]).
  ['runtime.notetsleepg', 'syscall'],
  ['runtime.asmcgocall', 'syscall'],
  // Runtime service goroutines (normally excluded from profiles by isSystemGoroutine, golang/go:src/runtime/mprof.go).
  ['runtime.gcBgMarkWorker', 'GC worker (idle)'],
  ['runtime.bgsweep', 'GC sweep wait'],
  ['runtime.bgscavenge', 'GC scavenge wait'],
  ['runtime.(*scavengerState).park', 'GC scavenge wait'],
  ['runtime.forcegchelper', 'force gc (idle)'],
  ['runtime.runfinq', 'finalizer wait'],
  ['runtime.runFinalizers', 'finalizer wait'],
  ['runtime.runCleanups', 'cleanup wait'],
  ['runtime.(*cleanupQueue).dequeue', 'cleanup wait'],
  ['runtime.updateMaxProcsGoroutine', 'GOMAXPROCS updater (idle)'],
]);

/** The linknamed semaphore entry points of package sync (golang/go:src/runtime/sema.go). */
const SEMAPHORES = new Set([
  'sync.runtime_Semacquire',
  'sync.runtime_SemacquireMutex',
  'internal/sync.runtime_SemacquireMutex',
  'sync.runtime_SemacquireRWMutexR',
  'sync.runtime_SemacquireRWMutex',
  'sync.runtime_SemacquireWaitGroup',
]);

/** `syscall.Syscall6`, `syscall.RawSyscall`, `internal/runtime/syscall/linux.Syscall6`, `golang.org/x/sys/unix.Syscall`… */
function isSyscallFunction(name: string): boolean {
  const dot = name.lastIndexOf('.');
  const fn = name.slice(dot + 1).toLowerCase();
  if (!/^(raw)?syscall(\d+)?(_noerror)?$/.test(fn)) {
    return false;
  }
  const pkg = name.slice(0, dot);
  return pkg === 'syscall' || pkg.startsWith('internal/runtime/syscall') || pkg === 'golang.org/x/sys/unix' || pkg === 'golang.org/x/sys/windows';
}

/** The goroutine writing the profile: it is the one running (golang/go:src/runtime/mprof.go
 * goroutineProfileWithLabels). */
function isProfileWriter(name: string): boolean {
  return name.includes('goroutineProfileWithLabels') || name.includes('goroutineLeakProfile') || name.startsWith('runtime/pprof.');
}

export interface InferOptions {
  /**
   * The leading runtime frames were removed before we saw the stack (debug=1 text hides them), so a user-code leaf
   * does not mean "preempted there" and is left unclassified.
   */
  runtimeLeadersHidden?: boolean;
}

const UNCLASSIFIED: InferredState = { state: 'other', reason: '', basis: 'unclassified', frameIndex: -1 };

/** Infers the state of one stack given as function names, leaf first. */
export function inferGoroutineState(functions: readonly string[], options: InferOptions = {}): InferredState {
  let i = 0;
  while (i < functions.length && MACHINERY.has(functions[i])) {
    i++;
  }
  if (i >= functions.length) {
    return UNCLASSIFIED;
  }
  const name = functions[i];
  const reason = OPERATION.get(name);
  if (reason !== undefined) {
    return { state: stateOfReason(reason), reason, basis: 'frames', frameIndex: i };
  }
  if (SEMAPHORES.has(name)) {
    // Which sync API parked: the API frame above decides (before Go 1.20 RWMutex.RLock also went through
    // runtime_SemacquireMutex, before 1.24 WaitGroup.Wait through runtime_Semacquire: golang/go:src/sync/rwmutex.go,
    // waitgroup.go).
    const r = semacquireReasonFromFrames(functions.slice(i, i + 6).map((func) => ({ func }))) ?? 'semacquire';
    return { state: stateOfReason(r), reason: r, basis: 'frames', frameIndex: i };
  }
  if (isSyscallFunction(name)) {
    return { state: 'syscall', reason: 'syscall', basis: 'frames', frameIndex: i };
  }
  if (isProfileWriter(name)) {
    return { state: 'running', reason: 'running', basis: 'frames', frameIndex: i };
  }
  const pkg = parseGoSymbol(name).packagePath;
  if (pkg === '' || isRuntimePackage(pkg) || options.runtimeLeadersHidden) {
    return UNCLASSIFIED;
  }
  // A goroutine stopped in ordinary code that is not parked was preempted there (runnable) when the world stopped
  // for the profile (golang/go:src/runtime/mprof.go `goroutineProfileWithLabels` stops the world).
  return { state: 'runnable', reason: 'runnable', basis: 'user-leaf', frameIndex: 0 };
}

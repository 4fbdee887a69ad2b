/**
 * The frames each finding looks for, by function name as Go 1.19–1.26 profiles print them
 * (golang/go:src/runtime; the README's "Findings" section names what each finding's evidence is).
 * Names are matched exactly or by a prefix that is unambiguous in golang/go:src/runtime; closures (`.func2`) and
 * inlined frames are frames of their own, so prefixes end where the closure suffix would start.
 */

/** `runtime.<base>` with closure suffixes removed: `runtime.gcAssistAlloc.func2` -> `gcAssistAlloc`. */
function runtimeBase(name: string): string | undefined {
  if (!name.startsWith('runtime.')) {
    return undefined;
  }
  const rest = name.slice('runtime.'.length);
  if (rest.startsWith('(')) {
    return rest; // methods keep their receiver: `(*sweepLocked).sweep`
  }
  const dot = rest.indexOf('.');
  return dot < 0 ? rest : rest.slice(0, dot);
}

/**
 * The collector at work (golang/go:src/runtime/mgc.go, mgcmark.go, mgcsweep.go), as opposed to allocating:
 * background mark workers, mark assist, sweeping (background
 * and proportional), scavenging, the phases and stop-the-world of a cycle, and `runtime._GC` (a sample taken while GC
 * held the world stopped, golang/go:src/runtime/proc.go `sigprof`). Write barriers are separate ({@link
 * isWriteBarrierFrame}): they run inside the
 * mutator's own pointer stores.
 */
const COLLECTOR_BASES = new Set([
  'gcBgMarkWorker',
  'gcAssistAlloc',
  'gcAssistAlloc1',
  'gcParkAssist',
  'gcStart',
  'gcMarkDone',
  'gcMarkTermination',
  'gcSweep',
  'gcResetMarkState',
  'gcDrain',
  'gcDrainN',
  'gcMarkTinyAllocs',
  'bgsweep',
  'sweepone',
  'deductSweepCredit',
  'bgscavenge',
  'stopTheWorldWithSema',
  'markroot',
  '_GC',
  'GC',
]);

export function isCollectorFrame(name: string): boolean {
  const base = runtimeBase(name);
  if (base === undefined) {
    return name.startsWith('internal/runtime/gc/scan.'); // Green Tea span scanning (1.26)
  }
  return COLLECTOR_BASES.has(base) || base.startsWith('(*sweepLocked)') || base.startsWith('(*scavengerState)');
}

/** The write barrier and its buffer flush, active while marking (`gcWriteBarrier*` is an assembly local). */
export function isWriteBarrierFrame(name: string): boolean {
  const base = runtimeBase(name);
  return (
    name.startsWith('gcWriteBarrier') ||
    base === 'wbBufFlush' ||
    base === 'wbBufFlush1' ||
    base === 'bulkBarrierPreWrite'
  );
}

/** Mark assist only: mutator goroutines conscripted into marking because they allocate faster than GC keeps up. */
export function isAssistFrame(name: string): boolean {
  const base = runtimeBase(name);
  return base === 'gcAssistAlloc' || base === 'gcAssistAlloc1';
}

export function isBackgroundMarkFrame(name: string): boolean {
  return runtimeBase(name) === 'gcBgMarkWorker';
}

export function isSweepFrame(name: string): boolean {
  const base = runtimeBase(name);
  return base === 'bgsweep' || base === 'sweepone';
}

/**
 * The allocator (golang/go:src/runtime/malloc.go): `mallocgc` and its size-class paths (1.24+, 1.26 generated
 * `...SC<N>`), and the entry points the compiler calls for `new`, `make` and `append`, plus the interface
 * conversions that allocate.
 */
export function isAllocationFrame(name: string): boolean {
  const base = runtimeBase(name);
  if (base === undefined) {
    return false;
  }
  return (
    base.startsWith('mallocgc') ||
    base === 'newobject' ||
    base === 'newarray' ||
    base === 'makeslice' ||
    base === 'makeslicecopy' ||
    base === 'growslice' ||
    base === 'rawstring' ||
    base === 'rawbyteslice' ||
    base === 'rawruneslice' ||
    base === 'concatstrings' ||
    base === 'slicebytetostring' ||
    base === 'stringtoslicebyte' ||
    isConversionFrame(name)
  );
}

/**
 * Conversions of concrete values to interfaces that heap-allocate the value: `convT` (general), `convTnoptr`,
 * `convT16/32/64`, `convTstring`, `convTslice` (golang/go:src/runtime/iface.go). `convI2I`/`assertE2I` do not
 * allocate and are left out.
 */
export function isConversionFrame(name: string): boolean {
  return /^runtime\.convT(noptr|16|32|64|string|slice)?$/.test(name);
}

/**
 * Map operations: the classic runtime entry points (`mapaccess1_faststr`, `mapassign`, `mapdelete`, iteration,
 * growth) kept by name in every version, the Swiss-table internals of 1.24+ (`internal/runtime/maps.*`), and the
 * hash functions they call (`aeshashbody` and `memhash*` are assembly; `strhash`, `memhash64`... are Go).
 */
export function isMapFrame(name: string): boolean {
  if (name.startsWith('internal/runtime/maps.')) {
    return true;
  }
  if (/^(aeshash\w*|memhash\w*)$/.test(name)) {
    return true;
  }
  const base = runtimeBase(name);
  if (base === undefined) {
    return false;
  }
  return (
    base.startsWith('mapaccess') ||
    base.startsWith('mapassign') ||
    base.startsWith('mapdelete') ||
    base.startsWith('mapiter') ||
    base.startsWith('mapclear') ||
    base === 'makemap' ||
    base === 'makemap_small' ||
    base === 'hashGrow' ||
    base === 'growWork' ||
    base.startsWith('growWork_') ||
    base.startsWith('evacuate') ||
    base === 'strhash' ||
    base === 'memhash' ||
    base.startsWith('memhash') ||
    base === 'nilinterhash' ||
    base === 'interhash' ||
    base === 'typehash' ||
    base === 'efaceHash'
  );
}

/**
 * Reading the clock from Go code: `time.Now`, `time.Since`, `time.Until` and what they call (`time.now`,
 * `time.runtimeNow`, `time.runtimeNano`, linknamed to the runtime's `nanotime`/`walltime`). `runtime.nanotime` alone
 * is not here: the scheduler reads it in every `schedule`/timer check (busy-select and runnable-backlog spend
 * 15–25% there), which is not a clock call in user code.
 */
export function isClockFrame(name: string): boolean {
  return /^time\.(Now|Since|Until|now|runtimeNow|runtimeNano)$/.test(name);
}

/**
 * Non-blocking channel polls: `select` with one case and `default` compiles to `selectnbrecv`/`selectnbsend`;
 * with more cases to `selectgo` with block=false (golang/go:src/cmd/compile/internal/walk/select.go).
 */
export function isPollFrame(name: string): boolean {
  return name === 'runtime.selectnbrecv' || name === 'runtime.selectnbsend' || name === 'runtime.selectgo';
}

/**
 * Explicit yields: `runtime.Gosched` on the goroutine, `gosched_m`/`goschedImpl` on g0
 * (golang/go:src/runtime/proc.go).
 */
export function isYieldFrame(name: string): boolean {
  return name === 'runtime.Gosched' || name === 'runtime.gosched_m' || name === 'runtime.goschedImpl';
}

/**
 * sync.Mutex and sync.RWMutex methods (the Mutex body moved to `internal/sync` in 1.24), and the runtime semaphore
 * calls they make. Their CPU is the lock's own cost: spinning in `lockSlow`, waking waiters in `unlockSlow`, and the
 * atomic adds of `RLock`/`RUnlock` bouncing a cache line between cores.
 */
export function isLockFrame(name: string): boolean {
  return (
    name.startsWith('sync.(*Mutex).') ||
    name.startsWith('sync.(*RWMutex).') ||
    name.startsWith('internal/sync.(*Mutex).') ||
    name.startsWith('sync.runtime_SemacquireMutex') ||
    name.startsWith('sync.runtime_SemacquireRWMutex') ||
    name.startsWith('internal/sync.runtime_SemacquireMutex') ||
    name === 'sync.runtime_Semrelease' ||
    name === 'internal/sync.runtime_Semrelease'
  );
}

/**
 * A lock acquisition on a goroutine's stack: waiting in it (`[sync.Mutex.Lock]`) or woken by `Unlock` and queued to
 * run (`[runnable]` with `runtime_SemacquireMutex` at the top, as the mutex-contention dump shows).
 */
export function isLockAcquireFrame(name: string): boolean {
  return (
    name === 'sync.(*Mutex).Lock' ||
    name === 'sync.(*Mutex).lockSlow' ||
    name === 'internal/sync.(*Mutex).Lock' ||
    name === 'internal/sync.(*Mutex).lockSlow' ||
    name === 'sync.(*RWMutex).RLock' ||
    name === 'sync.(*RWMutex).Lock' ||
    name.startsWith('sync.runtime_SemacquireMutex') ||
    name.startsWith('sync.runtime_SemacquireRWMutex') ||
    name.startsWith('internal/sync.runtime_SemacquireMutex')
  );
}

/**
 * System calls made by Go code (golang/go:src/syscall, src/internal/runtime/syscall): the syscall package and
 * x/sys/unix wrappers and the raw assembly leaf, whose
 * package moved (runtime/internal/syscall 1.19–1.22, internal/runtime/syscall 1.23–1.25,
 * internal/runtime/syscall/linux 1.26), and cgo calls that block like one.
 */
export function isSyscallFrame(name: string): boolean {
  return (
    /^(syscall|golang\.org\/x\/sys\/unix)\.(Syscall|Syscall6|Syscall9|SyscallN|RawSyscall|RawSyscall6|RawSyscallNoError|rawSyscallNoError|syscall|syscall6|rawSyscall6?)$/.test(
      name
    ) ||
    name.startsWith('runtime/internal/syscall.') ||
    name.startsWith('internal/runtime/syscall.') ||
    name.startsWith('internal/runtime/syscall/')
  );
}

/**
 * The scheduler polling the network (golang/go:src/runtime/netpoll_epoll.go): idle Ps waiting in epoll, not
 * syscalls the program asked for.
 */
export function isNetpollFrame(name: string): boolean {
  return name === 'runtime.netpoll';
}

/**
 * Goroutine creation and exit: churn of short-lived goroutines (golang/go:src/runtime/proc.go `newproc`,
 * `newproc1`, `goexit0`, `gfget`).
 */
export function isGoroutineChurnFrame(name: string): boolean {
  const base = runtimeBase(name);
  return base === 'newproc' || base === 'newproc1' || base === 'goexit0' || base === 'goexit1' || base === 'gdestroy';
}

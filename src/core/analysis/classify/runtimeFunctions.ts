/**
 * Names of Go runtime functions by the role they play in CPU attribution, from golang/go master (Go 1.26) with the
 * renames of 1.19-1.25 (golang/go:src/runtime). Names are the part after `runtime.` with
 * closure suffixes removed: `gcBgMarkWorker.func2` -> `gcBgMarkWorker`, `(*gcWork).tryGetSpan` keeps its receiver.
 */

/**
 * Garbage collection and the allocator. `mallocgc` and its family count as GC work (the CPU split's "GC" is
 * background mark workers, mark assist, sweeping and mallocgc), so allocation is here too; everything that
 * starts with `gc` is GC (gcBgMarkWorker, gcDrain*, gcAssistAlloc*, gcMarkDone, gcStart, gcWriteBarrier*,
 * gcmarknewobject...).
 */
export const GC_PREFIXES = [
  'gc',
  'markroot',
  'scan', // scanstack, scanframeworker, scanblock, scanConservative, scanobject (<=1.25), scanObject (1.26), scanSpan
  'sweep', // sweepone
  'bgsweep',
  'bgscavenge',
  'mallocgc', // mallocgc, mallocgcTiny/SmallNoscan/SmallScanNoHeader/SmallScanHeader/Large (1.24+), ...SC<N> (1.26)
  'wbBuf', // wbBufFlush, wbBufFlush1
  'bulkBarrier',
  'heapBits', // heapBitsSetType (<=1.21), heapBitsSmallForAddr
  'heapSetType',
] as const;

export const GC_FUNCTIONS: ReadonlySet<string> = new Set([
  'GC',
  'greyobject',
  'shade',
  'findObject',
  'tryDeferToSpanScan',
  'deductSweepCredit',
  'deductAssistCredit',
  'finishsweep_m',
  'stopTheWorldWithSema',
  'startTheWorldWithSema',
  'newobject',
  'newarray',
  'makeslice',
  'makeslicecopy',
  'growslice',
  'makemap',
  'makemap_small',
  'nextFreeFast',
  'memclrNoHeapPointers',
  'memclrNoHeapPointersChunked',
  'profilealloc',
  'mProf_Malloc',
  'publicationBarrier',
  'sysUnused',
  'sysUsed',
  'sysHugePage',
  'sysAlloc',
  'sysFree',
  'persistentalloc',
  'largeAlloc',
  'freeSomeWbufs',
  'getempty',
  'putempty',
  'putfull',
  'trygetfull',
  'handoff',
  'markBitsForAddr',
  'typePointersOf',
]);

/** Receivers of methods that belong to the collector or the allocator. */
export const GC_RECEIVERS: ReadonlySet<string> = new Set([
  'gcWork',
  'gcControllerState',
  'gcCPULimiterState',
  'gcBits',
  'gcBitsArena',
  'spanQueue',
  'spanSPMC',
  'sweepLocked',
  'sweepClass',
  'activeSweep',
  'mspan',
  'mcache',
  'mcentral',
  'mheap',
  'pageAlloc',
  'pageCache',
  'pallocData',
  'pallocBits',
  'scavengerState',
  'scavengeIndex',
  'spanSet',
  'fixalloc',
  'mSpanList',
  'mSpanStateBox',
  'markBits',
  'typePointers',
  'limiterEvent',
  'wbBuf',
  'stackScanState',
  'stackWorkBuf',
  'workbuf',
  'linearAlloc',
  'heapArena',
  'spanClass',
]);

/**
 * Scheduling work proper: the scheduler loop, stealing, parking and readying goroutines, M/P hand-offs, sysmon,
 * goroutine creation and exit (golang/go:src/runtime/proc.go). `findrunnable` was renamed `findRunnable` in 1.19.
 *
 * Deliberately *not* here, although section 9.4 lists them: the low-level primitives `lock2`/`unlock2`, `futex*`,
 * `procyield`, `osyield`, `usleep`, `notesleep`/`notewakeup`. They also run under channel operations and
 * sync.Mutex spinning, where the time is runtime overhead of the caller's synchronisation, not scheduling; the CPU
 * split charges them to the scheduler only when a function of this set is on the same runtime stretch (cpuSplit.ts).
 */
export const SCHEDULER_FUNCTIONS: ReadonlySet<string> = new Set([
  'schedule',
  'findRunnable',
  'findrunnable',
  'findRunnableGCWorker',
  'stealWork',
  'runqgrab',
  'runqsteal',
  'runqget',
  'runqput',
  'runqputslow',
  'runqputbatch',
  'runqdrain',
  'globrunqget',
  'globrunqgetbatch',
  'globrunqput',
  'globrunqputhead',
  'globrunqputbatch',
  'checkTimers',
  'execute',
  'mcall',
  'park_m',
  'goschedImpl',
  'gosched_m',
  'goschedguarded_m',
  'gopreempt_m',
  'preemptPark',
  'goyield',
  'goyield_m',
  'Gosched',
  'gopark',
  'goparkunlock',
  'goready',
  'ready',
  'stopm',
  'startm',
  'handoffp',
  'wakep',
  'resetspinning',
  'mPark',
  'stoplockedm',
  'startlockedm',
  'sysmon',
  'retake',
  'preemptone',
  'preemptall',
  'newproc',
  'newproc1',
  'newm',
  'newm1',
  'gfget',
  'gfput',
  'goexit0',
  'goexit1',
  'gdestroy',
  'mstart',
  'mstart0',
  'mstart1',
  'mexit',
  'acquirep',
  'releasep',
  'releasepNoTrace',
  'injectglist',
  'checkdead',
  'templateThread',
  'pidleget',
  'pidleput',
  'pidlegetSpinning',
  'mget',
  'mput',
]);

/** Receivers of scheduler methods (timers run from the scheduler loop). */
export const SCHEDULER_RECEIVERS: ReadonlySet<string> = new Set([
  'timers',
  'timer',
  'p',
  'm',
  'gQueue',
  'gList',
  'randomOrder',
  'randomEnum',
  'schedt',
]);

/**
 * System calls and netpoll on the runtime side (section 9.5). The raw syscall leaf moved between packages
 * (runtime/internal/syscall 1.19-1.22, internal/runtime/syscall 1.23-1.25, internal/runtime/syscall/linux 1.26);
 * those packages are matched as a whole in frameClass.ts.
 */
export const SYSCALL_RUNTIME_FUNCTIONS: ReadonlySet<string> = new Set([
  'entersyscall',
  'entersyscallblock',
  'entersyscall_sysmon',
  'entersyscall_gcwait',
  'reentersyscall',
  'exitsyscall',
  'exitsyscallfast',
  'exitsyscallfast_reacquired',
  'exitsyscallfast_pidle',
  'netpoll',
  'netpollBreak',
  'netpollinit',
  'netpollopen',
  'netpollclose',
  'epollwait', // <= 1.19, assembly; later EpollWait in the syscall package
  'epollctl',
  'read',
  'write',
  'write1',
  'write2',
  'open',
  'closefd',
  'pipe2',
  'madvise',
  'mmap',
  'munmap',
  'sysMmap',
  'sysMunmap',
  'mincore',
  'nanosleep',
  'tgkill',
  'raiseproc',
  'sched_getaffinity',
  'syscall_syscall',
  'syscall_syscall6',
  'syscall_syscall6X',
  'syscall_syscallX',
  'syscall_rawSyscall',
  'syscall_rawSyscall6',
  'syscall_runtime_doAllThreadsSyscall',
  'asmstdcall',
  'stdcall',
  'libcCall',
  'vgetrandom',
]);

/** Go wrappers of system calls in the syscall package and golang.org/x/sys/unix (by function name). */
export const SYSCALL_WRAPPERS: ReadonlySet<string> = new Set([
  'Syscall',
  'Syscall6',
  'Syscall9',
  'Syscall12',
  'Syscall15',
  'Syscall18',
  'SyscallN',
  'RawSyscall',
  'RawSyscall6',
  'RawSyscallNoError',
  'rawSyscallNoError',
  'rawVforkSyscall',
  'syscall',
  'syscall6',
  'syscall6X',
  'syscallX',
  'rawSyscall',
  'rawSyscall6',
  'runtime_entersyscall',
  'runtime_exitsyscall',
  'EpollWait',
]);

/** Calls into C and callbacks from it (cgo). */
export const CGO_RUNTIME_FUNCTIONS: ReadonlySet<string> = new Set([
  'cgocall',
  'asmcgocall',
  'asmcgocall_no_g',
  'asmcgocall_landingpad',
  'cgocallback',
  'cgocallbackg',
  'cgocallbackg1',
  'cgoCheckPointer',
  'cgoIsGoPointer',
  'cgoUse',
]);

/**
 * Go assembly functions that have no package prefix in symbol tables (local `<>` symbols of runtime and
 * internal/bytealg, e.g. `aeshashbody`, `memeqbody`, `indexbytebody`): Go code, not C.
 */
export const GO_ASSEMBLY_LOCAL =
  /^(aeshash\w*|memhash\w*|memeqbody|indexbytebody|indexbody|countbody|cmpbody|callRet|gcWriteBarrier\w*|debugCall\w*|setg_gcc|sigtramp\w*|cgoSigtramp\w*)$/;

/**
 * Synthetic frames added by the profiler (golang/go:src/runtime/proc.go `sigprof`, cpuprof.go,
 * mprof.go), mapped to the class of the work they stand for:
 * - `_GC`: a sample whose traceback failed while the M had `preemptoff` set, i.e. during GC stop-the-world;
 * - `_System`: traceback failed otherwise (runtime code without a usable stack): other runtime work;
 * - `_ExternalCode`, `_LostExternalCode`: the PC was outside Go text (C code, or lost C samples): cgo/external;
 * - `_VDSO`: the PC was in the vDSO, the kernel's syscall fast path (clock_gettime...): syscall;
 * - `_LostSIGPROFDuringAtomic64`, `_LostContendedRuntimeLock`, `runtime/pprof.lostProfileEvent`: bookkeeping of
 *   lost samples and runtime-internal lock contention: other runtime.
 */
export const SYNTHETIC_FRAMES: ReadonlyMap<string, string> = new Map([
  ['runtime._GC', 'runtime-gc'],
  ['runtime._System', 'runtime-other'],
  ['runtime._ExternalCode', 'cgo'],
  ['runtime._LostExternalCode', 'cgo'],
  ['runtime._VDSO', 'syscall'],
  ['runtime._LostSIGPROFDuringAtomic64', 'runtime-other'],
  ['runtime._LostContendedRuntimeLock', 'runtime-other'],
  ['runtime/pprof.lostProfileEvent', 'runtime-other'],
]);

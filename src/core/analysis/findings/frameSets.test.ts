import * as F from './frameSets';

// Names as Go 1.19-1.26 profiles print them (golang/go:src/runtime).
describe('frame sets', () => {
  it.each([
    ['runtime.gcBgMarkWorker.func2', F.isCollectorFrame],
    ['runtime.gcAssistAlloc.func2', F.isAssistFrame],
    ['runtime.gcAssistAlloc1', F.isAssistFrame],
    ['runtime.(*sweepLocked).sweep', F.isCollectorFrame],
    ['runtime.bgscavenge', F.isCollectorFrame],
    ['runtime._GC', F.isCollectorFrame],
    ['internal/runtime/gc/scan.ScanSpanPacked', F.isCollectorFrame],
    ['gcWriteBarrier2', F.isWriteBarrierFrame],
    ['runtime.wbBufFlush1', F.isWriteBarrierFrame],
    ['runtime.mallocgcSmallScanNoHeader', F.isAllocationFrame],
    ['runtime.mallocgcSmallNoScanSC2', F.isAllocationFrame],
    ['runtime.growslice', F.isAllocationFrame],
    ['runtime.convTstring', F.isConversionFrame],
    ['runtime.convT', F.isConversionFrame],
    ['runtime.mapaccess2_faststr', F.isMapFrame],
    ['internal/runtime/maps.(*table).rehash', F.isMapFrame],
    ['runtime.evacuate_fast64', F.isMapFrame],
    ['aeshashbody', F.isMapFrame],
    ['time.Since', F.isClockFrame],
    ['time.runtimeNano', F.isClockFrame],
    ['runtime.selectnbsend', F.isPollFrame],
    ['runtime.gosched_m', F.isYieldFrame],
    ['internal/sync.(*Mutex).lockSlow', F.isLockFrame],
    ['sync.(*RWMutex).RUnlock', F.isLockFrame],
    ['sync.runtime_SemacquireRWMutexR', F.isLockAcquireFrame],
    ['syscall.RawSyscall6', F.isSyscallFrame],
    ['golang.org/x/sys/unix.Syscall', F.isSyscallFrame],
    ['runtime/internal/syscall.Syscall6', F.isSyscallFrame],
    ['internal/runtime/syscall.Syscall6', F.isSyscallFrame],
    ['internal/runtime/syscall/linux.Syscall6', F.isSyscallFrame],
    ['runtime.netpoll', F.isNetpollFrame],
    ['runtime.goexit0', F.isGoroutineChurnFrame],
  ])('%s is in its set', (name, set) => {
    expect(set(name)).toBe(true);
  });

  it.each([
    ['runtime.nanotime', F.isClockFrame], // the scheduler's clock, not a call from Go code
    ['runtime.convI2I', F.isConversionFrame], // does not allocate
    ['runtime.mallocgc', F.isCollectorFrame], // allocating is not collecting
    ['runtime.gcWriteBarrier', F.isCollectorFrame],
    ['main.gcBgMarkWorker', F.isCollectorFrame],
    ['runtime.chanrecv', F.isPollFrame],
    ['sync.(*WaitGroup).Wait', F.isLockFrame],
    ['syscall.write', F.isSyscallFrame], // the named call: counted through the wrapper below it
    ['runtime.futex', F.isSyscallFrame],
  ])('%s is not', (name, set) => {
    expect(set(name)).toBe(false);
  });
});

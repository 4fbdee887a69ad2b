import { FrameClass } from './classes';
import { classifyFrame, classifyFunction, FrameInfo, frameClassifier, isOutsideRuntimeAndStdlib } from './frameClass';

const demo = { mainModules: ['github.com/seed/goruntime-demo'] };

describe('classifyFunction', () => {
  const table: Array<[string, FrameClass]> = [
    // synthetic profiler frames
    ['runtime._GC', 'runtime-gc'],
    ['runtime._System', 'runtime-other'],
    ['runtime._ExternalCode', 'cgo'],
    ['runtime._LostExternalCode', 'cgo'],
    ['runtime._VDSO', 'syscall'],
    ['runtime._LostSIGPROFDuringAtomic64', 'runtime-other'],
    ['runtime/pprof.lostProfileEvent', 'runtime-other'],
    // GC and allocation, across versions
    ['runtime.gcBgMarkWorker', 'runtime-gc'],
    ['runtime.gcBgMarkWorker.func2', 'runtime-gc'],
    ['runtime.gcDrainMarkWorkerDedicated', 'runtime-gc'],
    ['runtime.gcAssistAlloc1', 'runtime-gc'],
    ['runtime.scanobject', 'runtime-gc'], // <= 1.25
    ['runtime.scanObject', 'runtime-gc'], // 1.26
    ['runtime.scanSpan', 'runtime-gc'],
    ['runtime.(*gcWork).tryGetSpan', 'runtime-gc'],
    ['runtime.(*spanQueue).drain', 'runtime-gc'],
    ['runtime.(*sweepLocked).sweep', 'runtime-gc'],
    ['runtime.bgsweep', 'runtime-gc'],
    ['runtime.(*scavengerState).run', 'runtime-gc'],
    ['runtime.markroot', 'runtime-gc'],
    ['runtime.findObject', 'runtime-gc'],
    ['runtime.tryDeferToSpanScan', 'runtime-gc'],
    ['runtime.wbBufFlush1', 'runtime-gc'],
    ['runtime.mallocgc', 'runtime-gc'],
    ['runtime.mallocgcSmallScanNoHeader', 'runtime-gc'],
    ['runtime.mallocgcSmallNoScanSC2', 'runtime-gc'],
    ['runtime.(*mcache).nextFree', 'runtime-gc'],
    ['runtime.(*mheap).alloc', 'runtime-gc'],
    ['runtime.growslice', 'runtime-gc'],
    ['internal/runtime/gc/scan.scanSpanPackedAVX512', 'runtime-gc'],
    // scheduler
    ['runtime.schedule', 'runtime-scheduler'],
    ['runtime.findRunnable', 'runtime-scheduler'],
    ['runtime.findrunnable', 'runtime-scheduler'], // <= 1.18
    ['runtime.park_m', 'runtime-scheduler'],
    ['runtime.mcall', 'runtime-scheduler'],
    ['runtime.gosched_m', 'runtime-scheduler'],
    ['runtime.stealWork', 'runtime-scheduler'],
    ['runtime.newproc1', 'runtime-scheduler'],
    ['runtime.(*timers).check', 'runtime-scheduler'],
    ['runtime.Gosched', 'runtime-scheduler'],
    // low-level primitives stay "other runtime" (see runtimeFunctions.ts)
    ['runtime.lock2', 'runtime-other'],
    ['runtime.futex', 'runtime-other'],
    ['runtime.procyield', 'runtime-other'],
    // syscalls and netpoll, across versions
    ['syscall.Syscall', 'syscall'],
    ['syscall.Syscall6', 'syscall'],
    ['syscall.RawSyscall6', 'syscall'],
    ['runtime/internal/syscall.Syscall6', 'syscall'], // 1.19-1.22
    ['internal/runtime/syscall.Syscall6', 'syscall'], // 1.23-1.25
    ['internal/runtime/syscall/linux.Syscall6', 'syscall'], // 1.26
    ['internal/runtime/syscall/linux.EpollWait', 'syscall'],
    ['golang.org/x/sys/unix.Syscall', 'syscall'],
    ['runtime.netpoll', 'syscall'],
    ['runtime.epollwait', 'syscall'],
    ['runtime.entersyscall', 'syscall'],
    ['runtime.exitsyscall', 'syscall'],
    ['internal/poll.runtime_pollWait', 'syscall'],
    ['syscall.Write', 'stdlib'],
    // cgo and external
    ['runtime.cgocall', 'cgo'],
    ['runtime.asmcgocall', 'cgo'],
    ['_cgo_0b49d6ed4a0b_Cfunc_sqlite3_step', 'cgo'],
    ['sqlite3_step', 'cgo'],
    ['runtime/cgo.x_cgo_thread_start', 'cgo'],
    ['0x7f3a1c2b9e10', 'cgo'],
    // Go assembly without a package, compiler-generated
    ['aeshashbody', 'runtime-other'],
    ['memeqbody', 'runtime-other'],
    ['indexbytebody', 'runtime-other'],
    ['type:.eq.main.key', 'runtime-other'],
    ['type:.eq.[2]interface {}', 'runtime-other'],
    // other runtime
    ['runtime.mapaccess2_faststr', 'runtime-other'],
    ['runtime.chanrecv', 'runtime-other'],
    ['runtime.memmove', 'runtime-other'],
    ['internal/runtime/maps.ctrlGroup.matchH2', 'runtime-other'],
    ['internal/runtime/atomic.(*Uint32).Load', 'runtime-other'],
    // standard library by the real package list
    ['time.Now', 'stdlib'],
    ['sync.(*Mutex).Lock', 'stdlib'],
    ['internal/sync.(*Mutex).lockSlow', 'stdlib'],
    ['crypto/internal/fips140/sha256.blockSHANI', 'stdlib'],
    ['net/http.(*conn).serve', 'stdlib'],
    ['encoding/json.(*decodeState).object', 'stdlib'],
    ['vendor/golang.org/x/net/http2/hpack.(*Decoder).Write', 'stdlib'],
    ['slices.SortFunc[...]', 'stdlib'],
    // user and third-party
    ['main.main', 'user'],
    ['main.(*server).handle.func1', 'user'],
    ['myapp/internal/store.(*DB).Get', 'user'], // dot-less module path: not stdlib
    ['github.com/prometheus/client_golang/prometheus.(*Registry).Gather', 'third-party'],
    ['gopkg.in/yaml%2ev3.(*parser).parse', 'third-party'],
    ['go.uber.org/zap.(*Logger).Info', 'third-party'],
    ['golang.org/x/sync/errgroup.(*Group).Go.func1', 'third-party'],
    ['github.com/acme/lib.Map[go.shape.int,go.shape.string]', 'third-party'],
  ];

  it.each(table)('%s -> %s', (name, expected) => {
    expect(classifyFunction(name)).toBe(expected);
  });

  it('uses the configured main module', () => {
    expect(classifyFunction('github.com/seed/goruntime-demo/internal/scenarios.busySelectLoop', demo)).toBe('user');
    expect(classifyFunction('github.com/seed/goruntime-demo.Run', demo)).toBe('user');
    expect(classifyFunction('github.com/seed/goruntime-demo-other.Run', demo)).toBe('third-party');
    expect(classifyFunction('github.com/seed/goruntime-demo/internal/scenarios.busySelectLoop')).toBe('third-party');
  });

  it('uses the file name: module cache, vendor and -trimpath @version mean third-party, anything else is user', () => {
    const fn = 'github.com/seed/goruntime-demo/internal/scenarios.busySelectLoop';
    expect(classifyFrame({ functionName: fn, fileName: '/work/main/demo/internal/scenarios/busy_select.go' })).toBe(
      'user'
    );
    expect(
      classifyFrame({ functionName: fn, fileName: 'github.com/seed/goruntime-demo/internal/scenarios/busy_select.go' })
    ).toBe('user');
    const dep = 'github.com/prometheus/client_golang/prometheus.(*Registry).Gather';
    expect(
      classifyFrame({
        functionName: dep,
        fileName: '/root/go/pkg/mod/github.com/prometheus/client_golang@v1.25.0/prometheus/registry.go',
      })
    ).toBe('third-party');
    expect(
      classifyFrame({
        functionName: dep,
        fileName: 'github.com/prometheus/client_golang@v1.25.0/prometheus/registry.go',
      })
    ).toBe('third-party');
    expect(
      classifyFrame({
        functionName: dep,
        fileName: '/src/app/vendor/github.com/prometheus/client_golang/prometheus/registry.go',
      })
    ).toBe('third-party');
    expect(classifyFrame({ functionName: 'aeshash', fileName: '/usr/local/go/src/runtime/asm_amd64.s' })).toBe(
      'runtime-other'
    );
    expect(classifyFrame({ functionName: 'sqlite3_step', fileName: 'sqlite3.c' })).toBe('cgo');
  });

  it('answers "outside runtime and stdlib" for the goroutine analysis', () => {
    expect(isOutsideRuntimeAndStdlib({ functionName: 'main.worker' })).toBe(true);
    expect(isOutsideRuntimeAndStdlib({ functionName: 'github.com/acme/lib.Do' })).toBe(true);
    expect(isOutsideRuntimeAndStdlib({ functionName: 'runtime.gopark' })).toBe(false);
    expect(isOutsideRuntimeAndStdlib({ functionName: 'sync.(*WaitGroup).Wait' })).toBe(false);
  });
});

describe('frameClassifier', () => {
  // Packages whose frames differ by function name or source file, each seen first with the other answer, so that a
  // class remembered per package would show.
  const frames: FrameInfo[] = [
    { functionName: 'runtime.gcBgMarkWorker' },
    { functionName: 'runtime.schedule' },
    { functionName: 'runtime.mapaccess2' },
    { functionName: 'syscall.Syscall6' },
    { functionName: 'syscall.Getpid' },
    { functionName: 'golang.org/x/sys/unix.Syscall' },
    { functionName: 'golang.org/x/sys/unix.ByteSliceFromString' },
    { functionName: 'internal/poll.runtime_pollWait' },
    { functionName: 'internal/poll.(*FD).Read' },
    { functionName: 'github.com/acme/lib.Do', fileName: '/home/me/lib/do.go' },
    { functionName: 'github.com/acme/lib.Do', fileName: '/root/go/pkg/mod/github.com/acme/lib@v1.0.0/do.go' },
    { functionName: 'github.com/acme/lib.Undo' },
    { functionName: 'github.com/seed/goruntime-demo/internal/stackzoo.allocLeaf' },
    { functionName: 'aeshash', fileName: '/usr/local/go/src/runtime/asm_amd64.s' },
    { functionName: 'sqlite3_step', fileName: 'sqlite3.c' },
    { functionName: 'runtime._VDSO' },
    { functionName: 'type:.eq.main.T' },
    { functionName: 'gopkg.in/yaml%2ev3.(*parser).parse' },
    { functionName: 'slices.SortFunc[go.shape.[]main.T,go.shape.int]' },
  ];

  it.each([[{}], [demo], [{ mainModules: ['github.com/acme'] }]])(
    'classifies each frame as classifyFrame does, packages seen twice included (options %j)',
    (options) => {
      const classify = frameClassifier(options);
      const twice = [...frames, ...[...frames].reverse()];
      expect(twice.map((f) => classify(f))).toEqual(twice.map((f) => classifyFrame(f, options)));
    }
  );

  it('tells a dependency from main-module code of the same package by the source file', () => {
    const classify = frameClassifier();
    expect(classify(frames[9])).toBe('user');
    expect(classify(frames[10])).toBe('third-party');
    expect(classify(frames[11])).toBe('third-party');
    expect(classify(frames[4])).toBe('stdlib');
    expect(classify(frames[3])).toBe('syscall');
  });
});

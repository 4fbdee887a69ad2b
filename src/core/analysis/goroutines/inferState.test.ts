import { inferGoroutineState } from './inferState';

const infer = (...fns: string[]) => {
  const r = inferGoroutineState(fns);
  return [r.state, r.reason, r.basis];
};

describe('inferGoroutineState (proto stacks keep the runtime leaf frames)', () => {
  it('keys on the operation frame after the parking machinery', () => {
    expect(infer('runtime.gopark', 'runtime.chanrecv', 'runtime.chanrecv1', 'main.chanWaiter')).toEqual(['chan-receive', 'chan receive', 'frames']);
    expect(infer('runtime.gopark', 'runtime.chanrecv', 'runtime.chanrecv2', 'main.f')).toEqual(['chan-receive', 'chan receive', 'frames']);
    expect(infer('runtime.gopark', 'runtime.chansend', 'runtime.chansend1', 'main.f')).toEqual(['chan-send', 'chan send', 'frames']);
    expect(infer('runtime.gopark', 'runtime.selectgo', 'main.f')).toEqual(['select', 'select', 'frames']);
    expect(infer('runtime.gopark', 'runtime.block', 'main.f')).toEqual(['select', 'select (no cases)', 'frames']);
    expect(infer('runtime.gopark', 'runtime.netpollblock', 'internal/poll.runtime_pollWait', 'internal/poll.(*pollDesc).wait')).toEqual([
      'io-wait',
      'IO wait',
      'frames',
    ]);
    expect(infer('runtime.gopark', 'time.Sleep', 'main.f')).toEqual(['sleep', 'sleep', 'frames']);
    expect(infer('runtime.gopark', 'runtime.goparkunlock', 'sync.runtime_notifyListWait', 'sync.(*Cond).Wait')).toEqual(['cond', 'sync.Cond.Wait', 'frames']);
    expect(infer('runtime.gopark', 'runtime.gcParkAssist', 'runtime.gcAssistAlloc', 'runtime.mallocgc')).toEqual(['gc', 'GC assist wait', 'frames']);
  });

  it('tells sync primitives apart by their API frame, across Go versions', () => {
    const sema = ['runtime.gopark', 'runtime.goparkunlock', 'runtime.semacquire1'];
    expect(infer(...sema, 'internal/sync.runtime_SemacquireMutex', 'internal/sync.(*Mutex).lockSlow', 'internal/sync.(*Mutex).Lock', 'sync.(*Mutex).Lock')).toEqual([
      'mutex',
      'sync.Mutex.Lock',
      'frames',
    ]);
    expect(infer(...sema, 'sync.runtime_SemacquireRWMutexR', 'sync.(*RWMutex).RLock', 'main.f')).toEqual(['mutex', 'sync.RWMutex.RLock', 'frames']);
    // Go 1.19: RLock through runtime_SemacquireMutex; WaitGroup through runtime_Semacquire.
    expect(infer(...sema, 'sync.runtime_SemacquireMutex', 'sync.(*RWMutex).RLock', 'main.f')).toEqual(['mutex', 'sync.RWMutex.RLock', 'frames']);
    expect(infer(...sema, 'sync.runtime_Semacquire', 'sync.(*WaitGroup).Wait', 'main.f')).toEqual(['waitgroup', 'sync.WaitGroup.Wait', 'frames']);
    expect(infer(...sema, 'sync.runtime_SemacquireWaitGroup', 'sync.(*WaitGroup).Wait')).toEqual(['waitgroup', 'sync.WaitGroup.Wait', 'frames']);
    expect(infer(...sema, 'internal/poll.runtime_Semacquire', 'internal/poll.(*fdMutex).rwlock')).toEqual(['semacquire', 'semacquire', 'frames']);
    expect(infer(...sema, 'sync.runtime_Semacquire', 'golang.org/x/sync/semaphore.f')).toEqual(['semacquire', 'semacquire', 'frames']);
  });

  it('recognises syscalls, runnable goroutines, the profiling goroutine and system goroutines', () => {
    expect(infer('syscall.Syscall', 'syscall.write', 'syscall.Write')).toEqual(['syscall', 'syscall', 'frames']);
    expect(infer('internal/runtime/syscall/linux.Syscall6', 'syscall.RawSyscall6')).toEqual(['syscall', 'syscall', 'frames']);
    expect(infer('runtime.cgocall', 'main._Cfunc_sleep')).toEqual(['syscall', 'syscall', 'frames']);
    expect(infer('runtime.notetsleepg', 'os/signal.signal_recv', 'os/signal.loop')).toEqual(['syscall', 'syscall', 'frames']);
    expect(infer('runtime.Gosched', 'main.spin')).toEqual(['runnable', 'runnable', 'frames']);
    expect(infer('runtime.asyncPreempt', 'main.spin')).toEqual(['runnable', 'runnable', 'frames']);
    expect(infer('runtime.pprof_goroutineProfileWithLabels', 'runtime/pprof.writeRuntimeProfile')).toEqual(['running', 'running', 'frames']);
    expect(infer('runtime/pprof.runtime_goroutineProfileWithLabels', 'runtime/pprof.writeRuntimeProfile')).toEqual(['running', 'running', 'frames']);
    expect(infer('runtime.gopark', 'runtime.gcBgMarkWorker')).toEqual(['idle-system', 'GC worker (idle)', 'frames']);
    // Stopped in user code without parking: preempted at a stack check.
    expect(infer('crypto/sha256.block', 'main.hashLoop')).toEqual(['runnable', 'runnable', 'user-leaf']);
  });

  it('reports what it cannot classify instead of guessing', () => {
    expect(infer()).toEqual(['other', '', 'unclassified']);
    expect(infer('runtime.gopark')).toEqual(['other', '', 'unclassified']);
    expect(infer('runtime.someFutureParkFunction', 'main.f')).toEqual(['other', '', 'unclassified']);
    // debug=1 hides runtime leaders: a user leaf there does not mean runnable.
    expect(inferGoroutineState(['main.chanWaiter'], { runtimeLeadersHidden: true }).basis).toBe('unclassified');
    expect(inferGoroutineState(['time.Sleep', 'main.f'], { runtimeLeadersHidden: true }).reason).toBe('sleep');
  });
});

import { readFileSync } from 'fs';
import { join } from 'path';
import { parseGoroutineDump } from '../wire/goroutineDump';
import { snapshotFromDump, validateSnapshot } from './goroutineSnapshot';
import {
  GOROUTINE_STATE_LABELS,
  GOROUTINE_STATES,
  isKnownWaitReason,
  resolveState,
  semacquireReasonFromFrames,
  stateOfReason,
} from './goroutineState';

/** waitReasonStrings at Go 1.26 (golang/go:src/runtime/runtime2.go), in enum order. */
const REASONS_126 = [
  '', 'GC assist marking', 'IO wait', 'chan receive (nil chan)', 'chan send (nil chan)', 'dumping heap',
  'garbage collection', 'garbage collection scan', 'panicwait', 'select', 'select (no cases)', 'GC assist wait',
  'GC sweep wait', 'GC scavenge wait', 'chan receive', 'chan send', 'finalizer wait', 'force gc (idle)',
  'GOMAXPROCS updater (idle)', 'semacquire', 'sleep', 'sync.Cond.Wait', 'sync.Mutex.Lock', 'sync.RWMutex.RLock',
  'sync.RWMutex.Lock', 'sync.WaitGroup.Wait', 'trace reader (blocked)', 'wait for GC cycle', 'GC worker (idle)',
  'GC worker (active)', 'preempted', 'debug call', 'GC mark termination', 'stopping the world',
  'flushing proc caches', 'trace goroutine status', 'trace proc status', 'page trace flush', 'coroutine',
  'GC weak to strong wait', 'synctest.Run', 'synctest.Wait', 'chan receive (durable)', 'chan send (durable)',
  'select (durable)', 'sync.WaitGroup.Wait (durable)', 'cleanup wait',
];

/**
 * The group of every Go 1.26 wait reason, written out in full: a reason moved to another group by mistake (say
 * `GC sweep wait` to `gc`, which would count the sweeper as GC pressure) fails here by name.
 */
const STATE_OF_REASON_126: Record<string, string> = {
  'GC assist marking': 'gc',
  'IO wait': 'io-wait',
  'chan receive (nil chan)': 'chan-receive',
  'chan send (nil chan)': 'chan-send',
  'dumping heap': 'other',
  'garbage collection': 'gc',
  'garbage collection scan': 'gc',
  panicwait: 'other',
  select: 'select',
  'select (no cases)': 'select',
  'GC assist wait': 'gc',
  'GC sweep wait': 'idle-system',
  'GC scavenge wait': 'idle-system',
  'chan receive': 'chan-receive',
  'chan send': 'chan-send',
  'finalizer wait': 'idle-system',
  'force gc (idle)': 'idle-system',
  'GOMAXPROCS updater (idle)': 'idle-system',
  semacquire: 'semacquire',
  sleep: 'sleep',
  'sync.Cond.Wait': 'cond',
  'sync.Mutex.Lock': 'mutex',
  'sync.RWMutex.RLock': 'mutex',
  'sync.RWMutex.Lock': 'mutex',
  'sync.WaitGroup.Wait': 'waitgroup',
  'trace reader (blocked)': 'idle-system',
  'wait for GC cycle': 'gc',
  'GC worker (idle)': 'idle-system',
  'GC worker (active)': 'gc',
  preempted: 'runnable',
  'debug call': 'other',
  'GC mark termination': 'gc',
  'stopping the world': 'gc',
  'flushing proc caches': 'gc',
  'trace goroutine status': 'other',
  'trace proc status': 'other',
  'page trace flush': 'other',
  coroutine: 'other',
  'GC weak to strong wait': 'gc',
  'synctest.Run': 'other',
  'synctest.Wait': 'other',
  'chan receive (durable)': 'chan-receive',
  'chan send (durable)': 'chan-send',
  'select (durable)': 'select',
  'sync.WaitGroup.Wait (durable)': 'waitgroup',
  'cleanup wait': 'idle-system',
};

const frames = (...names: string[]) => names.map((func) => ({ func }));

describe('goroutine state groups', () => {
  it('knows every Go 1.26 wait reason and every status', () => {
    expect(REASONS_126).toHaveLength(47);
    for (const r of REASONS_126.slice(1)) {
      expect(isKnownWaitReason(r)).toBe(true);
    }
    for (const s of ['idle', 'runnable', 'running', 'syscall', 'waiting', 'dead', 'copystack', 'preempted']) {
      expect(isKnownWaitReason(s)).toBe(true);
    }
    expect(isKnownWaitReason('timer goroutine (idle)')).toBe(true); // Go 1.19
    expect(isKnownWaitReason('select (synctest)')).toBe(true); // Go 1.24
  });

  it('puts every Go 1.26 wait reason in its group (the full table)', () => {
    const reasons = REASONS_126.slice(1);
    expect(Object.keys(STATE_OF_REASON_126).sort()).toEqual([...reasons].sort());
    expect(Object.fromEntries(reasons.map((r) => [r, stateOfReason(r)]))).toEqual(STATE_OF_REASON_126);
  });

  it('groups reasons for display and keeps unknown ones visible as other', () => {
    const expected: Record<string, string> = {
      running: 'running',
      runnable: 'runnable',
      preempted: 'runnable',
      syscall: 'syscall',
      'IO wait': 'io-wait',
      'chan receive': 'chan-receive',
      'chan receive (nil chan)': 'chan-receive',
      'chan send (durable)': 'chan-send',
      'select (no cases)': 'select',
      'sync.Mutex.Lock': 'mutex',
      'sync.RWMutex.RLock': 'mutex',
      'sync.RWMutex.Lock': 'mutex',
      'sync.WaitGroup.Wait': 'waitgroup',
      'sync.Cond.Wait': 'cond',
      semacquire: 'semacquire',
      sleep: 'sleep',
      'GC assist wait': 'gc',
      'stopping the world': 'gc',
      'GC worker (idle)': 'idle-system',
      'finalizer wait': 'idle-system',
      'a reason from Go 1.40': 'other',
    };
    for (const [reason, state] of Object.entries(expected)) {
      expect(stateOfReason(reason)).toBe(state);
    }
    const used = new Set(REASONS_126.map(stateOfReason));
    for (const s of GOROUTINE_STATES) {
      expect(GOROUTINE_STATE_LABELS[s]).toBeTruthy();
      if (s !== 'running' && s !== 'runnable' && s !== 'syscall') {
        expect(used).toContain(s);
      }
    }
  });

  it('maps pre-1.20 semacquire mutex waits and pre-1.24 WaitGroup waits by their frames', () => {
    // Go 1.19 (golang/go@go1.19:src/runtime/runtime2.go has no sync.Mutex.Lock reason): header says semacquire,
    // frames say Mutex.Lock.
    expect(resolveState('semacquire', frames('sync.runtime_SemacquireMutex', 'sync.(*Mutex).lockSlow', 'sync.(*Mutex).Lock', 'main.f'))).toEqual({
      state: 'mutex',
      basis: 'header+frames',
    });
    // Go 1.19 RLock parks through runtime_SemacquireMutex: the API frame decides.
    expect(semacquireReasonFromFrames(frames('sync.runtime_SemacquireMutex', 'sync.(*RWMutex).RLock', 'main.f'))).toBe('sync.RWMutex.RLock');
    // RWMutex.Lock waiting on its inner Mutex reads as Go ≥1.20 prints it.
    expect(
      semacquireReasonFromFrames(frames('sync.runtime_SemacquireMutex', 'sync.(*Mutex).lockSlow', 'sync.(*Mutex).Lock', 'sync.(*RWMutex).Lock'))
    ).toBe('sync.Mutex.Lock');
    expect(semacquireReasonFromFrames(frames('sync.runtime_SemacquireMutex', 'main.f'))).toBe('sync.Mutex.Lock');
    expect(semacquireReasonFromFrames(frames('sync.runtime_Semacquire', 'sync.(*WaitGroup).Wait', 'main.f'))).toBe('sync.WaitGroup.Wait');
    expect(resolveState('semacquire', frames('sync.runtime_Semacquire', 'sync.(*WaitGroup).Wait'))).toEqual({ state: 'waitgroup', basis: 'header+frames' });
    // A real semaphore stays a semaphore.
    expect(resolveState('semacquire', frames('internal/poll.runtime_Semacquire', 'internal/poll.(*fdMutex).rwlock'))).toEqual({
      state: 'semacquire',
      basis: 'header',
    });
    // Woken from a lock's semaphore but not yet running: still contending for the lock.
    expect(resolveState('runnable', frames('internal/sync.runtime_SemacquireMutex', 'internal/sync.(*Mutex).lockSlow'))).toEqual({
      state: 'mutex',
      basis: 'header+frames',
    });
    expect(resolveState('runnable', frames('main.spin'))).toEqual({ state: 'runnable', basis: 'header' });
    expect(resolveState('runnable', frames('sync.runtime_SemacquireWaitGroup'))).toEqual({ state: 'runnable', basis: 'header' });
    // Newer reasons need no frames.
    expect(resolveState('sync.Mutex.Lock', [])).toEqual({ state: 'mutex', basis: 'header' });
  });
});

describe('snapshotFromDump', () => {
  it('gives every goroutine of a real dump a state; states sum to the total', () => {
    const dump = parseGoroutineDump(readFileSync(join(__dirname, '..', 'wire', '__testdata__', 'go1.26', 'debug2.txt'), 'utf8'));
    const s = snapshotFromDump(dump, { timestamp: 5 });
    expect(s.total).toBe(dump.goroutines.length);
    expect(validateSnapshot(s)).toEqual([]);
    expect(s.unclassified).toBe(0);
    expect(s.timestamp).toBe(5);
    const states = new Set(s.records.map((r) => r.state));
    for (const st of ['running', 'runnable', 'io-wait', 'chan-receive', 'chan-send', 'select', 'mutex', 'waitgroup', 'cond', 'sleep']) {
      expect(states).toContain(st);
    }
    const mutex = s.records.filter((r) => r.state === 'mutex');
    expect(mutex.every((r) => r.frames.some((f) => f.func.includes('Mutex')))).toBe(true);
  });

  it('maps a Go 1.19 semacquire dump to the mutex group while keeping the exact reason', () => {
    const dump = parseGoroutineDump(
      'goroutine 22 [semacquire]:\nsync.runtime_SemacquireMutex(0x0?, 0x0?, 0x0?)\n\t/usr/local/go/src/runtime/sema.go:77 +0x25\nsync.(*Mutex).Lock(...)\n\t/usr/local/go/src/sync/mutex.go:90\nmain.mutexWaiter()\n\t/home/u/app/main.go:36 +0x39\n\ngoroutine 23 [semacquire]:\ninternal/poll.runtime_Semacquire(0x0?)\n\t/usr/local/go/src/runtime/sema.go:67 +0x25\nmain.reader()\n\t/home/u/app/main.go:40 +0x39\n'
    );
    const s = snapshotFromDump(dump);
    expect(s.records.map((r) => [r.reason, r.state, r.basis])).toEqual([
      ['semacquire', 'mutex', 'header+frames'],
      ['semacquire', 'semacquire', 'header'],
    ]);
  });
});

import { ALL_SCENARIOS, scenarioInputs } from '../../../../tests/support/findingsFixtures';
import { diagnose } from './runner';
import { cpuShare, delayProfile, snapshot, type DumpGroup } from './testing/builders';
import { THRESHOLDS } from './thresholds';
import type { DiagnosisInputs } from './types';

const mutex = (inputs: DiagnosisInputs) => diagnose(inputs, { only: ['mutex-contention'] });
const LOCK_SLOW = [
  'main.main',
  'main.update',
  'sync.(*Mutex).Lock',
  'internal/sync.(*Mutex).Lock',
  'internal/sync.(*Mutex).lockSlow',
];
const RLOCK = ['main.main', 'main.readConfig', 'sync.(*RWMutex).RLock', 'sync/atomic.(*Int32).Add'];
const UNLOCK = ['main.main', 'main.update', 'sync.(*Mutex).Unlock'];
const LOCK = ['main.main', 'main.update', 'sync.(*Mutex).Lock'];
const RUNTIME_LOCK = ['runtime.mcall', 'runtime.park_m', 'runtime.schedule', 'runtime.unlock'];
const WAITING: string[] = [
  'internal/sync.runtime_SemacquireMutex',
  'internal/sync.(*Mutex).lockSlow',
  'internal/sync.(*Mutex).Lock',
  'sync.(*Mutex).Lock',
  'main.update',
];
const TOTAL = 200;

const queue = (...groups: Array<Partial<DumpGroup> & { count: number }>) => [
  snapshot(groups.map((g) => ({ reason: 'sync.Mutex.Lock', frames: WAITING, createdBy: 'main.start', ...g }))),
];

describe('mutex-contention on the demo fixtures', () => {
  it('fires on mutex-contention: lock CPU, the queue at the lock, and the Unlock in lockedLedgerUpdate', () => {
    const [f] = mutex(scenarioInputs('mutex-contention'));
    // 23% lock CPU on this capture: over lockCpuShare (15%), under lockCritical (40%). Cumulative profiles have no
    // window, so the wait rate cannot raise it.
    expect(f).toMatchObject({ id: 'mutex-contention', layer: 2, severity: 'warning' });
    expect(f.title).toBe('Lock contention in scenarios.lockedLedgerUpdate');
    expect(f.summary).toMatch(
      /internal\/sync\.\(\*Mutex\)\.lockSlow 1\d%, internal\/sync\.\(\*Mutex\)\.unlockSlow \d\.\d%/
    );
    // The debug=2 dump shows the waiters [runnable] at runtime_SemacquireMutex (woken, queued): they count.
    expect(f.summary).toMatch(/1[4-6] goroutines queue at the lock in scenarios\.lockedLedgerUpdate/);
    expect(f.summary).toContain('to the Unlock in scenarios.lockedLedgerUpdate: it holds the lock');
  });

  it('fires on rwmutex-churn as RWMutex churn, with the writer refreshConfigUnderLock holding the lock', () => {
    const [f] = mutex(scenarioInputs('rwmutex-churn'));
    expect(f).toMatchObject({ id: 'mutex-contention', severity: 'critical' });
    expect(f.title).toBe('RWMutex churn in scenarios.readThroughConfigCache');
    expect(f.summary).toContain('to the Unlock in scenarios.refreshConfigUnderLock');
    expect(f.summary).toContain('4 goroutines queue at the lock');
  });

  it.each(ALL_SCENARIOS.filter((s) => s !== 'mutex-contention' && s !== 'rwmutex-churn'))(
    'stays quiet on %s',
    (scenario) => {
      expect(mutex(scenarioInputs(scenario))).toEqual([]);
    }
  );
});

describe('mutex-contention thresholds', () => {
  it('fires from lockCpuShare of CPU in the lock, critical from lockCritical (RLock churn included)', () => {
    const at = THRESHOLDS.lockCpuShare.value * TOTAL;
    expect(mutex({ cpu: cpuShare(LOCK_SLOW, at, TOTAL) })).toMatchObject([{ severity: 'warning' }]);
    expect(mutex({ cpu: cpuShare(LOCK_SLOW, at - 1, TOTAL) })).toEqual([]);
    const [rw] = mutex({ cpu: cpuShare(RLOCK, THRESHOLDS.lockCritical.value * TOTAL, TOTAL) });
    expect(rw).toMatchObject({ severity: 'critical', title: 'RWMutex churn in main.readConfig' });
  });

  it('fires from lockWaitRate goroutines waiting on average in a delta mutex profile, critical from lockWaitCritical', () => {
    const window = 10;
    const rate = (r: number) => mutex({ mutex: delayProfile([[UNLOCK, r * window]], window) });
    expect(rate(THRESHOLDS.lockWaitRate.value)).toMatchObject([{ severity: 'warning' }]);
    expect(rate(THRESHOLDS.lockWaitRate.value * 0.99)).toEqual([]);
    expect(rate(THRESHOLDS.lockWaitCritical.value)).toMatchObject([{ severity: 'critical' }]);
  });

  it('reads the wait at the Lock from a block profile the same way', () => {
    expect(mutex({ block: delayProfile([[LOCK, 20]], 10) })).toMatchObject([{ severity: 'warning' }]);
  });

  it('has no rate for cumulative profiles (since the process started), unless they are Pyroscope merges of the window', () => {
    const cumulative = delayProfile([[UNLOCK, 500]]);
    expect(mutex({ mutex: cumulative })).toEqual([]);
    const window = { from: 0, to: 100_000 };
    expect(mutex({ mutex: cumulative, window, source: 'pyroscope' })).toMatchObject([{ severity: 'critical' }]);
  });

  it('does not count runtime-internal locks', () => {
    expect(mutex({ mutex: delayProfile([[RUNTIME_LOCK, 100]], 10) })).toEqual([]);
  });

  it('fires from lockQueue goroutines at one lock, counting woken waiters queued [runnable]', () => {
    const at = THRESHOLDS.lockQueue.value;
    expect(mutex({ goroutines: queue({ count: at - 1 }) })).toEqual([]);
    expect(mutex({ goroutines: queue({ count: at - 3 }, { count: 3, reason: 'runnable' }) })).toMatchObject([
      { severity: 'warning', title: 'Lock contention in main.update' },
    ]);
  });

  it('does not add up queues at different locks', () => {
    const half = THRESHOLDS.lockQueue.value / 2;
    const other = ['internal/sync.runtime_SemacquireMutex', 'sync.(*Mutex).Lock', 'main.flush'];
    expect(mutex({ goroutines: queue({ count: half }, { count: half, frames: other }) })).toEqual([]);
  });
});

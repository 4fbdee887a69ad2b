import { ALL_SCENARIOS, scenarioInputs } from '../../../../tests/support/findingsFixtures';
import { snapshotFromStacks } from '../goroutines/fromStacks';
import { diagnose } from './runner';
import { snapshot, type DumpGroup } from './testing/builders';
import { THRESHOLDS } from './thresholds';
import type { DiagnosisInputs } from './types';

const leak = (inputs: DiagnosisInputs) => diagnose(inputs, { only: ['goroutine-leak-suspect'] });
const SENDER: DumpGroup = { count: 0, reason: 'chan send', frames: ['main.sendResult'], createdBy: 'main.fetch' };
const WORKER: DumpGroup = { count: 0, reason: 'chan receive', frames: ['main.worker'], createdBy: 'main.startPool' };

/** The same cluster counted in snapshots `seconds` apart. */
function series(group: DumpGroup, counts: number[], seconds = 60): DiagnosisInputs {
  return { goroutines: counts.map((count, i) => snapshot([{ ...group, count }], i * seconds * 1000)) };
}

describe('goroutine-leak-suspect on the demo fixtures', () => {
  it('fires on goroutine-leak: 60 -> 120 senders blocked at leakedResultSender within 3 s', () => {
    const [f] = leak(scenarioInputs('goroutine-leak'));
    expect(f).toMatchObject({ id: 'goroutine-leak-suspect', layer: 2, severity: 'critical' });
    expect(f.title).toBe('120 goroutines stuck in chan send at scenarios.leakedResultSender');
    expect(f.evidence.clusters?.[0]).toMatchObject({ count: 120, counts: [60, 120], reason: 'chan send' });
    expect(f.evidence.clusters?.[0].creationSite).toMatch(
      /scenarios\.fetchWithAbandonedResult .*goroutine_leak\.go:\d+$/
    );
    // The window runs from the first snapshot to the later one, taken 3 s apart.
    expect(f.window!.to - f.window!.from).toBeGreaterThan(2000);
    expect(f.window!.to - f.window!.from).toBeLessThan(5000);
    expect(f.nextStep).toContain('Nobody receives');
  });

  it('fires from the first snapshot alone: 60 senders blocked where nobody receives', () => {
    const inputs = scenarioInputs('goroutine-leak');
    const [f] = leak({ goroutines: inputs.goroutines!.slice(0, 1) });
    expect(f).toMatchObject({
      severity: 'warning',
      title: '60 goroutines stuck in chan send at scenarios.leakedResultSender',
    });
  });

  it('is critical with Go 1.26 goroutineleak marks (no false positives)', () => {
    const [f] = leak(scenarioInputs('goroutine-leak-goexperiment'));
    expect(f).toMatchObject({ severity: 'critical' });
    expect(f.evidence.clusters?.[0].leaked).toBe(60);
    expect(f.summary).toContain('goroutineleak profile marks 60 of them leaked');
  });

  it.each(ALL_SCENARIOS.filter((s) => s !== 'goroutine-leak'))('stays quiet on %s', (scenario) => {
    expect(leak(scenarioInputs(scenario))).toEqual([]);
  });
});

describe('goroutine-leak-suspect thresholds', () => {
  const min = THRESHOLDS.leakGrowthMin.value;
  const ratio = THRESHOLDS.leakGrowthRatio.value;

  it('fires on growth of leakGrowthMin and leakGrowthRatio, never shrinking', () => {
    const first = min / (ratio - 1); // +min is exactly ratio times first
    expect(leak(series(WORKER, [first, first + min]))).toMatchObject([{ severity: 'warning' }]);
    expect(leak(series(WORKER, [first, first + min - 1]))).toEqual([]);
    expect(leak(series(WORKER, [first * 2, first * 2 + min + 5]))).toEqual([]); // +15 on 40: under the ratio
    expect(leak(series(WORKER, [first, first + 2 * min, first + min]))).toEqual([]); // it shrank
  });

  it("only counts channel and sync waits, as Go's own leak detector does", () => {
    const busy: DumpGroup = { count: 0, reason: 'runnable', frames: ['main.compute'], createdBy: 'main.start' };
    const io: DumpGroup = {
      count: 0,
      reason: 'IO wait',
      frames: ['internal/poll.runtime_pollWait', 'main.serve'],
      createdBy: 'main.listen',
    };
    expect(leak(series(busy, [10, 100]))).toEqual([]);
    expect(leak(series(io, [10, 100]))).toEqual([]);
  });

  it('is critical from leakCriticalPerMinute', () => {
    // +20 in 12 s is 100 a minute; in 13 s it is 92.
    expect(leak(series(WORKER, [20, 40], 12))).toMatchObject([{ severity: 'critical' }]);
    expect(leak(series(WORKER, [20, 40], 13))).toMatchObject([{ severity: 'warning' }]);
  });

  it('fires in one snapshot on leakPileMin goroutines blocked sending or waiting, not on idle receivers', () => {
    const pile = THRESHOLDS.leakPileMin.value;
    const one = (g: DumpGroup) => ({ goroutines: [snapshot([g])] });
    expect(leak(one({ ...SENDER, count: pile }))).toMatchObject([{ severity: 'warning' }]);
    expect(leak(one({ ...SENDER, count: pile - 1 }))).toEqual([]);
    expect(
      leak(
        one({
          ...SENDER,
          reason: 'sync.WaitGroup.Wait',
          frames: ['sync.(*WaitGroup).Wait', 'main.gather'],
          count: pile,
        })
      )
    ).toHaveLength(1);
    expect(leak(one({ ...WORKER, count: pile * 4 }))).toEqual([]);
  });

  it('fires on leakPileMin goroutines that all waited leakLongWaitMinutes', () => {
    const pile = THRESHOLDS.leakPileMin.value;
    const minutes = THRESHOLDS.leakLongWaitMinutes.value;
    const one = (m: number) => ({ goroutines: [snapshot([{ ...WORKER, count: pile, minutes: m }])] });
    const [f] = leak(one(minutes));
    expect(f.summary).toContain(`All have waited ${minutes} minutes or more.`);
    expect(leak(one(minutes - 1))).toEqual([]);
  });

  it('takes the marks of a leak-only goroutineleak profile, which is not a snapshot of all goroutines', () => {
    const leakOnly = snapshotFromStacks(
      [{ frames: [{ func: 'runtime.gopark' }, { func: 'runtime.chansend1' }, { func: 'main.sendResult' }], count: 3 }],
      {
        source: 'profile',
        profile: 'goroutineleak',
      }
    );
    const [f] = leak({ goroutines: [{ time: 0, snapshot: leakOnly }] });
    expect(f).toMatchObject({ severity: 'critical', title: '3 goroutines stuck in chan send at main.sendResult' });
  });

  it('compares the cluster with the baseline', () => {
    const [f] = leak({ ...series(SENDER, [60, 120]), baseline: { goroutines: [snapshot([{ ...SENDER, count: 4 }])] } });
    expect(f.summary).toContain('Goroutines in this cluster rose from 4 in the baseline to 120.');
  });
});

describe('goroutine-leak-suspect and lock queues', () => {
  it('does not call a growing queue of mutex waiters a leak (contention comes and goes; mutex-contention owns it)', () => {
    const lockWaiters: DumpGroup = {
      count: 0,
      reason: 'sync.Mutex.Lock',
      frames: ['sync.(*Mutex).Lock', 'main.update'],
      createdBy: 'main.serve',
    };
    expect(leak(series(lockWaiters, [2, 14], 3))).toEqual([]);
    // The same growth in chan send is a leak: the rule still fires on growth for other waits.
    expect(leak(series({ ...lockWaiters, reason: 'chan send', frames: ['main.update'] }, [2, 14], 3))).toHaveLength(1);
  });
});

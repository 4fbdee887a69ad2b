import { ALL_SCENARIOS, scenarioInputs } from '../../../../tests/support/findingsFixtures';
import { diagnose } from './runner';
import { cpuShare } from './testing/builders';
import { THRESHOLDS } from './thresholds';
import type { DiagnosisInputs } from './types';

const clock = (inputs: DiagnosisInputs) => diagnose(inputs, { only: ['clock-hot-path'] });
const NOW = ['main.main', 'main.stamp', 'time.Now', 'time.runtimeNow'];
// The scheduler reads the clock itself: busy-select and runnable-backlog spend 15-25% here, with no time.Now above.
const SCHEDULER_CLOCK = [
  'runtime.mcall',
  'runtime.gosched_m',
  'runtime.schedule',
  'runtime.findRunnable',
  'runtime.nanotime',
];
const TOTAL = 200;

describe('clock-hot-path on the demo fixtures', () => {
  it('fires on clock-hot-path under timestampEveryEvent (author: 94% cum, time.Now 57%)', () => {
    const [f] = clock(scenarioInputs('clock-hot-path'));
    expect(f).toMatchObject({ id: 'clock-hot-path', layer: 1, severity: 'critical' });
    expect(f.title).toMatch(/in scenarios\.timestampEveryEvent$/);
    expect(f.summary).toMatch(/time\.Now 5\d%/);
  });

  it.each(ALL_SCENARIOS.filter((s) => s !== 'clock-hot-path'))('stays quiet on %s', (scenario) => {
    expect(clock(scenarioInputs(scenario))).toEqual([]);
  });
});

describe('clock-hot-path thresholds', () => {
  it('fires from clockCallerShare under one caller, critical from clockCritical', () => {
    const at = THRESHOLDS.clockCallerShare.value * TOTAL;
    expect(clock({ cpu: cpuShare(NOW, at, TOTAL) })).toMatchObject([{ severity: 'warning' }]);
    expect(clock({ cpu: cpuShare(NOW, at - 1, TOTAL) })).toEqual([]);
    expect(clock({ cpu: cpuShare(NOW, THRESHOLDS.clockCritical.value * TOTAL, TOTAL) })).toMatchObject([
      { severity: 'critical' },
    ]);
  });

  it('does not count runtime.nanotime read by the scheduler', () => {
    expect(clock({ cpu: cpuShare(SCHEDULER_CLOCK, 0.25 * TOTAL, TOTAL) })).toEqual([]);
  });
});

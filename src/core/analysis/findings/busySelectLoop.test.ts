import { ALL_SCENARIOS, scenarioInputs } from '../../../../tests/support/findingsFixtures';
import { diagnose } from './runner';
import { cpuProfile, cpuShare, FILLER } from './testing/builders';
import { THRESHOLDS } from './thresholds';
import type { DiagnosisInputs } from './types';

const busy = (inputs: DiagnosisInputs) => diagnose(inputs, { only: ['busy-select-loop'] });
const POLL = ['main.main', 'main.pollJobs', 'runtime.selectnbrecv', 'runtime.chanrecv'];
// CPU in a Gosched lands under runtime.mcall at the root, not under the polling function
// (golang/go:src/runtime/proc.go `gosched_m`).
const YIELD = ['runtime.mcall', 'runtime.gosched_m', 'runtime.goschedImpl', 'runtime.schedule'];
const TOTAL = 200;

describe('busy-select-loop on the demo fixtures', () => {
  it('fires on busy-select under busySelectLoop (capture: polling 47%, Gosched and its scheduling 43%)', () => {
    const [f] = busy(scenarioInputs('busy-select'));
    expect(f).toMatchObject({ id: 'busy-select-loop', layer: 1, severity: 'critical' });
    expect(f.title).toBe('Busy select loop in scenarios.busySelectLoop');
    expect(f.summary).toMatch(/4\d% of CPU in selectnbrecv/);
    expect(f.summary).toMatch(/Another 4\d% goes to runtime\.Gosched/);
    // Both polling goroutines, wherever the dump caught them inside the loop (one in its pacer).
    expect(f.summary).toContain('2 goroutines run this loop in the latest snapshot');
  });

  it.each(ALL_SCENARIOS.filter((s) => s !== 'busy-select'))('stays quiet on %s', (scenario) => {
    expect(busy(scenarioInputs(scenario))).toEqual([]);
  });
});

describe('busy-select-loop thresholds', () => {
  it('fires from pollCallerShare under one caller', () => {
    const at = THRESHOLDS.pollCallerShare.value * TOTAL;
    expect(busy({ cpu: cpuShare(POLL, at, TOTAL) })).toMatchObject([{ severity: 'warning' }]);
    expect(busy({ cpu: cpuShare(POLL, at - 1, TOTAL) })).toEqual([]);
  });

  it('is critical when polling and yielding reach busyLoopCritical together', () => {
    const poll = THRESHOLDS.pollCallerShare.value * TOTAL;
    const yieldTo = (n: number) =>
      cpuProfile([
        [POLL, poll],
        [YIELD, n],
        [FILLER, TOTAL - poll - n],
      ]);
    const rest = THRESHOLDS.busyLoopCritical.value * TOTAL - poll;
    expect(busy({ cpu: yieldTo(rest) })).toMatchObject([{ severity: 'critical' }]);
    expect(busy({ cpu: yieldTo(rest - 1) })).toMatchObject([{ severity: 'warning' }]);
  });

  it('does not fire on yields alone (runnable-backlog yields too, without polling)', () => {
    expect(busy({ cpu: cpuShare(YIELD, 0.7 * TOTAL, TOTAL) })).toEqual([]);
  });
});

import { ALL_SCENARIOS, scenarioInputs } from '../../../../tests/support/findingsFixtures';
import { diagnose } from './runner';
import { cpuProfile, cpuShare, FILLER, snapshot } from './testing/builders';
import { THRESHOLDS } from './thresholds';
import type { DiagnosisInputs } from './types';

const sched = (inputs: DiagnosisInputs) => diagnose(inputs, { only: ['scheduler-overhead'] });
const SCHEDULE = ['runtime.mcall', 'runtime.park_m', 'runtime.schedule', 'runtime.findRunnable'];
const POLL = ['main.main', 'main.pollJobs', 'runtime.selectnbrecv'];
const NEWPROC = ['main.main', 'main.spawn', 'runtime.newproc', 'runtime.systemstack', 'runtime.newproc1'];
const TOTAL = 200;

describe('scheduler-overhead on the demo fixtures', () => {
  it('fires on runnable-backlog with its backlog of runnable goroutines (author: gosched_m 74%, schedule 47%, ~134 runnable)', () => {
    const [f] = sched(scenarioInputs('runnable-backlog'));
    expect(f).toMatchObject({ id: 'scheduler-overhead', layer: 2, severity: 'critical' });
    expect(f.summary).toMatch(/1[34]\d goroutines are runnable in the latest snapshot/);
    expect(f.evidence.clusters?.[0].function).toBe('github.com/seed/goruntime-demo/internal/scenarios.shortLivedTask');
  });

  it('reports busy-select at info only, explained by the busy select loop (the documented off-diagonal entry)', () => {
    const [f] = sched(scenarioInputs('busy-select'));
    expect(f.severity).toBe('info');
    expect(f.summary).toContain('Explained by the busy select loop in scenarios.busySelectLoop');
  });

  it.each(ALL_SCENARIOS.filter((s) => s !== 'runnable-backlog' && s !== 'busy-select'))(
    'stays quiet on %s',
    (scenario) => {
      expect(sched(scenarioInputs(scenario))).toEqual([]);
    }
  );
});

describe('scheduler-overhead thresholds', () => {
  it('fires from schedulerShare, critical from schedulerCritical', () => {
    const at = THRESHOLDS.schedulerShare.value * TOTAL;
    expect(sched({ cpu: cpuShare(SCHEDULE, at, TOTAL) })).toMatchObject([{ severity: 'warning' }]);
    expect(sched({ cpu: cpuShare(SCHEDULE, at - 1, TOTAL) })).toEqual([]);
    expect(sched({ cpu: cpuShare(SCHEDULE, THRESHOLDS.schedulerCritical.value * TOTAL, TOTAL) })).toMatchObject([
      { severity: 'critical' },
    ]);
  });

  const withPoll = (extra: Array<[string[], number]> = []) =>
    cpuProfile([[SCHEDULE, 80], [POLL, 40], ...extra, [FILLER, TOTAL - 120 - extra.reduce((n, [, k]) => n + k, 0)]]);

  it('is info when a busy select loop explains it, unless there is a runnable backlog or goroutine churn', () => {
    expect(sched({ cpu: withPoll() })).toMatchObject([{ severity: 'info' }]);
    const backlog = THRESHOLDS.runnableBacklog.value;
    const runnable = (n: number) => [
      snapshot([{ count: n, reason: 'runnable', frames: ['main.task'], createdBy: 'main.spawn' }]),
    ];
    expect(sched({ cpu: withPoll(), goroutines: runnable(backlog - 1) })).toMatchObject([{ severity: 'info' }]);
    expect(sched({ cpu: withPoll(), goroutines: runnable(backlog) })).toMatchObject([{ severity: 'warning' }]);
    const churn = THRESHOLDS.goroutineChurnShare.value * TOTAL;
    expect(sched({ cpu: withPoll([[NEWPROC, churn - 1]]) })[0].severity).toBe('info');
    expect(sched({ cpu: withPoll([[NEWPROC, churn]]) })[0].severity).not.toBe('info');
  });
});

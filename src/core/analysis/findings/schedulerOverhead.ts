/**
 * `scheduler-overhead` (layer 2, scheduling): too many runnable goroutines or goroutine churn (README "Findings").
 * Evidence: the CPU split's scheduler share (classify/cpuSplit.ts: schedule, findRunnable, park_m, gosched_m,
 * stealing...), the runnable backlog in the latest snapshot, and the CPU of goroutine creation and exit.
 *
 * A busy-select loop that calls runtime.Gosched also makes the scheduler busy (demo busy-select: 42%), but the cause
 * is the loop, which busy-select-loop reports with the right next step. So when such a loop fires and there is
 * neither a runnable backlog nor goroutine churn, this finding is kept at `info`, saying what explains it.
 */
import { cpuSplit } from '../classify';
import { isBusyPolling, measureBusyPoll } from './busySelectLoop';
import type { DiagnosisContext, ProfileSetView } from './context';
import { stackShare } from './cpuStacks';
import { latestClustersWhere } from './evidenceClusters';
import { compareShare, num, pct, sentences, shortName } from './format';
import { isGoroutineChurnFrame } from './frameSets';
import { THRESHOLDS } from './thresholds';
import type { EvidenceCluster, Finding } from './types';

const SCHEDULER_PARTS = [
  'runtime.schedule',
  'runtime.findRunnable',
  'runtime.gosched_m',
  'runtime.park_m',
  'runtime.stealWork',
  'runtime.newproc',
  'runtime.goexit0',
] as const;

export interface SchedulerMeasure {
  share: number;
  churn: number;
  /** Runnable goroutines in the latest snapshot (undefined without snapshots). */
  runnable: number | undefined;
  parts: Array<{ name: string; share: number }>;
}

export function measureScheduler(view: ProfileSetView): SchedulerMeasure | undefined {
  const cpu = view.significantCpu;
  if (!cpu) {
    return undefined;
  }
  return {
    share: cpuSplit(cpu).fractions['runtime-scheduler'],
    churn: stackShare(cpu, isGoroutineChurnFrame).share,
    runnable: view.latestStates?.runnable,
    parts: SCHEDULER_PARTS.map((name) => ({ name, share: stackShare(cpu, (n) => n === name).share })).filter(
      (p) => p.share > 0
    ),
  };
}

function runnableClusters(view: ProfileSetView): EvidenceCluster[] {
  return latestClustersWhere(view, (c) => c.state === 'runnable', 3);
}

export function schedulerOverheadRule(ctx: DiagnosisContext): Finding[] {
  const m = measureScheduler(ctx.current);
  if (!m) {
    return [];
  }
  const fired = ctx.current.cpuSeverity(m.share, THRESHOLDS.schedulerShare.value, THRESHOLDS.schedulerCritical.value);
  if (!fired) {
    return [];
  }
  const backlog = (m.runnable ?? 0) >= THRESHOLDS.runnableBacklog.value;
  const churn = m.churn >= THRESHOLDS.goroutineChurnShare.value;
  const poll = measureBusyPoll(ctx.current);
  const explained = isBusyPolling(poll, ctx.current) && !backlog && !churn;
  const before = ctx.baseline ? measureScheduler(ctx.baseline) : undefined;
  const baseline = compareShare('scheduler share', m.share, before?.share, ctx.baseline);
  const clusters = runnableClusters(ctx.current);
  return [
    {
      id: 'scheduler-overhead',
      layer: 2,
      severity: explained ? 'info' : fired,
      title: `The scheduler takes ${pct(m.share)} of CPU`,
      summary: sentences(
        `${pct(m.share)} of CPU is scheduling` +
          (m.parts.length ? ` (${m.parts.map((p) => `${shortName(p.name)} ${pct(p.share)}`).join(', ')}).` : '.'),
        m.runnable !== undefined &&
          `${m.runnable} goroutines are runnable in the latest snapshot` +
            (clusters[0] ? `, ${clusters[0].count} of them in ${shortName(clusters[0].function)}.` : '.'),
        churn && `Creating and exiting goroutines takes ${pct(m.churn)} of CPU: many short-lived goroutines.`,
        explained &&
          `Explained by the busy select loop in ${shortName(poll!.top!.caller)} (busy-select-loop): its ` +
            'runtime.Gosched calls make the scheduling rounds; there is no runnable backlog or goroutine churn.',
        baseline.text
      ),
      evidence: {
        numbers: [
          num('scheduler', m.share, 'percentunit'),
          ...m.parts.map((p) => num(p.name, p.share, 'percentunit')),
          num('goroutine creation and exit', m.churn, 'percentunit'),
          ...(m.runnable !== undefined ? [num('runnable goroutines', m.runnable, 'short')] : []),
          ...baseline.numbers,
        ],
        clusters: clusters.length ? clusters : undefined,
      },
      nextStep: explained
        ? 'Fix the busy select loop first (see busy-select-loop); this scheduler work goes away with it.'
        : 'Use fewer, longer-lived goroutines: a worker pool fed by a channel instead of a goroutine per tiny task, ' +
          'no runtime.Gosched in loops; check that GOMAXPROCS matches the CPUs the container may use.',
    },
  ];
}

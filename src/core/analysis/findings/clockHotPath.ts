/**
 * `clock-hot-path` (layer 1, where CPU goes): `time.Now` in a hot loop (README "Findings": CPU share of
 * `time.Now`/`runtime.nanotime`/`walltime` under one caller). Only clock reads made by Go code count: the scheduler
 * reads `runtime.nanotime` itself on every scheduling round and timer check (golang/go:src/runtime/proc.go
 * `checkTimers`), which is 15–25% of CPU in
 * the busy-select and runnable-backlog scenarios and is not this problem.
 */
import type { DiagnosisContext, ProfileSetView } from './context';
import { type CallerShare, stackShare } from './cpuStacks';
import { callerEvidence, compareShare, num, pct, sentences, shortName } from './format';
import { isClockFrame } from './frameSets';
import { THRESHOLDS } from './thresholds';
import type { Finding } from './types';

export interface ClockMeasure {
  share: number;
  byCaller: CallerShare[];
  /** time.Now vs time.Since/Until, for the summary. */
  now: number;
  since: number;
}

export function measureClock(view: ProfileSetView): ClockMeasure | undefined {
  const cpu = view.significantCpu;
  if (!cpu) {
    return undefined;
  }
  const all = stackShare(cpu, isClockFrame);
  return {
    share: all.share,
    byCaller: all.byCaller,
    now: stackShare(cpu, (n) => n === 'time.Now').share,
    since: stackShare(cpu, (n) => n === 'time.Since' || n === 'time.Until').share,
  };
}

export function clockHotPathRule(ctx: DiagnosisContext): Finding[] {
  const m = measureClock(ctx.current);
  const top = m?.byCaller[0];
  if (!m || !top) {
    return [];
  }
  const severity = ctx.current.cpuSeverity(
    top.share,
    THRESHOLDS.clockCallerShare.value,
    THRESHOLDS.clockCritical.value
  );
  if (!severity) {
    return [];
  }
  const before = ctx.baseline ? measureClock(ctx.baseline) : undefined;
  const baseline = compareShare(
    `clock reads under ${shortName(top.caller)}`,
    top.share,
    before ? (before.byCaller.find((c) => c.caller === top.caller)?.share ?? 0) : undefined,
    ctx.baseline
  );
  const callers = callerEvidence(m.byCaller, 'clock reads');
  return [
    {
      id: 'clock-hot-path',
      layer: 1,
      severity,
      title: `Clock reads take ${pct(top.share)} of CPU in ${shortName(top.caller)}`,
      summary: sentences(
        `${pct(top.share)} of CPU reads the clock under ${shortName(top.caller)} ` +
          `(time.Now ${pct(m.now)}, time.Since/Until ${pct(m.since)}): the clock is read for every small unit of work.`,
        baseline.text
      ),
      evidence: {
        numbers: [
          ...callers.numbers,
          num('time.Now', m.now, 'percentunit'),
          num('time.Since/Until', m.since, 'percentunit'),
          ...baseline.numbers,
        ],
        stacks: callers.stacks,
      },
      nextStep:
        'Read the clock once per batch or request and pass the time down, or sample timings (every Nth event); ' +
        'for coarse timestamps keep one updated by a ticker. time.Since(t) is a time.Now call too.',
    },
  ];
}

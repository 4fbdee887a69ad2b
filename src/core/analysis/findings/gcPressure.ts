/**
 * `gc-pressure` (layer 3, memory): GC and mark assist steal CPU from requests (README "Findings": GOGC/GOMEMLIMIT too
 * tight, allocation storms). Evidence: CPU share of the collector's frames and of `gcAssistAlloc`; goroutines in
 * `GC assist wait`; the top allocation sites.
 */
import type { DiagnosisContext, ProfileSetView } from './context';
import { type CallerShare, stackShare } from './cpuStacks';
import { compareShare, num, pct, sentences, shortName, worse } from './format';
import { isAssistFrame, isBackgroundMarkFrame, isCollectorFrame, isSweepFrame, isWriteBarrierFrame } from './frameSets';
import { allocationSites } from './allocationSites';
import { THRESHOLDS } from './thresholds';
import type { Finding } from './types';

export interface GcMeasure {
  /** Background marking, assist, sweeping, scavenging and stop-the-world (write barriers excluded). */
  collector: number;
  assist: number;
  background: number;
  sweep: number;
  writeBarrier: number;
  assistByCaller: CallerShare[];
  /** The heaviest collector stack. */
  collectorStack: string[] | undefined;
}

export function measureGc(view: ProfileSetView): GcMeasure | undefined {
  const cpu = view.significantCpu;
  if (!cpu) {
    return undefined;
  }
  const collector = stackShare(cpu, isCollectorFrame);
  const assist = stackShare(cpu, isAssistFrame);
  return {
    collector: collector.share,
    assist: assist.share,
    background: stackShare(cpu, isBackgroundMarkFrame).share,
    sweep: stackShare(cpu, isSweepFrame).share,
    writeBarrier: stackShare(cpu, isWriteBarrierFrame, { exclude: isCollectorFrame }).share,
    assistByCaller: assist.byCaller,
    collectorStack: collector.byCaller[0]?.stack,
  };
}

/** Goroutines parked because GC needs their help or a cycle to end (debug=2 reasons, inferred for profiles). */
function gcWaiters(view: ProfileSetView): number {
  const latest = view.latest;
  if (!latest) {
    return 0;
  }
  let n = 0;
  for (const r of latest.snapshot.records) {
    if (r.reason === 'GC assist wait' || r.reason === 'GC assist marking' || r.reason === 'wait for GC cycle') {
      n += r.count;
    }
  }
  return n;
}

export function gcPressureRule(ctx: DiagnosisContext): Finding[] {
  const m = measureGc(ctx.current);
  if (!m) {
    return [];
  }
  const severity = worse(
    ctx.current.cpuSeverity(m.collector, THRESHOLDS.gcCollectorShare.value, THRESHOLDS.gcCritical.value) ?? 'info',
    ctx.current.cpuSeverity(m.assist, THRESHOLDS.gcAssistShare.value, Infinity)
  );
  if (severity === 'info') {
    return [];
  }
  const before = ctx.baseline ? measureGc(ctx.baseline) : undefined;
  const baseline = compareShare('GC share', m.collector, before?.collector, ctx.baseline);
  const waiters = gcWaiters(ctx.current);
  const sites = allocationSites(ctx.current, 3);
  const topAssist = m.assistByCaller[0];
  const numbers = [
    num('GC work', m.collector, 'percentunit'),
    num('background marking', m.background, 'percentunit'),
    num('mark assist', m.assist, 'percentunit'),
    num('sweeping', m.sweep, 'percentunit'),
    num('write barriers (not counted)', m.writeBarrier, 'percentunit'),
    ...baseline.numbers,
    ...(waiters > 0 ? [num('goroutines in GC assist wait', waiters, 'short')] : []),
    ...sites.numbers,
  ];
  const stacks = [topAssist?.stack, m.collectorStack].filter((s): s is string[] => s !== undefined);
  return [
    {
      id: 'gc-pressure',
      layer: 3,
      severity,
      title: `Garbage collection takes ${pct(m.collector)} of CPU`,
      summary: sentences(
        `Background marking ${pct(m.background)}, mark assist ${pct(m.assist)}, sweeping ${pct(m.sweep)} of CPU.`,
        m.assist >= THRESHOLDS.gcAssistShare.value &&
          `Requests pay for GC in their own latency: ${pct(m.assist)} is mark assist` +
            (topAssist ? `, most under ${shortName(topAssist.caller)}.` : '.'),
        waiters > 0 && `${waiters} goroutines wait for GC assist credit.`,
        sites.text,
        baseline.text
      ),
      evidence: { numbers, stacks },
      nextStep:
        'Cut allocation at the top allocation sites (reuse buffers, preallocate, keep pointers out of hot ' +
        'structures), then check GOGC and GOMEMLIMIT: a low GOGC, or a GOMEMLIMIT close to the live heap, makes ' +
        'the collector run back to back. Confirm the cycle rate with GODEBUG=gctrace=1 or the go_gc_* metrics.',
    },
  ];
}

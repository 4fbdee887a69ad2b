/**
 * `busy-select-loop` (layer 1, where CPU goes): a `select` with `default` (or another non-blocking poll) spinning,
 * possibly with `runtime.Gosched` (README "Findings"). Evidence: CPU in `selectnbrecv`/`selectnbsend`/`selectgo`
 * under one user function, and the yields. CPU spent in a Gosched lands under `runtime.mcall` -> `gosched_m` at the
 * stack root, on g0, with no user frame (golang/go:src/runtime/proc.go `gosched_m`), so yields are reported beside
 * the poll, not under it.
 */
import type { DiagnosisContext, ProfileSetView } from './context';
import { type CallerShare, stackShare } from './cpuStacks';
import { latestClustersWhere } from './evidenceClusters';
import { callerEvidence, compareShare, num, pct, sentences, severityOf, shortName } from './format';
import { isPollFrame, isYieldFrame } from './frameSets';
import { THRESHOLDS } from './thresholds';
import type { EvidenceCluster, Finding } from './types';

export interface BusyPollMeasure {
  /** The heaviest polling caller. */
  top: CallerShare | undefined;
  byCaller: CallerShare[];
  poll: number;
  /** runtime.Gosched and its scheduler work (gosched_m, goschedImpl). */
  yield: number;
}

export function measureBusyPoll(view: ProfileSetView): BusyPollMeasure | undefined {
  const cpu = view.significantCpu;
  if (!cpu) {
    return undefined;
  }
  const poll = stackShare(cpu, isPollFrame);
  return {
    top: poll.byCaller[0],
    byCaller: poll.byCaller,
    poll: poll.share,
    yield: stackShare(cpu, isYieldFrame).share,
  };
}

/** True when a polling loop is busy enough to fire the finding (also used by scheduler-overhead). */
export function isBusyPolling(m: BusyPollMeasure | undefined, view: ProfileSetView): boolean {
  return view.cpuSeverity(m?.top?.share ?? 0, THRESHOLDS.pollCallerShare.value, Infinity) !== undefined;
}

/** Goroutines of the latest snapshot that run the polling function. */
function loopGoroutines(view: ProfileSetView, caller: string): EvidenceCluster[] {
  return latestClustersWhere(view, (c) => c.frames.some((f) => f.func === caller));
}

export function busySelectLoopRule(ctx: DiagnosisContext): Finding[] {
  const m = measureBusyPoll(ctx.current);
  if (!m || !m.top || !isBusyPolling(m, ctx.current)) {
    return [];
  }
  const top = m.top;
  const severity = severityOf(
    top.share + m.yield,
    THRESHOLDS.pollCallerShare.value,
    THRESHOLDS.busyLoopCritical.value
  )!;
  const before = ctx.baseline ? measureBusyPoll(ctx.baseline) : undefined;
  const baseline = compareShare(
    `polling under ${shortName(top.caller)}`,
    top.share,
    before ? (before.byCaller.find((c) => c.caller === top.caller)?.share ?? 0) : undefined,
    ctx.baseline
  );
  const clusters = loopGoroutines(ctx.current, top.caller);
  const goroutines = clusters.reduce((n, c) => n + c.count, 0);
  const callers = callerEvidence(m.byCaller, 'polling');
  return [
    {
      id: 'busy-select-loop',
      layer: 1,
      severity,
      title: `Busy select loop in ${shortName(top.caller)}`,
      summary: sentences(
        `${shortName(top.caller)} polls channels without blocking (select with default): ${pct(top.share)} of CPU ` +
          'in selectnbrecv/selectnbsend/selectgo.',
        m.yield > 0.01 &&
          `Another ${pct(m.yield)} goes to runtime.Gosched and the scheduling round it triggers ` +
            '(gosched_m -> schedule, at the root of the stack under runtime.mcall).',
        goroutines > 0 && `${goroutines} goroutine${goroutines === 1 ? '' : 's'} run this loop in the latest snapshot.`,
        baseline.text
      ),
      evidence: {
        numbers: [
          ...callers.numbers,
          num('runtime.Gosched and its scheduling', m.yield, 'percentunit'),
          ...baseline.numbers,
        ],
        stacks: callers.stacks,
        clusters: clusters.length ? clusters : undefined,
      },
      nextStep:
        'Block instead of polling: drop the default case and wait on the channel together with ctx.Done() (or a ' +
        'time.Ticker when work must be checked periodically), and take runtime.Gosched out of the loop.',
    },
  ];
}

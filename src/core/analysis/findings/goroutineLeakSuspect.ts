/**
 * `goroutine-leak-suspect` (layer 2, scheduling): goroutines pile up and never finish (README "Findings": WaitGroup
 * waiting on a channel nobody closes, no context cancel, blocked sends). Evidence, per cluster of goroutines with the
 * same wait, stack and creation site (goroutines/cluster.ts):
 * - confirmed: Go 1.26's goroutineleak profile marked them `(leaked)`; it has no false positives (golang/go#74609);
 * - growth: across snapshots the cluster never shrinks and grows by THRESHOLDS.leakGrowthMin and leakGrowthRatio;
 * - pile: in one snapshot, THRESHOLDS.leakPileMin goroutines blocked on the sending or waiting side (chan send,
 *   WaitGroup, Cond, nil channel, `select {}`), where nobody will receive or close;
 * - long wait: THRESHOLDS.leakPileMin goroutines that have all waited THRESHOLDS.leakLongWaitMinutes or more.
 * Only channel and sync waits count: the same waits Go's own leak detector considers (`isChanWait`, `isSyncWait`).
 * Suspects from the same creation site are one finding.
 */
import type { GoroutineState } from '../../model/goroutineState';
import type { GoroutineCluster } from '../goroutines/cluster';
import type { DiagnosisContext, ProfileSetView } from './context';
import { toEvidenceCluster } from './evidenceClusters';
import { lockKeyOf } from './lockSites';
import { compareCount, num, plural, sentences, shortName } from './format';
import { THRESHOLDS } from './thresholds';
import type { EvidenceCluster, Finding, TimeWindow } from './types';

const LEAK_STATES: ReadonlySet<GoroutineState> = new Set([
  'chan-receive',
  'chan-send',
  'select',
  'mutex',
  'waitgroup',
  'cond',
  'semacquire',
]);
// Growth between snapshots is a leak signal only for waits that nothing but the program's own logic ends. A lock
// queue (sync.Mutex/RWMutex waiters, semaphores) grows and shrinks with contention from one second to the next — the
// mutex-contention rule owns that; a lock that is never released shows as long wait minutes or a leak mark instead.
const GROWTH_STATES: ReadonlySet<GoroutineState> = new Set(
  [...LEAK_STATES].filter((state) => state !== 'mutex' && state !== 'semacquire')
);
const PILE_STATES: ReadonlySet<GoroutineState> = new Set(['chan-send', 'waitgroup', 'cond']);
const PILE_REASONS: ReadonlySet<string> = new Set([
  'chan receive (nil chan)',
  'chan send (nil chan)',
  'select (no cases)',
]);

type Signal = 'confirmed' | 'growth' | 'pile' | 'long-wait';

interface Suspect {
  cluster: GoroutineCluster;
  signals: Set<Signal>;
  counts?: number[];
  perMinute?: number;
}

function isPile(c: GoroutineCluster): boolean {
  return PILE_STATES.has(c.state) || PILE_REASONS.has(c.reason);
}

/** Suspect clusters by their key. */
export function leakSuspects(view: ProfileSetView): Map<string, Suspect> {
  const suspects = new Map<string, Suspect>();
  const add = (cluster: GoroutineCluster, signal: Signal, growth?: { counts: number[]; perMinute: number }) => {
    let s = suspects.get(cluster.key);
    if (!s) {
      s = { cluster, signals: new Set() };
      suspects.set(cluster.key, s);
    }
    s.signals.add(signal);
    if (growth) {
      s.counts = growth.counts;
      s.perMinute = growth.perMinute;
    }
  };
  for (const c of view.series?.clusters ?? []) {
    const g = c.growth;
    // Grown by half again, or still growing at the leak rate however large it already is: a leak that goes on
    // must not drop out of the rule because the window starts after it began.
    const grownByRatio = g.last >= g.first * THRESHOLDS.leakGrowthRatio.value;
    const grownByRate = g.perMinute >= THRESHOLDS.leakGrowthPerMinute.value;
    if (
      GROWTH_STATES.has(c.state) &&
      g.growing &&
      g.last - g.first >= THRESHOLDS.leakGrowthMin.value &&
      (grownByRatio || grownByRate)
    ) {
      add(c.latest, 'growth', g);
    }
  }
  for (const c of view.latestClusters?.clusters ?? []) {
    if (!LEAK_STATES.has(c.state) || c.count < THRESHOLDS.leakPileMin.value) {
      continue;
    }
    if (isPile(c)) {
      add(c, 'pile');
    }
    // Goroutines waiting minutes at a lock are a lock that is not released: stuck-lock names it and its holder.
    if (c.waitMinutes.min >= THRESHOLDS.leakLongWaitMinutes.value && lockKeyOf(c.frames, c.function) === undefined) {
      add(c, 'long-wait');
    }
  }
  for (const c of view.leakMarkedClusters) {
    add(c, 'confirmed');
  }
  return suspects;
}

function evidenceCluster(s: Suspect): EvidenceCluster {
  const c = s.cluster;
  return {
    ...toEvidenceCluster(c),
    ...(s.counts && s.counts.length > 1 ? { counts: s.counts } : {}),
    ...(c.leaked > 0 ? { leaked: c.leaked } : {}),
  };
}

function nextStepFor(reason: string): string {
  if (reason.startsWith('chan send')) {
    return (
      'Nobody receives what these goroutines send. Give the send a way out: a buffer of 1 for a single result ' +
      'that may be abandoned, or select on ctx.Done() beside the send; check the receiver on every path (timeouts).'
    );
  }
  if (reason.startsWith('sync.WaitGroup.Wait')) {
    return 'Check that every goroutine the WaitGroup counts calls Done (defer wg.Done()) and can finish.';
  }
  if (reason.startsWith('chan receive') || reason.startsWith('select')) {
    return 'Close the channel when its producer is done, or select on ctx.Done() so the goroutine can return.';
  }
  return 'Give each goroutine a way to finish (context cancellation in every blocking wait) and check the creation site.';
}

function windowOf(view: ProfileSetView): TimeWindow | undefined {
  const s = view.snapshots;
  return s.length >= 2 && s[s.length - 1].time > s[0].time ? { from: s[0].time, to: s[s.length - 1].time } : undefined;
}

export function goroutineLeakSuspectRule(ctx: DiagnosisContext): Finding[] {
  const suspects = [...leakSuspects(ctx.current).values()];
  // One finding per creation site (profiles have none: then per owning function).
  const groups = new Map<string, Suspect[]>();
  for (const s of suspects) {
    const key = s.cluster.creationSite || s.cluster.function;
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  const baselineClusters = ctx.baseline?.latestClusters?.clusters;
  const findings: Finding[] = [];
  for (const group of groups.values()) {
    group.sort((a, b) => b.cluster.count - a.cluster.count);
    const main = group[0];
    const c = main.cluster;
    const total = group.reduce((n, s) => n + s.cluster.count, 0);
    const leaked = group.reduce((n, s) => n + s.cluster.leaked, 0);
    const growth = group.find((s) => s.signals.has('growth'));
    // The rate is shown whenever there are snapshots to measure it, growth signal or not.
    const measured = ctx.current.series?.clusters.find((x) => x.key === c.key && x.growth.counts.length > 1)?.growth;
    const perMinute = growth?.perMinute ?? measured?.perMinute ?? 0;
    const critical = leaked > 0 || perMinute >= THRESHOLDS.leakCriticalPerMinute.value;
    const counts = growth?.counts;
    const span = windowOf(ctx.current);
    const seconds = span ? Math.round((span.to - span.from) / 1000) : undefined;
    const before = baselineClusters ? (baselineClusters.find((b) => b.key === c.key)?.count ?? 0) : undefined;
    const baseline = compareCount('goroutines in this cluster', c.count, before);
    const site = c.createdBy ? ` created by ${shortName(c.createdBy)}` : '';
    findings.push({
      id: 'goroutine-leak-suspect',
      layer: 2,
      severity: critical ? 'critical' : 'warning',
      title: `${plural(total, 'goroutine')} stuck in ${c.reason} at ${shortName(c.function)}`,
      summary: sentences(
        `${plural(c.count, 'goroutine')} wait in ${c.reason} at ${shortName(c.function)}${site}.`,
        counts &&
          `The cluster grew from ${counts[0]} to ${counts[counts.length - 1]}` +
            (seconds ? ` in ${seconds} s (${Math.round(perMinute)} a minute)` : '') +
            ' and never shrank between snapshots.',
        leaked > 0 && `Go's goroutineleak profile marks ${leaked} of them leaked: unreachable, they can never resume.`,
        main.signals.has('pile') && !counts && 'Nobody is left to receive or release them.',
        c.waitMinutes.min >= THRESHOLDS.leakLongWaitMinutes.value &&
          `All have waited ${c.waitMinutes.min} minutes or more.`,
        group.length > 1 && `${group.length - 1} more suspect cluster(s) come from the same creation site.`,
        baseline.text
      ),
      evidence: {
        numbers: [
          num('goroutines in the cluster', c.count, 'short'),
          ...(counts ? [num('first snapshot', counts[0], 'short')] : []),
          ...(counts || measured ? [num('growth per minute', Math.round(perMinute), 'short')] : []),
          ...(leaked > 0 ? [num('marked (leaked)', leaked, 'short')] : []),
          ...(c.waitMinutes.max > 0 ? [num('longest wait (minutes)', c.waitMinutes.max, 'short')] : []),
          ...(ctx.current.latest
            ? [num('goroutines in the snapshot', ctx.current.latest.snapshot.total, 'short')]
            : []),
          ...baseline.numbers,
        ],
        stacks: [c.frames.slice(0, 16).map((f) => f.func)],
        clusters: group.map(evidenceCluster),
      },
      window: span,
      nextStep: nextStepFor(c.reason),
    });
  }
  return findings;
}

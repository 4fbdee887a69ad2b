/**
 * `mutex-contention` (layer 2, scheduling): lock contention mistaken for CPU load, including `RWMutex.RLock` churn
 * (README "Findings"). Three independent signals, any of which fires:
 * - CPU in the lock itself (`lockSlow` spinning, `unlockSlow` waking waiters, the atomic adds of RLock/RUnlock
 *   bouncing a cache line);
 * - wait time from the mutex profile (delay charged to the **Unlock** site: the holder) or the block profile (delay
 *   at the Lock: the waiters), as goroutines waiting on average, when the profile's window is known
 * (golang/go:src/runtime/mprof.go);
 * - goroutines queued at one lock acquisition in a snapshot.
 * Runtime-internal locks (`runtime.unlock` in the mutex profile) are not sync.Mutex and do not count.
 */
import type { DiagnosisContext, ProfileSetView } from './context';
import { type CallerShare, stackShare } from './cpuStacks';
import { toEvidenceCluster } from './evidenceClusters';
import { callerEvidence, compareShare, num, pct, sentences, severityOf, shortName, worse } from './format';
import { isLockAcquireFrame, isLockFrame } from './frameSets';
import { isStuck, lockSites } from './lockSites';
import { Profile } from '../../model/profile';
import { THRESHOLDS } from './thresholds';
import type { EvidenceCluster, EvidenceNumber, Finding, Severity } from './types';

const LOCK_PARTS = [
  'internal/sync.(*Mutex).lockSlow',
  'internal/sync.(*Mutex).unlockSlow',
  'sync.(*Mutex).lockSlow',
  'sync.(*Mutex).unlockSlow',
  'sync.(*RWMutex).RLock',
  'sync.(*RWMutex).RUnlock',
  'sync.(*RWMutex).Lock',
  'sync.(*RWMutex).Unlock',
] as const;

export interface LockWait {
  /** Delay on sync lock stacks, in seconds. */
  seconds: number;
  /** Goroutines waiting on average (seconds per second of window), when the window is known. */
  rate: number | undefined;
  byCaller: CallerShare[];
}

export interface MutexMeasure {
  cpu: { share: number; byCaller: CallerShare[]; parts: Array<{ name: string; share: number }> } | undefined;
  /** From the mutex profile: who holds the lock (Unlock sites). */
  held: LockWait | undefined;
  /** From the block profile: who waits (Lock/RLock sites). */
  waited: LockWait | undefined;
  /** Goroutines at lock acquisitions in the latest snapshot, grouped by the code that takes the lock. */
  queues: EvidenceCluster[];
}

function lockWait(
  view: ProfileSetView,
  profile: Profile | undefined,
  predicate: (n: string) => boolean
): LockWait | undefined {
  if (!profile || !profile.sampleTypes.some((t) => t.type === 'delay')) {
    return undefined;
  }
  const s = stackShare(profile, predicate, { sampleType: 'delay' });
  if (s.value <= 0) {
    return undefined;
  }
  const window = view.windowSeconds(profile);
  const seconds = s.value / 1e9;
  return { seconds, rate: window ? seconds / window : undefined, byCaller: s.byCaller };
}

/**
 * Goroutines queued at each lock that still changes hands (lockSites.ts: one queue per lock call site). Queues whose
 * oldest waiter has waited for minutes belong to `stuck-lock`: the lock is not released, which is not contention.
 */
function lockQueues(view: ProfileSetView): EvidenceCluster[] {
  return lockSites(view.latestClusters?.clusters ?? [])
    .filter((site) => !isStuck(site))
    .map((site) => ({ ...toEvidenceCluster(site.clusters[0]), count: site.count, waitMinutes: site.waitMinutes }));
}

export function measureMutex(view: ProfileSetView): MutexMeasure {
  const cpuProfile = view.significantCpu;
  let cpu: MutexMeasure['cpu'];
  if (cpuProfile) {
    const all = stackShare(cpuProfile, isLockFrame);
    const parts = LOCK_PARTS.map((name) => ({ name, share: stackShare(cpuProfile, (n) => n === name).share }))
      .filter((p) => p.share > 0)
      .sort((a, b) => b.share - a.share);
    cpu = { share: all.share, byCaller: all.byCaller, parts };
  }
  return {
    cpu,
    held: lockWait(view, view.profiles.mutex, isLockFrame),
    waited: lockWait(view, view.profiles.block, isLockAcquireFrame),
    queues: lockQueues(view),
  };
}

function waitText(held: LockWait | undefined, waited: LockWait | undefined): string {
  const parts: string[] = [];
  const rate = (w: LockWait) =>
    w.rate !== undefined
      ? `${w.rate.toFixed(1)} goroutines waiting on average`
      : `${w.seconds.toFixed(1)} s of waiting since the process started`;
  if (held?.byCaller[0]) {
    parts.push(
      `The mutex profile charges ${rate(held)} to the Unlock in ${shortName(held.byCaller[0].caller)}: it holds the lock.`
    );
  }
  if (waited?.byCaller[0]) {
    parts.push(`The block profile shows ${rate(waited)} at the Lock in ${shortName(waited.byCaller[0].caller)}.`);
  }
  return parts.join(' ');
}

export function mutexContentionRule(ctx: DiagnosisContext): Finding[] {
  const m = measureMutex(ctx.current);
  const topCpu = m.cpu?.byCaller[0];
  const rate = Math.max(m.held?.rate ?? 0, m.waited?.rate ?? 0);
  const queue = m.queues[0];
  const byCpu = m.cpu
    ? ctx.current.cpuSeverity(m.cpu.share, THRESHOLDS.lockCpuShare.value, THRESHOLDS.lockCritical.value)
    : undefined;
  const byRate = severityOf(rate, THRESHOLDS.lockWaitRate.value, THRESHOLDS.lockWaitCritical.value);
  const byQueue = severityOf(queue?.count ?? 0, THRESHOLDS.lockQueue.value, Infinity);
  if (!byCpu && !byRate && !byQueue) {
    return [];
  }
  const severity: Severity = worse(worse(byCpu ?? 'info', byRate), byQueue);
  const where = topCpu?.caller ?? m.held?.byCaller[0]?.caller ?? queue?.function ?? 'a lock';
  const rw = m.cpu?.parts.some((p) => p.name.startsWith('sync.(*RWMutex).R')) ?? false;
  const before = ctx.baseline ? measureMutex(ctx.baseline) : undefined;
  const baseline = m.cpu
    ? compareShare('lock CPU', m.cpu.share, before?.cpu?.share, ctx.baseline)
    : { text: '', numbers: [] };
  const callers = m.cpu ? callerEvidence(m.cpu.byCaller, 'lock CPU') : { numbers: [], stacks: [] };
  const numbers: EvidenceNumber[] = [
    ...(m.cpu ? [num('lock CPU (sync.Mutex/RWMutex)', m.cpu.share, 'percentunit')] : []),
    ...callers.numbers,
    ...(m.cpu?.parts.slice(0, 4).map((p) => num(p.name, p.share, 'percentunit')) ?? []),
    ...(m.held ? [num('mutex profile delay on sync locks', m.held.seconds, 's')] : []),
    ...(m.waited ? [num('block profile delay at sync locks', m.waited.seconds, 's')] : []),
    ...(rate > 0 ? [num('goroutines waiting on locks (average)', rate, 'short')] : []),
    ...(queue ? [num(`goroutines at the lock in ${shortName(queue.function)}`, queue.count, 'short')] : []),
    ...baseline.numbers,
  ];
  const stacks = [...callers.stacks, ...(m.held?.byCaller[0] ? [m.held.byCaller[0].stack] : [])].slice(0, 3);
  return [
    {
      id: 'mutex-contention',
      layer: 2,
      severity,
      title: rw ? `RWMutex churn in ${shortName(where)}` : `Lock contention in ${shortName(where)}`,
      summary: sentences(
        m.cpu &&
          topCpu &&
          m.cpu.share >= 0.01 &&
          `${pct(m.cpu.share)} of CPU is the lock itself under ${shortName(topCpu.caller)}` +
            (m.cpu.parts.length
              ? ` (${m.cpu.parts
                  .slice(0, 3)
                  .map((p) => `${shortName(p.name)} ${pct(p.share)}`)
                  .join(', ')}).`
              : '.'),
        rw && 'Readers bounce the RWMutex reader count between cores on every RLock/RUnlock.',
        queue && `${queue.count} goroutines queue at the lock in ${shortName(queue.function)} in the latest snapshot.`,
        waitText(m.held, m.waited),
        baseline.text
      ),
      evidence: { numbers, stacks, clusters: m.queues.length ? m.queues.slice(0, 3) : undefined },
      nextStep: rw
        ? 'For read-mostly data read in a tight loop, replace the RWMutex with an atomic.Pointer to an immutable ' +
          "snapshot the writer swaps; keep the write section short (the mutex profile's Unlock stack is the writer)."
        : 'Shorten the critical section (compute outside the lock, lock only to publish), shard the state, or use ' +
          "atomics for counters; the mutex profile's Unlock stacks show who holds the lock too long.",
    },
  ];
}

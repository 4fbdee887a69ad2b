/**
 * `stuck-lock` (layer 2, scheduling): a sync lock that is not released. Its waiters have waited for minutes
 * (debug=2 `[sync.Mutex.Lock, 12 minutes]`), which no contention explains: Go's sync.Mutex hands the lock to its
 * longest waiter after 1 ms (golang/go:src/internal/sync/mutex.go), so the holder has kept it all that time, usually
 * blocked inside the critical section (a channel, the network, another lock) or gone without Unlock. Shortening the
 * critical section (mutex-contention's advice) does not help; finding the holder does. One finding per lock (call
 * site that takes it); those waiters are left out of mutex-contention's queues.
 */
import type { GoroutineRecord } from '../../model/goroutineSnapshot';
import type { DiagnosisContext } from './context';
import { toEvidenceCluster } from './evidenceClusters';
import { num, plural, sentences, severityOf, shortName } from './format';
import { isStuck, likelyHolders, lockKeyOf, lockSites, type LockHolder, type LockSite } from './lockSites';
import { THRESHOLDS } from './thresholds';
import type { Finding } from './types';

function fileLine(file: string, line: number): string {
  return `${file.slice(file.lastIndexOf('/') + 1)}:${line}`;
}

function siteText(site: LockSite): string {
  return site.site
    ? `${shortName(site.site.func)} (${fileLine(site.site.file, site.site.line)})`
    : shortName(site.clusters[0].function);
}

function minutes(n: number): string {
  return plural(n, 'minute');
}

function recordStatus(r: GoroutineRecord): string {
  return `[${r.reason}${r.waitMinutes ? `, ${minutes(r.waitMinutes)}` : ''}]`;
}

function holderText(site: LockSite, holders: readonly LockHolder[], others: readonly LockSite[]): string {
  if (!site.site) {
    return '';
  }
  const [first] = holders;
  if (!first) {
    return (
      `No goroutine in the dump is inside ${shortName(site.site.func)} past the lock: it was taken elsewhere ` +
      '(look for the code that locks it and blocks, or returns without Unlock).'
    );
  }
  const r = first.record;
  const at = r.frames[first.frameIndex];
  const id = r.id !== undefined ? `Goroutine ${r.id}` : 'A goroutine';
  // The holder may itself wait at another lock: a chain (or a lock-order inversion) of stuck locks.
  const waitsAt = lockKeyOf(r.frames, '');
  const chained = others.find((o) => o !== site && o.key === waitsAt);
  return sentences(
    `${id} ${recordStatus(r)} is inside ${shortName(at.func)} at ${fileLine(at.file, at.line)}, past the lock: ` +
      `it likely holds it${holders.length > 1 ? ` (${holders.length - 1} more goroutines are there too)` : ''}.`,
    chained && `It waits itself at the lock in ${siteText(chained)}: a chain of stuck locks.`
  );
}

export function stuckLockRule(ctx: DiagnosisContext): Finding[] {
  const latest = ctx.current.latest?.snapshot;
  const clusters = ctx.current.latestClusters?.clusters;
  if (!latest || !clusters) {
    return [];
  }
  const sites = lockSites(clusters);
  return sites.filter(isStuck).map((site): Finding => {
    const holders = likelyHolders(latest, site);
    const holder = holders[0]?.record;
    const severity =
      severityOf(site.waitMinutes, THRESHOLDS.stuckLockMinutes.value, THRESHOLDS.stuckLockCriticalMinutes.value) ??
      'warning';
    const where = siteText(site);
    return {
      id: 'stuck-lock',
      layer: 2,
      severity,
      title: `Lock not released for ${minutes(site.waitMinutes)} in ${shortName(site.site?.func ?? site.clusters[0].function)}`,
      summary: sentences(
        `${plural(site.count, 'goroutine')} wait at the ${site.reason} in ${where}, the longest for ` +
          `${minutes(site.waitMinutes)}: the lock has not been released in that time (a contended lock changes ` +
          'hands within milliseconds).',
        holderText(site, holders, sites)
      ),
      evidence: {
        numbers: [
          num('goroutines waiting at the lock', site.count, 'short'),
          num('longest wait at the lock (minutes)', site.waitMinutes, 'short'),
          ...(holder
            ? [num(`holder's wait (minutes), goroutine ${holder.id ?? '?'}`, holder.waitMinutes, 'short')]
            : []),
        ],
        stacks: [
          site.clusters[0].frames.slice(0, 16).map((f) => f.func),
          ...(holder ? [holder.frames.slice(0, 16).map((f) => f.func)] : []),
        ],
        clusters: site.clusters.slice(0, 3).map(toEvidenceCluster),
      },
      nextStep:
        'Find why the holder never unlocks: a blocking call inside the critical section (a channel, a network call, ' +
        'another lock) or a return path without Unlock. Do not block while holding a lock (copy what you need and ' +
        'unlock first, or wait with a context deadline), pair every Lock with a deferred Unlock, and take nested ' +
        'locks in one fixed order.',
    };
  });
}

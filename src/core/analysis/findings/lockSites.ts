/**
 * Goroutines waiting to take a sync lock, grouped per lock: the call site that takes it (the first frame below the
 * Lock/RLock call and the runtime's semaphore frames, function and line). Each lock has its own queue and its own
 * holder, so waiters at different call sites are never added up. Shared by `mutex-contention` (a queue that moves)
 * and `stuck-lock` (a queue whose oldest waiter has waited for minutes: the lock is not released).
 */
import type { GoroutineCluster } from '../goroutines/cluster';
import type { GoroutineRecord, GoroutineSnapshot, SnapshotFrame } from '../../model/goroutineSnapshot';
import { isLockAcquireFrame, isLockFrame } from './frameSets';
import { THRESHOLDS } from './thresholds';

export interface LockSite {
  /** `func:line` of the call that takes the lock, or the owning function when the stack has no frame below it. */
  key: string;
  /** The frame that calls Lock/RLock; undefined when the stack ends in the lock frames. */
  site: SnapshotFrame | undefined;
  /** Wait reason of the largest cluster, e.g. `sync.Mutex.Lock`, `sync.RWMutex.RLock`. */
  reason: string;
  /** Clusters of goroutines queued at this lock, largest first. */
  clusters: GoroutineCluster[];
  count: number;
  /** Longest wait printed in the dump (`N minutes`), 0 when under a minute or unknown. */
  waitMinutes: number;
}

/** Only the top of the stack is searched: a Lock call deep under unrelated frames is the caller's business. */
const LOCK_SEARCH_DEPTH = 8;

/** Index of the frame that calls the lock, -1 when the top frames hold no lock acquisition. */
function lockCallerIndex(frames: readonly SnapshotFrame[]): number {
  const at = frames.slice(0, LOCK_SEARCH_DEPTH).findIndex((f) => isLockAcquireFrame(f.func));
  if (at < 0) {
    return -1;
  }
  let caller = at + 1;
  // internal/sync.(*Mutex).lockSlow → internal/sync.(*Mutex).Lock → sync.(*Mutex).Lock → the caller.
  while (caller < frames.length && (isLockAcquireFrame(frames[caller].func) || isLockFrame(frames[caller].func))) {
    caller++;
  }
  return caller;
}

/** The lock a stack waits to take (its {@link LockSite.key}), undefined when it waits at no lock. */
export function lockKeyOf(frames: readonly SnapshotFrame[], owner: string): string | undefined {
  const caller = lockCallerIndex(frames);
  if (caller < 0) {
    return undefined;
  }
  const site = frames[caller];
  return site ? `${site.func}:${site.line}` : owner;
}

export function lockSites(clusters: readonly GoroutineCluster[]): LockSite[] {
  const byLock = new Map<string, LockSite>();
  for (const c of clusters) {
    const key = lockKeyOf(c.frames, c.function);
    if (key === undefined) {
      continue;
    }
    const site = c.frames[lockCallerIndex(c.frames)];
    const known = byLock.get(key);
    if (known) {
      known.clusters.push(c);
      known.count += c.count;
      known.waitMinutes = Math.max(known.waitMinutes, c.waitMinutes.max);
    } else {
      byLock.set(key, { key, site, reason: c.reason, clusters: [c], count: c.count, waitMinutes: c.waitMinutes.max });
    }
  }
  return [...byLock.values()].sort((a, b) => b.count - a.count);
}

/**
 * A lock whose oldest waiter has waited THRESHOLDS.stuckLockMinutes or more. Go's sync.Mutex hands the lock to the
 * longest waiter once any waiter has waited 1 ms (starvation mode, golang/go:src/internal/sync/mutex.go), so a
 * waiter left waiting for minutes means the lock was not released in all that time.
 */
export function isStuck(site: LockSite): boolean {
  return site.waitMinutes >= THRESHOLDS.stuckLockMinutes.value;
}

export interface LockHolder {
  record: GoroutineRecord;
  /** Index in the holder's frames of the frame inside the locking function. */
  frameIndex: number;
}

/**
 * Goroutines that are inside the function that takes the lock but past its Lock call (same function, another line),
 * and not waiting at this lock: they took the lock there and have not returned. A lock taken in another function
 * (or kept after a return without Unlock) leaves no such trace, and then there is none.
 */
export function likelyHolders(snapshot: GoroutineSnapshot, site: LockSite): LockHolder[] {
  const at = site.site;
  if (!at) {
    return [];
  }
  const holders: LockHolder[] = [];
  for (const record of snapshot.records) {
    const frameIndex = record.frames.findIndex((f) => f.func === at.func && f.file === at.file && f.line !== at.line);
    if (frameIndex < 0) {
      continue;
    }
    if (lockKeyOf(record.frames, '') !== site.key) {
      holders.push({ record, frameIndex });
    }
  }
  return holders;
}

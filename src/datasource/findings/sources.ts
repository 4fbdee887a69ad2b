/**
 * The I/O the core's gatherers need (src/core/analysis/findings/gather.ts), implemented over this data source's
 * clients, so findings get the same path safety, size limits, single-flight, CPU lane and error wording as every
 * other query.
 *
 * The core's interfaces are Promise-based; a query must still be cancellable (unsubscribe aborts). So every request
 * made for one gathering is tracked, and {@link cancellableGather} aborts them all when its subscriber leaves.
 */
import { Observable, Subscription } from 'rxjs';

import type { PprofFetcher, Profile, StoredProfileKind, StoredProfileSource } from '../../core';
import type { PprofClient } from '../pprof/pprofClient';

/** Tracks subscriptions of one gathering so they can all be aborted. */
export class RequestScope {
  private readonly open = new Set<Subscription>();
  private cancelled = false;

  run<T>(source: Observable<T>): Promise<T> {
    if (this.cancelled) {
      return Promise.reject(new Error('cancelled'));
    }
    return new Promise<T>((resolve, reject) => {
      let last: T | undefined;
      let seen = false;
      const sub = source.subscribe({
        next: (v) => {
          last = v;
          seen = true;
        },
        error: (e) => {
          this.open.delete(sub);
          reject(e);
        },
        complete: () => {
          this.open.delete(sub);
          seen ? resolve(last as T) : reject(new Error('no response'));
        },
      });
      if (!sub.closed) {
        this.open.add(sub);
      }
    });
  }

  cancel(): void {
    this.cancelled = true;
    this.open.forEach((s) => s.unsubscribe());
    this.open.clear();
  }
}

/** A Promise-based gathering as an Observable whose unsubscribe aborts every request in flight. */
export function cancellableGather<T>(gather: (scope: RequestScope) => Promise<T>): Observable<T> {
  return new Observable<T>((subscriber) => {
    const scope = new RequestScope();
    gather(scope).then(
      (value) => {
        subscriber.next(value);
        subscriber.complete();
      },
      (error) => subscriber.error(error)
    );
    return () => scope.cancel();
  });
}

export function pprofFetcher(client: PprofClient, scope: RequestScope, instance?: string): PprofFetcher {
  return {
    get: (path) => scope.run(client.raw(path, instance)),
    now: () => Date.now(),
  };
}

/** Pyroscope profile type IDs for the kinds the rules read (as the Go SDK pushes them: core/model/goProfiles.ts). */
export const STORED_KIND_IDS: Record<Exclude<StoredProfileKind, 'goroutine'>, string> = {
  cpu: 'process_cpu:cpu:nanoseconds:cpu:nanoseconds',
  heap: 'memory:inuse_space:bytes:space:bytes',
  allocs: 'memory:alloc_space:bytes:space:bytes',
  mutex: 'mutex:delay:nanoseconds:contentions:count',
  block: 'block:delay:nanoseconds:contentions:count',
};

export function storedSource(
  scope: RequestScope,
  merged: (profileTypeID: string, window: { from: number; to: number }) => Observable<Profile | undefined>,
  goroutineId: string
): StoredProfileSource {
  return {
    merged: (kind, window) => scope.run(merged(kind === 'goroutine' ? goroutineId : STORED_KIND_IDS[kind], window)),
  };
}

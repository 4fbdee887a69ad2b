/**
 * A per-target cap on concurrent Pyroscope merges. A findings query merges five profile types plus goroutine slices
 * for the window and again for a baseline; fired at once (9 to 18 SelectMergeProfile calls) a single-binary
 * Pyroscope v1.21.1 answered `500 unknown: canceled: stream error` under that load. Queued calls start as earlier
 * ones finish; a cancelled waiter leaves the queue without ever starting.
 */
import { Observable, Subscription, finalize } from 'rxjs';

export class ConcurrencyLimit {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly max: number) {}

  run<T>(start: () => Observable<T>): Observable<T> {
    return new Observable<T>((subscriber) => {
      let inner: Subscription | undefined;
      let released = false;
      const release = () => {
        if (!released) {
          released = true;
          this.active--;
          this.waiting.shift()?.();
        }
      };
      const begin = () => {
        this.active++;
        inner = start().pipe(finalize(release)).subscribe(subscriber);
      };
      if (this.active < this.max) {
        begin();
      } else {
        this.waiting.push(begin);
      }
      return () => {
        const queued = this.waiting.indexOf(begin);
        if (queued >= 0) {
          this.waiting.splice(queued, 1);
        }
        inner?.unsubscribe();
      };
    });
  }

  /** Calls running now (for tests). */
  get running(): number {
    return this.active;
  }
}

const limits = new Map<string, ConcurrencyLimit>();

/** The page-wide limit for one target (data-proxy URL), created on first use. */
export function mergeLimit(key: string, max: number): ConcurrencyLimit {
  let limit = limits.get(key);
  if (!limit) {
    limit = new ConcurrencyLimit(Math.max(1, max));
    limits.set(key, limit);
  }
  return limit;
}

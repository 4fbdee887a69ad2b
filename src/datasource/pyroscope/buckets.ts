/**
 * Time-bucketed Pyroscope queries (goroutine states, CPU split over time): one merge request per bucket, run with a
 * concurrency limit so a 60-bucket heatmap does not fire 60 requests at once, and a cache of buckets that can no
 * longer change. A bucket is immutable once it ended more than {@link SETTLE_MS} ago: Pyroscope accepts profiles
 * up to 10 minutes in the future and agents push every 15 s to 1 min, so newer buckets may still fill up
 * (grafana/pyroscope:pkg/validation/limits.go reject_newer_than; grafana/pyroscope-go upload rate). Live buckets are always fetched again.
 */
import { Observable, defer, finalize, from, map, mergeMap, of, shareReplay, tap, toArray } from 'rxjs';

export const SETTLE_MS = 5 * 60 * 1000;
export const MAX_BUCKETS = 120;
const MIN_BUCKET_MS = 15_000;

export interface Bucket {
  from: number;
  to: number;
}

/**
 * Buckets aligned to multiples of their width (so a panning dashboard reuses cached buckets), covering
 * [from, to], at least the Grafana interval and Pyroscope's 15 s default scrape step, at most {@link MAX_BUCKETS}
 * (one more when the range is not aligned), and a whole number of the agent's upload periods wide.
 */
export function timeBuckets(from: number, to: number, intervalMs: number, uploadPeriodMs = MIN_BUCKET_MS): Bucket[] {
  const span = Math.max(1, to - from);
  let width = Math.max(intervalMs, MIN_BUCKET_MS, Math.ceil(span / MAX_BUCKETS));
  width = Math.ceil(width / 1000) * 1000;
  // A bucket narrower than the agent's upload period holds an upload or none, alternately: whole periods only.
  const period = Math.max(1000, Math.round(uploadPeriodMs / 1000) * 1000);
  width = Math.ceil(width / period) * period;
  const first = Math.floor(from / width) * width;
  const out: Bucket[] = [];
  for (let start = first; start < to; start += width) {
    out.push({ from: start, to: start + width });
  }
  return out;
}

/**
 * A small LRU of immutable bucket results, shared by every panel on the page, and the fetches in flight, so two
 * queries asking for the same bucket at once (goroutine states and clusters) share one.
 */
export class BucketCache<T> {
  private readonly entries = new Map<string, T>();
  private readonly inflight = new Map<string, Observable<T>>();
  constructor(private readonly capacity = 2000) {}

  /** The fetch of `key` already running, else `start()`'s, shared until it ends. */
  shared(key: string, start: () => Observable<T>): Observable<T> {
    let running = this.inflight.get(key);
    if (!running) {
      running = defer(start).pipe(
        finalize(() => this.inflight.delete(key)),
        shareReplay({ bufferSize: 1, refCount: true })
      );
      this.inflight.set(key, running);
    }
    return running;
  }

  get(key: string): T | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  set(key: string, value: T): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    while (this.entries.size > this.capacity) {
      this.entries.delete(this.entries.keys().next().value as string);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}

export interface BucketRun<T> {
  buckets: Bucket[];
  /** Cache key prefix: target, profile type, selector, what is computed. */
  key: string;
  concurrency: number;
  now: number;
  cache: BucketCache<T>;
  fetch: (bucket: Bucket) => Observable<T>;
}

/** Results in bucket order; each bucket's first emission is its result. */
export function runBuckets<T>(run: BucketRun<T>): Observable<T[]> {
  const settled = (b: Bucket) => b.to <= run.now - SETTLE_MS;
  return from(run.buckets.map((b, i) => ({ b, i }))).pipe(
    mergeMap(
      ({ b, i }) => {
        const cacheKey = `${run.key}|${b.from}|${b.to}`;
        const cached = settled(b) ? run.cache.get(cacheKey) : undefined;
        if (cached !== undefined) {
          return of({ i, value: cached });
        }
        return run.cache
          .shared(cacheKey, () => run.fetch(b).pipe(tap((value) => settled(b) && run.cache.set(cacheKey, value))))
          .pipe(map((value) => ({ i, value })));
      },
      Math.max(1, run.concurrency)
    ),
    toArray(),
    map((results) => {
      const out = new Array<T>(run.buckets.length);
      results.forEach(({ i, value }) => (out[i] = value));
      return out;
    })
  );
}

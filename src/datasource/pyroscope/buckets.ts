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

/** One upload as SelectSeries at a 1 s step shows it: when it was stamped and what it holds. */
export interface Upload {
  time: number;
  value: number;
}

/**
 * What each bucket's merge holds, spread over the time its uploads cover. pyroscope-go stamps an upload at the start of
 * the period it covers (one CPU profile per 10-30 s; grafana/pyroscope-go upstream.go), and Pyroscope merges uploads
 * by stamp, so the merge of [from, to) holds work done until a period after `to`: unspread, a quiet bucket just
 * before a spike shows the spike's first seconds, and buckets narrower than the period alternate between one upload
 * and none. A bucket's amounts are shared among the uploads stamped in it in proportion to their values (equally
 * when none is known: one upload at its start), and each upload's share among the buckets that
 * [stamp, stamp + period) overlaps, in proportion to the overlap. What spills past the last bucket is dropped; give a
 * leading bucket to catch what spills into the first.
 *
 * `amounts[i]` is one vector per bucket (CPU nanoseconds per frame class), empty for a bucket without data; the
 * result holds one vector per bucket, of the same length.
 */
export function spreadOverUploads(
  buckets: readonly Bucket[],
  amounts: ReadonlyArray<readonly number[]>,
  uploads: readonly Upload[],
  periodMs: number
): number[][] {
  const size = amounts.find((a) => a.length > 0)?.length ?? 0;
  const out = buckets.map(() => new Array<number>(size).fill(0));
  buckets.forEach((b, i) => {
    const a = amounts[i];
    if (!a || a.length === 0) {
      return;
    }
    let inside = uploads.filter((u) => u.time >= b.from && u.time < b.to && u.value > 0);
    if (inside.length === 0) {
      inside = [{ time: b.from, value: 1 }];
    }
    const sum = inside.reduce((n, u) => n + u.value, 0);
    for (const u of inside) {
      for (let j = i; j < buckets.length && buckets[j].from < u.time + periodMs; j++) {
        const overlap = Math.min(buckets[j].to, u.time + periodMs) - Math.max(buckets[j].from, u.time);
        if (overlap > 0) {
          const share = (u.value / sum) * (overlap / periodMs);
          a.forEach((v, k) => (out[j][k] += v * share));
        }
      }
    }
  });
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

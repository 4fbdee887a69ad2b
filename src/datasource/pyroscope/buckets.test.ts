import { lastValueFrom, of, delay } from 'rxjs';

import { BucketCache, MAX_BUCKETS, runBuckets, SETTLE_MS, timeBuckets } from './buckets';

describe('time buckets', () => {
  it('are aligned, at least 15 s wide and at most 120', () => {
    const b = timeBuckets(1_000_007, 1_000_007 + 3600_000, 1000);
    expect(b[0].from % 30_000).toBe(0);
    expect(b[0].to - b[0].from).toBe(30_000);
    expect(b.length).toBeLessThanOrEqual(MAX_BUCKETS + 1);
    expect(timeBuckets(0, 60_000, 1000)[0].to).toBe(15_000);
  });

  it('run with a concurrency limit, in order, and cache only settled buckets', async () => {
    const now = 10 * 3600_000;
    const buckets = [
      { from: 0, to: 60_000 },
      { from: 60_000, to: 120_000 },
      { from: now - 60_000, to: now },
    ];
    const cache = new BucketCache<number>();
    let inflight = 0;
    let max = 0;
    let calls = 0;
    const fetch = (b: { from: number }) => {
      calls++;
      inflight++;
      max = Math.max(max, inflight);
      return of(b.from).pipe(delay(5), (s) => (s.subscribe({ complete: () => inflight-- }), s));
    };
    const run = () => lastValueFrom(runBuckets({ buckets, key: 'k', concurrency: 2, now, cache, fetch }));
    expect(await run()).toEqual([0, 60_000, now - 60_000]);
    expect(max).toBeLessThanOrEqual(2);
    expect(calls).toBe(3);
    await run();
    // The two old buckets come from the cache; the live one (ended less than SETTLE_MS ago) is fetched again.
    expect(calls).toBe(4);
    expect(cache.size).toBe(2);
    expect(SETTLE_MS).toBeGreaterThan(60_000);
  });
});

import {
  budgetedInterval,
  costShare,
  coverage,
  coveringCaptures,
  evictionCount,
  LIVE_DEFAULTS,
  MAX_STRETCH,
  recentCost,
  schedule,
  transportFloor,
  KindSchedule,
} from './policy';

const T = 1_800_000_000_000;

describe('coverage of a window', () => {
  const windows = [0, 10, 20, 30].map((s) => ({ from: T + s * 1000, to: T + (s + 10) * 1000 }));

  it('takes a CPU window when at least half of it lies inside, since samples carry no time to cut it', () => {
    const picked = coveringCaptures(windows, { from: T + 14_000, to: T + 36_000 });
    // [10,20] has 6 s inside (kept), [20,30] all of it, [30,40] 6 s (kept); [0,10] nothing.
    expect(picked.map((w) => (w.from - T) / 1000)).toEqual([10, 20, 30]);
    expect(coveringCaptures(windows, { from: T + 16_000, to: T + 34_000 }).map((w) => (w.from - T) / 1000)).toEqual([
      20,
    ]);
  });

  it('takes the CPU window under a window shorter than a capture ("Last 5 seconds", a narrow brush)', () => {
    // The last 2 s of [30,40] lie inside a 2 s window ending at 40: the whole window is under that capture.
    expect(coveringCaptures(windows, { from: T + 38_000, to: T + 40_000 }).map((w) => (w.from - T) / 1000)).toEqual([
      30,
    ]);
    // 3 s from 18 to 21: [10,20] covers 2 s of it (kept), [20,30] 1 s (less than half of the window: left out).
    expect(coveringCaptures(windows, { from: T + 18_000, to: T + 21_000 }).map((w) => (w.from - T) / 1000)).toEqual([
      10,
    ]);
  });

  it('takes snapshots inside the window, edges included', () => {
    const snaps = [0, 5, 10].map((s) => ({ from: T + s * 1000, to: T + s * 1000 }));
    expect(coveringCaptures(snaps, { from: T + 5000, to: T + 10_000 })).toHaveLength(2);
  });

  it('counts the part of the window under the union of the spans, overlaps once', () => {
    const c = coverage(
      [
        { from: T, to: T + 10_000 },
        { from: T + 5000, to: T + 15_000 },
        { from: T + 30_000, to: T + 40_000 },
      ],
      { from: T + 5000, to: T + 35_000 }
    );
    expect(c.coveredMs).toBe(15_000);
    expect(c.fraction).toBeCloseTo(0.5, 9);
    expect(c.span).toEqual({ from: T, to: T + 40_000 });
    expect(coverage([], { from: T, to: T + 1 })).toEqual({ coveredMs: 0, fraction: 0 });
  });
});

describe('eviction', () => {
  const limits = { maxAgeMs: 60_000, maxBytes: 1000, maxCaptures: 3 };
  const held = (ageS: number, bytes = 100) => ({ to: T - ageS * 1000, heldBytes: bytes });

  it('drops the oldest captures until age, count and bytes all fit', () => {
    expect(evictionCount([held(90), held(70), held(30), held(10)], limits, T)).toBe(2);
    expect(evictionCount([held(40), held(30), held(20), held(10)], limits, T)).toBe(1);
    expect(evictionCount([held(30, 600), held(20, 600), held(10, 100)], limits, T)).toBe(1);
    expect(evictionCount([held(30), held(20)], limits, T)).toBe(0);
  });

  it('always keeps the newest capture, even one larger than the byte limit', () => {
    expect(evictionCount([held(20), held(10, 5000)], limits, T)).toBe(1);
    expect(evictionCount([held(600, 5000)], limits, T)).toBe(0);
  });

  it('keeps 30 minutes by default', () => {
    expect(LIVE_DEFAULTS.maxAgeMs).toBe(30 * 60_000);
  });
});

describe('cost budget', () => {
  it("stretches a kind's interval so its requests stay within its share of the target time", () => {
    // A 100 ms dump (about 100k goroutines) within 0.5% of the time: one every 20 s, not every 5 s.
    expect(budgetedInterval(5000, 100, 0.005)).toBe(20_000);
    expect(budgetedInterval(5000, 5, 0.005)).toBe(5000);
    expect(budgetedInterval(5000, undefined, 0.005)).toBe(5000);
    // Never more than MAX_STRETCH times the cadence: a 7 s request time is the browser's queue, not the target.
    expect(budgetedInterval(5000, 7000, 0.003)).toBe(5000 * MAX_STRETCH);
  });

  it('takes the median of the last three requests as the cost, so one slow request does not slow polling', () => {
    const samples = [90, 6, 5, 7].map((costMs, i) => ({ to: T + i, costMs }));
    expect(recentCost(samples.slice(0, 1))).toBe(90);
    expect(recentCost(samples.slice(0, 3))).toBe(6);
    expect(recentCost(samples)).toBe(6);
    expect(recentCost([])).toBeUndefined();
  });

  it('counts only the time above the transport floor, the quickest recent request of any kind', () => {
    const samples = [40, 12, 300, 15].map((costMs, i) => ({ to: T - 1000 + i, costMs }));
    expect(transportFloor(samples)).toBe(12);
    expect(transportFloor(samples.slice(0, 1))).toBe(0);
    expect(costShare(samples, T, 60_000, 12)).toBeCloseTo((28 + 0 + 288 + 3) / 60_000, 9);
  });

  it('measures the share of wall time requests took over a span', () => {
    const samples = [
      { to: T - 70_000, costMs: 500 },
      { to: T - 30_000, costMs: 120 },
      { to: T - 1000, costMs: 120 },
    ];
    expect(costShare(samples, T, 60_000)).toBeCloseTo(240 / 60_000, 9);
  });
});

describe('scheduling', () => {
  const kind = (k: string, patch: Partial<KindSchedule> = {}): KindSchedule => ({
    kind: k,
    intervalMs: 5000,
    inFlight: false,
    priority: k === 'cpu' ? 0 : 1,
    ...patch,
  });

  it('starts what is due, CPU first, never more than the in-flight limit', () => {
    const d = schedule([kind('dump'), kind('cpu', { intervalMs: 0 }), kind('heap', { priority: 2 })], T, 2, false);
    expect(d.start).toEqual(['cpu', 'dump']);
    // heap is due but waits for a free slot: the end of a request schedules again.
    expect(d.nextInMs).toBe(Infinity);
  });

  it('counts requests already in flight and waits for the next due kind', () => {
    const d = schedule(
      [
        kind('cpu', { inFlight: true, intervalMs: 0 }),
        kind('dump', { lastStart: T - 2000 }),
        kind('heap', { lastStart: T - 1000, intervalMs: 30_000 }),
      ],
      T,
      2,
      false
    );
    expect(d.start).toEqual([]);
    expect(d.nextInMs).toBe(3000);
  });

  it('honours a back-off and starts nothing while the page is hidden', () => {
    expect(schedule([kind('cpu', { notBefore: T + 15_000, intervalMs: 0 })], T, 2, false)).toEqual({
      start: [],
      nextInMs: 15_000,
    });
    expect(schedule([kind('cpu', { intervalMs: 0 })], T, 2, true)).toEqual({ start: [], nextInMs: Infinity });
  });
});

/**
 * Leak severity from the growth rate, on fixtures/leak-series: the demo service's goroutine profile captured every
 * 15 s for 2 minutes while its goroutine-leak scenario leaks 20 goroutines a second (made by
 * scripts/fixtures-leak-series.mjs). The live store diagnoses sliding windows of such captures as they arrive.
 */
import { readFileSync } from 'fs';
import { join } from 'path';

import { fixturesRoot } from '../../../../tests/support/fixtures';
import { parsePprof } from '../../model/parsePprof';
import { snapshotFromProfile } from '../goroutines/fromProfile';
import type { TimedGoroutineSnapshot } from '../goroutines/series';
import { diagnose } from './runner';
import { THRESHOLDS } from './thresholds';

const dir = join(fixturesRoot, 'leak-series');
const series = JSON.parse(readFileSync(join(dir, 'series.json'), 'utf8')) as {
  captures: Array<{ file: string; capturedAt: string }>;
};
const snapshots: TimedGoroutineSnapshot[] = series.captures.map((c) => {
  const time = Date.parse(c.capturedAt);
  return { time, snapshot: snapshotFromProfile(parsePprof(readFileSync(join(dir, c.file))), time) };
});
const leak = (goroutines: TimedGoroutineSnapshot[]) => diagnose({ goroutines }, { only: ['goroutine-leak-suspect'] });
const perMinute = (goroutines: TimedGoroutineSnapshot[]) =>
  leak(goroutines)[0]?.evidence.numbers.find((n) => n.label === 'growth per minute')?.value;

describe('goroutine-leak-suspect severity from the growth rate (2 minutes of captures)', () => {
  // Every window of three consecutive captures (30 s), as the store re-diagnoses while captures arrive.
  const windows = snapshots.slice(2).map((_, i) => snapshots.slice(i, i + 3));

  it('has captures 15 s apart over 2 minutes', () => {
    expect(snapshots).toHaveLength(9);
    expect(snapshots[8].time - snapshots[0].time).toBeGreaterThanOrEqual(119_000);
  });

  it('keeps a leak that keeps growing critical in every window, late ones included', () => {
    expect(windows.map((w) => leak(w).map((f) => f.severity))).toEqual(windows.map(() => ['critical']));
  });

  it('judges late windows by the rate: they grow by far less than leakGrowthRatio, still over leakCriticalPerMinute', () => {
    const late = windows[windows.length - 1];
    const [f] = leak(late);
    const counts = f.evidence.clusters![0].counts!;
    expect(counts[counts.length - 1]).toBeLessThan(counts[0] * THRESHOLDS.leakGrowthRatio.value);
    expect(perMinute(late)).toBeGreaterThanOrEqual(THRESHOLDS.leakCriticalPerMinute.value);
  });

  it('shows the growth per minute in every window: about the 1,200 a minute the scenario leaks', () => {
    for (const w of windows) {
      const rate = perMinute(w)!;
      expect(rate).toBeGreaterThan(1000);
      expect(rate).toBeLessThan(1400);
      expect(leak(w)[0].summary).toContain(`(${rate} a minute)`);
    }
  });

  it('reports the rate over the whole series, not a ratio to the first capture', () => {
    const [f] = leak(snapshots);
    expect(f.severity).toBe('critical');
    expect(f.evidence.clusters![0].counts).toHaveLength(9);
    expect(perMinute(snapshots)).toBeGreaterThan(1000);
  });
});

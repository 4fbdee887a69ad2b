/**
 * Test support: the JSON contract of `goprof analyze --json` (src/cli/README.md), checked by the file and live tests.
 */
import { FRAME_CLASSES } from '../../core/analysis/classify/classes';
import type { AnalyzeReport } from '../report';

/** Checks the shape and the invariants every report must satisfy. */
export function expectContract(report: AnalyzeReport): void {
  expect(report.version).toBe(1);
  expect(report.profile.sampleTypes.length).toBeGreaterThan(0);
  for (const st of report.profile.sampleTypes) {
    expect(Object.keys(st).sort()).toEqual(['type', 'unit']);
  }
  expect(typeof report.profile.total).toBe('number');
  expect(typeof report.profile.durationNanos).toBe('number');
  for (let i = 1; i < report.top.length; i++) {
    expect(report.top[i - 1].self).toBeGreaterThanOrEqual(report.top[i].self);
  }
  // Delta profiles (`?seconds=N` on heap, allocs, mutex, block) are p1 - p0 and may hold negative values, for
  // which cum >= flat does not hold.
  const nonNegative = report.top.every((row) => row.self >= 0) && report.flame.values.every((v) => v >= 0);
  for (const row of report.top) {
    expect(Object.keys(row).sort()).toEqual(['function', 'self', 'total']);
    if (nonNegative) {
      expect(row.total).toBeGreaterThanOrEqual(row.self);
    }
  }
  const f = report.flame;
  expect(f.labels[0]).toBe('total');
  expect(f.levels[0]).toBe(0);
  expect(f.values[0]).toBe(report.profile.total);
  expect(new Set([f.levels.length, f.values.length, f.selfs.length, f.labels.length]).size).toBe(1);
  if (report.cpuSplit) {
    expect(Object.keys(report.cpuSplit).sort()).toEqual([...FRAME_CLASSES].sort());
    const sum = Object.values(report.cpuSplit).reduce((a, b) => a + b, 0);
    expect(sum).toBeCloseTo(report.profile.total > 0 ? 1 : 0, 9);
  }
}

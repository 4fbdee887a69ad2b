/**
 * Trace findings on the demo's captured traces: each fires on the scenario made for it and on no scenario without
 * such a problem (the thresholds' reasons in thresholds.ts quote these figures).
 */
import { DEMO_FIXTURE_SCENARIOS, readFixtureBytes } from '../../../../tests/support/fixtures';
import { analyzeTrace } from '../traceAnalysis';
import { quantile, traceFindings } from './traceFindings';

const fired = (scenario: string) => traceFindings(analyzeTrace(readFixtureBytes(scenario, 'trace.bin')));

/** Scenario → trace findings expected (any other scenario: none, besides the GC ones listed). */
const EXPECTED: Record<string, string[]> = {
  'runnable-backlog': ['scheduler-latency'],
  'mutex-contention': ['blocking-hotspot'],
  // Both allocation-heavy scenarios stopped the world for 12-13 ms at GC termination on the shared capture host.
  'gc-pressure': ['stw-pause', 'gc-assist-share'],
  // It allocates as fast as gc-pressure does: the assist share is real (11%).
  'alloc-conversion': ['stw-pause', 'gc-assist-share'],
};

describe('trace findings on the demo traces', () => {
  it.each(DEMO_FIXTURE_SCENARIOS.map((s) => [s]))('%s: fires exactly the expected trace findings', (scenario) => {
    expect(fired(scenario).map((f) => f.id)).toEqual(EXPECTED[scenario] ?? []);
  });

  it('scheduler-latency states the p99 wait and the runnable backlog per P, with the group that waits', () => {
    const [finding] = fired('runnable-backlog');
    const p99 = finding.evidence.numbers.find((n) => n.label === 'p99 runnable → running')!;
    expect(p99.value).toBeGreaterThanOrEqual(100_000);
    expect(finding.summary).toMatch(/p99 of runnable → running waits is [\d.]+ (µs|ms)/);
    expect(finding.summary).toMatch(/shortLivedTask/);
  });

  it('blocking-hotspot names the contended lock site of mutex-contention', () => {
    const [finding] = fired('mutex-contention');
    expect(finding.summary).toMatch(/sync\.\(\*Mutex\)\.Lock under .*lockedLedgerUpdate/);
    expect(finding.evidence.stacks?.[0][0]).toBe('sync.(*Mutex).Lock');
  });

  it('quantile takes the nearest rank', () => {
    expect(quantile([5, 1, 4, 2, 3], 0.5)).toBe(3);
    expect(
      quantile(
        Array.from({ length: 100 }, (_, i) => i + 1),
        0.99
      )
    ).toBe(99);
    expect(quantile([], 0.99)).toBe(0);
  });
});

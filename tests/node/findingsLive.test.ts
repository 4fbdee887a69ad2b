/**
 * The findings must fire on a fresh capture, not only on the checked-in fixtures: each case starts the real demo
 * service with one scenario on (or none, under the normal request load), lets it warm up, and runs
 * `goprof diagnose <url> --seconds 2` against it, exactly as a user would. A live capture on a shared machine moves
 * every share (GC workers and the load compete for the same cores), so this test only asserts what must hold on any
 * machine: the scenario's finding is there at warning or above, and no unrelated finding is critical. Thresholds and
 * severities are judged on the captured fixtures, where the matrix must be exactly diagonal
 * (src/cli/findingsMatrix.test.ts).
 */
import { runDiagnose } from '../../src/cli/diagnose';
import type { Finding } from '../../src/core/analysis/findings/types';
import { startDemoService } from '../support/demoService';

const CASES: Array<[scenario: string, expected: string | null]> = [
  ['normal-load', null],
  ['goroutine-leak', 'goroutine-leak-suspect'],
  ['gc-pressure', 'gc-pressure'],
  ['mutex-contention', 'mutex-contention'],
  ['alloc-conversion', 'alloc-hot-conversion'],
  ['busy-select', 'busy-select-loop'],
  ['syscall-heavy', 'syscall-heavy'],
];

const WARMUP_MS = 2500;

async function diagnoseLive(url: string): Promise<{ findings: Finding[]; missing: string[] }> {
  let stdout = '';
  let stderr = '';
  const code = await runDiagnose([url, '--seconds', '2', '--json'], {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
  });
  expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  return JSON.parse(stdout);
}

describe('findings on fresh captures from the live demo service', () => {
  it.each(CASES.map(([scenario, expected]) => [scenario, expected ?? 'no finding', expected] as const))(
    '%s: %s, and no unrelated critical finding',
    async (scenario, _title, expected) => {
      const demo = await startDemoService({ scenarios: expected ? [scenario] : [], load: true });
      try {
        await new Promise((resolve) => setTimeout(resolve, WARMUP_MS));
        const { findings, missing } = await diagnoseLive(demo.url);
        expect(missing).toEqual([]);
        // Severity and title of each finding, so a failure shows what the capture looked like.
        const seen = findings.map((f) => `${f.severity} ${f.id}: ${f.title}`);
        if (expected) {
          const found = findings.some((f) => f.id === expected && f.severity !== 'info');
          expect({ scenario, found, seen }).toEqual({ scenario, found: true, seen });
        }
        const unrelatedCritical = findings
          .filter((f) => f.severity === 'critical' && f.id !== expected)
          .map((f) => f.id);
        expect({ scenario, unrelatedCritical, seen }).toEqual({ scenario, unrelatedCritical: [], seen });
      } finally {
        await demo.stop();
      }
    },
    90000
  );
});

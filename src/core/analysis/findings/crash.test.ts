import { readFileSync } from 'fs';
import { join } from 'path';
import { snapshotFromText } from '../goroutines/fromText';
import { crashFindings } from './crash';
import { diagnose } from './runner';

/** Real Go 1.26 crash outputs made by tools/stackbench/testdata.sh. */
function crash(name: string) {
  const text = readFileSync(join(__dirname, '..', '..', 'wire', '__testdata__', 'go1.26', name), 'utf8');
  return snapshotFromText(text, { timestamp: 1_700_000_000_000 });
}

describe('crash findings on real crash output', () => {
  it('deadlock: says every goroutine is asleep and what each group waits on, where', () => {
    const [finding] = crashFindings(crash('deadlock.txt'));
    expect(finding).toMatchObject({ id: 'deadlock', severity: 'critical', layer: 2 });
    expect(finding.summary).toMatch(/all 3 goroutines are asleep/);
    expect(finding.summary).toMatch(/goroutine in main\.main \(main\.go:18\) waits on chan receive/);
    expect(finding.summary).toMatch(/goroutine in main\.main\.func1 \(main\.go:15\) waits on sync\.Mutex\.Lock/);
    expect(finding.evidence.clusters!.map((c) => c.reason).sort()).toEqual([
      'chan receive',
      'chan receive',
      'sync.Mutex.Lock',
    ]);
  });

  it('test timeout: names the test and the goroutine that hangs it, not the runner waiting in t.Run', () => {
    const [finding] = crashFindings(crash('testtimeout.txt'));
    expect(finding).toMatchObject({ id: 'test-timeout', title: 'Test timed out: TestHangsForever' });
    expect(finding.summary).toMatch(/after 2s with TestHangsForever still running/);
    expect(finding.summary).toMatch(
      /goroutine 5 waits on chan receive in \S*hangtest\.waitForever \(hang_test\.go:12\), called from \S*hangtest\.TestHangsForever \(hang_test\.go:20\)/
    );
    expect(finding.summary).toMatch(/it started 1 goroutine still alive/);
  });

  it('concurrent map writes: both writers with GOTRACEBACK=all', () => {
    const [finding] = crashFindings(crash('mapwrite.txt'));
    expect(finding).toMatchObject({ id: 'concurrent-map-writes', title: 'Concurrent map writes' });
    expect(finding.summary).toMatch(
      /goroutine \d+ in main\.writer \(main\.go:42\) and goroutine \d+ in main\.writer \(main\.go:42\)/
    );
    expect(finding.evidence.numbers[0].value).toBe(2);
  });

  it('concurrent map writes at the default GOTRACEBACK: one writer, and says why the other is missing', () => {
    const text = readFileSync(join(__dirname, '..', '..', 'wire', '__testdata__', 'go1.26', 'mapwrite.txt'), 'utf8');
    const firstOnly = text.slice(0, text.indexOf('\n\ngoroutine 1 ') + 1);
    const [finding] = crashFindings(snapshotFromText(firstOnly));
    expect(finding.summary).toMatch(/Only the goroutine that noticed is in the dump/);
    expect(finding.nextStep).toMatch(/GOTRACEBACK=all/);
  });

  it('no crash finding for a panic, a signal or a plain dump', () => {
    expect(crashFindings(crash('panic.txt'))).toEqual([]);
    expect(crashFindings(crash('sigquit.txt'))).toEqual([]);
    expect(crashFindings(crash('debug2.txt'))).toEqual([]);
  });

  it('diagnose() reports the crash finding of the latest snapshot', () => {
    const findings = diagnose({ goroutines: [{ time: 1, snapshot: crash('deadlock.txt') }] });
    expect(findings.map((f) => f.id)).toContain('deadlock');
  });
});

/**
 * `goprof analyze <trace>` on real demo traces: text and --json name the scheduler latency with its p99 on the
 * runnable-backlog traces (the p99 equal to the one computed from golang.org/x/exp/trace's events), list goroutine
 * groups and the four latency profiles; an old-format trace exits 2.
 */
import { join } from 'path';
import { fixturePath, fixturesRoot } from '../../tests/support/fixtures';
import { goTraceReports } from '../../tools/tracecheck/runner';
import { EXIT_BAD_INPUT, EXIT_OK, run } from './main';
import type { TraceReport } from './traceReport';

async function goprof(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await run(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

describe('goprof analyze trace', () => {
  it('names scheduler latency with its p99 on the runnable-backlog trace', async () => {
    const { code, stdout } = await goprof(['analyze', fixturePath('runnable-backlog', 'trace.bin')]);
    expect(code).toBe(EXIT_OK);
    expect(stdout).toMatch(/\[warning\] scheduler-latency: p99 of runnable → running waits is [\d.]+ (µs|ms)/);
    expect(stdout).toMatch(/scenarios\.shortLivedTask/);
    expect(stdout).toMatch(/Latency profile sched: [\d.]+ ms in \d+ waits/);
  });

  it('names scheduler latency with the p99 Go computes on a 60 ms runnable-backlog trace, in text and --json', async () => {
    const file = join(fixturesRoot, 'traces', 'runnable-backlog-60ms.trace');
    // The waits as golang.org/x/exp/trace delivers them (tools/tracecheck); p99 by nearest rank.
    const [go] = goTraceReports([file]);
    const waits = [...go.schedWaits].sort((x, y) => x - y);
    const p99 = waits[Math.ceil(0.99 * waits.length) - 1];
    expect(p99).toBeGreaterThan(1e6);
    const { code, stdout } = await goprof(['analyze', file]);
    expect(code).toBe(EXIT_OK);
    expect(stdout).toContain(`p99 ${(p99 / 1e3).toFixed(0)} µs`);
    expect(stdout).toContain(
      `[warning] scheduler-latency: p99 of runnable → running waits is ${(p99 / 1e6).toFixed(p99 < 1e7 ? 2 : 0)} ms (${waits.length} waits)`
    );
    const json = await goprof(['analyze', file, '--json']);
    const report = JSON.parse(json.stdout) as TraceReport;
    expect(report.schedLatency).toMatchObject({ waits: waits.length, p99Ns: p99 });
    expect(report.findings.map((f) => f.id)).toContain('scheduler-latency');
  }, 120_000);

  it('--json carries groups, the four latency profiles and findings', async () => {
    const { code, stdout } = await goprof(['analyze', fixturePath('mutex-contention', 'trace.bin'), '--json']);
    expect(code).toBe(EXIT_OK);
    const report = JSON.parse(stdout) as TraceReport;
    expect(report.kind).toBe('trace');
    expect(Object.keys(report.latencyProfiles)).toEqual(['sched', 'net', 'sync', 'syscall']);
    expect(report.latencyProfiles.sync.top[0].stack[0]).toBe('sync.(*Mutex).Lock');
    expect(report.findings.map((f) => f.id)).toEqual(['blocking-hotspot']);
    expect(report.groups.length).toBeGreaterThan(0);
    expect(report.groups.reduce((s, g) => s + g.count, 0)).toBeLessThanOrEqual(report.goroutines);
  });

  it('exits 2 naming a damaged trace as truncated', async () => {
    const { readFileSync, writeFileSync, mkdtempSync } = await import('fs');
    const { join } = await import('path');
    const { tmpdir } = await import('os');
    const file = join(mkdtempSync(join(tmpdir(), 'goprof-trace-')), 'cut.trace');
    const bytes = readFileSync(fixturePath('gc-pressure', 'trace.bin'));
    writeFileSync(file, bytes.subarray(0, 5000));
    const { code, stderr } = await goprof(['analyze', file]);
    expect(code).toBe(EXIT_BAD_INPUT);
    expect(stderr).toMatch(/cut\.trace: .*truncated/);
  });
});

/**
 * `goprof analyze` and `goprof diagnose` on goroutine text as people have it: crash output, `go test` output and
 * dumps inside CI logs (real Go 1.26 captures from tools/stackbench/testdata.sh). None is refused as "not a pprof
 * profile", with or without `--profile goroutine`.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { runDiagnose } from './diagnose';
import type { GoroutineReport } from './goroutines';
import { run } from './main';
import type { AnalyzeReport } from './report';

const TESTDATA = join(__dirname, '..', 'core', 'wire', '__testdata__', 'go1.26');
const dir = mkdtempSync(join(tmpdir(), 'goprof-crash-'));

function capture(name: string): string {
  return readFileSync(join(TESTDATA, name), 'utf8');
}

function headerCount(text: string): number {
  return (text.match(/^goroutine \d+ (gp=\S+ m=\S+ (mp=\S+ )?)?\[[^\]]*\]:$/gm) ?? []).length;
}

async function analyze(
  path: string,
  extra: string[] = []
): Promise<{ code: number; report?: AnalyzeReport; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await run(['analyze', path, '--json', ...extra], {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
  });
  return { code, report: code === 0 ? (JSON.parse(stdout) as AnalyzeReport) : undefined, stderr };
}

function goroutines(report: AnalyzeReport | undefined): GoroutineReport {
  expect(report?.goroutines).toBeDefined();
  return report!.goroutines!;
}

describe('goprof analyze on crash output', () => {
  it.each([
    ['panic.txt', 'panic: boom: 42', undefined],
    ['deadlock.txt', 'fatal error: all goroutines are asleep - deadlock!', 'deadlock'],
    ['mapwrite.txt', 'fatal error: concurrent map writes', 'concurrent-map-writes'],
    ['sigquit.txt', 'SIGQUIT: quit', undefined],
    ['sigquit-crash.txt', 'SIGQUIT: quit', undefined],
    ['cgo-segv.txt', 'SIGSEGV: segmentation violation', undefined],
    ['testtimeout.txt', 'panic: test timed out after 2s', 'test-timeout'],
  ])(
    '%s: every goroutine, the cause and its finding, with and without --profile goroutine',
    async (name, message, finding) => {
      const text = capture(name);
      for (const extra of [[], ['--profile', 'goroutine']]) {
        const { code, report, stderr } = await analyze(join(TESTDATA, name), extra);
        expect(stderr).toBe('');
        expect(code).toBe(0);
        const g = goroutines(report);
        expect(g.total).toBe(headerCount(text));
        expect(g.cause?.message).toBe(message);
        expect(g.findings?.map((f) => f.id)).toEqual(finding ? [finding] : undefined);
      }
    }
  );

  it('finds the dump in a GitHub Actions log and says it removed the timestamps', async () => {
    const text = capture('testtimeout.txt');
    const log = text
      .split('\n')
      .map((line, i) => `2024-05-01T10:00:${String(i).padStart(2, '0')}.1234567Z ${line}`)
      .join('\n');
    const path = join(dir, 'job-log.txt');
    writeFileSync(path, `2024-05-01T09:59:59.0000000Z ##[group]Run go test ./...\n${log}`);
    const { code, report } = await analyze(path);
    expect(code).toBe(0);
    const g = goroutines(report);
    expect(g.total).toBe(headerCount(text));
    expect(g.notes?.[0]).toMatch(/^removed a timestamp prefix \("2024-05-01T10:00:04\.1234567Z "\) from \d+ lines$/);
    expect(g.findings?.[0].id).toBe('test-timeout');
  });

  it('reads two dumps in one file as a series and reports the growth', async () => {
    const { code, report } = await analyze(join(TESTDATA, 'twice.txt'));
    expect(code).toBe(0);
    const g = goroutines(report);
    expect(g.samples).toBe(2);
    const parked = g.clusters.find((c) => c.function === 'main.parked' && c.reason === 'chan receive')!;
    expect(parked.growth).toMatchObject({ first: 2, last: 7, growing: true });
  });

  it('reports the goroutines of a race report with no dump, instead of an empty report', async () => {
    const race = capture('race.txt');
    const path = join(dir, 'race-only.txt');
    writeFileSync(path, race.slice(0, race.indexOf('panic: ')));
    const { code, report } = await analyze(path);
    expect(code).toBe(0);
    const g = goroutines(report);
    expect(g.total).toBe(0);
    expect(g.warnings[0]).toMatch(/^a race-detector report with no goroutine dump: 1 race between goroutines 1, 8$/);
    expect(g.races?.[0].accesses.map((a) => a.goroutine)).toEqual([8, 1]);
  });

  it('exit 2 for crash output with no goroutines, saying why', async () => {
    const path = join(dir, 'bare-panic.txt');
    writeFileSync(path, 'panic: runtime error: invalid memory address or nil pointer dereference\n\nexit status 2\n');
    const { code, stderr } = await analyze(path, ['--profile', 'goroutine']);
    expect(code).toBe(2);
    expect(stderr).toMatch(
      /bare-panic\.txt: not a goroutine dump: crash output \("panic: runtime error: invalid memory/
    );
    expect(stderr).toMatch(/GOTRACEBACK=all/);
  });
});

describe('goprof diagnose on crash output', () => {
  it('takes crash output and CI logs as goroutine snapshots and reports the crash finding', async () => {
    const d = mkdtempSync(join(tmpdir(), 'goprof-diagnose-crash-'));
    writeFileSync(join(d, 'deadlock.log'), `level=info msg=start\n${capture('deadlock.txt')}exit status 2\n`);
    let stdout = '';
    let stderr = '';
    const code = await runDiagnose([d], { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
    expect(stderr).not.toMatch(/not a goroutine dump|not a pprof profile/);
    expect(code).toBe(0);
    expect(stdout).toMatch(/Deadlock: every goroutine is blocked/);
  });
});

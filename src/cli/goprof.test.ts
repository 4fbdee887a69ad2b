/**
 * The `goprof` CLI as users run it: bin/goprof.js spawned with Node, on real captures of the demo service. Checks the
 * JSON contract (src/cli/README.md) and the exit codes 0/2/3 with their messages.
 */
import { spawnSync } from 'child_process';
import { randomBytes } from 'crypto';
import { createServer } from 'net';
import { writeFileSync, mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { gzipSync } from 'zlib';
import { fixturePath, hasFixture } from '../../tests/support/fixtures';
import type { AnalyzeReport } from './report';
import { expectContract } from './testing/reportContract';

const bin = resolve(__dirname, '..', '..', 'bin', 'goprof.js');

function goprof(args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    timeout: 120_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const haveFixtures = hasFixture('busy-select', 'cpu.pb.gz');

(haveFixtures ? describe : describe.skip)('goprof analyze <file>', () => {
  it('reports a CPU profile as JSON: summary, top by self, CPU split, flame frame', () => {
    const r = goprof(['analyze', fixturePath('busy-select', 'cpu.pb.gz'), '--json', '--top', '5']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as AnalyzeReport;
    expectContract(report);
    expect(report.profile).toMatchObject({
      kind: 'cpu',
      sampleType: 'cpu',
      unit: 'nanoseconds',
      total: 930000000,
      samples: 44,
    });
    expect(report.top).toHaveLength(5);
    expect(report.top[0]).toEqual({ function: 'runtime.chanrecv', self: 180000000, total: 310000000 });
    expect(report.cpuSplit!['runtime-scheduler']).toBeGreaterThan(report.cpuSplit!.user);
    expect(report.flame.labels).toContain('github.com/seed/goruntime-demo/internal/scenarios.busySelectLoop');
    expect(report.mainModules).toContain('github.com/seed/goruntime-demo/internal/scenarios');
  });

  it('prints a human report', () => {
    const r = goprof(['analyze', fixturePath('syscall-heavy', 'cpu.pb.gz')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^cpu profile from .*syscall-heavy\/cpu.pb.gz\n/);
    expect(r.stdout).toMatch(/CPU split \(where CPU goes\):\n +\d+\.\d% +Syscalls and netpoll/);
    expect(r.stdout).toContain('internal/runtime/syscall/linux.Syscall6');
  });

  it('analyses another sample type of a heap profile, with no CPU split', () => {
    const r = goprof([
      'analyze',
      fixturePath('gc-pressure', 'heap.pb.gz'),
      '--sample-type',
      'alloc_space',
      '--top',
      '3',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as AnalyzeReport;
    expectContract(report);
    expect(report.profile).toMatchObject({ kind: 'heap', sampleType: 'alloc_space', unit: 'bytes' });
    expect(report.cpuSplit).toBeUndefined();
    expect(report.top).toHaveLength(3);
  });

  it('tells mutex from block by --profile, and prunes the flame graph to --max-nodes', () => {
    const r = goprof([
      'analyze',
      fixturePath('mutex-contention', 'mutex.pb.gz'),
      '--profile',
      'mutex',
      '--max-nodes',
      '10',
      '--json',
    ]);
    const report = JSON.parse(r.stdout) as AnalyzeReport;
    expectContract(report);
    expect(report.profile.kind).toBe('mutex');
    expect(report.profile.sampleType).toBe('delay');
    expect(report.flame.labels.length).toBeLessThanOrEqual(10);
  });

  it('adds the goroutine analysis to goroutine profiles, proto or text', () => {
    const proto = JSON.parse(
      goprof(['analyze', fixturePath('goroutine-leak', 'goroutine.pb.gz'), '--json']).stdout
    ) as AnalyzeReport;
    expectContract(proto);
    expect(proto.profile.kind).toBe('goroutine');
    expect(proto.goroutines!.total).toBe(proto.profile.total);
    const text = goprof(['analyze', fixturePath('goroutine-leak', 'goroutine.debug2.txt'), '--json']);
    expect(text.code).toBe(0);
    const report = JSON.parse(text.stdout) as AnalyzeReport;
    expectContract(report);
    expect(report.goroutines!.clusters[0].function).toBe(
      'github.com/seed/goruntime-demo/internal/scenarios.leakedResultSender'
    );
  });
});

describe('goprof exit codes and messages', () => {
  const dir = mkdtempSync(join(tmpdir(), 'goprof-'));
  const file = (name: string, bytes: Uint8Array | string) => {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    return path;
  };

  it.each([
    [
      'an HTML page',
      () => file('page.html', '<!DOCTYPE html><html><title>Login</title></html>'),
      /page\.html: an HTML page, not a pprof profile \(page title "Login"\)/,
    ],
    ['an empty file', () => file('empty.pb.gz', ''), /empty\.pb\.gz: empty input \(0 bytes\)/],
    [
      'a truncated gzip',
      () => file('cut.pb.gz', gzipSync(randomBytes(5000)).subarray(0, 2000)),
      /cut\.pb\.gz: truncated gzip/,
    ],
    ['gzip of text', () => file('text.gz', gzipSync('hello\n')), /gzip-compressed text, not a pprof profile/],
  ])('exit 2 for %s, naming the file and the cause', (_name, make, message) => {
    const r = goprof(['analyze', make()]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
  });

  (haveFixtures ? it : it.skip)('exit 2 for a sample type the profile does not have', () => {
    const r = goprof(['analyze', fixturePath('idle', 'cpu.pb.gz'), '--sample-type', 'alloc_space']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('goprof: sample type "alloc_space" must be one of: samples, cpu\n');
  });

  it.each([
    [['analyze'], /missing <source>/],
    [['analyze', 'x', '--profile', 'wall'], /--profile must be one of cpu, heap/],
    [['analyze', 'x', '--seconds', '-3'], /--seconds must be a whole number above 0, got "-3"/],
    [['analyze', 'x', '--bogus'], /unknown option "--bogus"/],
    [['profile', 'x'], /unknown command "profile"/],
  ])('exit 2 for bad usage %j', (args, message) => {
    const r = goprof(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toContain('Usage: goprof analyze');
  });

  /** A loopback port nothing listens on: bound by us, then released. */
  const closedPort = () =>
    new Promise<number>((done) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => done(port));
      });
    });

  it('exit 3 for a missing file and for an unreachable service', async () => {
    const port = await closedPort();
    const missing = goprof(['analyze', join(dir, 'nope.pb.gz')]);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(/nope\.pb\.gz: cannot read the file \(ENOENT\)/);
    const refused = goprof(['analyze', `http://127.0.0.1:${port}`, '--profile', 'heap', '--timeout', '5']);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(
      new RegExp(`^goprof: http://127\\.0\\.0\\.1:${port}/debug/pprof/heap: cannot reach the target: ECONNREFUSED`)
    );
  });

  it('prints usage with exit 0 for --help', () => {
    const r = goprof(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Exit codes: 0 ok, 2 bad input or usage, 3 target unreachable.');
  });

  it('lists every command in --help, and each command answers --help with exit 0', () => {
    const top = goprof(['--help']);
    expect(top.stdout).toMatch(/^ {2}analyze <source>/m);
    expect(top.stdout).toMatch(/^ {2}diagnose <source>/m);
    const analyze = goprof(['analyze', '--help']);
    expect(analyze).toMatchObject({ code: 0, stderr: '' });
    expect(analyze.stdout).toContain('Usage: goprof analyze <source> [options]');
    const diagnose = goprof(['diagnose', '--help']);
    expect(diagnose).toMatchObject({ code: 0, stderr: '' });
    expect(diagnose.stdout).toContain('usage: goprof diagnose');
    expect(diagnose.stdout).toContain('--baseline-seconds N');
  });

  it('prints one goroutine total in a goroutine report', () => {
    const r = goprof(['analyze', fixturePath('goroutine-leak', 'goroutine.pb.gz')]);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/total goroutine:/);
    expect(r.stdout.match(/^Goroutines: \d+/gm)).toHaveLength(1);
  });
});

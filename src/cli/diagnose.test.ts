import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

import { fixturePath, readFixtureBytes, readFixtureText } from '../../tests/support/fixtures';
import { parseDiagnoseArgs, pprofBase, runDiagnose, type DiagnoseIO } from './diagnose';

async function run(argv: string[], extra: Partial<DiagnoseIO> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await runDiagnose(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), ...extra });
  return { code, stdout, stderr };
}

describe('goprof diagnose arguments', () => {
  it('defaults to a 5 s window and no baseline', () => {
    expect(parseDiagnoseArgs(['http://svc:6060'])).toEqual({
      sources: ['http://svc:6060'],
      seconds: 5,
      baselineSeconds: 0,
      baselineFiles: [],
      json: false,
    });
    expect(parseDiagnoseArgs(['http://svc', '--seconds=2', '--baseline-seconds', '3', '--json'])).toMatchObject({
      seconds: 2,
      baselineSeconds: 3,
      json: true,
    });
  });

  it.each([
    [[], 'give a Go service URL or capture files'],
    [['http://a', 'http://b'], 'give one URL, or any number of files'],
    [['http://a', 'cpu.pb.gz'], 'give one URL, or any number of files'],
    [['cpu.pb.gz', '--baseline-seconds', '5'], 'for files use --baseline'],
    [['http://a', '--seconds', 'x'], '--seconds needs a number of seconds, got x'],
    [['http://a', '--top', '3'], 'unknown option --top'],
  ])('%j is a usage error', async (argv, message) => {
    const { code, stderr } = await run(argv);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
    expect(stderr).toContain('usage: goprof diagnose');
  });

  it('finds pprof under the base URL unless the URL already ends there', () => {
    expect(pprofBase('http://svc:6060')).toBe('http://svc:6060/debug/pprof/');
    expect(pprofBase('http://gw/pods/a/debug/pprof/')).toBe('http://gw/pods/a/debug/pprof/');
  });
});

describe('goprof diagnose on saved captures', () => {
  it('prints the leak by layer from the goroutine-leak fixture folder', async () => {
    const { code, stdout } = await run([fixturePath('goroutine-leak', '')]);
    expect(code).toBe(0);
    expect(stdout).toMatch(
      /^Layer 2: Scheduling\n {2}(CRITICAL|WARNING) +goroutine-leak-suspect: \d+ goroutines stuck in chan send at scenarios\.leakedResultSender$/m
    );
    expect(stdout).toContain('Layer 1: Where CPU goes\n  nothing found');
    expect(stdout).toContain('Not used: trace.bin: a Go execution trace, not a pprof profile');
  });

  it('gives JSON findings sorted by severity with id, layer, severity, title and evidence', async () => {
    const { code, stdout } = await run([fixturePath('gc-pressure', ''), '--json']);
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.findings.map((f: { id: string }) => f.id)).toEqual(['gc-pressure']);
    const [f] = out.findings;
    expect(Object.keys(f)).toEqual(expect.arrayContaining(['id', 'layer', 'severity', 'title', 'evidence']));
    expect(f.evidence.numbers[0]).toEqual({ label: 'GC work', value: expect.any(Number), unit: 'percentunit' });
  });

  it('compares with --baseline captures', async () => {
    const { stdout } = await run([
      fixturePath('gc-pressure', 'cpu.pb.gz'),
      '--baseline',
      fixturePath('alloc-conversion', 'cpu.pb.gz'),
    ]);
    expect(stdout.replace(/\s+/g, ' ')).toMatch(/GC share rose from 2\d% to 5\d% against the baseline/);
  });

  it('tells mutex from block profiles by their stacks when the name does not say', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'goprof-diagnose-'));
    writeFileSync(join(dir, 'a.pb.gz'), readFixtureBytes('rwmutex-churn', 'mutex.pb.gz'));
    writeFileSync(join(dir, 'b.pb.gz'), readFixtureBytes('rwmutex-churn', 'block.pb.gz'));
    const { stdout } = await run([dir]);
    expect(stdout).toContain('a.pb.gz: mutex, b.pb.gz: block');
  });

  it('fails with status 2 when nothing could be read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'goprof-diagnose-'));
    writeFileSync(join(dir, 'notes.txt'), 'not a profile\n');
    const { code, stderr } = await run([dir]);
    expect(code).toBe(2);
    expect(stderr).toContain('notes.txt: not a goroutine dump: 1 line of text with no "goroutine N [state]:" header');
  });
});

describe('goprof diagnose against a URL', () => {
  const bodies: Record<string, () => Uint8Array | string> = {
    '': () => readFixtureText('.', 'pprof-index.html'),
    goroutine: () => readFixtureText('busy-select', 'goroutine.debug2.txt'),
    profile: () => readFixtureBytes('busy-select', 'cpu.pb.gz'),
    allocs: () => readFixtureBytes('busy-select', 'allocs.pb.gz'),
    mutex: () => readFixtureBytes('busy-select', 'mutex.pb.gz'),
    block: () => 'cpu profiling already in use\n',
    heap: () => readFixtureBytes('busy-select', 'heap.pb.gz'),
  };
  const requested: string[] = [];
  const fakeFetch = (async (url: string) => {
    requested.push(url);
    const name = url.replace('http://svc:6060/debug/pprof/', '').split('?')[0];
    const body = bodies[name]();
    return new Response(body as BodyInit, { status: name === 'block' ? 500 : 200 });
  }) as unknown as typeof fetch;

  it('gathers the window from the target and diagnoses it, naming what failed', async () => {
    const { code, stdout } = await run(['http://svc:6060', '--seconds', '2', '--json'], {
      fetch: fakeFetch,
      now: () => 0,
    });
    expect(code).toBe(0);
    expect(requested).toContain('http://svc:6060/debug/pprof/profile?seconds=2');
    const out = JSON.parse(stdout);
    expect(out.findings.map((f: { id: string; severity: string }) => `${f.id}:${f.severity}`)).toEqual([
      'busy-select-loop:critical',
      'scheduler-overhead:info',
    ]);
    expect(out.missing).toEqual([
      'block: GET http://svc:6060/debug/pprof/block?seconds=2: HTTP 500 (cpu profiling already in use)',
    ]);
  });

  it('captures a baseline window first with --baseline-seconds', async () => {
    requested.length = 0;
    const { code, stdout } = await run(['http://svc:6060', '--seconds', '2', '--baseline-seconds', '1'], {
      fetch: fakeFetch,
      now: () => 0,
    });
    expect(code).toBe(0);
    expect(requested.indexOf('http://svc:6060/debug/pprof/profile?seconds=1')).toBeLessThan(
      requested.indexOf('http://svc:6060/debug/pprof/profile?seconds=2')
    );
    expect(stdout.replace(/\s+/g, ' ')).toContain('was already 47% in the baseline: not new in this window');
  });

  it('fails with status 3 naming the target when it cannot be reached', async () => {
    const refused = (async () => {
      throw new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:1') });
    }) as unknown as typeof fetch;
    const { code, stderr } = await run(['http://127.0.0.1:1'], { fetch: refused });
    expect(code).toBe(3);
    expect(stderr).toContain(
      'GET http://127.0.0.1:1/debug/pprof/profile?seconds=5 failed, no response: connect ECONNREFUSED'
    );
  });
});

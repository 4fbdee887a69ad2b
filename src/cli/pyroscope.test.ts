import { readFileSync } from 'fs';
import { join } from 'path';

import { fixturesRoot } from '../../tests/support/fixtures';
import { FakePyroscope, startFakePyroscope } from '../../tests/support/pyroscopeFake';
import { profileFromWire } from '../core/model/validate';
import { pyroscopeProfileToWire } from '../core/wire/pyroscopeProfile';
import { run } from './main';
import { parseCliTime } from './pyroscope';
import { inferKind } from './report';

const NOW = Date.UTC(2026, 11, 6, 12, 0, 0);
const HOUR = 3600_000;

async function goprof(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const realNow = Date.now;
  Date.now = () => NOW;
  try {
    const code = await run(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
    return { code, stdout, stderr };
  } finally {
    Date.now = realNow;
  }
}

describe('time arguments', () => {
  it('take Grafana relative syntax, RFC 3339 with a zone and epoch milliseconds', () => {
    expect(parseCliTime('now', NOW)).toBe(NOW);
    expect(parseCliTime('now-1h', NOW)).toBe(NOW - HOUR);
    expect(parseCliTime('now-15m', NOW)).toBe(NOW - 15 * 60_000);
    expect(parseCliTime('now-2d', NOW)).toBe(NOW - 48 * HOUR);
    expect(parseCliTime('2026-12-06T07:45:39Z', NOW)).toBe(Date.UTC(2026, 11, 6, 7, 45, 39));
    expect(parseCliTime('2026-12-06T08:45:39+01:00', NOW)).toBe(Date.UTC(2026, 11, 6, 7, 45, 39));
    expect(parseCliTime('1796543139545', NOW)).toBe(1796543139545);
    expect(() => parseCliTime('yesterday', NOW)).toThrow(/--from takes now, now-<N>/);
    expect(() => parseCliTime('2026-12-06T07:45:39', NOW)).toThrow(/RFC 3339 with a zone/);
  });
});

describe('Pyroscope-exported profiles (one sample type) are recognised', () => {
  const recorded = (file: string) =>
    profileFromWire(pyroscopeProfileToWire(JSON.parse(readFileSync(join(fixturesRoot, 'pyroscope', file), 'utf8')), 0));
  it.each([
    ['003_SelectMergeProfile_busy-select.json', undefined, 'cpu'],
    ['004_SelectMergeProfile_busy-select.json', undefined, 'heap'],
    ['005_SelectMergeProfile_busy-select.json', undefined, 'allocs'],
    ['006_SelectMergeProfile_busy-select.json', 'mutex', 'mutex'],
    ['006_SelectMergeProfile_busy-select.json', undefined, 'contention'],
    ['011_SelectMergeProfile_busy-select.json', undefined, 'goroutine'],
  ])('%s (hint %s) is %s', (file, hint, kind) => {
    expect(inferKind(recorded(file), hint)).toBe(kind);
  });
});

describe('goprof --pyroscope against the Pyroscope stand-in', () => {
  let fake: FakePyroscope;
  beforeAll(async () => {
    fake = await startFakePyroscope({ now: () => NOW });
  });
  afterAll(() => fake.close());

  it('diagnose: findings of the last hour of one service, for exactly the window asked', async () => {
    const { code, stdout, stderr } = await goprof([
      'diagnose',
      '--pyroscope',
      fake.url,
      '--selector',
      '{service_name="goruntime-demo"}',
      '--from',
      'now-1h',
      '--json',
    ]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.window).toEqual({ from: NOW - HOUR, to: NOW });
    // The goroutine and mutex uploads back the leak and the lock findings. The CPU uploads (a 2 s gc-pressure capture
    // with 1.07 s of CPU for every 30 s) average 0.04 cores over the hour: under cpuMinCores, so the CPU rules stay
    // quiet and say why.
    expect(out.findings.map((f: { id: string }) => f.id)).toEqual(['goroutine-leak-suspect', 'mutex-contention']);
    expect(out.notes).toEqual([
      expect.stringMatching(/^cpu: the profile holds [\d.]+ s of CPU \(0\.04 cores\), below/),
    ]);
    const merges = fake.calls('SelectMergeProfile');
    expect(new Set(merges.map((m) => m.body.labelSelector))).toEqual(new Set(['{service_name="goruntime-demo"}']));
  });

  it('diagnose prints the window with its dates', async () => {
    const { code, stdout } = await goprof([
      'diagnose',
      `--pyroscope=${fake.url}`,
      '--from',
      '2026-12-04T10:00:00Z',
      '--to',
      String(Date.UTC(2026, 11, 4, 10, 30)),
    ]);
    expect(code).toBe(0);
    expect(stdout.split('\n')[0]).toBe(
      `goprof diagnose ${fake.url} {} 2026-12-04 10:00:00-2026-12-04 10:30:00 UTC (1800 s)`
    );
  });

  it('analyze --profile heap: a heap report from the merged profile, not an unknown profile', async () => {
    const { code, stdout } = await goprof([
      'analyze',
      '--pyroscope',
      fake.url,
      '--selector',
      '{service_name="checkout"}',
      '--profile',
      'heap',
      '--from',
      'now-10m',
      '--json',
    ]);
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.profile.kind).toBe('heap');
    expect(report.profile.sampleType).toBe('inuse_space');
  });

  it('no data for the selector: exit 2 and says so', async () => {
    const { code, stderr } = await goprof(['diagnose', '--pyroscope', fake.url, '--selector', '{service_name="nope"}']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/no profiles stored for \{service_name="nope"\} between/);
  });

  it.each([['diagnose'], ['analyze']])('%s --pyroscope --help prints the Pyroscope usage and exits 0', async (cmd) => {
    const { code, stdout, stderr } = await goprof([cmd, '--pyroscope', fake.url, '--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(
      new RegExp(`^usage: goprof diagnose --pyroscope URL[^]*\\n +goprof analyze --pyroscope URL`)
    );
    expect(stderr).toBe('');
  });

  it('a bad --from is a usage error', async () => {
    const { code, stderr } = await goprof(['diagnose', '--pyroscope', fake.url, '--from', 'last week']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/--from takes now/);
    expect(stderr).toMatch(/usage: goprof diagnose --pyroscope URL/);
  });

  it('a multi-tenant server without --tenant: exit 2 naming --tenant; with it, the diagnosis runs', async () => {
    const tenants = await startFakePyroscope({ now: () => NOW, multiTenant: true, tenantsWithData: ['team-a'] });
    try {
      const without = await goprof(['diagnose', '--pyroscope', tenants.url]);
      expect(without.code).toBe(2);
      expect(without.stderr).toMatch(/HTTP 401 unauthenticated: invalid_argument: no org id.*--tenant/);
      const withTenant = await goprof(['diagnose', '--pyroscope', tenants.url, '--tenant', 'team-a', '--json']);
      expect(withTenant.code).toBe(0);
    } finally {
      await tenants.close();
    }
  });

  it('an unreachable server: exit 3', async () => {
    const { code } = await goprof(['diagnose', '--pyroscope', 'http://127.0.0.1:1']);
    expect(code).toBe(3);
  });
});

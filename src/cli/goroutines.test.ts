import { loadManifest, readFixtureBytes, readFixtureText } from '../../tests/support/fixtures';
import { InputError } from '../core/errors';
import { buildGoroutineReport, snapshotFromCapture } from './goroutines';

const LEAK = 'github.com/seed/goruntime-demo/internal/scenarios.leakedResultSender';

function capture(file: string) {
  return loadManifest().captures.find((c) => c.scenario === 'goroutine-leak' && c.file.endsWith(`/${file}`))!;
}

describe('buildGoroutineReport', () => {
  it('reports totals, states, exact reasons and clusters of one debug=2 snapshot', () => {
    const report = buildGoroutineReport(snapshotFromCapture(readFixtureText('goroutine-leak', 'goroutine.debug2.txt')));
    const spawned = capture('goroutine.debug2.txt').spawned!;
    expect(report.source).toBe('debug=2');
    expect(Object.values(report.byState).reduce((a, b) => a + b!, 0)).toBe(report.total);
    expect(Object.values(report.byReason).reduce((a, b) => a + b, 0)).toBe(report.total);
    expect(report.byReason['chan send']).toBe(spawned);
    expect(report.byState['chan-send']).toBe(spawned);
    expect(report.clusters[0]).toEqual({
      count: spawned,
      state: 'chan-send',
      reason: 'chan send',
      function: LEAK,
      createdBy: 'github.com/seed/goruntime-demo/internal/scenarios.fetchWithAbandonedResult',
      // The fixtures come from a -trimpath build: files by module path, no build-machine path.
      creationSite: expect.stringMatching(
        /scenarios\.fetchWithAbandonedResult github\.com\/seed\/goruntime-demo\/internal\/scenarios\/goroutine_leak\.go:\d+$/
      ),
      waitMinutes: { min: 0, max: 0 },
    });
    expect(report.clusters.reduce((n, c) => n + c.count, 0) + 0).toBe(report.total);
    expect(report.clustersOmitted).toBe(0);
    expect(report.creationSites[0]).toMatchObject({ count: spawned, clusters: 1 });
    expect(report.clusters.every((c) => c.growth === undefined)).toBe(true);
    expect(report.samples).toBeUndefined();
    // JSON-ready: survives a round trip unchanged.
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });

  it('adds growth per cluster with K snapshots', () => {
    const first = capture('goroutine.debug2.txt');
    const later = capture('goroutine.later.debug2.txt');
    const t0 = Date.parse(first.capturedAt);
    const t1 = Date.parse(later.capturedAt);
    const report = buildGoroutineReport(
      [
        { time: t1, snapshot: snapshotFromCapture(readFixtureText('goroutine-leak', 'goroutine.later.debug2.txt')) },
        { time: t0, snapshot: snapshotFromCapture(readFixtureText('goroutine-leak', 'goroutine.debug2.txt')) },
      ],
      { maxClusters: 3, includeFrames: true }
    );
    expect(report.samples).toBe(2);
    expect(report.window).toEqual({
      from: new Date(t0).toISOString(),
      to: new Date(t1).toISOString(),
      minutes: Math.round(((t1 - t0) / 60000) * 100) / 100,
    });
    expect(report.clusters).toHaveLength(3);
    expect(report.clustersOmitted).toBeGreaterThan(0);
    const leak = report.clusters[0];
    expect(leak.function).toBe(LEAK);
    expect(leak.count).toBe(later.spawned);
    expect(leak.growth).toMatchObject({
      first: first.spawned,
      last: later.spawned,
      monotone: true,
      growing: true,
      counts: [first.spawned, later.spawned],
    });
    expect(leak.growth!.perMinute).toBeCloseTo(((later.spawned! - first.spawned!) * 60000) / (t1 - t0), 1);
    expect(leak.frames![0]).toMatch(
      /^github\.com\/seed\/goruntime-demo\/internal\/scenarios\.leakedResultSender github\.com\/seed\/goruntime-demo\/internal\/scenarios\/goroutine_leak\.go:\d+$/
    );
    // The report describes the latest snapshot.
    expect(report.total).toBe(
      snapshotFromCapture(readFixtureText('goroutine-leak', 'goroutine.later.debug2.txt')).total
    );
  });

  it('reads proto (gzip) and debug=1 captures; states of proto come from inference', () => {
    const proto = buildGoroutineReport(snapshotFromCapture(readFixtureBytes('goroutine-leak', 'goroutine.pb.gz')));
    expect(proto.source).toBe('profile');
    expect(proto.byState['chan-send']).toBe(capture('goroutine.pb.gz').spawned);
    expect(proto.clusters[0]).toMatchObject({ function: LEAK, createdBy: null, creationSite: null });
    const text = buildGoroutineReport(snapshotFromCapture(readFixtureBytes('goroutine-leak', 'goroutine.debug1.txt')));
    expect(text.source).toBe('debug=1');
    expect(text.unclassified).toBeGreaterThan(0);
    expect(text.byReason['(unclassified)']).toBe(text.unclassified);
  });

  it('reports leaked goroutines of the Go 1.26 goroutineleak endpoint', () => {
    const report = buildGoroutineReport(
      snapshotFromCapture(readFixtureText('goroutine-leak-goexperiment', 'goroutineleak.debug2.txt'))
    );
    expect(report.profile).toBe('goroutineleak');
    expect(report.clusters[0]).toMatchObject({ function: LEAK, leaked: report.clusters[0].count });
    expect(report.clusters.slice(1).every((c) => c.leaked === undefined)).toBe(true);
  });

  it('fails with typed errors only', () => {
    const errorOf = (run: () => unknown) => {
      try {
        run();
      } catch (e) {
        return e;
      }
      return undefined;
    };
    const html = errorOf(() =>
      snapshotFromCapture('<html><body>404 page not found</body></html>', {
        source: 'http://x/debug/pprof/goroutine?debug=2',
      })
    );
    expect(html).toBeInstanceOf(InputError);
    expect((html as InputError).describe()).toMatch(
      /^http:\/\/x\/debug\/pprof\/goroutine\?debug=2: not a goroutine dump: this is an HTML page/
    );
    expect(errorOf(() => snapshotFromCapture(new Uint8Array([0x1f, 0x8b, 8, 0, 1, 2])))).toBeInstanceOf(InputError);
    expect(() => buildGoroutineReport([])).toThrow(RangeError);
  });
});

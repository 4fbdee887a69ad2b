import { hasFixture, loadManifest, readFixtureText } from '../../../../tests/support/fixtures';
import { GOROUTINE_STATES } from '../../model/goroutineState';
import { snapshotFromStacks } from './fromStacks';
import { snapshotFromText } from './fromText';
import { goroutineSeries, growthOf } from './series';

const MINUTE = 60000;

function snap(leaked: number, select: number) {
  return snapshotFromStacks(
    [
      { frames: [{ func: 'runtime.gopark' }, { func: 'runtime.chansend1' }, { func: 'main.leak' }], count: leaked },
      { frames: [{ func: 'runtime.gopark' }, { func: 'runtime.selectgo' }, { func: 'main.loop' }], count: select },
    ].filter((s) => s.count > 0),
    { source: 'profile' }
  );
}

describe('growthOf', () => {
  it('flags monotone growth with its rate per minute', () => {
    expect(growthOf([10, 20, 20, 40], [0, MINUTE, 2 * MINUTE, 3 * MINUTE])).toEqual({
      first: 10,
      last: 40,
      perMinute: 10,
      monotone: true,
      growing: true,
      counts: [10, 20, 20, 40],
    });
    expect(growthOf([10, 5, 40], [0, MINUTE, 2 * MINUTE])).toMatchObject({ monotone: false, growing: false, perMinute: 15 });
    expect(growthOf([7, 7], [0, MINUTE])).toMatchObject({ monotone: true, growing: false, perMinute: 0 });
    expect(growthOf([7], [0])).toMatchObject({ growing: false, perMinute: 0 });
  });
});

describe('goroutineSeries', () => {
  it('buckets per-state and per-cluster counts and flags the growing cluster', () => {
    const series = goroutineSeries([
      { time: 2 * MINUTE, snapshot: snap(30, 4) },
      { time: 0, snapshot: snap(10, 5) },
      { time: MINUTE, snapshot: snap(20, 3) },
      { time: 4 * MINUTE, snapshot: snap(50, 4) },
    ]);
    expect(series.bucketMs).toBe(MINUTE);
    expect(series.buckets).toEqual([0, MINUTE, 2 * MINUTE, 3 * MINUTE, 4 * MINUTE]);
    expect(series.states['chan-send']).toEqual([10, 20, 30, null, 50]);
    expect(series.states.select).toEqual([5, 3, 4, null, 4]);
    expect(series.totals).toEqual([15, 23, 34, null, 54]);
    // States of a bucket sum to its total.
    for (let b = 0; b < series.buckets.length; b++) {
      const sum = GOROUTINE_STATES.reduce((n, s) => n + (series.states[s][b] ?? 0), 0);
      expect(sum).toBe(series.totals[b] ?? 0);
    }
    const [leak, loop] = series.clusters;
    expect(leak.function).toBe('main.leak');
    expect(leak.counts).toEqual([10, 20, 30, null, 50]);
    expect(leak.growth).toMatchObject({ first: 10, last: 50, perMinute: 10, monotone: true, growing: true });
    expect(loop.growth).toMatchObject({ monotone: false, growing: false });
  });

  it('counts a cluster that appears later from zero, and keeps the largest snapshot per bucket with aggregate=max', () => {
    const series = goroutineSeries(
      [
        { time: 0, snapshot: snap(0, 5) },
        { time: 10000, snapshot: snap(3, 5) },
        { time: MINUTE, snapshot: snap(9, 5) },
      ],
      { bucketMs: MINUTE, aggregate: 'max' }
    );
    expect(series.totals).toEqual([8, 14]);
    const leak = series.clusters.find((c) => c.function === 'main.leak')!;
    expect(leak.growth.counts).toEqual([0, 3, 9]);
    expect(leak.counts).toEqual([3, 9]);
    expect(leak.growth.growing).toBe(true);
  });

  it('on the real leak captures: the leak cluster grows by what the service spawned', () => {
    if (!hasFixture('goroutine-leak', 'goroutine.later.debug2.txt')) {
      return;
    }
    const manifest = loadManifest().captures;
    const at = (file: string) => manifest.find((c) => c.scenario === 'goroutine-leak' && c.file.endsWith(`/${file}`))!;
    const first = at('goroutine.debug2.txt');
    const later = at('goroutine.later.debug2.txt');
    const series = goroutineSeries([
      { time: Date.parse(first.capturedAt), snapshot: snapshotFromText(readFixtureText('goroutine-leak', 'goroutine.debug2.txt')) },
      { time: Date.parse(later.capturedAt), snapshot: snapshotFromText(readFixtureText('goroutine-leak', 'goroutine.later.debug2.txt')) },
    ]);
    const leak = series.clusters[0];
    expect(leak.function).toBe('github.com/seed/goruntime-demo/internal/scenarios.leakedResultSender');
    expect(leak.growth).toMatchObject({ first: first.spawned, last: later.spawned, monotone: true, growing: true });
    expect(leak.growth.perMinute).toBeGreaterThan(0);
    // Nothing else grows like it.
    expect(series.clusters.slice(1).filter((c) => c.growth.growing && c.growth.last - c.growth.first > 5)).toEqual([]);
  });
});

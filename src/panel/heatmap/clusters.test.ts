import { toClustersFrame, type ClusterRow } from '../../frames/table';
import {
  ClusterHistory,
  clusterKey,
  clusterMatrix,
  isClustersFrame,
  readClusterSnapshots,
  readClustersFrame,
  topClusters,
} from './clusters';
import { columnSpans } from './geometry';

const row = (fn: string, state: string, count: number): ClusterRow => ({
  count,
  state,
  reason: state,
  function: fn,
  createdBy: '',
  creationSite: `${fn}.go:1`,
  waitMinutesMin: 0,
  waitMinutesMax: 3,
  leaked: 0,
  growthPerMinute: null,
});

describe('goroutine clusters over time', () => {
  it('reads the data source table with the snapshot time from its meta (stream, single dump, window)', () => {
    const stream = toClustersFrame([row('main.a', 'chan send', 5)], { custom: { to: 2000 } });
    expect(isClustersFrame(stream)).toBe(true);
    const s = readClustersFrame(stream)!;
    expect(s.time).toBe(2000);
    expect(s.clusters[0]).toMatchObject({ function: 'main.a', state: 'chan send', count: 5, waitMinutesMax: 3 });
    expect(readClustersFrame(toClustersFrame([], { custom: { capturedAt: 7 } }))!.time).toBe(7);
    const w = readClustersFrame(toClustersFrame([], { custom: { window: { from: 1, to: 9 } } }))!;
    expect(w).toMatchObject({ time: 9, window: { from: 1, to: 9 } });
    expect(readClustersFrame(toClustersFrame([], {}))).toBeUndefined();
  });

  it('reads a per-bucket table as one snapshot per bucket; a column gets its own bucket, not a neighbour', () => {
    const frame = toClustersFrame(
      [row('main.a', 'chan send', 3), row('main.b', 'select', 1), row('main.a', 'chan send', 9)],
      {
        bucketEnds: [60, 60, 120],
        custom: { bucketMs: 60, window: { from: 0, to: 180 }, stored: [60, 120, 180] },
      }
    );
    const snapshots = readClusterSnapshots(frame);
    expect(snapshots.map((s) => [s.window, s.clusters.map((c) => c.count)])).toEqual([
      [{ from: 0, to: 60 }, [3, 1]],
      [{ from: 60, to: 120 }, [9]],
      // A bucket that stored a goroutine profile without clusters reads as empty, not missing.
      [{ from: 120, to: 180 }, []],
    ]);
    const h = new ClusterHistory();
    snapshots.forEach((s) => h.add(s));
    // Adjacent buckets share their boundaries: each column is the bucket it overlaps, whatever the order added.
    expect(h.within(0, 60)?.time).toBe(60);
    expect(h.within(60, 120)?.time).toBe(120);
    expect(h.within(180, 240)).toBeUndefined();
    const matrix = clusterMatrix(
      h,
      { start: [0, 60, 120], end: [60, 120, 180], times: Float64Array.of(60, 120, 180) },
      5
    );
    const a = matrix.rows.indexOf(clusterKey(row('main.a', 'chan send', 0)));
    expect([0, 1, 2].map((c) => matrix.counts[c * matrix.rows.length + a])).toEqual([3, 9, 0]);
    expect([...matrix.missing!]).toEqual([0, 0, 0]);
    expect(readClusterSnapshots(toClustersFrame([], { custom: { to: 5 } }))).toEqual([
      { time: 5, window: undefined, clusters: [] },
    ]);
  });

  it('keeps snapshots in time order without duplicates and finds the one of a bucket', () => {
    const h = new ClusterHistory(3);
    expect(h.add({ time: 20, clusters: [] })).toBe(true);
    expect(h.add({ time: 10, clusters: [] })).toBe(true);
    expect(h.add({ time: 20, clusters: [] })).toBe(false);
    h.add({ time: 30, clusters: [] });
    h.add({ time: 40, clusters: [] });
    expect(h.size).toBe(3);
    expect(h.all().map((s) => s.time)).toEqual([20, 30, 40]);
    expect(h.within(25, 35)?.time).toBe(30);
    expect(h.within(30, 35)).toBeUndefined(); // start exclusive, like the bucket
    const agg = new ClusterHistory();
    agg.add({ time: 100, window: { from: 0, to: 100 }, clusters: [] });
    expect(agg.within(40, 50)?.time).toBe(100);
  });

  it('ranks clusters by count, optionally within states', () => {
    const s = {
      time: 1,
      clusters: [row('a', 'chan send', 2), row('b', 'select', 9), row('c', 'chan send', 5)].map(
        (r) => readClustersFrame(toClustersFrame([r], { custom: { to: 1 } }))!.clusters[0]
      ),
    };
    expect(topClusters(s, undefined, 2).map((c) => c.function)).toEqual(['b', 'c']);
    expect(topClusters(s, ['chan send'], 5).map((c) => c.function)).toEqual(['c', 'a']);
  });

  it('makes cluster rows over the heatmap columns, with columns lacking a dump marked missing', () => {
    const h = new ClusterHistory();
    const add = (time: number, rows: ClusterRow[]) =>
      h.add(readClustersFrame(toClustersFrame(rows, { custom: { to: time } }))!);
    add(10, [row('leak', 'chan send', 10), row('idle', 'select', 1)]);
    add(20, [row('leak', 'chan send', 30), row('idle', 'select', 1)]);
    const times = Float64Array.from([10, 20, 30]);
    const spans = columnSpans(times, true, 10);
    const m = clusterMatrix(h, { ...spans, times }, 1);
    expect(m.rows).toEqual([clusterKey({ function: 'leak', state: 'chan send', creationSite: 'leak.go:1' } as never)]);
    expect(Array.from(m.counts)).toEqual([10, 30, 0]);
    expect(Array.from(m.missing!)).toEqual([0, 0, 1]);
    expect(m.max).toBe(30);
  });
});

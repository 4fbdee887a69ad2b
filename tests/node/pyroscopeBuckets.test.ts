/**
 * @jest-environment jsdom
 */
/**
 * Pyroscope mode, time buckets: the goroutine clusters of each heatmap bucket (`goroutineClusters` with `perBucket`)
 * and the states of the same buckets, on responses recorded from a real Pyroscope v1.21.1 (fixtures/pyroscope/) and
 * on the stand-in for ranges of many buckets.
 */
import { GrafanaStandIn, instanceSettings, queryRequest, startGrafana, templateSrv } from '../support/grafanaRuntime';

import { DataFrame, DataQueryResponse } from '@grafana/data';
import { lastValueFrom, toArray } from 'rxjs';

import { GoRuntimeDataSource } from '../../src/datasource/datasource';
import type { GoRuntimeQuery } from '../../src/datasource/types';
import { spreadOverUploads } from '../../src/datasource/pyroscope/buckets';
import { CLUSTER_BUCKET_FIELD, clusterBucketEnds, fromClustersFrame } from '../../src/frames';
import { usePyroscopeStandIn } from '../support/pyroscopeStandInGrafana';
import { loadRecordedIndex, PyroscopeReplay, recordedJson, startPyroscopeReplay } from '../support/pyroscopeReplay';

jest.setTimeout(60_000);

const index = loadRecordedIndex();
const entry = (prefix: string) => index.entries.find((e) => e.file.startsWith(prefix))!;
const HOUR = 3600_000;

function dataSource(uid: string, now: number) {
  return new GoRuntimeDataSource(instanceSettings(uid, { mode: 'pyroscope' }, 'Pyroscope'), {
    templateSrv: templateSrv(),
    now: () => now,
  });
}

/** Every emission of one request (one per query), flattened to the frames by refId. */
async function runAll(source: GoRuntimeDataSource, targets: Array<Partial<GoRuntimeQuery>>, from: number, to: number) {
  const responses: DataQueryResponse[] = await lastValueFrom(
    source
      .query(
        queryRequest(
          targets.map((t, i) => ({ refId: String.fromCharCode(65 + i), ...t })),
          { from, to }
        )
      )
      .pipe(toArray())
  );
  const errors = responses.flatMap((r) => r.errors ?? []);
  const frames = new Map<string, DataFrame>();
  responses.forEach((r) => (r.data as DataFrame[]).forEach((f) => frames.set(f.refId!, f)));
  return { errors, frames };
}

/** Per column time of a heatmap-cells states frame (time, state, count rows): its goroutines. */
function statesByTime(frame: DataFrame): Map<number, number> {
  const [time, , count] = frame.fields;
  const out = new Map<number, number>();
  time.values.forEach((t: number, i: number) => out.set(t, (out.get(t) ?? 0) + Number(count.values[i])));
  return out;
}

/** Per bucket end: the sum of its cluster counts. */
function countsByBucket(frame: DataFrame): Map<number, number> {
  const ends = clusterBucketEnds(frame)!;
  const rows = fromClustersFrame(frame);
  const out = new Map<number, number>();
  ends.forEach((end, i) => out.set(end, (out.get(end) ?? 0) + rows[i].count));
  return out;
}

describe('per-bucket goroutine clusters on the real server recordings', () => {
  let replay: PyroscopeReplay;
  let grafana: GrafanaStandIn;
  // The goroutine-leak window's first 15 s bucket: its merged goroutine profile (042) and bucket averages (043).
  const bucket = entry('042').requestBody as { start: number; end: number };
  // The session's clock: ProfileTypes of the hour before it (001) resolves the goroutine profile type ID.
  const NOW = (entry('001').requestBody as { end: number }).end;

  beforeAll(async () => {
    replay = await startPyroscopeReplay(undefined, undefined, { deriveSeries: true });
    grafana = await startGrafana({ recorded: { url: replay.url } });
  });
  afterAll(async () => {
    await grafana?.close();
    await replay?.close();
  });

  it("a bucket's clusters come from that bucket's merge, scaled to its series point, not the window's numbers", async () => {
    const { errors, frames } = await runAll(
      dataSource('recorded', NOW),
      [
        { queryType: 'goroutineStates', profileType: 'goroutine', interval: '15s' },
        { queryType: 'goroutineClusters', profileType: 'goroutine', interval: '15s', perBucket: true, limit: 50 },
      ],
      bucket.start + 1000,
      bucket.end
    );
    expect(errors).toEqual([]);
    const clusters = frames.get('B')!;
    expect(clusters.fields[0].name).toBe(CLUSTER_BUCKET_FIELD);
    // The recorded merge of the bucket holds 20 goroutines, one snapshot (durationNanos 15 s); the series point at
    // the bucket's end (043) says 20 per snapshot: scale 1.
    const merged = recordedJson(entry('042').file) as { sample: Array<{ value: string[] }> };
    const recordedTotal = merged.sample.reduce((n, s) => n + Number(s.value[0]), 0);
    const point = (
      recordedJson(entry('043').file).series as Array<{ points: Array<{ timestamp: string; value: number }> }>
    )[0].points.find((p) => Number(p.timestamp) === bucket.end)!.value;
    expect(recordedTotal).toBe(20);
    expect(countsByBucket(clusters)).toEqual(new Map([[bucket.end, point]]));
    // The whole window averages ≈1,810 goroutines with a leak cluster of ≈1,789; the bucket before the leak has none.
    const rows = fromClustersFrame(clusters);
    expect(Math.max(...rows.map((r) => r.count))).toBeLessThan(20);
    expect(rows.filter((r) => r.leaked > 0)).toEqual([]);
    // The states column of the same bucket adds up to the same goroutines, and the bucket was merged once for both.
    expect(statesByTime(frames.get('A')!).get(bucket.end)).toBeCloseTo(point, 6);
    expect(replay.answered.filter((f) => f.startsWith('042'))).toHaveLength(1);
    expect(replay.answered).toContain('derived:043_SelectSeries_goroutine-leak.json');
  });
});

describe('per-bucket goroutine clusters on the stand-in', () => {
  const NOW = Date.UTC(2026, 11, 6, 12, 0, 0);
  const fake = usePyroscopeStandIn(NOW);

  it('one merge per bucket shared with the states, bucketConcurrency at a time, each bucket its own counts', async () => {
    const before = fake().calls('SelectMergeProfile').length;
    const { errors, frames } = await runAll(
      dataSource('standin', NOW),
      [
        { queryType: 'goroutineStates', labelSelector: '{service_name="checkout"}', interval: '5m' },
        {
          queryType: 'goroutineClusters',
          labelSelector: '{service_name="checkout"}',
          interval: '5m',
          perBucket: true,
          limit: 5,
        },
      ],
      NOW - 3 * HOUR,
      NOW - 2 * HOUR
    );
    expect(errors).toEqual([]);
    const states = statesByTime(frames.get('A')!);
    const clusters = frames.get('B')!;
    const ends = [...states.keys()];
    expect(ends).toHaveLength(12);
    const merges = fake().calls('SelectMergeProfile').slice(before);
    const merged = merges.map((c) => [Number(c.body.start), Number(c.body.end)]).sort((a, b) => a[0] - b[0]);
    expect(merged).toEqual(ends.map((end) => [end - 5 * 60_000, end]));
    expect(fake().maxConcurrentMerges()).toBeLessThanOrEqual(4);
    // Every bucket holds 20 goroutine uploads of the same capture: per-snapshot counts equal the states column.
    const byBucket = countsByBucket(clusters);
    expect([...byBucket.keys()]).toEqual(ends);
    ends.forEach((end) => {
      // limit 5: the five largest clusters, at most the column's goroutines.
      expect(byBucket.get(end)!).toBeLessThanOrEqual(states.get(end)! + 0.05);
      expect(byBucket.get(end)!).toBeGreaterThan(0);
    });
    expect(clusterBucketEnds(clusters)!.filter((e) => e === ends[0])).toHaveLength(5);
  });
});

describe('uploads spread over the span they cover', () => {
  const W = index.windows;

  it('the CPU upload stamped 7 s before busy-select (recorded in the baseline minute) lands 76% in busy-select', () => {
    // 082: the baseline minute's merge holds one 30 s CPU upload, stamped at its start (07:45:32.4, per the
    // recording's note), that covers 22 s of busy-select.
    const e = entry('082');
    const stamp = Date.parse(`2026-12-06T${/stamped (\d\d:\d\d:\d\d\.\d)/.exec(e.note)![1]}Z`);
    const merged = recordedJson(e.file) as { sample: Array<{ value: string[] }> };
    const cpu = merged.sample.reduce((n, x) => n + Number(x.value[0]), 0);
    expect(cpu).toBe(10.24e9);
    const baseline = { from: W['baseline-normal-load'].start, to: W['baseline-normal-load'].end };
    const buckets = [baseline, { from: baseline.to, to: baseline.to + 60_000 }];
    const period = 30_000;
    const [before, during] = spreadOverUploads(buckets, [[cpu], []], [{ time: stamp, value: cpu }], period);
    const inBusySelect = (stamp + period - baseline.to) / period;
    expect(inBusySelect).toBeCloseTo(0.762, 3);
    expect(during[0]).toBeCloseTo(cpu * inBusySelect, 0);
    expect(before[0]).toBeCloseTo(cpu * (1 - inBusySelect), 0);
  });

  it('buckets narrower than the upload period share each upload instead of alternating full and empty', () => {
    // 30 s uploads merged into 10 s buckets: every third bucket holds one, the others none.
    const buckets = Array.from({ length: 9 }, (_, i) => ({ from: i * 10_000, to: (i + 1) * 10_000 }));
    const merged = buckets.map((_, i) => (i % 3 === 0 ? [30] : []));
    const uploads = [0, 30_000, 60_000].map((time) => ({ time, value: 30 }));
    expect(spreadOverUploads(buckets, merged, uploads, 30_000).map((v) => v[0])).toEqual(Array(9).fill(10));
  });
});

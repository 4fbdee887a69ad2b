/**
 * @jest-environment jsdom
 */
/**
 * The `trace` query type against the real demo service (mutex-contention on, flight recorder on), through the
 * data-proxy stand-in: a live `trace?seconds=N` capture and a flight recorder snapshot both come back as the trace
 * frames; Pyroscope mode says traces are not stored there. Live: only the presence of the expected results is
 * asserted.
 */
import { GrafanaStandIn, instanceSettings, queryRequest, startGrafana, templateSrv } from '../support/grafanaRuntime';

import { DataFrame, DataFrameType, DataQueryResponse } from '@grafana/data';
import { lastValueFrom } from 'rxjs';

import { GoRuntimeDataSource } from '../../src/datasource/datasource';
import { STATE_LABELS } from '../../src/datasource/runners/goroutineStates';
import type { GoRuntimeOptions, GoRuntimeQuery } from '../../src/datasource/types';
import { readStateTimeline } from '../../src/frames/stateTimeline';
import { readTraceGroups } from '../../src/frames/traceTables';
import { DemoService, startDemoService } from '../support/demoService';

jest.setTimeout(180_000);

let demo: DemoService;
let grafana: GrafanaStandIn;

function dataSource(jsonData: GoRuntimeOptions) {
  return new GoRuntimeDataSource(instanceSettings('demo', jsonData, 'Go demo'), { templateSrv: templateSrv() });
}

function run(ds: GoRuntimeDataSource, query: Partial<GoRuntimeQuery>, lastMs = 1000): Promise<DataQueryResponse> {
  return lastValueFrom(ds.query(queryRequest([{ refId: 'A', queryType: 'trace', ...query }], { lastMs })));
}

function labelsOf(frame: DataFrame): string[] {
  const f = frame.fields.find((x) => x.name === 'label')!;
  const text = f.config.type?.enum?.text ?? [];
  return f.values.map((i: number) => text[i]);
}

beforeAll(async () => {
  demo = await startDemoService({
    scenarios: ['mutex-contention'],
    env: { DEMO_FLIGHT_RECORDER: '/debug/flightrecorder' },
  });
  grafana = await startGrafana({ demo: { url: demo.url, jsonData: { timeout: 30 } } });
}, 120_000);

afterAll(async () => {
  await grafana?.close();
  await demo?.stop();
});

function expectTraceFrames(data: DataFrame[]) {
  const heatmap = data.find((f) => f.meta?.type === DataFrameType.HeatmapCells)!;
  expect(heatmap.meta?.custom?.yOrdinalDisplay).toEqual(STATE_LABELS);
  const counts = heatmap.fields[2].values as number[];
  expect(counts.some((c) => c > 0)).toBe(true);
  const lanes = data.map(readStateTimeline).find((t) => t !== undefined)!;
  expect(lanes.lanes.length).toBeGreaterThan(0);
  const groups = data.map(readTraceGroups).find((g) => g !== undefined)!;
  expect(groups.length).toBeGreaterThan(0);
  const flames = data.filter((f) => f.meta?.preferredVisualisationType === 'flamegraph');
  expect(flames.map((f) => f.name)).toEqual(['sched latency', 'net latency', 'sync latency', 'syscall latency']);
  return { heatmap, groups, flames };
}

describe('trace query (pprof mode)', () => {
  it('live: captures trace?seconds=N and returns the heatmap, lanes, groups and latency flames', async () => {
    const response = await run(dataSource({ mode: 'pprof' }), {});
    expect(response.errors).toBeUndefined();
    const { flames, groups } = expectTraceFrames(response.data as DataFrame[]);
    const sync = flames.find((f) => f.name === 'sync latency')!;
    expect(labelsOf(sync)).toContain('sync.(*Mutex).Lock');
    console.log(`trace live: ${groups.length} goroutine groups; busiest ${groups[0].name}`);
  });

  it('flight recorder: reads the snapshot at the configured path', async () => {
    const ds = dataSource({ mode: 'pprof', flightRecorderPath: '/debug/flightrecorder' });
    const response = await run(ds, { traceSource: 'flightRecorder' });
    expect(response.errors).toBeUndefined();
    const { heatmap } = expectTraceFrames(response.data as DataFrame[]);
    expect(heatmap.meta?.custom?.source).toMatch(/\/debug\/flightrecorder$/);
  });

  it('flight recorder without a configured path: an error that says where to set it', async () => {
    const response = await run(dataSource({ mode: 'pprof' }), { traceSource: 'flightRecorder' });
    expect(response.errors?.[0].message).toMatch(/no flight recorder path is configured/);
  });

  it('Pyroscope mode says traces are not stored there', async () => {
    const response = await run(dataSource({ mode: 'pyroscope' }), {});
    expect(response.errors?.[0].message).toMatch(/execution traces are not stored in Pyroscope/);
  });
});

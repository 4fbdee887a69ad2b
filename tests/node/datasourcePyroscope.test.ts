/**
 * @jest-environment jsdom
 */
/**
 * Pyroscope mode through the data-proxy stand-in: the exact Connect JSON request bodies the data source sends,
 * the decoding of the documented response shapes, every query type, tenancy, bucketing (concurrency limit and
 * the cache of immutable buckets) and errors. The Pyroscope stand-in answers with real demo-service data
 * (tests/support/pyroscopeFake.ts). Responses recorded from a real Pyroscope are checked when present.
 */
import { GrafanaStandIn, instanceSettings, queryRequest, startGrafana, templateSrv } from '../support/grafanaRuntime';

import { DataFrame, DataQueryResponse } from '@grafana/data';
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { lastValueFrom } from 'rxjs';

import { GoRuntimeDataSource } from '../../src/datasource/datasource';
import type { GoRuntimeOptions, GoRuntimeQuery } from '../../src/datasource/types';
import { rowLabels } from '../../src/core/analysis/flameLabels';
import { decodeFlameGraph, decodeFlameGraphDiff } from '../../src/core/wire/pyroscopeFlamegraph';
import { decodeLabelsSet, decodeNames, decodeProfileTypes, decodeSeries } from '../../src/core/wire/pyroscopeQuerier';
import { pyroscopeProfileToWire } from '../../src/core/wire/pyroscopeProfile';
import { profileFromWire } from '../../src/core/model/validate';
import { FakePyroscope, fixtureRows, startFakePyroscope } from '../support/pyroscopeFake';

jest.setTimeout(60_000);

const START = 1779729300000; // a fixed past hour: request bodies are exact, buckets are immutable
const END = 1779732900000;
const CPU = 'process_cpu:cpu:nanoseconds:cpu:nanoseconds';
const SELECTOR = '{service_name="goruntime-demo"}';

let pyroscope: FakePyroscope;
let grafana: GrafanaStandIn;

beforeAll(async () => {
  pyroscope = await startFakePyroscope({ now: () => END + 24 * 3600_000 });
  grafana = await startGrafana({
    pyro: {
      url: pyroscope.url,
      jsonData: { httpHeaderName1: 'X-Scope-OrgID' },
      secureJsonData: { httpHeaderValue1: 'tenant-a' },
    },
  });
});

afterAll(async () => {
  await grafana?.close();
  await pyroscope?.close();
});

function ds(vars: Record<string, string | string[]> = {}, jsonData: GoRuntimeOptions = { mode: 'pyroscope' }) {
  return new GoRuntimeDataSource(instanceSettings('pyro', jsonData, 'Pyroscope'), {
    templateSrv: templateSrv(vars),
    now: () => END + 24 * 3600_000,
  });
}

function run(
  source: GoRuntimeDataSource,
  query: Partial<GoRuntimeQuery>,
  range = { from: START, to: END }
): Promise<DataQueryResponse> {
  return lastValueFrom(source.query(queryRequest([{ refId: 'A', labelSelector: SELECTOR, ...query }], range)));
}

function field(frame: DataFrame, name: string) {
  return frame.fields.find((f) => f.name === name)!;
}

function labels(frame: DataFrame): string[] {
  const f = field(frame, 'label');
  return f.values.map((i: number) => f.config.type!.enum!.text![i]);
}

describe('exact request bodies (documented Connect JSON)', () => {
  it('flamegraph: SelectMergeStacktraces with profileTypeID, labelSelector, start, end (ms), maxNodes', async () => {
    const response = await run(ds(), { queryType: 'flamegraph', profileType: CPU, maxNodes: 1024 });
    expect(response.errors).toBeUndefined();
    const [call] = pyroscope.calls('SelectMergeStacktraces').slice(-1);
    expect(call.raw).toBe(
      `{"profileTypeID":"${CPU}","labelSelector":"{service_name=\\"goruntime-demo\\"}","start":${START},"end":${END},"maxNodes":1024}`
    );
    expect(call.headers['content-type']).toBe('application/json');
    expect(call.headers['connect-protocol-version']).toBe('1');
    // The tenant comes from secureJsonData via the proxy, never from the browser.
    expect(call.headers['x-scope-orgid']).toBe('tenant-a');
    expect(grafana.sent.slice(-1)[0].body).not.toContain('tenant-a');
  });

  it('series: SelectSeries with step in seconds, groupBy, aggregation enum and limit; variables interpolated', async () => {
    await run(ds({ group: ['pod', 'region'] }), {
      queryType: 'series',
      profileType: CPU,
      groupBy: ['$group'],
      aggregation: 'average',
      limit: 5,
      interval: '1m',
    });
    const [call] = pyroscope.calls('SelectSeries').slice(-1);
    expect(call.raw).toBe(
      `{"profileTypeID":"${CPU}","labelSelector":"{service_name=\\"goruntime-demo\\"}","start":${START},"end":${END},"step":60,"groupBy":["pod","region"],"aggregation":"TIME_SERIES_AGGREGATION_TYPE_AVERAGE","limit":5}`
    );
  });

  it('diff: Diff with left = baseline one hour earlier and right = the dashboard range', async () => {
    await run(ds(), { queryType: 'diff', profileType: CPU, baseline: { kind: 'offset', offset: '1h' } });
    const [call] = pyroscope.calls('Diff').slice(-1);
    const side = (s: number, e: number) =>
      `{"profileTypeID":"${CPU}","labelSelector":"{service_name=\\"goruntime-demo\\"}","start":${s},"end":${e},"maxNodes":2048}`;
    expect(call.raw).toBe(`{"left":${side(START - 3600_000, END - 3600_000)},"right":${side(START, END)}}`);
  });

  it('label autocompletion and variables: LabelNames, LabelValues, Series, ProfileTypes bodies', async () => {
    const source = ds();
    await source.metricFindQuery('labelValues(pod, {service_name="goruntime-demo"})', {
      range: queryRequest([], { from: START, to: END }).range,
    });
    expect(pyroscope.calls('LabelValues').slice(-1)[0].raw).toBe(
      `{"name":"pod","matchers":["{service_name=\\"goruntime-demo\\"}"],"start":${START},"end":${END}}`
    );
    await source.metricFindQuery('labelNames()', { range: queryRequest([], { from: START, to: END }).range });
    expect(pyroscope.calls('LabelNames').slice(-1)[0].raw).toBe(`{"matchers":[],"start":${START},"end":${END}}`);
    await source.metricFindQuery('profileTypes({service_name="goruntime-demo"})', {
      range: queryRequest([], { from: START, to: END }).range,
    });
    expect(pyroscope.calls('Series').slice(-1)[0].raw).toBe(
      `{"matchers":["{service_name=\\"goruntime-demo\\"}"],"start":${START},"end":${END},"labelNames":["__profile_type__"]}`
    );
  });
});

describe('query types in Pyroscope mode', () => {
  it('flamegraph: the server flame graph decoded into the same rows the core computes from the profile', async () => {
    const [frame] = (await run(ds(), { queryType: 'flamegraph', profileType: CPU })).data as DataFrame[];
    const expected = fixtureRows('gc-pressure', 'cpu.pb.gz', 'cpu');
    expect(labels(frame)).toEqual(rowLabels(expected));
    // One service pushing a CPU profile every 30 s: the hour merges 120 uploads of the capture.
    expect(field(frame, 'value').values).toEqual(Array.from(expected.values, (v) => v * 120));
    expect(field(frame, 'value').config.unit).toBe('ns');
    expect(frame.meta?.preferredVisualisationType).toBe('flamegraph');
  });

  it('flamegraph with a focus regex: SelectMergeProfile (protojson pprof) through the core', async () => {
    const [frame] = (await run(ds(), { queryType: 'flamegraph', profileType: CPU, focus: 'gcBgMarkWorker' }))
      .data as DataFrame[];
    expect(pyroscope.calls('SelectMergeProfile').slice(-1)[0].raw).toBe(
      `{"profileTypeID":"${CPU}","labelSelector":"{service_name=\\"goruntime-demo\\"}","start":${START},"end":${END}}`
    );
    expect(labels(frame)).toContain('runtime.gcBgMarkWorker');
    expect(frame.meta?.custom).toMatchObject({ source: 'pyroscope', profile: CPU });
  });

  it('flamegraph over 48h: two 24h SelectMergeProfile calls merged by the core', async () => {
    const before = pyroscope.calls('SelectMergeProfile').length;
    const response = await run(
      ds(),
      { queryType: 'flamegraph', profileType: CPU },
      { from: END - 48 * 3600_000, to: END }
    );
    expect(response.errors).toBeUndefined();
    const calls = pyroscope.calls('SelectMergeProfile').slice(before);
    expect(calls.map((c) => [c.body.start, c.body.end])).toEqual([
      [END - 48 * 3600_000, END - 24 * 3600_000],
      [END - 24 * 3600_000, END],
    ]);
    const single = fixtureRows('gc-pressure', 'cpu.pb.gz', 'cpu').values[0];
    expect(field(response.data[0] as DataFrame, 'value').values[0]).toBe(2 * 2880 * single);
  });

  it('top: functions of the merged heap profile with bytes units', async () => {
    const [frame] = (
      await run(ds(), { queryType: 'top', profileType: 'memory:inuse_space:bytes:space:bytes', limit: 3 })
    ).data as DataFrame[];
    expect(frame.length).toBe(3);
    expect(field(frame, 'Self').config.unit).toBe('bytes');
  });

  it('diff: the Diff response as a diff flame frame (value = baseline, valueRight = comparison)', async () => {
    const [frame] = (await run(ds(), { queryType: 'diff', profileType: CPU })).data as DataFrame[];
    const single = fixtureRows('gc-pressure', 'cpu.pb.gz', 'cpu');
    expect(labels(frame)).toEqual(rowLabels(single));
    // The hour before and the hour: 120 uploads each.
    expect(field(frame, 'value').values[0]).toBe(120 * single.values[0]);
    expect(field(frame, 'valueRight').values[0]).toBe(120 * single.values[0]);
  });

  it('goroutineStates: one merge per bucket, at most 4 at once, immutable buckets cached, counts scaled to the average', async () => {
    const before = pyroscope.calls('SelectMergeProfile').length;
    const response = await run(ds(), { queryType: 'goroutineStates', profileType: 'goroutine', interval: '5m' });
    expect(response.errors).toBeUndefined();
    const [frame] = response.data as DataFrame[];
    expect(frame.meta?.type).toBe('heatmap-cells');
    const merges = pyroscope.calls('SelectMergeProfile').slice(before);
    expect(merges).toHaveLength(12);
    expect(new Set(merges.map((m) => m.body.profileTypeID))).toEqual(
      new Set(['goroutines:goroutine:count:goroutine:count'])
    );
    expect(pyroscope.maxConcurrentMerges()).toBeLessThanOrEqual(4);
    // The stand-in's SelectSeries AVERAGE is one upload's goroutine count: the scaled states of a bucket sum to it.
    const perSnapshot = fixtureRows('goroutine-leak', 'goroutine.pb.gz', 'goroutine').values[0];
    const states = (frame.meta?.custom?.yOrdinalDisplay as string[]).length;
    const firstColumn = (field(frame, 'count').values as number[]).slice(0, states);
    expect(firstColumn.reduce((a, b) => a + b, 0)).toBeCloseTo(perSnapshot, 0);
    const again = pyroscope.calls('SelectMergeProfile').length;
    await run(ds(), { queryType: 'goroutineStates', profileType: 'goroutine', interval: '5m' });
    expect(pyroscope.calls('SelectMergeProfile').length).toBe(again);
  });

  it('goroutineClusters: clusters of the merged goroutine profile, states inferred from stacks', async () => {
    const [frame] = (await run(ds(), { queryType: 'goroutineClusters', profileType: 'goroutine' })).data as DataFrame[];
    const fn = field(frame, 'Function').values as string[];
    expect(fn.some((f) => /leak/i.test(f))).toBe(true);
    expect(frame.meta?.custom).toMatchObject({
      source: 'pyroscope',
      profile: 'goroutines:goroutine:count:goroutine:count',
    });
  });

  it('cpuSplit: one merged CPU profile per bucket, fractions per class', async () => {
    const [frame] = (await run(ds(), { queryType: 'cpuSplit', interval: '15m' })).data as DataFrame[];
    expect(frame.length).toBe(4);
    const gc = field(frame, 'runtime-gc').values[0] as number;
    expect(gc).toBeGreaterThan(0.3);
  });

  it('series: a wide time series with the profile type unit', async () => {
    const [frame] = (await run(ds(), { queryType: 'series', profileType: CPU, interval: '5m' })).data as DataFrame[];
    expect(frame.meta?.type).toBe('timeseries-wide');
    // 13 points: start + k * 5 min for k = 0..12; the first (at start) covers the 5 minutes before the range.
    expect(frame.length).toBe(13);
    expect(field(frame, 'time').values[0]).toBe(START);
    expect(frame.fields[1].config.unit).toBe('ns');
    // Pyroscope sends labels only for groupBy.
    expect(frame.fields[1].labels ?? {}).toEqual({});
  });

  it('findings: gathers the merged profiles of the window and its baseline', async () => {
    let seen: import('../../src/datasource/findings/seam').DiagnosisInputs | undefined;
    const source = new GoRuntimeDataSource(instanceSettings('pyro', { mode: 'pyroscope' }, 'Pyroscope'), {
      templateSrv: templateSrv(),
      diagnose: (inputs) => {
        seen = inputs;
        return { findings: [], failures: [], notes: [] };
      },
    });
    const response = await run(source, { queryType: 'findings', baseline: { kind: 'offset', offset: '1h' } });
    expect(response.errors).toBeUndefined();
    expect(seen?.cpu && seen.heap && seen.allocs && seen.mutex && seen.block).toBeTruthy();
    expect(seen?.goroutines).toHaveLength(4);
    expect(seen?.baseline?.window).toEqual({ from: START - 3600_000, to: END - 3600_000 });
    // Goroutine slices are short (15 s, one stored snapshot each) so their counts are goroutines, not sums.
    const slices = pyroscope
      .calls('SelectMergeProfile')
      .filter((c) => String(c.body.profileTypeID).startsWith('goroutines:'));
    expect(slices.slice(-4).map((c) => Number(c.body.end) - Number(c.body.start))).toEqual([
      15000, 15000, 15000, 15000,
    ]);
  });

  it('findings with the real rules: the stand-in answers gc-pressure data for CPU', async () => {
    const response = await run(ds(), { queryType: 'findings' });
    expect(response.errors).toBeUndefined();
    const [frame] = response.data as DataFrame[];
    console.log(
      'Pyroscope findings:',
      (field(frame, 'id').values as string[]).join(', ') || '(none)',
      frame.meta?.notices?.map((n) => n.text)
    );
    expect(frame.fields.map((f) => f.name)).toEqual([
      'time',
      'timeEnd',
      'severity',
      'layer',
      'id',
      'title',
      'summary',
      'next step',
      'text',
      'tags',
      'evidence',
    ]);
  });

  it('Save & test counts profile types and services', async () => {
    const result = await ds().testDatasource();
    expect(result).toEqual({
      status: 'success',
      message:
        'Pyroscope answered: 10 profile types (10 of them Go runtime types) and 2 services in the last 24 hours: checkout, goruntime-demo.',
    });
  });

  it('variables: services() lists service_name values', async () => {
    const values = await ds().metricFindQuery('services()');
    expect(values.map((v) => v.text)).toEqual(['checkout', 'goruntime-demo']);
  });
});

describe('Pyroscope errors', () => {
  it('a Connect error nested by Pyroscope v1 is read once, code and innermost message', async () => {
    const response = await run(ds(), {
      queryType: 'flamegraph',
      profileType: CPU,
      labelSelector: '{service_name=~"("}',
    });
    expect(response.errors?.[0].message).toBe(
      `Pyroscope (pyroscope), ${CPU} flame graph: POST /querier.v1.QuerierService/SelectMergeStacktraces: HTTP 400 invalid_argument: 1:2: parse error: error parsing regexp: missing closing ): \`(\``
    );
  });

  it('the max_query_length refusal carries the real message and a hint (a call the data source would not split)', async () => {
    const client = ds().clients().pyroscope;
    const body = { profileTypeID: CPU, labelSelector: '{}', start: END - 48 * 3600_000, end: END };
    const message = await lastValueFrom(client.call('SelectMergeStacktraces', body)).then(
      () => '',
      (e: Error) => e.message
    );
    expect(message).toBe(
      'Pyroscope (pyroscope), Pyroscope SelectMergeStacktraces: POST /querier.v1.QuerierService/SelectMergeStacktraces: HTTP 400 invalid_argument: the query time range exceeds the limit (max_query_length, actual: 48h0m0s, limit: 1d) (Pyroscope max_query_length, 1d by default: narrow the range or raise -querier.max-query-length)'
    );
  });

  it('an HTML page instead of Connect JSON', async () => {
    const response = await run(ds(), {
      queryType: 'flamegraph',
      profileType: CPU,
      labelSelector: '{service_name="login"}',
    });
    expect(response.errors?.[0].message).toMatch(
      /flame graph: POST \/querier.v1.QuerierService\/SelectMergeStacktraces: not Pyroscope Connect JSON: the response is an HTML page/
    );
  });

  it('a selector that is not a selector is caught before any request', async () => {
    const response = await run(ds(), {
      queryType: 'flamegraph',
      profileType: CPU,
      labelSelector: 'service_name=checkout',
    });
    expect(response.errors?.[0].message).toMatch(/labelSelector: a label selector is written in braces/);
  });

  it('no data in range answers an empty flame frame, not an error', async () => {
    const response = await run(ds(), {
      queryType: 'flamegraph',
      profileType: CPU,
      labelSelector: '{service_name="nope"}',
    });
    expect(response.errors).toBeUndefined();
    expect((response.data[0] as DataFrame).length).toBe(0);
  });
});

const RECORDED = join(__dirname, '..', '..', 'fixtures', 'pyroscope');

describe('responses recorded from a real Pyroscope decode', () => {
  const files = readdirSync(RECORDED).filter((f) => /^\d+_(?!http-)[A-Za-z]+_(?!error-).*\.json$/.test(f));
  const decoders: Array<[RegExp, (body: Record<string, unknown>, bytes: number) => unknown]> = [
    [/ProfileTypes/i, (b) => decodeProfileTypes(b)],
    [/LabelNames|LabelValues/i, (b) => decodeNames(b)],
    [/SelectMergeStacktraces/i, (b) => decodeFlameGraph(b.flamegraph)],
    [/Diff/i, (b) => decodeFlameGraphDiff(b.flamegraph)],
    [/SelectMergeProfile/i, (b, n) => profileFromWire(pyroscopeProfileToWire(b, n))],
    [/SelectSeries/i, (b) => decodeSeries(b)],
    [/Series/i, (b) => decodeLabelsSet(b)],
  ];
  it.each(files)('decodes %s', (file) => {
    const text = readFileSync(join(RECORDED, file), 'utf8');
    const decoder = decoders.find(([re]) => re.test(file))!;
    expect(() => decoder[1](JSON.parse(text), text.length)).not.toThrow();
  });
});

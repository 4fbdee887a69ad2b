/**
 * @jest-environment jsdom
 */
/**
 * Pyroscope mode against responses recorded from a real Grafana Pyroscope v1.21.1 (fixtures/pyroscope/, index.json
 * says what each one is). The replay server answers a request only when its path, JSON body and tenant header equal a
 * recorded request, so every query here sends exactly what the real server was sent; the expected numbers are
 * computed in this file from the recorded JSON (flame graph totals, flat values per function, series points).
 */
import { GrafanaStandIn, instanceSettings, queryRequest, startGrafana, templateSrv } from '../support/grafanaRuntime';

import { DataFrame, DataQueryResponse } from '@grafana/data';
import { lastValueFrom } from 'rxjs';

import { GoRuntimeDataSource } from '../../src/datasource/datasource';
import type { GoRuntimeOptions, GoRuntimeQuery } from '../../src/datasource/types';
import {
  isMultiTenant,
  loadRecordedIndex,
  PyroscopeReplay,
  recordedJson,
  RecordedEntry,
  startPyroscopeReplay,
} from '../support/pyroscopeReplay';

jest.setTimeout(60_000);

const CPU = 'process_cpu:cpu:nanoseconds:cpu:nanoseconds';
const GOROUTINES = 'goroutines:goroutine:count:goroutine:count';
const index = loadRecordedIndex();
const W = index.windows;
/** When the sandbox session ran: its ProfileTypes call (001) covered the hour before this. */
const NOW = 1796543929491;

let replay: PyroscopeReplay;
let tenants: PyroscopeReplay;
let grafana: GrafanaStandIn;

beforeAll(async () => {
  replay = await startPyroscopeReplay();
  tenants = await startPyroscopeReplay(isMultiTenant);
  grafana = await startGrafana({
    real: { url: replay.url },
    tenantless: { url: tenants.url },
    wrongPath: { url: `${replay.url}/nothing-here` },
    teamA: {
      url: tenants.url,
      jsonData: { httpHeaderName1: 'X-Scope-OrgID' },
      secureJsonData: { httpHeaderValue1: 'team-a' },
    },
    teamB: {
      url: tenants.url,
      jsonData: { httpHeaderName1: 'X-Scope-OrgID' },
      secureJsonData: { httpHeaderValue1: 'team-b' },
    },
  });
});

afterAll(async () => {
  await grafana?.close();
  await replay?.close();
  await tenants?.close();
});

function ds(uid = 'real', jsonData: GoRuntimeOptions = { mode: 'pyroscope' }) {
  return new GoRuntimeDataSource(instanceSettings(uid, jsonData, 'Pyroscope'), {
    templateSrv: templateSrv(),
    now: () => NOW,
  });
}

function run(
  query: Partial<GoRuntimeQuery>,
  range: { start: number; end: number },
  source = ds()
): Promise<DataQueryResponse> {
  return lastValueFrom(source.query(queryRequest([{ refId: 'A', ...query }], { from: range.start, to: range.end })));
}

function field(frame: DataFrame, name: string) {
  const f = frame.fields.find((x) => x.name === name);
  if (!f) {
    throw new Error(`no field ${name} in ${frame.fields.map((x) => x.name).join(', ')}`);
  }
  return f;
}

const entry = (prefix: string): RecordedEntry => index.entries.find((e) => e.file.startsWith(prefix))!;
const body = (prefix: string) => recordedJson(entry(prefix).file);
const request = (prefix: string) => entry(prefix).requestBody as Record<string, unknown>;

/** The flame graph total the recording states: the sum of level 0 totals (one root, "total"). */
function recordedFlameTotal(flamegraph: { levels: Array<{ values: string[] }> }, width = 4, column = 1): number {
  const level = flamegraph.levels[0].values.map(Number);
  let total = 0;
  for (let i = 0; i < level.length; i += width) {
    total += level[i + column];
  }
  return total;
}

interface ProtoProfile {
  sampleType: Array<{ type?: string }>;
  sample?: Array<{ locationId: string[]; value: string[] }>;
  location?: Array<{ id: string; line?: Array<{ functionId: string }> }>;
  function?: Array<{ id: string; name?: string }>;
  stringTable: string[];
}

/** Flat value per function name, as `go tool pprof -top` counts it: the leaf location's innermost line. */
function recordedFlat(profile: ProtoProfile, sampleType: string): Map<string, number> {
  const st = profile.stringTable;
  const index = profile.sampleType.findIndex((t) => st[Number(t.type ?? 0)] === sampleType);
  const fnName = new Map((profile.function ?? []).map((f) => [f.id, st[Number(f.name ?? 0)]]));
  const locFn = new Map((profile.location ?? []).map((l) => [l.id, fnName.get(l.line?.[0]?.functionId ?? '') ?? '']));
  const flat = new Map<string, number>();
  for (const s of profile.sample ?? []) {
    const name = locFn.get(s.locationId[0]) ?? '';
    flat.set(name, (flat.get(name) ?? 0) + Number(s.value[index] ?? 0));
  }
  return flat;
}

describe('every recorded request, sent by the data source, gets the recorded answer', () => {
  // Requests a data source never sends (GET, text/plain, broken JSON, a wrong base path) are the stand-in's concern.
  const sendable = index.entries.filter(
    (e) =>
      !isMultiTenant(e) &&
      e.httpMethod === 'POST' &&
      e.path.startsWith('/querier.v1.QuerierService/') &&
      e.requestBody !== null &&
      typeof e.requestBody === 'object' &&
      !/text-plain/.test(e.file)
  );

  it.each(sendable.map((e) => [e.file, e] as const))('%s', async (_file, e) => {
    const client = ds().clients().pyroscope;
    const method = e.path.split('/').pop()!;
    const before = replay.answered.length;
    const result = await lastValueFrom(client.call(method, e.requestBody as object)).then(
      (value) => ({ value }),
      (error: Error) => ({ error })
    );
    expect(replay.answered.slice(before)).toContain(e.file);
    if (e.status === 200) {
      expect(result).toEqual({ value: recordedJson(e.file) });
    } else {
      expect('error' in result && result.error.message).toMatch(new RegExp(`HTTP ${e.status}`));
    }
  });

  it('matched every request', () => {
    expect(replay.unmatched.map((r) => `${r.path} ${r.body}`)).toEqual([]);
  });
});

const SCENARIOS = [
  { name: 'busy-select', flame: '002', cpu: '003', clusters: ['011', '012'] },
  { name: 'gc-pressure', flame: '014', cpu: '015', clusters: ['022', '023'] },
  { name: 'mutex-contention', flame: '025', cpu: '026', clusters: ['033', '034'] },
  { name: 'goroutine-leak', flame: '036', cpu: '037', clusters: ['044', '045'] },
];

describe.each(SCENARIOS)('the $name window, query by query', (s) => {
  const window = W[s.name];

  it('flamegraph: the root equals the recorded total, the rows are the recorded non-zero nodes', async () => {
    const response = await run({ queryType: 'flamegraph', profileType: CPU, labelSelector: '{}' }, window);
    expect(response.errors).toBeUndefined();
    const [frame] = response.data as DataFrame[];
    const fg = body(s.flame).flamegraph as { levels: Array<{ values: string[] }>; total: string };
    expect(field(frame, 'value').values[0]).toBe(recordedFlameTotal(fg));
    expect(field(frame, 'value').values[0]).toBe(Number(fg.total));
    const nonZero = fg.levels.reduce((n, l) => n + l.values.filter((v, i) => i % 4 === 1 && Number(v) > 0).length, 0);
    expect(frame.length).toBe(nonZero);
  });

  it('top: the merged CPU profile gives the recorded flat value per function, largest first', async () => {
    const response = await run({ queryType: 'top', profileType: CPU, labelSelector: '{}', limit: 10 }, window);
    expect(response.errors).toBeUndefined();
    const [frame] = response.data as DataFrame[];
    const flat = recordedFlat(body(s.cpu) as unknown as ProtoProfile, 'cpu');
    const expected = [...flat.values()].sort((a, b) => b - a).slice(0, 10);
    const names = field(frame, 'Function').values as string[];
    const selfs = field(frame, 'Self').values as number[];
    expect(selfs).toEqual(expected);
    names.forEach((n, i) => expect(flat.get(n)).toBe(selfs[i]));
    expect(frame.meta?.custom?.total).toBe([...flat.values()].reduce((a, b) => a + b, 0));
  });
});

describe('series and labels', () => {
  it('series grouped by service_name: the recorded points, labels only because of groupBy', async () => {
    const response = await run(
      {
        queryType: 'series',
        profileType: CPU,
        labelSelector: '{service_name="goruntime-demo"}',
        interval: '60s',
        groupBy: ['service_name'],
      },
      W['busy-select']
    );
    expect(response.errors).toBeUndefined();
    const [frame] = response.data as DataFrame[];
    const [series] = body('052').series as Array<{
      labels: Array<{ name: string; value: string }>;
      points: Array<{ value?: number; timestamp: string }>;
    }>;
    expect(field(frame, 'time').values).toEqual(series.points.map((p) => Number(p.timestamp)));
    expect(frame.fields[1].values).toEqual(series.points.map((p) => p.value ?? 0));
    expect(frame.fields[1].labels).toEqual({ service_name: 'goruntime-demo' });
  });

  it('label names without internal names, service values, profile types of a service', async () => {
    const r = request('047') as { start: number; end: number };
    const names = await ds().labelNames(undefined, r);
    expect(names).toEqual((body('047').names as string[]).filter((n) => !n.startsWith('__')));
    const range = { from: { valueOf: () => r.start }, to: { valueOf: () => r.end } } as never;
    const services = await ds().metricFindQuery('services()', { range });
    expect(services.map((v) => v.text)).toEqual(body('048').names);
    const spies = await ds().metricFindQuery('labelValues(pyroscope_spy, {service_name="goruntime-demo"})', { range });
    expect(spies.map((v) => v.text)).toEqual(body('049').names);
    const types = await ds().metricFindQuery('profileTypes({service_name="goruntime-demo"})', { range });
    const recordedTypes = (body('050').labelsSet as Array<{ labels: Array<{ name: string; value: string }> }>).map(
      (l) => l.labels.find((x) => x.name === '__profile_type__')!.value
    );
    expect(types.map((v) => v.text).sort()).toEqual([...new Set(recordedTypes)].sort());
  });
});

describe('diff', () => {
  it('Diff RPC: baseline and comparison roots equal the recorded leftTicks and rightTicks', async () => {
    const response = await run({ queryType: 'diff', profileType: CPU, labelSelector: '{}' }, W['gc-pressure']);
    expect(response.errors).toBeUndefined();
    const [frame] = response.data as DataFrame[];
    const fg = body('046').flamegraph as Record<string, string>;
    expect(field(frame, 'value').values[0]).toBe(Number(fg.leftTicks));
    expect(field(frame, 'valueRight').values[0]).toBe(Number(fg.rightTicks));
  });
});

describe('tenancy', () => {
  it('a tenant header reaches the multi-tenant server: team-a sees its profile types', async () => {
    const r = request('079') as { start: number; end: number };
    const options = await ds('teamA').profileTypeOptions(r);
    expect(options.map((o) => o.value)).toEqual((body('079').profileTypes as Array<{ ID: string }>).map((t) => t.ID));
  });
});

describe('what the real server exposed, on its own answers', () => {
  const range = (prefix: string) => {
    const r = request(prefix) as { start: number; end: number };
    return { start: r.start, end: r.end };
  };
  const notices = (frame: DataFrame) => (frame.meta?.notices ?? []).map((n) => n.text).join(' | ');

  it('a window older than the 7-day lookback (200 {}) says it holds no data and why', async () => {
    for (const prefix of ['081', '057']) {
      const response = await run({ queryType: 'top', profileType: CPU, labelSelector: '{}' }, range(prefix));
      expect(response.errors).toBeUndefined();
      const [frame] = response.data as DataFrame[];
      expect(frame.length).toBe(0);
      expect(notices(frame)).toMatch(/^this window holds no data: it ended [78]\.\d days ago .*max_query_lookback/);
    }
  });

  it('a selector matching nothing (empty profile, all-zero flame graph) says so, naming the selector', async () => {
    const top = await run({ queryType: 'top', profileType: CPU, labelSelector: '{service_name="nope"}' }, range('061'));
    expect(notices(top.data[0] as DataFrame)).toBe(
      `this window holds no data: no ${CPU} profiles match {service_name="nope"} in it (check the service name in the selector and that the service pushes this profile type)`
    );
    const flame = await run(
      { queryType: 'flamegraph', profileType: CPU, labelSelector: '{service_name="nope"}', maxNodes: 64 },
      range('063')
    );
    expect(flame.errors).toBeUndefined();
    expect((flame.data[0] as DataFrame).length).toBe(0);
    expect(notices(flame.data[0] as DataFrame)).toMatch(/no process_cpu.* profiles match \{service_name="nope"\}/);
  });

  it.each([
    ['goroutine-leak', '045'],
    ['busy-select', '012'],
    ['gc-pressure', '023'],
    ['mutex-contention', '034'],
  ])(
    'goroutineClusters in the %s window add up to the series point that covers the window, not the one before',
    async (name, series) => {
      const response = await run({ queryType: 'goroutineClusters', profileType: 'goroutine' }, W[name]);
      expect(response.errors).toBeUndefined();
      const [frame] = response.data as DataFrame[];
      const points = (body(series).series as Array<{ points: Array<{ value: number; timestamp: string }> }>)[0].points;
      // The first point is stamped `start` and covers the step before it (start - step, start].
      expect(Number(points[0].timestamp)).toBe(W[name].start);
      const covering = points.find((p) => Number(p.timestamp) === W[name].end)!.value;
      const counts = field(frame, 'Goroutines').values as number[];
      expect(counts.reduce((a, b) => a + b, 0)).toBeCloseTo(covering, 0);
    }
  );

  it('top of a snapshot profile (goroutines) over a window is the per-snapshot average, and says so', async () => {
    const response = await run(
      { queryType: 'top', profileType: GOROUTINES, labelSelector: '{service_name="goruntime-demo"}' },
      range('056')
    );
    expect(response.errors).toBeUndefined();
    const [frame] = response.data as DataFrame[];
    const merged = [...recordedFlat(body('056') as unknown as ProtoProfile, 'goroutine').values()].reduce(
      (a, b) => a + b,
      0
    );
    const average = (body('054').series as Array<{ points: Array<{ value: number }> }>)[0].points[1].value;
    expect(merged).toBe(21728);
    expect(frame.meta?.custom?.total).toBeCloseTo(average, 6);
    expect(notices(frame)).toMatch(/snapshot profile: values are the average of the 12 snapshots stored in the window/);
  });

  it('a mutex frame without a function name is <unknown>, as pprof calls it, never a blank row', async () => {
    const response = await run(
      { queryType: 'top', profileType: 'mutex:delay:nanoseconds:contentions:count', labelSelector: '{}' },
      W['busy-select']
    );
    const [frame] = response.data as DataFrame[];
    const names = field(frame, 'Function').values as string[];
    expect(names).not.toContain('');
    const unknown = names.indexOf('<unknown>');
    expect(field(frame, 'Self').values[unknown]).toBe(
      recordedFlat(body('006') as unknown as ProtoProfile, 'delay').get('')
    );
  });

  it('a bad selector: the message is decoded once, without nested JSON', async () => {
    const response = await run(
      { queryType: 'flamegraph', profileType: CPU, labelSelector: '{service_name=~"("}' },
      W['busy-select']
    );
    expect(response.errors?.[0].message).toBe(
      `Pyroscope (pyroscope), ${CPU} flame graph: POST /querier.v1.QuerierService/SelectMergeStacktraces: HTTP 400 invalid_argument: 1:2: parse error: error parsing regexp: missing closing ): \`(\``
    );
  });

  it('a multi-tenant server without a tenant (401 no org id): the message names the X-Scope-OrgID header', async () => {
    const error = await ds('tenantless')
      .profileTypeOptions(range('078'))
      .then(
        () => undefined,
        (e: Error) => e.message
      );
    // Grafana's data proxy turns Pyroscope's 401 into its own 400 (the stand-in does the same).
    expect(error).toMatch(/ProfileTypes: HTTP 400: Authentication to data source failed \(Pyroscope refused/);
    expect(error).toMatch(/X-Scope-OrgID header/);
    expect(error).not.toMatch(/basic auth/);
  });

  it('a tenant without data (team-b) gets an empty flame graph that says so', async () => {
    const response = await run(
      { queryType: 'flamegraph', profileType: CPU, labelSelector: '{}', maxNodes: 64 },
      range('080'),
      ds('teamB')
    );
    expect(response.errors).toBeUndefined();
    expect(notices(response.data[0] as DataFrame)).toMatch(/this window holds no data/);
  });

  it('a URL that is not Pyroscope (404): the hint speaks of the Pyroscope address, not pprof paths', async () => {
    const response = await run(
      { queryType: 'flamegraph', profileType: CPU, labelSelector: '{}' },
      W['busy-select'],
      ds('wrongPath')
    );
    const message = response.errors?.[0].message ?? '';
    expect(message).toMatch(/HTTP 404: 404 page not found \(no such Pyroscope API path/);
    expect(message).not.toMatch(/pprof/);
  });

  it('a transient 500 (canceled: stream error) is tried once more, then reported with its cause', async () => {
    const before = replay.answered.filter((f) => f.startsWith('060')).length;
    const response = await run(
      {
        queryType: 'top',
        profileType: 'block:delay:nanoseconds:contentions:count',
        labelSelector: '{service_name="goruntime-demo"}',
      },
      range('060')
    );
    expect(replay.answered.filter((f) => f.startsWith('060')).length - before).toBe(2);
    expect(response.errors?.[0].message).toMatch(/HTTP 500 unknown: canceled: stream error: stream ID 481; CANCEL$/);
  });
});

/**
 * @jest-environment jsdom
 */
/**
 * Execution traces in the live capture store, through the real data source and the data-proxy stand-in, against a
 * target that serves a captured demo trace (mutex-contention, Go 1.26: its clock snapshot places it on the wall
 * clock of its capture): a live query captures once and stores the trace; a refresh soon after and fixed windows
 * over the trace read the stored trace (no new request); a fixed window the trace does not cover says which traces
 * the store holds.
 */
import { GrafanaStandIn, instanceSettings, queryRequest, startGrafana, templateSrv } from '../support/grafanaRuntime';

import { DataFrame, DataQueryResponse } from '@grafana/data';
import { lastValueFrom } from 'rxjs';

import { GoRuntimeDataSource } from '../../src/datasource/datasource';
import type { GoRuntimeQuery } from '../../src/datasource/types';
import { readTraceGroups } from '../../src/frames/traceTables';
import { FakeServer, startFakeServer } from '../support/fakeServer';
import { readFixtureBytes } from '../support/fixtures';

jest.setTimeout(120_000);

let fake: FakeServer;
let grafana: GrafanaStandIn;

beforeAll(async () => {
  const trace = readFixtureBytes('mutex-contention', 'trace.bin');
  fake = await startFakeServer({
    '/debug/pprof/trace': (_req, res) => res.writeHead(200).end(Buffer.from(trace)),
  });
  grafana = await startGrafana({ fake: { url: fake.url, jsonData: { timeout: 30 } } });
}, 60_000);

afterAll(async () => {
  await grafana?.close();
  await fake?.close();
});

const traceRequests = () => fake.requests.filter((r) => r.path === '/debug/pprof/trace').length;

// One data source object for the whole file: the live store belongs to the target, as on a dashboard.
let ds: GoRuntimeDataSource;
beforeAll(() => {
  ds = new GoRuntimeDataSource(instanceSettings('fake', { mode: 'pprof', timeout: 30 }, 'Traced service'), {
    templateSrv: templateSrv(),
  });
});

function run(range: Parameters<typeof queryRequest>[1]): Promise<DataQueryResponse> {
  // 28 s: the longest capture the 30 s proxy timeout allows, so "soon after" below is any time within 28 s.
  const query: GoRuntimeQuery = { refId: 'T', queryType: 'trace', seconds: 28 } as GoRuntimeQuery;
  return lastValueFrom(ds.query(queryRequest([query], range)));
}

const custom = (r: DataQueryResponse) => (r.data as DataFrame[])[0].meta?.custom ?? {};
const groups = (r: DataQueryResponse) => (r.data as DataFrame[]).map(readTraceGroups).find((g) => g !== undefined);

describe('execution traces in the live capture store', () => {
  let first: DataQueryResponse;

  it('a live query captures the trace once and stores it', async () => {
    first = await run({ lastMs: 30_000 });
    expect(first.errors).toBeUndefined();
    expect(traceRequests()).toBe(1);
    expect(custom(first).fromStore).toBe(false);
    expect(custom(first).live).toMatch(/^execution trace captured .* \(capture \d+ of the live store\)$/);
    expect(groups(first)?.some((g) => /runMutexContention/.test(g.name))).toBe(true);
  });

  it('a refresh of the live range soon after reads the stored trace instead of capturing again', async () => {
    const again = await run({ lastMs: 30_000 });
    expect(again.errors).toBeUndefined();
    expect(traceRequests()).toBe(1);
    expect(custom(again).fromStore).toBe(true);
    expect(custom(again).captureId).toBe(custom(first).captureId);
    expect(groups(again)).toEqual(groups(first));
  });

  it('a fixed window over the trace (a zoom) reads the stored trace, saying what part of the window it covers', async () => {
    const { traceStartMs, traceEndMs } = custom(first) as { traceStartMs: number; traceEndMs: number };
    const whole = await run({ from: traceStartMs - 1000, to: traceEndMs + 1000 });
    expect(whole.errors?.[0].message).toBeUndefined();
    expect(custom(whole).fromStore).toBe(true);
    expect(custom(whole).live).toMatch(/from the live store .* covers .* of /);
    const span = traceEndMs - traceStartMs;
    const inside = await run({ from: traceStartMs + span / 4, to: traceStartMs + span / 2 });
    expect(inside.errors?.[0].message).toBeUndefined();
    expect(custom(inside).live).toMatch(/covers the window\)$/);
    expect(groups(inside)).toEqual(groups(first));
    expect(traceRequests()).toBe(1);
  });

  it('a past window the stored trace does not cover says which traces the store holds', async () => {
    const { traceStartMs } = custom(first) as { traceStartMs: number };
    const before = await run({ from: traceStartMs - 60_000, to: traceStartMs - 30_000 });
    expect(traceRequests()).toBe(1);
    const message = before.errors?.[0].message ?? '';
    expect(message).toMatch(
      /no stored execution trace covers \d\d:\d\d:\d\d–\d\d:\d\d:\d\d: the live store holds execution traces of \d\d:\d\d:\d\d–\d\d:\d\d:\d\d; a trace query on a range ending now captures one/
    );
    console.log(`past window: ${message}`);
  });
});

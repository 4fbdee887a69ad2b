/**
 * @jest-environment jsdom
 */
/**
 * The Pyroscope stand-in (tests/support/pyroscopeFake.ts) against the real server's recorded answers: the same
 * requests get the same status and, for errors and no-data shapes, the same body. Then the behaviours that need
 * more than the recordings hold (ranges over a day, the diff paths side by side, the merge fan-out, a transient 500)
 * run through the data source against the stand-in.
 */
import { instanceSettings, queryRequest, templateSrv } from '../support/grafanaRuntime';

import { DataFrame, DataQueryResponse } from '@grafana/data';
import { join } from 'path';
import { lastValueFrom } from 'rxjs';

import { GoRuntimeDataSource } from '../../src/datasource/datasource';
import type { GoRuntimeQuery } from '../../src/datasource/types';
import { fixturesRoot } from '../support/fixtures';
import { fixtureRows, goDuration, recordedLabelNames, startFakePyroscope } from '../support/pyroscopeFake';
import { usePyroscopeStandIn } from '../support/pyroscopeStandInGrafana';
import { isMultiTenant, loadRecordedIndex, recordedBody } from '../support/pyroscopeReplay';

jest.setTimeout(60_000);

const CPU = 'process_cpu:cpu:nanoseconds:cpu:nanoseconds';
const index = loadRecordedIndex();

async function send(url: string, path: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'connect-protocol-version': '1', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, text: await response.text() };
}

describe('the stand-in answers recorded requests as Pyroscope v1.21.1 did', () => {
  // Errors and no-data answers: same status, same JSON. (Answers with data hold other captures: compared by shape.)
  const exact = index.entries.filter(
    (e) =>
      /_(http-4\d\d|error-|no-data|multitenant-tenant-team-b)/.test(e.file) && !/wrong-path|GET|text-plain/.test(e.file)
  );

  it.each(exact.map((e) => [e.file, e] as const))('%s', async (_file, e) => {
    const fake = await startFakePyroscope({
      now: () => Date.parse((e as unknown as { recordedAtUTC: string }).recordedAtUTC),
      multiTenant: isMultiTenant(e),
    });
    try {
      const tenant = Object.entries(e.requestHeaders ?? {}).find(([k]) => k.toLowerCase() === 'x-scope-orgid');
      const got = await send(fake.url, e.path, e.requestBody, tenant ? { 'X-Scope-OrgID': tenant[1] } : {});
      expect(got.status).toBe(e.status);
      const recorded = recordedBody(e.file);
      if (e.file.endsWith('.txt')) {
        expect(got.text).toBe(recorded);
      } else {
        expect(JSON.parse(got.text)).toEqual(JSON.parse(recorded));
      }
    } finally {
      await fake.close();
    }
  });

  it('a GET is 405 and a text/plain body 415, both without a body', async () => {
    const fake = await startFakePyroscope();
    try {
      const get = await fetch(`${fake.url}/querier.v1.QuerierService/ProfileTypes`);
      expect([get.status, await get.text()]).toEqual([405, '']);
      const plain = await fetch(`${fake.url}/querier.v1.QuerierService/ProfileTypes`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: '{}',
      });
      expect([plain.status, await plain.text()]).toEqual([415, '']);
    } finally {
      await fake.close();
    }
  });

  it('SelectSeries: the first point is stamped start and covers the step before it; labels only with groupBy', async () => {
    const e = index.entries.find((x) => x.file.startsWith('045'))!;
    const fake = await startFakePyroscope({ now: () => e.window!.end + 60_000 });
    try {
      const body = e.requestBody as Record<string, unknown>;
      const plain = JSON.parse((await send(fake.url, e.path, body)).text);
      expect(plain.series[0].labels).toBeUndefined();
      expect(plain.series[0].points.map((p: { timestamp: string }) => Number(p.timestamp))).toEqual([
        e.window!.start,
        e.window!.end,
      ]);
      const grouped = JSON.parse((await send(fake.url, e.path, { ...body, groupBy: ['service_name'] })).text);
      expect(grouped.series.map((s: { labels: unknown }) => s.labels)).toEqual([
        [{ name: 'service_name', value: 'checkout' }],
        [{ name: 'service_name', value: 'goruntime-demo' }],
      ]);
    } finally {
      await fake.close();
    }
  });
});

describe('the stand-in as Pyroscope v2.0.6 (fixtures/pyroscope-v2)', () => {
  const v2 = join(fixturesRoot, 'pyroscope-v2');
  it('a bad selector: v2 prefixes the message instead of nesting JSON', async () => {
    const fake = await startFakePyroscope({ version: 'v2' });
    try {
      const now = Date.now();
      const got = await send(fake.url, '/querier.v1.QuerierService/SelectMergeStacktraces', {
        profileTypeID: CPU,
        labelSelector: '{service_name=~"("}',
        start: now - 3600_000,
        end: now,
      });
      expect(got.status).toBe(400);
      expect(JSON.parse(got.text)).toEqual(JSON.parse(recordedBody('badsel-v2.0.6.json', v2)));
    } finally {
      await fake.close();
    }
  });

  it('label names: v2 lacks the otel_scope_* and process_runtime_* names', async () => {
    for (const version of ['v1', 'v2'] as const) {
      const fake = await startFakePyroscope({ version });
      try {
        const now = Date.now();
        const got = await send(fake.url, '/querier.v1.QuerierService/LabelNames', { start: now - 3600_000, end: now });
        const file = version === 'v1' ? 'names-v1.21.1.json' : 'names-v2.0.6.json';
        expect(JSON.parse(got.text)).toEqual(JSON.parse(recordedBody(file, v2)));
      } finally {
        await fake.close();
      }
    }
  });

  it('Go durations print as Pyroscope prints them', () => {
    expect(goDuration(48 * 3600_000)).toBe('48h0m0s');
    expect(goDuration(25 * 3600_000)).toBe('25h0m0s');
    expect(goDuration(47 * 3600_000 + 57 * 60_000 + 39_994)).toBe('47h57m39.994s');
  });
});

describe('the data source against the stand-in', () => {
  const NOW = Date.UTC(2026, 11, 6, 12, 0, 0);
  const HOUR = 3600_000;
  const fake = usePyroscopeStandIn(NOW);

  const ds = () =>
    new GoRuntimeDataSource(instanceSettings('standin', { mode: 'pyroscope' }, 'Pyroscope'), {
      templateSrv: templateSrv(),
      now: () => NOW,
    });
  const run = (query: Partial<GoRuntimeQuery>, from: number, to: number): Promise<DataQueryResponse> =>
    lastValueFrom(ds().query(queryRequest([{ refId: 'A', ...query }], { from, to })));
  const field = (frame: DataFrame, name: string) => frame.fields.find((f) => f.name === name)!;

  it('label names, values and profile types over 2 days: 1d pieces the server accepts, answers joined', async () => {
    const before = fake().calls('LabelNames').length;
    const range = { start: NOW - 48 * HOUR, end: NOW };
    expect(await ds().labelNames(undefined, range)).toEqual(
      recordedLabelNames('v1').filter((n) => !n.startsWith('__'))
    );
    const pieces = fake().calls('LabelNames').slice(before);
    expect(pieces.map((c) => [c.body.start, c.body.end])).toEqual([
      [NOW - 48 * HOUR, NOW - 24 * HOUR],
      [NOW - 24 * HOUR, NOW],
    ]);
    expect(await ds().labelValues('service_name', undefined, range)).toEqual(['checkout', 'goruntime-demo']);
    expect((await ds().profileTypeOptions(range)).length).toBe(10);
    // A 30-day range asks only for the 7 days Pyroscope keeps.
    const month = fake().calls('LabelNames').length;
    await ds().labelNames(undefined, { start: NOW - 30 * 24 * HOUR, end: NOW });
    expect(fake().calls('LabelNames').slice(month)).toHaveLength(7);
  });

  it('diff: the Diff RPC and the full-profile path give the same baseline and comparison totals', async () => {
    // The baseline hour starts 30 minutes beyond the 7-day lookback: Pyroscope covers half of it.
    const from = NOW - 7 * 24 * HOUR + 30 * 60_000;
    const rpc = await run(
      { queryType: 'diff', profileType: CPU, labelSelector: '{service_name="checkout"}' },
      from,
      from + HOUR
    );
    const full = await run(
      { queryType: 'diff', profileType: CPU, labelSelector: '{service_name="checkout"}', inverted: true },
      from,
      from + HOUR
    );
    expect(rpc.errors).toBeUndefined();
    expect(full.errors).toBeUndefined();
    const [a, b] = [rpc.data[0] as DataFrame, full.data[0] as DataFrame];
    expect(field(b, 'value').values[0]).toBe(field(a, 'value').values[0]);
    expect(field(b, 'valueRight').values[0]).toBe(field(a, 'valueRight').values[0]);
    const single = fixtureRows('gc-pressure', 'cpu.pb.gz', 'cpu').values[0];
    expect(field(a, 'value').values[0]).toBe(60 * single);
    expect(field(a, 'valueRight').values[0]).toBe(120 * single);
  });

  it('findings with a baseline keep at most bucketConcurrency merges in flight', async () => {
    const response = await run(
      {
        queryType: 'findings',
        labelSelector: '{service_name="goruntime-demo"}',
        baseline: { kind: 'offset', offset: '1h' },
      },
      NOW - 2 * HOUR,
      NOW - HOUR
    );
    expect(response.errors).toBeUndefined();
    expect(fake().maxConcurrentMerges()).toBeLessThanOrEqual(4);
  });

  it('findings for a selector matching nothing say the window holds no data, not "no input could be read: "', async () => {
    const response = await run({ queryType: 'findings', labelSelector: '{service_name="nope"}' }, NOW - HOUR, NOW);
    expect(response.errors?.[0].message).toBe(
      'Pyroscope (pyroscope), findings: this window holds no data: no Go runtime profiles match {service_name="nope"} in it (check the service name in the selector and that the service pushes this profile type)'
    );
  });

  it('findings for a bad selector give the cause once, naming every input it stopped', async () => {
    const response = await run({ queryType: 'findings', labelSelector: '{service_name=~"("}' }, NOW - HOUR, NOW);
    const message = response.errors?.[0].message ?? '';
    expect(message.match(/parse error/g)).toHaveLength(1);
    const inputs = /no input could be read: ([a-z, ]+): POST/.exec(message)?.[1].split(', ');
    expect(inputs?.sort()).toEqual(['allocs', 'block', 'cpu', 'goroutine', 'heap', 'mutex']);
    expect(message).not.toMatch(/\{\\?"code/);
  });

  it('a transient 500 from a merge is retried once and the query succeeds', async () => {
    fake().failNextMerges(1);
    const response = await run({ queryType: 'top', profileType: CPU, labelSelector: '{}' }, NOW - 2 * HOUR, NOW - HOUR);
    expect(response.errors).toBeUndefined();
    expect((response.data[0] as DataFrame).length).toBeGreaterThan(0);
  });

  it("heap in-use over a window is one snapshot's worth, not the sum of the window's 240 snapshots", async () => {
    const response = await run(
      {
        queryType: 'top',
        profileType: 'memory:inuse_space:bytes:space:bytes',
        labelSelector: '{service_name="checkout"}',
      },
      NOW - 2 * HOUR,
      NOW - HOUR
    );
    const [frame] = response.data as DataFrame[];
    const oneUpload = fixtureRows('normal-load', 'heap.pb.gz', 'inuse_space').values[0];
    expect(frame.meta?.custom?.total).toBeCloseTo(oneUpload, 0);
    expect(frame.meta?.custom?.perSnapshot).toEqual({ average: oneUpload, snapshots: 240 });
  });

  it('CPU split buckets are never narrower than the 30 s CPU upload period (no alternating empty buckets)', async () => {
    const response = await run(
      { queryType: 'cpuSplit', interval: '15s', labelSelector: '{}' },
      NOW - 20 * 60_000,
      NOW - 10 * 60_000
    );
    expect(response.errors).toBeUndefined();
    const [frame] = response.data as DataFrame[];
    expect(frame.meta?.custom?.bucketMs).toBe(30_000);
    const user = field(frame, 'user').values as Array<number | null>;
    expect(user.filter((v) => v === null)).toEqual([]);
    // Spread over the 30 s each upload covers, every 30 s bucket holds one upload per service (two services), the
    // first one included: its share comes from the upload stamped in the bucket before the range.
    const single = fixtureRows('gc-pressure', 'cpu.pb.gz', 'cpu').values[0];
    const cpuNanos = frame.meta?.custom?.cpuNanos as number[];
    cpuNanos.forEach((ns) => expect(ns).toBeCloseTo(2 * single, -3));
  });
});

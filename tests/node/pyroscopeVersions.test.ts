/**
 * @jest-environment jsdom
 */
/**
 * Pyroscope 1.x and 2.x where their answers differ (fixtures/pyroscope-v2: the same requests answered by v1.21.1 and
 * v2.0.6): every recorded answer decodes, and the data source tells the user the same thing from either server.
 */
import { GrafanaStandIn, instanceSettings, queryRequest, startGrafana, templateSrv } from '../support/grafanaRuntime';

import { readdirSync } from 'fs';
import { join } from 'path';
import { lastValueFrom } from 'rxjs';

import { decodeFlameGraph } from '../../src/core/wire/pyroscopeFlamegraph';
import {
  decodeConnectError,
  decodeNames,
  decodeProfileTypes,
  decodeSeries,
} from '../../src/core/wire/pyroscopeQuerier';
import { GoRuntimeDataSource } from '../../src/datasource/datasource';
import { fixturesRoot } from '../support/fixtures';
import { FakePyroscope, startFakePyroscope } from '../support/pyroscopeFake';
import { recordedBody, recordedJson } from '../support/pyroscopeReplay';

jest.setTimeout(60_000);

const V2 = join(fixturesRoot, 'pyroscope-v2');
const CPU = 'process_cpu:cpu:nanoseconds:cpu:nanoseconds';

describe('v1.21.1 and v2.0.6 answers decode alike', () => {
  it.each(['v1.21.1', 'v2.0.6'])('%s', (version) => {
    const file = (what: string) => `${what}-${version}.json`;
    const types = decodeProfileTypes(recordedJson(file('types'), V2));
    expect(types.map((t) => t.id)).toContain(CPU);
    expect(decodeNames(recordedJson(file('names'), V2))).toContain('service_name');
    expect(decodeFlameGraph(recordedJson(file('nodata'), V2).flamegraph).values).toHaveLength(0);
    const [series] = decodeSeries(recordedJson(file('series'), V2));
    expect(series.timestamps).toHaveLength(3);
    expect(recordedJson(file('old'), V2)).toEqual({});
    // v1 nests the Connect error in the message; v2 prefixes it. Both read as one innermost message.
    expect(decodeConnectError(recordedBody(file('badsel'), V2))?.message).toMatch(
      /1:2: parse error: error parsing regexp: missing closing \): `\(`$/
    );
    expect(decodeConnectError(recordedBody(file('badsel'), V2))?.message).not.toMatch(/"code"/);
    expect(decodeConnectError(recordedBody(file('names48'), V2))?.message).toMatch(
      /^the query time range exceeds the limit \(max_query_length, actual: 4[78]h[\d.hms]+, limit: 1d\)$/
    );
  });

  it('holds both versions of every request', () => {
    const files = readdirSync(V2).filter((f) => f.endsWith('.json') && f !== 'index.json');
    expect(files.filter((f) => f.includes('v1.21.1')).length).toBe(files.filter((f) => f.includes('v2.0.6')).length);
  });
});

describe.each(['v1', 'v2'] as const)('the data source against a %s stand-in', (version) => {
  const NOW = Date.UTC(2026, 11, 6, 12, 0, 0);
  let fake: FakePyroscope;
  let grafana: GrafanaStandIn;
  beforeAll(async () => {
    fake = await startFakePyroscope({ now: () => NOW, version });
    grafana = await startGrafana({ [version]: { url: fake.url } });
  });
  afterAll(async () => {
    await grafana?.close();
    await fake?.close();
  });
  const ds = () =>
    new GoRuntimeDataSource(instanceSettings(version, { mode: 'pyroscope' }, 'Pyroscope'), {
      templateSrv: templateSrv(),
      now: () => NOW,
    });

  it('a bad selector reads as one message, without nested JSON', async () => {
    const response = await lastValueFrom(
      ds().query(
        queryRequest(
          [{ refId: 'A', queryType: 'flamegraph', profileType: CPU, labelSelector: '{service_name=~"("}' }],
          {
            from: NOW - 3600_000,
            to: NOW,
          }
        )
      )
    );
    const message = response.errors?.[0].message ?? '';
    expect(message).toMatch(
      /HTTP 400 invalid_argument: .*1:2: parse error: error parsing regexp: missing closing \): `\(`$/
    );
    expect(message).not.toMatch(/\{"code"/);
  });

  it('label names for the editor hide internal names on both versions', async () => {
    const names = await ds().labelNames(undefined, { start: NOW - 3600_000, end: NOW });
    expect(names).toContain('service_name');
    expect(names.some((n) => n.startsWith('__'))).toBe(false);
  });
});

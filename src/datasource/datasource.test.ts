import { CoreApp, DataQueryResponse, dateTime, LoadingState } from '@grafana/data';
import { lastValueFrom, toArray } from 'rxjs';

import { templateSrv } from '../../tests/support/templateSrvStub';
import { GoRuntimeDataSource } from './datasource';
import type { GoRuntimeOptions, GoRuntimeQuery } from './types';

function ds(jsonData: GoRuntimeOptions) {
  const settings = {
    id: 1,
    uid: 'u',
    name: 'Svc',
    type: 't',
    access: 'proxy',
    url: '/api/datasources/proxy/uid/u',
    jsonData,
    readOnly: false,
    meta: {},
  };
  return new GoRuntimeDataSource(settings as never, { templateSrv: templateSrv({ svc: 'checkout' }) });
}

function request(targets: Array<Partial<GoRuntimeQuery>>, to = Date.now()) {
  return {
    targets: targets.map((t, i) => ({ refId: String.fromCharCode(65 + i), ...t })),
    range: { from: dateTime(to - 3600_000), to: dateTime(to), raw: { from: 'now-1h', to: 'now' } },
    intervalMs: 1000,
    scopedVars: {},
    panelId: 7,
  } as never;
}

describe('GoRuntimeDataSource', () => {
  it('offers a default query per mode', () => {
    expect(ds({ mode: 'pprof' }).getDefaultQuery(CoreApp.Dashboard)).toEqual({
      queryType: 'flamegraph',
      profileType: 'cpu',
    });
    expect(ds({ mode: 'pyroscope' }).getDefaultQuery(CoreApp.Dashboard)).toEqual({
      queryType: 'flamegraph',
      profileType: 'process_cpu:cpu:nanoseconds:cpu:nanoseconds',
      labelSelector: '{}',
    });
  });

  it('answers each query separately, under its own key, with errors naming target and query', async () => {
    const source = ds({ mode: 'pprof' });
    const responses: DataQueryResponse[] = await lastValueFrom(
      source
        .query(
          request([{ queryType: 'series' }, { queryType: 'flamegraph', focus: '(' }, { queryType: 'top', hide: true }])
        )
        .pipe(toArray())
    );
    expect(responses).toHaveLength(2);
    expect(responses.map((r) => r.key)).toEqual(['u-7-A', 'u-7-B']);
    expect(responses.every((r) => r.state === LoadingState.Error)).toBe(true);
    expect(responses[0].errors?.[0]).toMatchObject({
      refId: 'A',
      message: expect.stringContaining(
        'Svc (pprof), series query A: queryType: series needs a Pyroscope-mode data source'
      ),
    });
    expect(responses[1].errors?.[0].message).toContain('focus: not a regular expression');
  });

  it('migrates and interpolates queries for Explore and dashboards', () => {
    const [q] = ds({ mode: 'pyroscope' }).interpolateVariablesInQueries(
      [{ refId: 'A', profile: 'cpu', labelSelector: '{service_name="$svc"}' } as GoRuntimeQuery],
      {}
    );
    expect(q).toMatchObject({
      queryType: 'flamegraph',
      profileType: 'cpu',
      labelSelector: '{service_name="checkout"}',
      schemaVersion: 2,
    });
  });
});

/**
 * @jest-environment jsdom
 */
/**
 * The sandbox plays Grafana 13 for the plugin, so where the plugin can tell the difference it must behave like
 * Grafana: the data proxy's bare 502/504 answers and its reading of `jsonData.timeout`, the template service's
 * formats for multi-value and "All" variables, and the request queue that holds data requests back at 5 in progress.
 */
import '../support/grafanaModuleShims';

import { dateTime } from '@grafana/data';
import http from 'http';
import { AddressInfo } from 'net';

import { interpolateSelector } from '../../src/datasource/query/interpolate';
import { RequestQueue, isDataQuery } from '../../sandbox/host/services/backendSrv';
import { SandboxTemplateSrv, variablesFromUrl } from '../../sandbox/host/services/templateSrv';

const { createDataProxy, timeoutSeconds } = require('../../sandbox/dataProxy.js');

async function listen(handler: http.RequestListener) {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

describe('data proxy stand-in: errors as Grafana’s reverse proxy writes them', () => {
  it('answers 504 with an empty body when the target does not answer within jsonData.timeout (given as a string)', async () => {
    const silent = await listen(() => undefined);
    const proxy = createDataProxy({ slow: { url: silent.url, jsonData: { timeout: '1' } } });
    const server = await listen((req, res) => proxy(req, res));
    try {
      expect(await get(`${server.url}/api/datasources/proxy/uid/slow/debug/pprof/heap`)).toEqual({
        status: 504,
        body: '',
      });
    } finally {
      await server.close();
      await silent.close();
    }
  });

  it('answers 502 with an empty body when nothing listens at the target', async () => {
    const proxy = createDataProxy({ down: { url: 'http://127.0.0.1:1' } });
    const server = await listen((req, res) => proxy(req, res));
    try {
      expect(await get(`${server.url}/api/datasources/proxy/uid/down/debug/pprof/heap`)).toEqual({
        status: 502,
        body: '',
      });
    } finally {
      await server.close();
    }
  });

  it('reads jsonData.timeout as Grafana’s getTimeout: integers and integer strings, else the default', () => {
    expect([60, '60', 12.7, '12.7', 'soon', 0, -1, undefined].map((t) => timeoutSeconds(t, 30))).toEqual([
      60, 60, 12, 30, 30, 30, 30, 30,
    ]);
  });
});

describe('sandbox TemplateSrv: Grafana’s formats for multi-value and All variables', () => {
  const range = { from: dateTime(0), to: dateTime(3_600_000), raw: { from: 'now-1h', to: 'now' } };
  const srv = new SandboxTemplateSrv(
    {
      svc: { options: ['checkout', 'cart.v2', 'auth'], current: ['checkout', 'cart.v2'], multi: true },
      env: { options: ['prod', 'staging'], current: '$__all', multi: true, includeAll: true },
      anyPod: { options: ['a', 'b'], current: '$__all', includeAll: true, allValue: '.*' },
      one: 'demo',
    },
    range
  );

  it.each([
    [undefined, '{checkout,cart.v2}'],
    ['regex', '(checkout|cart\\.v2)'],
    ['pipe', 'checkout|cart.v2'],
    ['csv', 'checkout,cart.v2'],
    ['json', '["checkout","cart.v2"]'],
    ['doublequote', '"checkout","cart.v2"'],
    ['text', 'checkout + cart.v2'],
    ['queryparam', 'var-svc=checkout&var-svc=cart.v2'],
  ])('a multi-value variable with format %p', (format, expected) => {
    expect(srv.replace('$svc', {}, format)).toBe(expected);
    if (format) {
      expect(srv.replace(`\${svc:${format}}`)).toBe(expected);
    }
  });

  it('expands All to every option, or to the custom all value unformatted', () => {
    expect(srv.replace('${env:regex}')).toBe('(prod|staging)');
    expect(srv.replace('$env')).toBe('{prod,staging}');
    expect(srv.replace('${anyPod:regex}')).toBe('.*');
    expect(srv.replace('${env:text}')).toBe('All');
  });

  it('hands a format function the raw value, an array for several values', () => {
    const seen: unknown[] = [];
    srv.replace('$svc $one', {}, (value: unknown) => (seen.push(value), 'x'));
    expect(seen).toEqual([['checkout', 'cart.v2'], 'demo']);
  });

  it('reads selections from the page URL as Grafana does (var-name repeated, $__all)', () => {
    const vars = variablesFromUrl('?var-service=a&var-service=b&var-env=$__all', { service: ['demo'] });
    expect(vars.service.current).toEqual(['a', 'b']);
    expect(vars.env.current).toBe('$__all');
    expect(variablesFromUrl('', { service: ['demo'] }).service.current).toBe('demo');
  });

  it('with the plugin’s selector interpolation, yields valid selectors: =~ for several values, no matcher for All', () => {
    expect(interpolateSelector('{service_name="$svc", env="$env", job="$one"}', {}, srv)).toBe(
      '{service_name=~"checkout|cart\\\\.v2", job="demo"}'
    );
  });
});

describe('sandbox request queue: Grafana’s FetchQueueWorker over HTTP/1.1', () => {
  it('is what Grafana holds back: data proxy and ds/query URLs, not other API calls', () => {
    expect(isDataQuery('/api/datasources/proxy/uid/x/debug/pprof/profile')).toBe(true);
    expect(isDataQuery('api/ds/query?ds_type=prometheus')).toBe(true);
    expect(isDataQuery('/api/plugins/seed-goruntime-app/settings')).toBe(false);
  });

  it('starts data requests in order while fewer than 5 are in progress; API requests at once', () => {
    const queue = new RequestQueue(5);
    const started: string[] = [];
    for (let i = 1; i <= 7; i++) {
      queue.add(true, () => started.push(`data${i}`));
    }
    expect(started).toEqual(['data1', 'data2', 'data3', 'data4', 'data5']);
    queue.add(false, () => started.push('api'));
    expect(started.at(-1)).toBe('api');
    expect(queue.inProgress).toBe(6);
    queue.done();
    expect(started.length).toBe(6); // 5 in progress again counting the API call: data6 still waits
    queue.done();
    expect(started.slice(6)).toEqual(['data6']);
    queue.done();
    expect(started.slice(6)).toEqual(['data6', 'data7']);
  });

  it('lets a request withdrawn from the queue give up its place', () => {
    const queue = new RequestQueue(1);
    const started: string[] = [];
    queue.add(true, () => started.push('a'));
    const withdraw = queue.add(true, () => started.push('b'));
    queue.add(true, () => started.push('c'));
    withdraw();
    queue.done();
    expect(started).toEqual(['a', 'c']);
  });
});

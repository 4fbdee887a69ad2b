/**
 * @jest-environment jsdom
 */
/**
 * Bad inputs, each through the real data source class and the data-proxy stand-in: every failure must become a
 * query error naming the target, the profile and the cause. The messages are printed as a table at the end (they
 * are quoted in the README and the issue's closing note).
 */
import { instanceSettings, queryRequest, startGrafana, templateSrv, GrafanaStandIn } from '../support/grafanaRuntime';

import { DataFrame, DataQueryResponse } from '@grafana/data';
import { filter, firstValueFrom, isObservable } from 'rxjs';
import { gzipSync } from 'zlib';

import { GoRuntimeDataSource } from '../../src/datasource/datasource';
import type { GoRuntimeOptions, GoRuntimeQuery } from '../../src/datasource/types';
import { DemoService, startDemoService } from '../support/demoService';
import { FakeServer, startFakeServer } from '../support/fakeServer';
import { readFixtureBytes } from '../support/fixtures';

jest.setTimeout(120_000);

let demo: DemoService;
let fake: FakeServer;
let grafana: GrafanaStandIn;
const table: Array<[string, string]> = [];

const HTML = '<!DOCTYPE html><html><head><title>Sign in - Corp SSO</title></head><body>login</body></html>';

beforeAll(async () => {
  demo = await startDemoService({ load: true });
  const heap = readFixtureBytes('normal-load', 'heap.pb.gz');
  fake = await startFakeServer({
    '/debug/pprof/': (_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('Hello from nginx\n'),
    '/debug/pprof/heap': (_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(HTML),
    '/debug/pprof/allocs': (_req, res) =>
      res.writeHead(200).end(Buffer.from(heap.subarray(0, Math.floor(heap.length / 2)))),
    '/debug/pprof/mutex': (_req, res) => res.writeHead(200).end(gzipSync('mutex profile is disabled on this build\n')),
    '/debug/pprof/block': () => undefined, // never answers
    '/debug/pprof/goroutine': (_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(HTML),
    '/debug/pprof/threadcreate': (_req, res) => res.writeHead(401, { 'www-authenticate': 'Basic' }).end('unauthorized'),
  });
  grafana = await startGrafana({
    demo: { url: demo.url },
    fake: { url: fake.url, jsonData: { timeout: 3 } },
    down: { url: 'http://127.0.0.1:1' },
  });
}, 120_000);

afterAll(async () => {
  console.log(`bad inputs and their messages:\n${table.map(([what, msg]) => `- ${what}\n    ${msg}`).join('\n')}`);
  await grafana?.close();
  await fake?.close();
  await demo?.stop();
});

function ds(uid: string, jsonData: GoRuntimeOptions = { mode: 'pprof' }, vars: Record<string, string> = {}) {
  const name = { demo: 'Go demo', fake: 'Flaky target', down: 'Stopped service' }[uid] ?? uid;
  return new GoRuntimeDataSource(instanceSettings(uid, jsonData, name), { templateSrv: templateSrv(vars) });
}

async function errorOf(
  what: string,
  source: GoRuntimeDataSource,
  query: Partial<GoRuntimeQuery>,
  lastMs = 1000
): Promise<string> {
  // A live range streams while the dashboard is open: judge the first answer that carries an error or settled rows.
  const result = source.query(queryRequest([{ refId: 'A', ...query }], { lastMs }));
  const response: DataQueryResponse = isObservable(result)
    ? await firstValueFrom(
        result.pipe(
          filter(
            (r: DataQueryResponse) =>
              (r.errors?.length ?? 0) > 0 ||
              (r.data as DataFrame[]).some((f) => f.length > 0 && !f.meta?.custom?.pending)
          )
        )
      )
    : await result;
  const message = response.errors?.[0]?.message ?? '(no error)';
  table.push([what, message]);
  return message;
}

describe('bad inputs give specific errors naming target, profile and cause', () => {
  it('an HTML login page where a profile belongs', async () => {
    expect(
      await errorOf('HTML page instead of a heap profile', ds('fake', { mode: 'pprof', timeout: 3 }), {
        queryType: 'top',
        profileType: 'heap',
      })
    ).toMatch(
      /^Flaky target \(pprof\), heap profile: GET \/debug\/pprof\/heap: .*an HTML page, not a pprof profile \(page title "Sign in - Corp SSO"\)/
    );
  });

  it('a truncated gzip body', async () => {
    expect(
      await errorOf('truncated gzip (half of a real heap profile)', ds('fake', { mode: 'pprof', timeout: 3 }), {
        queryType: 'flamegraph',
        profileType: 'allocs',
      })
    ).toMatch(/^Flaky target \(pprof\), allocs profile: GET \/debug\/pprof\/allocs: .*(truncated|ends)/i);
  });

  it('gzip-compressed text instead of a profile', async () => {
    expect(
      await errorOf('gzip of plain text', ds('fake', { mode: 'pprof', timeout: 3 }), {
        queryType: 'flamegraph',
        profileType: 'mutex',
      })
    ).toMatch(/mutex profile: .*gzip-compressed text, not a pprof profile/);
  });

  it('an HTML page where a goroutine dump belongs', async () => {
    expect(
      await errorOf('HTML page instead of a goroutine dump', ds('fake', { mode: 'pprof', timeout: 3 }), {
        queryType: 'goroutineClusters',
        profileType: 'goroutine',
      })
    ).toMatch(/^Flaky target \(pprof\), goroutine dump \(debug=2\): GET \/debug\/pprof\/goroutine\?debug=2: /);
  });

  it('a target that never answers: the request is cancelled at the data source timeout', async () => {
    expect(
      await errorOf('target hangs past the proxy timeout (3 s)', ds('fake', { mode: 'pprof', timeout: 3 }), {
        queryType: 'flamegraph',
        profileType: 'block',
      })
    ).toMatch(/block profile: GET \/debug\/pprof\/block: no complete response within 3 s/);
  });

  it('a target that wants credentials (401 becomes 400 at the proxy)', async () => {
    expect(
      await errorOf('target answers 401', ds('fake', { mode: 'pprof', timeout: 3 }), {
        queryType: 'top',
        profileType: 'threadcreate',
      })
    ).toMatch(/HTTP 400: Authentication to data source failed \(the target answered 401/);
  });

  it('a stopped service', async () => {
    expect(await errorOf('nothing listens at the URL', ds('down'), { queryType: 'top', profileType: 'heap' })).toMatch(
      /^Stopped service \(pprof\), heap profile: GET \/debug\/pprof\/heap: HTTP 502: Bad Gateway.*got no answer from the target: the connection was refused/
    );
  });

  it('a wrong pprof path', async () => {
    expect(
      await errorOf('pprof path that does not exist', ds('demo', { mode: 'pprof', pprofPath: '/internal/pprof' }), {
        queryType: 'top',
        profileType: 'heap',
      })
    ).toMatch(/HTTP 404: 404 page not found \(no such endpoint \/internal\/pprof\/heap/);
  });

  it('"cpu profiling already in use" from another profiler of the same process', async () => {
    const other = fetch(`${demo.url}/debug/pprof/profile?seconds=3`);
    await new Promise((r) => setTimeout(r, 300));
    const message = await errorOf('CPU profile while another profiler holds the CPU profiler', ds('demo'), {
      queryType: 'flamegraph',
      profileType: 'cpu',
    });
    await other;
    expect(message).toMatch(
      /^Go demo \(pprof\), cpu profile: GET \/debug\/pprof\/profile\?seconds=\d+: HTTP 500: .*cpu profiling already in use \(another CPU profile of this process is running/
    );
  });

  it('a response above the maximum profile size is rejected before decoding', async () => {
    expect(
      await errorOf('heap above maxProfileBytes (2000)', ds('demo', { mode: 'pprof', maxProfileBytes: 2000 }), {
        queryType: 'top',
        profileType: 'heap',
      })
    ).toMatch(
      /heap profile: GET \/debug\/pprof\/heap: the response (declares|is over) [\d.]+ KB, above the data source's maximum of 2.0 KB/
    );
  });

  it('paths that would escape the configured base', async () => {
    expect(
      await errorOf('path prefix with ..', ds('demo', { mode: 'pprof', pathPrefix: '/svc/../../admin' }), {
        queryType: 'top',
        profileType: 'heap',
      })
    ).toMatch(/path prefix "\/svc\/..\/..\/admin" is not allowed: it would leave the configured base/);
    expect(
      await errorOf(
        'absolute URL as pprof path',
        ds('demo', { mode: 'pprof', pprofPath: 'http://evil.example/debug/pprof' }),
        { queryType: 'top', profileType: 'heap' }
      )
    ).toMatch(/pprof path "http:\/\/evil.example\/debug\/pprof" is not allowed: absolute URLs are not accepted/);
    expect(
      await errorOf(
        'instance ".." in a gateway prefix',
        ds('demo', { mode: 'pprof', pathPrefix: '/pods/${instance}' }),
        { queryType: 'top', profileType: 'heap', instance: '..' }
      )
    ).toMatch(/instance ".." is not allowed/);
    expect(
      await errorOf(
        'instance with a slash from a dashboard variable',
        ds('demo', { mode: 'pprof', pathPrefix: '/pods/${instance}' }, { pod: 'a/../../b' }),
        { queryType: 'top', profileType: 'heap', instance: '$pod' }
      )
    ).toMatch(/not allowed: it contains "\/"/);
  });

  it('queries that cannot run name the field', async () => {
    expect(
      await errorOf('focus that is not a regex', ds('demo'), {
        queryType: 'flamegraph',
        profileType: 'cpu',
        focus: 'main.(',
      })
    ).toMatch(/^Go demo \(pprof\), flamegraph query A: focus: not a regular expression/);
    expect(
      await errorOf('unknown sample type', ds('demo'), {
        queryType: 'flamegraph',
        profileType: 'heap',
        sampleType: 'inuse_bytes',
      })
    ).toMatch(/sampleType: the heap profile has sample types inuse_space, inuse_objects, alloc_space, alloc_objects/);
    expect(
      await errorOf('unknown query type', ds('demo'), { queryType: 'flames' as GoRuntimeQuery['queryType'] })
    ).toMatch(/unknown query type "flames"/);
    expect(
      await errorOf('states of a CPU profile', ds('demo'), { queryType: 'goroutineStates', profileType: 'cpu' })
    ).toMatch(/goroutineStates reads goroutines; choose the goroutine profile/);
  });

  it('Save & test on something that is not a pprof index', async () => {
    const result = await ds('fake', { mode: 'pprof', timeout: 3 }).testDatasource();
    table.push(['Save & test on a non-pprof page', result.message]);
    expect(result.status).toBe('error');
    expect(result.message).toMatch(/pprof index: GET \/debug\/pprof\/: not a Go net\/http\/pprof index page/);
    const down = await ds('down').testDatasource();
    table.push(['Save & test on a stopped service', down.message]);
    expect(down.message).toMatch(/HTTP 502: Bad Gateway/);
  });
});

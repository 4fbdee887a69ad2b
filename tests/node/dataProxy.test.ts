/**
 * The data-proxy stand-in must treat requests and bodies the way Grafana's proxy does, or live tests and the
 * sandbox would prove nothing about Grafana: binary pprof bodies byte for byte, custom auth headers added,
 * cookies and origin dropped, 401 turned into 400, escapes from the data source URL refused.
 */
import http from 'http';
import { AddressInfo } from 'net';
import { gunzipSync } from 'zlib';

import { startDemoService, DemoService } from '../support/demoService';

const { createDataProxy } = require('../../sandbox/dataProxy.js');

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

async function listen(handler: Handler): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function rawStatus(url: string): Promise<number> {
  const { host, pathname } = new URL(url);
  const path = url.slice(url.indexOf(host) + host.length);
  return new Promise((resolve, reject) => {
    http
      .get({ host: host.split(':')[0], port: Number(host.split(':')[1]), path: path || pathname }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
      .on('error', reject);
  });
}

function proxyServer(datasources: Record<string, object>) {
  const proxy = createDataProxy(datasources);
  return listen((req, res) => {
    if (!proxy(req, res)) {
      res.writeHead(404).end();
    }
  });
}

describe('data proxy stand-in against the real demo service', () => {
  let demo: DemoService;
  let proxy: { url: string; close: () => Promise<void> };

  beforeAll(async () => {
    demo = await startDemoService();
    proxy = await proxyServer({ demo: { url: demo.url } });
  }, 120000);
  afterAll(async () => {
    await proxy?.close();
    await demo?.stop();
  });

  it('passes a gzip-compressed pprof body through unchanged', async () => {
    const response = await fetch(`${proxy.url}/api/datasources/proxy/uid/demo/debug/pprof/heap`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toBe('sandbox');
    const body = new Uint8Array(await response.arrayBuffer());
    expect([body[0], body[1]]).toEqual([0x1f, 0x8b]);
    // Decompressed, it is a heap profile protobuf whose string table names the heap sample types.
    expect(gunzipSync(body).toString('latin1')).toContain('inuse_space');
  });

  it('answers text profiles and the pprof index', async () => {
    const index = await (await fetch(`${proxy.url}/api/datasources/proxy/uid/demo/debug/pprof/`)).text();
    expect(index).toContain('goroutine');
    const dump = await (
      await fetch(`${proxy.url}/api/datasources/proxy/uid/demo/debug/pprof/goroutine?debug=1`)
    ).text();
    expect(dump).toMatch(/^goroutine profile: total \d+/);
  });

  it('refuses paths that would leave the data source URL and unknown data sources', async () => {
    // fetch() would normalise dot segments away before sending; a raw request sends them as a hostile client would.
    for (const path of ['/debug/../../metrics', '/debug/%2e%2e/%2e%2e/metrics']) {
      expect(await rawStatus(`${proxy.url}/api/datasources/proxy/uid/demo${path}`)).toBe(400);
    }
    const unknown = await fetch(`${proxy.url}/api/datasources/proxy/uid/nope/debug/pprof/`);
    expect(unknown.status).toBe(404);
  });
});

describe('data proxy stand-in request rewriting', () => {
  it('adds configured headers, drops cookies and origin, and maps 401 to 400', async () => {
    const seen: http.IncomingHttpHeaders[] = [];
    const upstream = await listen((req, res) => {
      seen.push(req.headers);
      res.writeHead(req.url === '/secret' ? 401 : 200, { 'set-cookie': 'a=b' }).end('ok');
    });
    const proxy = await proxyServer({
      pyro: {
        url: upstream.url,
        jsonData: { httpHeaderName1: 'X-Scope-OrgID' },
        secureJsonData: { httpHeaderValue1: 'tenant-a' },
      },
    });
    try {
      const ok = await fetch(`${proxy.url}/api/datasources/proxy/uid/pyro/ready`, {
        headers: { cookie: 'grafana_session=x', origin: 'http://evil' },
      });
      expect(ok.status).toBe(200);
      expect(ok.headers.get('set-cookie')).toBeNull();
      expect(seen[0]['x-scope-orgid']).toBe('tenant-a');
      expect(seen[0].cookie).toBeUndefined();
      expect(seen[0].origin).toBeUndefined();

      const denied = await fetch(`${proxy.url}/api/datasources/proxy/uid/pyro/secret`);
      expect(denied.status).toBe(400);
      expect(await denied.json()).toEqual({ message: 'Authentication to data source failed' });
    } finally {
      await proxy.close();
      await upstream.close();
    }
  });
});

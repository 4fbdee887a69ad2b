/**
 * The per-request deadline of the data source's transport, against a real target on a loopback port that trickles
 * its body: BackendSrv (the stand-in, as Grafana's) would wait for the whole body forever; the deadline ends it.
 */
import { setBackendSrv } from '@grafana/runtime';
import { createServer, request, Server } from 'http';
import { AddressInfo } from 'net';
import { lastValueFrom } from 'rxjs';

import { createBackendSrv, Transport } from '../../../tests/support/backendSrvStandIn';
import { toQueryFailure } from './failure';
import { DeadlineExceededError, fetchBinary, requestDeadlineSeconds } from './proxyFetch';

const transport: Transport = (req) =>
  new Promise((resolve, reject) => {
    const r = request(req.url, { method: req.method, headers: req.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          statusText: '',
          headers: {},
          body: new Uint8Array(Buffer.concat(chunks)),
        })
      );
      res.on('error', reject);
    });
    r.on('error', reject);
    req.onAbort(() => r.destroy());
    r.end(req.body);
  });

let server: Server;
let origin = '';
let trickles = 0;
const closed: Array<() => void> = [];
const timers: NodeJS.Timeout[] = [];

beforeAll(async () => {
  server = createServer((_req, res) => {
    trickles++;
    res.writeHead(200);
    res.write('x');
    const timer = setInterval(() => res.write('x'), 100);
    timers.push(timer);
    res.on('close', () => {
      clearInterval(timer);
      closed.splice(0).forEach((resolve) => resolve());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  setBackendSrv(createBackendSrv(origin, transport));
});

afterAll(async () => {
  timers.forEach(clearInterval);
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('proxyFetch deadline', () => {
  it('is the timeout plus the capture length asked for', () => {
    expect(requestDeadlineSeconds({ params: { seconds: 15 } }, 30)).toBe(45);
    expect(requestDeadlineSeconds({ params: { debug: 2 } }, 30)).toBe(30);
    expect(requestDeadlineSeconds({}, 10)).toBe(10);
  });

  it('ends a request whose body trickles in with a typed deadline error and aborts it', async () => {
    const connectionClosed = new Promise<void>((resolve) => closed.push(resolve));
    let caught: unknown;
    try {
      await lastValueFrom(fetchBinary('', { path: '/debug/pprof/heap' }, { maxProfileBytes: 1 << 20, timeout: 0.5 }));
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(DeadlineExceededError);
    await connectionClosed; // the request was aborted, so the target sees its client go away
    expect(trickles).toBe(1);
    const failure = toQueryFailure(caught, {
      target: 'Go demo (pprof)',
      profile: 'heap profile',
      request: 'GET /heap',
    });
    expect(failure.message).toMatch(
      /^Go demo \(pprof\), heap profile: GET \/heap: no complete response within 0.5 s \(timeout 0.5 s; the request was cancelled/
    );
  });
});

/**
 * The data source's transport against real targets on a loopback port: one that trickles its body (BackendSrv, the
 * stand-in as Grafana's, would wait for the whole body forever; the deadline ends it), and ones that send far more
 * than the size limit (refused on the declared Content-Length, or stopped while the chunks arrive).
 */
import { setBackendSrv } from '@grafana/runtime';
import { createServer, request, Server } from 'http';
import { AddressInfo } from 'net';
import { lastValueFrom, Observable } from 'rxjs';

import { createBackendSrv, Transport } from '../../../tests/support/backendSrvStandIn';
import { nodeStreamingTransport } from '../../../tests/support/nodeStreamingTransport';
import { toQueryFailure } from './failure';
import { LimitExceededError } from '../../core';
import { DeadlineExceededError, fetchBinary, fetchText, requestDeadlineSeconds } from './proxyFetch';

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
  huge = createServer((req, res) => {
    const declared = req.url?.startsWith('/declared');
    res.writeHead(200, declared ? { 'Content-Length': String(HUGE_BYTES) } : {});
    const chunk = Buffer.alloc(1 << 16, 0x61);
    let sent = 0;
    const pump = () => {
      while (sent < HUGE_BYTES && res.write(chunk)) {
        sent += chunk.length;
      }
      if (sent >= HUGE_BYTES) {
        res.end();
      }
    };
    res.on('drain', pump);
    res.on('close', () => hugeClosed.splice(0).forEach((resolve) => resolve(sent)));
    pump();
  });
  await new Promise<void>((resolve) => huge.listen(0, '127.0.0.1', resolve));
  hugeOrigin = `http://127.0.0.1:${(huge.address() as AddressInfo).port}`;
});

const HUGE_BYTES = 512 * 2 ** 20;
const BOUNDS = { maxProfileBytes: 1 << 20, timeout: 120 };
let huge: Server;
let hugeOrigin = '';
const hugeClosed: Array<(sent: number) => void> = [];

afterAll(async () => {
  huge.closeAllConnections();
  await new Promise((resolve) => huge.close(resolve));
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

describe('proxyFetch size limit, read chunk by chunk (BackendSrv.chunked)', () => {
  beforeAll(() => setBackendSrv(createBackendSrv(hugeOrigin, nodeStreamingTransport)));
  afterAll(() => setBackendSrv(createBackendSrv(origin, transport)));

  async function limitError(
    path: string,
    read: (path: string) => Observable<unknown>
  ): Promise<[LimitExceededError, number]> {
    const closedAfter = new Promise<number>((resolve) => hugeClosed.push(resolve));
    let caught: unknown;
    try {
      await lastValueFrom(read(path));
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(LimitExceededError);
    return [caught as LimitExceededError, await closedAfter];
  }

  it('refuses a body whose Content-Length is over the limit before reading it, and aborts the request', async () => {
    const [error, sent] = await limitError('/declared/debug/pprof/heap', (path) => fetchBinary('', { path }, BOUNDS));
    expect(error.limit).toEqual({ name: 'maxProfileBytes', max: 1 << 20, actual: HUGE_BYTES });
    expect(error.message).toMatch(
      /^the response declares 512.0 MB, above the data source's maximum of 1.0 MB .*it was not read$/
    );
    // The target saw its client go away long before the end of its 512 MB.
    expect(sent).toBeLessThan(HUGE_BYTES);
  });

  it('stops a body without Content-Length once the chunks pass the limit, and aborts the request', async () => {
    const [error, sent] = await limitError('/chunked/debug/pprof/heap', (path) => fetchText('', { path }, BOUNDS));
    expect(error.limit.actual).toBeGreaterThan(1 << 20);
    expect(error.limit.actual).toBeLessThan(HUGE_BYTES);
    expect(error.message).toMatch(
      /^the response is over [\d.]+ MB, above the data source's maximum of 1.0 MB .*reading was stopped there$/
    );
    expect(sent).toBeLessThan(HUGE_BYTES);
  });
});

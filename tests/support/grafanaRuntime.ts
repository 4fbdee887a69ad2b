/**
 * Grafana's runtime for data source tests in Node: the data-proxy stand-in (sandbox/dataProxy.js) on a free port,
 * a BackendSrv that sends the data source's requests to it over Node http (backendSrvStandIn.ts), a TemplateSrv
 * with fixed variables, and request builders.
 *
 * Import this module FIRST in a test file, before anything that imports @grafana/*, and run the file with the
 * jsdom environment (`@jest-environment jsdom` docblock): @grafana/data touches `window` when it loads. The
 * module-loading gaps of the scaffold's Jest config are closed by ./grafanaModuleShims.ts.
 */
import './grafanaModuleShims';

import type { DataQueryRequest, DataSourceInstanceSettings, TimeRange } from '@grafana/data';
import type { IncomingMessage, ServerResponse } from 'http';

import { BackendSrvLog, createBackendSrv, Transport } from './backendSrvStandIn';

export { templateSrv } from './templateSrvStub';

const http = require('http') as typeof import('http');
const { createDataProxy } = require('../../sandbox/dataProxy.js');

export interface ProxyRequestLog {
  method: string;
  path: string;
  status?: number;
  /** The client went away before the response ended (a cancelled query). */
  aborted: boolean;
  startedAt: number;
  endedAt?: number;
}

export interface GrafanaStandIn {
  /** Origin of the proxy stand-in (`http://127.0.0.1:PORT`). */
  origin: string;
  /** Every request the proxy saw, in arrival order. */
  proxied: ProxyRequestLog[];
  /** Every request the BackendSrv stand-in sent. */
  sent: BackendSrvLog[];
  close(): Promise<void>;
}

export interface DataSourceConfig {
  url: string;
  jsonData?: Record<string, unknown>;
  secureJsonData?: Record<string, string>;
  basicAuth?: boolean;
  basicAuthUser?: string;
}

/** Node http transport: the same request the browser would send to Grafana, to the proxy stand-in. */
export const nodeTransport: Transport = (req) =>
  new Promise((resolve, reject) => {
    const r = http.request(req.url, { method: req.method, headers: req.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          statusText: res.statusMessage ?? '',
          headers: Object.fromEntries(
            Object.entries(res.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v ?? '')])
          ),
          body: new Uint8Array(Buffer.concat(chunks)),
        })
      );
      res.on('error', reject);
    });
    r.on('error', reject);
    req.onAbort(() => r.destroy());
    r.end(req.body);
  });

/**
 * jsdom test environments have no `fetch`, which the shared demo-service helpers (setScenario) use: a minimal one
 * over Node http (method, headers, string body; text/json/arrayBuffer), installed only when missing.
 */
if (typeof globalThis.fetch === 'undefined') {
  const minimalFetch = (url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) =>
    nodeTransport({
      url,
      method: init.method ?? 'GET',
      headers: init.headers ?? {},
      body: init.body,
      onAbort: () => {},
    }).then((r) => ({
      ok: r.status >= 200 && r.status < 300,
      status: r.status,
      statusText: r.statusText,
      headers: { get: (k: string) => r.headers[k.toLowerCase()] ?? null },
      text: async () => new TextDecoder().decode(r.body),
      json: async () => JSON.parse(new TextDecoder().decode(r.body)),
      arrayBuffer: async () => r.body.buffer.slice(r.body.byteOffset, r.body.byteOffset + r.body.byteLength),
    }));
  Object.assign(globalThis, { fetch: minimalFetch });
}

/**
 * Starts the data-proxy stand-in for `datasources` (by uid) and installs a BackendSrv that talks to it, so a data
 * source constructed with `instanceSettings(uid, ...)` behaves as inside Grafana.
 */
export async function startGrafana(datasources: Record<string, DataSourceConfig>): Promise<GrafanaStandIn> {
  const proxy = createDataProxy(datasources);
  const proxied: ProxyRequestLog[] = [];
  const server = http.createServer((req: IncomingMessage, res: ServerResponse) => {
    const entry: ProxyRequestLog = {
      method: req.method ?? 'GET',
      path: req.url ?? '',
      aborted: false,
      startedAt: Date.now(),
    };
    proxied.push(entry);
    res.on('finish', () => {
      entry.status = res.statusCode;
      entry.endedAt = Date.now();
    });
    res.on('close', () => {
      if (!res.writableFinished) {
        entry.aborted = true;
        entry.endedAt = Date.now();
      }
    });
    if (!proxy(req, res)) {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  const origin = `http://127.0.0.1:${address.port}`;
  const sent: BackendSrvLog[] = [];
  const { setBackendSrv } = require('@grafana/runtime');
  setBackendSrv(createBackendSrv(origin, nodeTransport, sent));
  return {
    origin,
    proxied,
    sent,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Instance settings as Grafana hands them to a data source with `access: proxy`. */
export function instanceSettings<T extends object>(
  uid: string,
  jsonData: T,
  name = uid
): DataSourceInstanceSettings<T> {
  return {
    id: 1,
    uid,
    name,
    type: 'seed-goruntime-datasource',
    access: 'proxy',
    url: `/api/datasources/proxy/uid/${uid}`,
    jsonData,
    readOnly: false,
    meta: { id: 'seed-goruntime-datasource' } as DataSourceInstanceSettings['meta'],
  };
}

/** A query request for the range [now - lastMs, now] (raw `to` = `now`, as a relative dashboard range). */
export function queryRequest<Q extends { refId: string }>(
  targets: Q[],
  range: { from: number; to: number; rawTo?: string } | { lastMs: number },
  extra: Partial<DataQueryRequest<Q & { [k: string]: unknown }>> = {}
): DataQueryRequest<Q & { [k: string]: unknown }> {
  const { dateTime } = require('@grafana/data');
  const now = Date.now();
  const r = 'lastMs' in range ? { from: now - range.lastMs, to: now, rawTo: 'now' } : range;
  const timeRange: TimeRange = {
    from: dateTime(r.from),
    to: dateTime(r.to),
    raw: { from: dateTime(r.from), to: r.rawTo ?? dateTime(r.to) },
  };
  return {
    requestId: `test-${Math.random().toString(36).slice(2)}`,
    interval: '1s',
    intervalMs: 1000,
    maxDataPoints: 500,
    range: timeRange,
    scopedVars: {},
    targets: targets as Array<Q & { [k: string]: unknown }>,
    timezone: 'UTC',
    app: 'dashboard',
    startTime: now,
    panelId: 1,
    ...extra,
  } as DataQueryRequest<Q & { [k: string]: unknown }>;
}

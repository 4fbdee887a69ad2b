/**
 * A transport for the BackendSrv stand-in (backendSrvStandIn.ts) over Node's http that behaves as the browser's
 * fetch does for `BackendSrv.chunked()`: it resolves on the response headers and then hands over the body chunk by
 * chunk as it arrives, and aborting destroys the request (the target sees its client go away).
 */
import { request } from 'http';

import type { Transport } from './backendSrvStandIn';

export const nodeStreamingTransport: Transport = (req) =>
  new Promise((resolve, reject) => {
    const r = request(req.url, { method: req.method, headers: req.headers }, (res) => {
      const headers: Record<string, string> = {};
      Object.entries(res.headers).forEach(([k, v]) => typeof v === 'string' && (headers[k] = v));
      resolve({
        status: res.statusCode ?? 0,
        statusText: res.statusMessage ?? '',
        headers,
        body: new Uint8Array(0),
        streamChunks: (onChunk) =>
          new Promise((done, fail) => {
            res.on('data', (c: Buffer) => onChunk(new Uint8Array(c)));
            res.on('end', () => done());
            res.on('error', fail);
          }),
      });
    });
    r.on('error', reject);
    req.onAbort(() => r.destroy());
    r.end(req.body);
  });

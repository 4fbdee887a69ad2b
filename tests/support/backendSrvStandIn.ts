/**
 * A stand-in for Grafana's BackendSrv (`getBackendSrv()` of @grafana/runtime) over any HTTP transport: Node's
 * http in tests (grafanaRuntime.ts), `window.fetch` in a browser sandbox. Platform-neutral on purpose: no Node or
 * DOM import here, the transport is passed in.
 *
 * It reproduces what the data source relies on in Grafana 13 (grafana/grafana:public/app/core/services/backend_srv.ts
 * and public/app/core/utils/fetch.ts):
 * - URL: `url` plus `params` serialised like `serializeParams` (arrays repeat the key);
 * - body: strings as they are; objects as JSON when the content type is application/json (POST/PUT/PATCH default
 *   to it), otherwise URLSearchParams — which is why binary request bodies cannot go through BackendSrv;
 * - `Accept: application/json, text/plain, *\/*` unless set;
 * - response body parsed by `responseType` whatever the status (`arraybuffer` keeps an ArrayBuffer even for an
 *   error), default: text, then JSON when it parses;
 * - a status outside 200-299 is an error `{status, statusText, data, config}` (what `isFetchError` recognises),
 *   with `processRequestError`'s wrapping of a text body: `data = {error: statusText, response: body, message}`;
 * - unsubscribing aborts the request (`cancelled: true` is never emitted, the subscriber is simply gone);
 * - `chunked()`: one response per body chunk with the headers and `data` the chunk, then one with `data` undefined,
 *   whatever the status (no error for 4xx/5xx; a network failure is an error), the URL used as given. A transport
 *   that hands over the body whole gives one chunk; `streamChunks` lets a transport hand over chunks as they come.
 */
import type { BackendSrv, BackendSrvRequest, FetchResponse } from '@grafana/runtime';
import { Observable, lastValueFrom, map } from 'rxjs';

export interface TransportRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
  /** Called by the stand-in when the subscriber unsubscribes. */
  onAbort: (abort: () => void) => void;
}

export interface TransportResponse {
  status: number;
  statusText: string;
  headers: Record<string, string>;
  body: Uint8Array;
  /** When present, `chunked()` reads the body through it chunk by chunk (and `body` is not used). */
  streamChunks?: (onChunk: (chunk: Uint8Array) => void) => Promise<void>;
}

export type Transport = (request: TransportRequest) => Promise<TransportResponse>;

export interface BackendSrvLog {
  url: string;
  method: string;
  body?: string;
  status?: number;
  aborted?: boolean;
}

class SimpleHeaders {
  private readonly map = new Map<string, string>();
  constructor(init: Record<string, string>) {
    Object.entries(init).forEach(([k, v]) => this.map.set(k.toLowerCase(), v));
  }
  get(name: string): string | null {
    return this.map.get(name.toLowerCase()) ?? null;
  }
  has(name: string): boolean {
    return this.map.has(name.toLowerCase());
  }
  forEach(fn: (value: string, key: string) => void): void {
    this.map.forEach(fn);
  }
}

function serializeParams(params: Record<string, unknown> | undefined): string {
  if (!params) {
    return '';
  }
  return Object.entries(params)
    .filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0))
    .flatMap(([k, v]) =>
      (Array.isArray(v) ? v : [v]).map((x) => `${encodeURIComponent(k)}=${encodeURIComponent(String(x))}`)
    )
    .join('&');
}

function requestBody(options: BackendSrvRequest, headers: Record<string, string>): string | undefined {
  const data = options.data;
  if (data === undefined || data === null || typeof data === 'string') {
    return data ?? undefined;
  }
  const json = (headers['content-type'] ?? '').toLowerCase() === 'application/json';
  return json ? JSON.stringify(data) : new URLSearchParams(data).toString();
}

function parseBody(body: Uint8Array, responseType: BackendSrvRequest['responseType']): unknown {
  if (responseType === 'arraybuffer') {
    return body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength);
  }
  const text = new TextDecoder().decode(body);
  if (responseType === 'text') {
    return text;
  }
  try {
    return JSON.parse(text);
  } catch {
    return responseType === 'json' ? {} : text;
  }
}

/** Grafana's processRequestError: text bodies are wrapped, and `message` falls back to `error`. */
function wrapErrorData(data: unknown, statusText: string): unknown {
  if (data === undefined || data === null) {
    return { message: 'Unexpected error' };
  }
  if (typeof data === 'string') {
    return { error: statusText, response: data, message: statusText };
  }
  return data;
}

export function createBackendSrv(origin: string, transport: Transport, log: BackendSrvLog[] = []): BackendSrv {
  const fetch = <T>(options: BackendSrvRequest): Observable<FetchResponse<T>> =>
    new Observable<FetchResponse<T>>((subscriber) => {
      const method = (options.method ?? 'GET').toUpperCase();
      const headers: Record<string, string> = {};
      Object.entries(options.headers ?? {}).forEach(([k, v]) => (headers[k.toLowerCase()] = String(v)));
      headers.accept = headers.accept ?? 'application/json, text/plain, */*';
      if (['POST', 'PUT', 'PATCH'].includes(method) && !headers['content-type']) {
        headers['content-type'] = 'application/json';
      }
      const query = serializeParams(options.params);
      const url = `${origin}${options.url}${query ? `?${query}` : ''}`;
      const entry: BackendSrvLog = {
        url: `${options.url}${query ? `?${query}` : ''}`,
        method,
        body: requestBody(options, headers),
      };
      log.push(entry);
      let abort: (() => void) | undefined;
      let done = false;
      transport({ url, method, headers, body: entry.body, onAbort: (fn) => (abort = fn) }).then(
        (res) => {
          done = true;
          entry.status = res.status;
          const data = parseBody(res.body, options.responseType) as T;
          const ok = res.status >= 200 && res.status < 300;
          const response: FetchResponse<T> = {
            data,
            status: res.status,
            statusText: res.statusText,
            ok,
            headers: new SimpleHeaders(res.headers) as unknown as Headers,
            redirected: false,
            type: 'basic',
            url,
            config: options,
          };
          if (ok) {
            subscriber.next(response);
            subscriber.complete();
          } else {
            subscriber.error({
              status: res.status,
              statusText: res.statusText,
              data: wrapErrorData(data, res.statusText),
              config: options,
            });
          }
        },
        (error: Error) => {
          done = true;
          subscriber.error({ status: 0, statusText: error.message, data: { message: error.message }, config: options });
        }
      );
      return () => {
        if (!done) {
          entry.aborted = true;
          abort?.();
        }
      };
    });

  const chunked = (options: BackendSrvRequest): Observable<FetchResponse<Uint8Array | undefined>> =>
    new Observable<FetchResponse<Uint8Array | undefined>>((subscriber) => {
      const method = (options.method ?? 'GET').toUpperCase();
      const headers: Record<string, string> = {};
      Object.entries(options.headers ?? {}).forEach(([k, v]) => (headers[k.toLowerCase()] = String(v)));
      headers.accept = headers.accept ?? 'application/json, text/plain, */*';
      const query = serializeParams(options.params);
      // chunked() takes the URL as given: a relative one resolves against the page, here the origin's root.
      const path = options.url.startsWith('/') ? options.url : `/${options.url}`;
      const url = `${origin}${path}${query ? `?${query}` : ''}`;
      const entry: BackendSrvLog = {
        url: `${path}${query ? `?${query}` : ''}`,
        method,
        body: requestBody(options, headers),
      };
      log.push(entry);
      let abort: (() => void) | undefined;
      let done = false;
      transport({ url, method, headers, body: entry.body, onAbort: (fn) => (abort = fn) })
        .then(async (res) => {
          entry.status = res.status;
          const head = {
            status: res.status,
            statusText: res.statusText,
            ok: res.status >= 200 && res.status < 300,
            headers: new SimpleHeaders(res.headers) as unknown as Headers,
            redirected: false,
            type: 'basic' as ResponseType,
            url,
            config: options,
          };
          const emit = (data: Uint8Array | undefined) => subscriber.next({ ...head, data });
          if (res.streamChunks) {
            await res.streamChunks(emit);
          } else {
            emit(res.body);
          }
          done = true;
          emit(undefined);
          subscriber.complete();
        })
        .catch((error: Error) => {
          done = true;
          subscriber.error(error);
        });
      return () => {
        if (!done) {
          entry.aborted = true;
          abort?.();
        }
      };
    });

  const unary =
    <T>(method: string) =>
    (url: string, data?: unknown, options?: Partial<BackendSrvRequest>) =>
      lastValueFrom(fetch<T>({ ...options, url, method, data }).pipe(map((r) => r.data)));

  return {
    fetch,
    get: (url, params, _requestId, options) =>
      lastValueFrom(fetch({ ...options, url, params }).pipe(map((r) => r.data))),
    post: unary('POST'),
    put: unary('PUT'),
    patch: unary('PATCH'),
    delete: unary('DELETE'),
    request: (options) => lastValueFrom(fetch(options).pipe(map((r) => r.data))) as Promise<never>,
    datasourceRequest: (options) => lastValueFrom(fetch(options)) as Promise<never>,
    chunked,
  } as BackendSrv;
}

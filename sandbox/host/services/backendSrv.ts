// The sandbox's BackendSrv: what `getBackendSrv()` returns to the plugin. It behaves like Grafana's
// (public/app/core/services/backend_srv.ts and core/utils/fetch.ts) where a data source can tell the difference:
// - `fetch()` returns a cold rxjs Observable; unsubscribing aborts the HTTP request (the data-proxy stand-in then
//   aborts the upstream capture too);
// - `params` serialised like Grafana (undefined and empty values dropped, arrays repeated);
// - the body is parsed by `responseType` ('arraybuffer' | 'blob' | 'text' | 'json'), or without one as JSON with a
//   fallback to text;
// - HTTP errors become FetchError-shaped objects `{status, statusText, data, config}`, where a string body is wrapped
//   as `{error: statusText, response: body, message: statusText}` as Grafana's processRequestError does;
// - a newer request with the same `requestId` cancels the older one, which then emits
//   `{data: [], status: -1, statusText: 'Request was aborted'}`; an `abortSignal` that fires errors with
//   `{cancelled: true, status: -1}`.
// Every request is also reported to `requests$`, for the page's request log (and the browser tests).
import type { BackendSrv, BackendSrvRequest, FetchError, FetchResponse } from '@grafana/runtime';
import { lastValueFrom, Observable, Subject } from 'rxjs';

export interface RequestLogEntry {
  id: number;
  method: string;
  url: string;
  requestId?: string;
  state: 'pending' | 'ok' | 'error' | 'cancelled';
  status?: number;
  bytes?: number;
  durationMs?: number;
}

const CANCELLED_STATUS = -1;

export class SandboxBackendSrv implements BackendSrv {
  readonly requests$ = new Subject<RequestLogEntry>();
  private readonly inFlight = new Map<string, () => void>();
  private nextId = 1;

  fetch<T>(options: BackendSrvRequest): Observable<FetchResponse<T>> {
    return new Observable<FetchResponse<T>>((subscriber) => {
      const method = (options.method ?? 'GET').toUpperCase();
      const entry: RequestLogEntry = { id: this.nextId++, method, url: '', requestId: options.requestId, state: 'pending' };
      const started = performance.now();
      const report = (update: Partial<RequestLogEntry>) => {
        Object.assign(entry, update, update.state !== 'pending' ? { durationMs: Math.round(performance.now() - started) } : {});
        this.requests$.next({ ...entry });
      };

      let url: string;
      try {
        url = buildUrl(options);
      } catch (error) {
        subscriber.error(error);
        return;
      }
      entry.url = url;
      report({ state: 'pending' });

      const controller = new AbortController();
      let cancelledBy: 'requestId' | 'signal' | 'unsubscribe' | undefined;

      const cancelForNewerRequest = () => {
        cancelledBy = 'requestId';
        controller.abort();
        report({ state: 'cancelled', status: CANCELLED_STATUS });
        subscriber.next(cancelledResponse(options) as FetchResponse<T>);
        subscriber.complete();
      };
      if (options.requestId) {
        this.inFlight.get(options.requestId)?.();
        this.inFlight.set(options.requestId, cancelForNewerRequest);
      }
      const onSignalAbort = () => {
        cancelledBy = 'signal';
        controller.abort();
      };
      if (options.abortSignal?.aborted) {
        onSignalAbort();
      }
      options.abortSignal?.addEventListener('abort', onSignalAbort);

      const init = requestInit(options, method);
      fetch(url, { ...init, signal: controller.signal })
        .then(async (response) => {
          const data = await parseResponseBody<T>(response, options.responseType);
          const result: FetchResponse<T> = {
            data,
            status: response.status,
            statusText: response.statusText,
            ok: response.ok,
            headers: response.headers,
            redirected: response.redirected,
            type: response.type,
            url: response.url,
            config: options,
          };
          report({ state: response.ok ? 'ok' : 'error', status: response.status, bytes: byteLength(data) });
          if (!response.ok) {
            subscriber.error(toFetchError(result));
            return;
          }
          subscriber.next(result);
          subscriber.complete();
        })
        .catch((error: unknown) => {
          if (cancelledBy === 'signal') {
            report({ state: 'cancelled', status: CANCELLED_STATUS });
            subscriber.error({ ...cancelledResponse(options), data: null, cancelled: true, message: 'Request was aborted' });
          } else if (!cancelledBy) {
            report({ state: 'error' });
            subscriber.error(error);
          }
        })
        .finally(() => {
          options.abortSignal?.removeEventListener('abort', onSignalAbort);
          if (options.requestId && this.inFlight.get(options.requestId) === cancelForNewerRequest) {
            this.inFlight.delete(options.requestId);
          }
        });

      return () => {
        // Unsubscribed before the response arrived (the query was superseded or the panel unmounted).
        if (entry.state === 'pending' && !cancelledBy) {
          cancelledBy = 'unsubscribe';
          controller.abort();
          report({ state: 'cancelled', status: CANCELLED_STATUS });
        }
      };
    });
  }

  datasourceRequest<T = unknown>(options: BackendSrvRequest): Promise<FetchResponse<T>> {
    return lastValueFrom(this.fetch<T>(options));
  }

  async request<T = unknown>(options: BackendSrvRequest): Promise<T> {
    return (await lastValueFrom(this.fetch<T>(options))).data;
  }

  get<T = unknown>(url: string, params?: Record<string, unknown>, requestId?: string, options?: Partial<BackendSrvRequest>): Promise<T> {
    return this.request<T>({ ...options, method: 'GET', url, params, requestId });
  }

  delete<T = unknown>(url: string, data?: unknown, options?: Partial<BackendSrvRequest>): Promise<T> {
    return this.request<T>({ ...options, method: 'DELETE', url, data });
  }

  post<T = unknown>(url: string, data?: unknown, options?: Partial<BackendSrvRequest>): Promise<T> {
    return this.request<T>({ ...options, method: 'POST', url, data });
  }

  patch<T = unknown>(url: string, data?: unknown, options?: Partial<BackendSrvRequest>): Promise<T> {
    return this.request<T>({ ...options, method: 'PATCH', url, data });
  }

  put<T = unknown>(url: string, data?: unknown, options?: Partial<BackendSrvRequest>): Promise<T> {
    return this.request<T>({ ...options, method: 'PUT', url, data });
  }

  chunked(): Observable<FetchResponse<Uint8Array | undefined>> {
    return new Observable((subscriber) => subscriber.error(new Error('backendSrv.chunked() is not available in the sandbox')));
  }
}

function buildUrl(options: BackendSrvRequest): string {
  // Grafana resolves relative URLs against its app sub-URL, which is the root here.
  let url = /^https?:\/\//.test(options.url) || options.url.startsWith('/') ? options.url : `/${options.url}`;
  if (options.validatePath) {
    const path = url.split('?')[0];
    if (path.split('/').some((segment) => safeDecode(segment) === '..')) {
      throw new Error(`Invalid request path: ${options.url}`);
    }
  }
  const params = serializeParams(options.params ?? {});
  if (params) {
    url += (url.includes('?') ? '&' : '?') + params;
  }
  return url;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export function serializeParams(params: Record<string, unknown>): string {
  return Object.entries(params)
    .filter(([, value]) => value !== undefined && !(value !== null && (value as { length?: number }).length === 0))
    .flatMap(([key, value]) =>
      (Array.isArray(value) ? value : [value]).map((item) => `${encodeURIComponent(key)}=${encodeURIComponent(String(item))}`)
    )
    .join('&');
}

function requestInit(options: BackendSrvRequest, method: string): RequestInit {
  const headers = new Headers(options.headers ?? {});
  if (!headers.has('accept')) {
    headers.set('accept', 'application/json, text/plain, */*');
  }
  if (['POST', 'PUT', 'PATCH'].includes(method) && !headers.has('content-type')) {
    headers.set('content-type', 'application/json');
  }
  headers.set('X-Grafana-Org-Id', '1');
  let body: BodyInit | undefined;
  if (options.data !== undefined && options.data !== null) {
    const isJson = headers.get('content-type')?.toLowerCase() === 'application/json';
    body = typeof options.data === 'string' || options.data instanceof ArrayBuffer || ArrayBuffer.isView(options.data) || options.data instanceof Blob
      ? (options.data as BodyInit)
      : isJson
        ? JSON.stringify(options.data)
        : new URLSearchParams(options.data as Record<string, string>);
  }
  return { method, headers, body, credentials: options.credentials ?? 'same-origin' };
}

async function parseResponseBody<T>(response: Response, responseType: BackendSrvRequest['responseType']): Promise<T> {
  switch (responseType) {
    case 'arraybuffer':
      return (await response.arrayBuffer()) as T;
    case 'blob':
      return (await response.blob()) as T;
    case 'text':
      return (await response.text()) as T;
    case 'json':
      if (response.headers.get('content-length') === '0') {
        return {} as T;
      }
      return (await response.json()) as T;
    default: {
      const text = await response.text();
      try {
        return JSON.parse(text) as T;
      } catch {
        return text as T;
      }
    }
  }
}

function toFetchError<T>(response: FetchResponse<T>): FetchError {
  let data: unknown = response.data;
  if (typeof data === 'string') {
    data = { error: response.statusText, response: data };
  }
  if (data && typeof data === 'object' && !(data instanceof ArrayBuffer) && !(data instanceof Blob)) {
    const record = data as Record<string, unknown>;
    if (!record.message && typeof record.error === 'string') {
      record.message = record.error;
    }
  }
  return { status: response.status, statusText: response.statusText, data, config: response.config };
}

function cancelledResponse(options: BackendSrvRequest) {
  return { data: [], status: CANCELLED_STATUS, statusText: 'Request was aborted', config: options };
}

function byteLength(data: unknown): number | undefined {
  if (data instanceof ArrayBuffer) {
    return data.byteLength;
  }
  if (typeof data === 'string') {
    return data.length;
  }
  if (data instanceof Blob) {
    return data.size;
  }
  return undefined;
}

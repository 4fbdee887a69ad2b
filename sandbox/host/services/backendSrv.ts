// The sandbox's BackendSrv: what `getBackendSrv()` returns to the plugin. It behaves like Grafana's
// (public/app/core/services/backend_srv.ts, FetchQueue.ts, FetchQueueWorker.ts, ResponseQueue.ts and
// core/utils/fetch.ts) where a data source can tell the difference:
// - `fetch()` returns a cold rxjs Observable; unsubscribing aborts the HTTP request (the data-proxy stand-in then
//   aborts the upstream capture too), or takes it out of the queue if it has not started;
// - the request queue: requests to data URLs (`api/datasources/proxy`, `api/ds/query`: Grafana's `isDataQuery`)
//   start only while fewer than 5 requests are in progress (`maxParallelRequests = http2Enabled ? 1000 : 5`, as
//   Grafana behind HTTP/1.1, its default); other API requests start at once and count as in progress too. Queued
//   requests start in the order they were made;
// - `params` serialised like Grafana (undefined and empty values dropped, arrays repeated);
// - the body is parsed by `responseType` ('arraybuffer' | 'blob' | 'text' | 'json'), or without one as JSON with a
//   fallback to text;
// - HTTP errors become FetchError-shaped objects `{status, statusText, data, config}`, where a string body is wrapped
//   as `{message, error: statusText, response: body}` as Grafana's processRequestError does;
// - when a request with a `requestId` starts, an older one with the same `requestId` still in progress is cancelled:
//   it errors with `{type: 'cancelled', cancelled: true, data: null, status: -1, statusText: 'Request was aborted'}`
//   (backend_srv.ts handleStreamCancellation); so does a request whose `abortSignal` fires.
// Every request is also reported to `requests$` (queued, started, finished), for the page's request log and the
// browser tests.
import { config, type BackendSrv, type BackendSrvRequest, type FetchError, type FetchResponse } from '@grafana/runtime';
import { lastValueFrom, Observable, Subject } from 'rxjs';

export interface RequestLogEntry {
  id: number;
  method: string;
  url: string;
  requestId?: string;
  /** `queued`: waiting for a free slot in the request queue; `pending`: sent, no answer yet. */
  state: 'queued' | 'pending' | 'ok' | 'error' | 'cancelled';
  status?: number;
  bytes?: number;
  /** Page time (performance.now()) when fetch() was subscribed, when the HTTP request was sent, when it ended. */
  createdAt: number;
  startedAt?: number;
  endedAt?: number;
  /** Time spent in the queue, then from being sent to the end. */
  queuedMs?: number;
  durationMs?: number;
  /** Requests in progress (sent, unfinished) at the moment this one was sent, itself included. */
  inProgressAtStart?: number;
}

const CANCELLED_STATUS = -1;

/** Grafana's `isDataQuery` (public/app/core/utils/query.ts): the URLs its fetch queue holds back. */
export function isDataQuery(url: string): boolean {
  return url.includes('api/datasources/proxy') || url.includes('api/ds/query');
}

interface Waiting {
  isData: boolean;
  start: () => void;
}

/**
 * Grafana's FetchQueue + FetchQueueWorker: API requests start at once; data requests start in order while fewer
 * than `maxParallel` requests of any kind are in progress.
 */
export class RequestQueue {
  private readonly waiting: Waiting[] = [];
  inProgress = 0;

  constructor(readonly maxParallel: number) {}

  /** Queues `start`; returns a function that withdraws it if it has not started yet. */
  add(isData: boolean, start: () => void): () => void {
    const entry = { isData, start };
    this.waiting.push(entry);
    this.pump();
    return () => {
      const index = this.waiting.indexOf(entry);
      if (index >= 0) {
        this.waiting.splice(index, 1);
      }
    };
  }

  /** A started request ended (answered, failed or cancelled). */
  done(): void {
    this.inProgress--;
    this.pump();
  }

  get queued(): number {
    return this.waiting.length;
  }

  private pump(): void {
    const ready = this.waiting.filter((w) => !w.isData);
    const data = this.waiting.filter((w) => w.isData);
    const allowed = Math.max(this.maxParallel - this.inProgress - ready.length, 0);
    ready.push(...data.slice(0, allowed));
    for (const entry of ready) {
      this.waiting.splice(this.waiting.indexOf(entry), 1);
      this.inProgress++;
      entry.start();
    }
  }
}

export class SandboxBackendSrv implements BackendSrv {
  readonly requests$ = new Subject<RequestLogEntry>();
  private readonly inFlight = new Map<string, () => void>();
  private nextId = 1;

  /** Grafana 13 behind HTTP/1.1 (its default): 5; with `[server] protocol = h2`: 1000. */
  readonly queue = new RequestQueue(config.http2Enabled ? 1000 : 5);

  fetch<T>(options: BackendSrvRequest): Observable<FetchResponse<T>> {
    return new Observable<FetchResponse<T>>((subscriber) => {
      const method = (options.method ?? 'GET').toUpperCase();
      const entry: RequestLogEntry = {
        id: this.nextId++,
        method,
        url: '',
        requestId: options.requestId,
        state: 'queued',
        createdAt: performance.now(),
      };
      const report = (update: Partial<RequestLogEntry>) => {
        Object.assign(entry, update);
        if (update.state && update.state !== 'queued' && update.state !== 'pending') {
          entry.endedAt = performance.now();
          entry.queuedMs = Math.round((entry.startedAt ?? entry.endedAt) - entry.createdAt);
          entry.durationMs = Math.round(entry.endedAt - (entry.startedAt ?? entry.endedAt));
        }
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
      report({ state: 'queued' });

      const controller = new AbortController();
      let started = false;
      let finished = false;
      let cancelledBy: 'requestId' | 'signal' | 'unsubscribe' | undefined;
      const finish = () => {
        if (started && !finished) {
          finished = true;
          this.queue.done();
        }
        options.abortSignal?.removeEventListener('abort', onSignalAbort);
        if (options.requestId && this.inFlight.get(options.requestId) === cancelForNewerRequest) {
          this.inFlight.delete(options.requestId);
        }
      };
      const cancelWithError = (by: 'requestId' | 'signal') => {
        cancelledBy = by;
        controller.abort();
        report({ state: 'cancelled', status: CANCELLED_STATUS });
        finish();
        subscriber.error(cancelledError(options));
      };
      const cancelForNewerRequest = () => cancelWithError('requestId');
      const onSignalAbort = () => {
        if (started) {
          cancelWithError('signal');
        } else {
          withdraw();
          cancelWithError('signal');
        }
      };

      const send = () => {
        started = true;
        entry.startedAt = performance.now();
        entry.inProgressAtStart = this.queue.inProgress;
        report({ state: 'pending' });
        if (options.requestId) {
          // Grafana publishes the requestId when the request leaves the queue (internalFetch): an older request with
          // the same id that is still in progress is cancelled then.
          this.inFlight.get(options.requestId)?.();
          this.inFlight.set(options.requestId, cancelForNewerRequest);
        }
        const init = requestInit(options, method);
        fetch(url, { ...init, signal: controller.signal })
          .then(async (response) => {
            const data = await parseResponseBody<T>(response, options.responseType);
            if (cancelledBy) {
              return;
            }
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
            finish();
            if (!response.ok) {
              subscriber.error(toFetchError(result));
              return;
            }
            subscriber.next(result);
            subscriber.complete();
          })
          .catch((error: unknown) => {
            if (!cancelledBy) {
              report({ state: 'error' });
              finish();
              subscriber.error(error);
            }
          });
      };

      if (options.abortSignal?.aborted) {
        cancelWithError('signal');
        return;
      }
      options.abortSignal?.addEventListener('abort', onSignalAbort);
      const withdraw = this.queue.add(isDataQuery(url), send);

      return () => {
        // Unsubscribed before the response arrived (the query was superseded or the panel unmounted): a queued
        // request leaves the queue, a sent one is aborted.
        if ((entry.state === 'pending' || entry.state === 'queued') && !cancelledBy) {
          cancelledBy = 'unsubscribe';
          withdraw();
          controller.abort();
          report({ state: 'cancelled', status: CANCELLED_STATUS });
          finish();
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

  get<T = unknown>(
    url: string,
    params?: Record<string, unknown>,
    requestId?: string,
    options?: Partial<BackendSrvRequest>
  ): Promise<T> {
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

  /**
   * Grafana's `chunked()` emits the headers with each body chunk as it arrives, then one response with `data`
   * undefined, and reports a 4xx/5xx as a response with `ok: false`, not as an error. Here the body is one chunk:
   * the request goes through `fetch()` above, so it keeps its place in the request log and the queue (Grafana's
   * `chunked()` skips the queue), and unsubscribing still aborts it.
   */
  chunked(options: BackendSrvRequest): Observable<FetchResponse<Uint8Array | undefined>> {
    return new Observable((subscriber) => {
      const emit = (head: Omit<FetchResponse<unknown>, 'data'>, body: unknown) => {
        const bytes = body instanceof ArrayBuffer ? new Uint8Array(body) : new TextEncoder().encode(String(body ?? ''));
        subscriber.next({ ...head, data: bytes });
        subscriber.next({ ...head, data: undefined });
        subscriber.complete();
      };
      const subscription = this.fetch<ArrayBuffer>({ ...options, responseType: 'arraybuffer' }).subscribe({
        next: (response) => emit(response, response.data),
        error: (error: FetchError) => {
          if (!error || typeof error.status !== 'number' || error.status <= 0 || error.cancelled) {
            subscriber.error(error);
            return;
          }
          const head = {
            status: error.status,
            statusText: error.statusText ?? '',
            ok: false,
            headers: new Headers(),
            redirected: false,
            type: 'basic' as ResponseType,
            url: options.url,
            config: options,
          };
          emit(head, error.data);
        },
      });
      return () => subscription.unsubscribe();
    });
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
      (Array.isArray(value) ? value : [value]).map(
        (item) => `${encodeURIComponent(key)}=${encodeURIComponent(String(item))}`
      )
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
    body =
      typeof options.data === 'string' ||
      options.data instanceof ArrayBuffer ||
      ArrayBuffer.isView(options.data) ||
      options.data instanceof Blob
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
    data = { message: data, error: response.statusText, response: data };
  }
  if (data && typeof data === 'object' && !(data instanceof ArrayBuffer) && !(data instanceof Blob)) {
    const record = data as Record<string, unknown>;
    if (!record.message && typeof record.error === 'string') {
      record.message = record.error;
    }
  }
  return { status: response.status, statusText: response.statusText, data, config: response.config };
}

/** What Grafana's fetch errors with when a request is cancelled (backend_srv.ts handleStreamCancellation). */
function cancelledError(options: BackendSrvRequest) {
  return {
    type: 'cancelled',
    cancelled: true,
    data: null,
    status: CANCELLED_STATUS,
    statusText: 'Request was aborted',
    config: options,
  };
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

/**
 * The one place that sends HTTP: `getBackendSrv().fetch` to `<instanceSettings.url><path>`, which with
 * `access: proxy` is `/api/datasources/proxy/uid/<uid>` (grafana/grafana:pkg/api/frontendsettings.go), so Grafana's
 * data proxy adds credentials server-side (grafana/grafana:pkg/api/pluginproxy/ds_proxy.go).
 *
 * - Binary bodies need `responseType: 'arraybuffer'`; without it Grafana runs `text()` + `JSON.parse` and corrupts
 *   gzip (public/app/core/utils/fetch.ts `parseResponseBody`). JSON answers are read as text so their size is
 *   checked and their parse errors are ours to word.
 * - Cancellation: unsubscribing from BackendSrv's Observable aborts the browser request; the data proxy then
 *   drops the upstream request too. Nothing here swallows the unsubscribe.
 * - Size: bodies are read through `BackendSrv.chunked()` (Grafana 11.5+, grafana/grafana#98691), which hands over
 *   the response headers and then each chunk as it arrives: a declared `Content-Length` above the data source's
 *   limit is refused before the body is read, and the running count of chunks stops the transfer (unsubscribing
 *   aborts the browser request) as soon as it passes the limit, so an oversized body costs at most the limit plus
 *   one chunk of memory. `fetch()` would read the body whole first (public/app/core/utils/fetch.ts
 *   `parseResponseBody`: `response.arrayBuffer()` / `text()`); it remains the path only where `chunked` is missing,
 *   and there the size is checked after the read, before any decoding.
 * - Deadline: each request must be answered completely within the data source timeout plus the capture length
 *   (`seconds`); Grafana's proxy timeout covers only the wait for headers, so a target trickling its body a byte a
 *   second would otherwise keep a query pending forever. Past the deadline the request is unsubscribed (aborted)
 *   and fails with a {@link DeadlineExceededError}.
 */
import { BackendSrvRequest, config, FetchError, FetchResponse, getBackendSrv } from '@grafana/runtime';
import { Observable, map, throwError, timeout } from 'rxjs';

import { concatChunks, LimitExceededError } from '../../core';
import { formatBytes } from './failure';

export interface ProxyRequest {
  /** Path below the data source URL, built by transport/paths.ts. */
  path: string;
  method?: 'GET' | 'POST';
  params?: Record<string, string | number>;
  /** JSON request body (POST). */
  body?: unknown;
  headers?: Record<string, string>;
  responseType: 'arraybuffer' | 'text';
}

/** What bounds one request: the data source's size limit and its timeout (seconds, default 30). */
export interface RequestBounds {
  maxProfileBytes: number;
  timeout?: number;
}

const DEFAULT_TIMEOUT_SECONDS = 30;

/** The request got no complete answer before its deadline. */
export class DeadlineExceededError extends Error {
  constructor(
    readonly seconds: number,
    detail: string
  ) {
    super(`no complete response within ${seconds} s (${detail})`);
    this.name = 'DeadlineExceededError';
  }
}

/** Seconds one request may take in all: the timeout plus the capture length it asks the target for. */
export function requestDeadlineSeconds(req: Pick<ProxyRequest, 'params'>, timeoutSeconds: number): number {
  const capture = Number(req.params?.seconds ?? 0);
  return timeoutSeconds + (Number.isFinite(capture) && capture > 0 ? capture : 0);
}

export interface ProxyResponse<T> {
  data: T;
  status: number;
  headers: Headers;
  /** Body size in bytes (UTF-16 length for text, close enough for a limit). */
  bytes: number;
}

export function describeRequest(req: Omit<ProxyRequest, 'responseType'>): string {
  const query = req.params
    ? new URLSearchParams(Object.entries(req.params).map(([k, v]) => [k, String(v)])).toString()
    : '';
  return `${req.method ?? 'GET'} ${req.path}${query ? `?${query}` : ''}`;
}

/** `bounds`: the data source options (size limit and timeout), or just a size limit (default timeout). */
export function fetchBinary(baseUrl: string, req: Omit<ProxyRequest, 'responseType'>, bounds: number | RequestBounds) {
  return proxyFetch(baseUrl, { ...req, responseType: 'arraybuffer' }, bounds) as Observable<ProxyResponse<ArrayBuffer>>;
}

export function fetchText(baseUrl: string, req: Omit<ProxyRequest, 'responseType'>, bounds: number | RequestBounds) {
  return proxyFetch(baseUrl, { ...req, responseType: 'text' }, bounds) as Observable<ProxyResponse<string>>;
}

/** How the size was found over the limit: declared by the headers, counted while reading, or after a whole read. */
type Overrun = 'declared' | 'stopped' | 'read';

function tooLarge(bytes: number, maxBytes: number, how: Overrun): LimitExceededError {
  const what = { declared: 'declares', stopped: 'is over', read: 'is' }[how];
  const after = { declared: '; it was not read', stopped: '; reading was stopped there', read: '' }[how];
  return new LimitExceededError(
    `the response ${what} ${formatBytes(bytes)}, above the data source's maximum of ${formatBytes(maxBytes)} (raise "Maximum profile size" to accept it)${after}`,
    { name: 'maxProfileBytes', max: maxBytes, actual: bytes }
  );
}

/**
 * The body as BackendSrv's `fetch` would hand it over (ArrayBuffer or text, a status outside 200-299 as a
 * FetchError), but read chunk by chunk through `chunked()` and stopped past `maxBytes`.
 */
function fetchBounded(options: BackendSrvRequest, maxBytes: number): Observable<FetchResponse<ArrayBuffer | string>> {
  // fetch() strips the leading slash of a local URL so that it resolves against the page's <base href> (a Grafana
  // served under a sub-path); chunked() passes the URL on as given (backend_srv.ts `parseRequestOptions`).
  const url = options.url.startsWith('/') ? options.url.slice(1) : options.url;
  const orgId = config.bootData?.user?.orgId;
  const headers = orgId ? { 'X-Grafana-Org-Id': String(orgId), ...options.headers } : options.headers;
  return new Observable((subscriber) => {
    const chunks: Uint8Array[] = [];
    let total = 0;
    let head: FetchResponse<unknown> | undefined;
    const subscription = getBackendSrv()
      .chunked({ ...options, url, headers })
      .subscribe({
        next: (response) => {
          if (!head) {
            head = response;
            const declared = Number(response.headers?.get('content-length') ?? NaN);
            // With a Content-Encoding the browser inflates the body and the length is that of the encoded bytes.
            const encoded = (response.headers?.get('content-encoding') ?? 'identity') !== 'identity';
            if (!encoded && declared > maxBytes) {
              subscriber.error(tooLarge(declared, maxBytes, 'declared'));
              return;
            }
          }
          const chunk = response.data;
          if (chunk?.length) {
            total += chunk.length;
            if (total > maxBytes) {
              subscriber.error(tooLarge(total, maxBytes, 'stopped'));
              return;
            }
            chunks.push(chunk);
          }
        },
        error: (error: unknown) => subscriber.error(asFetchError(error, options)),
        complete: () => {
          if (!head) {
            subscriber.error(asFetchError(new Error('no response'), options));
            return;
          }
          const bytes = concatChunks(chunks, total);
          const data =
            options.responseType === 'text'
              ? new TextDecoder().decode(bytes)
              : (bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
          if (!head.ok) {
            const failure: FetchError = { status: head.status, statusText: head.statusText, data, config: options };
            subscriber.error(failure);
            return;
          }
          subscriber.next({ ...head, data });
          subscriber.complete();
        },
      });
    // Unsubscribing (a limit above, the deadline, a cancelled query) aborts the request: chunked() ties its
    // AbortController to the subscription.
    return () => subscription.unsubscribe();
  });
}

/** A network failure (no HTTP response at all) in the FetchError shape that `fetch` gives and failure.ts reads. */
function asFetchError(error: unknown, options: BackendSrvRequest): unknown {
  if (error && typeof error === 'object' && 'status' in error && 'data' in error) {
    return error;
  }
  const message = error instanceof Error ? error.message : String(error);
  return { status: 0, statusText: message, data: { message }, config: options } satisfies FetchError;
}

function proxyFetch(
  baseUrl: string,
  req: ProxyRequest,
  bounds: number | RequestBounds
): Observable<ProxyResponse<ArrayBuffer | string>> {
  const maxBytes = typeof bounds === 'number' ? bounds : bounds.maxProfileBytes;
  const timeoutSeconds = (typeof bounds === 'number' ? undefined : bounds.timeout) ?? DEFAULT_TIMEOUT_SECONDS;
  const deadline = requestDeadlineSeconds(req, timeoutSeconds);
  const options: BackendSrvRequest = {
    url: `${baseUrl}${req.path}`,
    method: req.method ?? 'GET',
    params: req.params,
    data: req.body,
    headers: req.body !== undefined ? { 'Content-Type': 'application/json', ...req.headers } : req.headers,
    responseType: req.responseType,
    showErrorAlert: false,
    showSuccessAlert: false,
  };
  const srv = getBackendSrv();
  const response =
    typeof srv.chunked === 'function' ? fetchBounded(options, maxBytes) : srv.fetch<ArrayBuffer | string>(options);
  return response.pipe(
    timeout({
      first: deadline * 1000,
      with: () =>
        throwError(
          () =>
            new DeadlineExceededError(
              deadline,
              `timeout ${timeoutSeconds} s${deadline > timeoutSeconds ? ` + capture ${deadline - timeoutSeconds} s` : ''}; the request was cancelled: the target answers too slowly or its body is still arriving — raise the data source timeout if the target is just slow`
            )
        ),
    }),
    map((response) => {
      const data = response.data ?? (req.responseType === 'text' ? '' : new ArrayBuffer(0));
      const bytes = typeof data === 'string' ? data.length : data.byteLength;
      if (bytes > maxBytes) {
        throw tooLarge(bytes, maxBytes, 'read');
      }
      return { data, status: response.status, headers: response.headers, bytes };
    })
  );
}

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
 * - Size: a body above the data source's limit is rejected before any decoding. BackendSrv hands over bodies only
 *   whole (`responseType` is json/text/arraybuffer/blob, no stream), so the cap cannot stop the transfer itself; the
 *   deadline below bounds how long one can last.
 * - Deadline: each request must be answered completely within the data source timeout plus the capture length
 *   (`seconds`); Grafana's proxy timeout covers only the wait for headers, so a target trickling its body a byte a
 *   second would otherwise keep a query pending forever. Past the deadline the request is unsubscribed (aborted)
 *   and fails with a {@link DeadlineExceededError}.
 */
import { getBackendSrv } from '@grafana/runtime';
import { Observable, map, throwError, timeout } from 'rxjs';

import { LimitExceededError } from '../../core';
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

function proxyFetch(
  baseUrl: string,
  req: ProxyRequest,
  bounds: number | RequestBounds
): Observable<ProxyResponse<ArrayBuffer | string>> {
  const maxBytes = typeof bounds === 'number' ? bounds : bounds.maxProfileBytes;
  const timeoutSeconds = (typeof bounds === 'number' ? undefined : bounds.timeout) ?? DEFAULT_TIMEOUT_SECONDS;
  const deadline = requestDeadlineSeconds(req, timeoutSeconds);
  return getBackendSrv()
    .fetch<ArrayBuffer | string>({
      url: `${baseUrl}${req.path}`,
      method: req.method ?? 'GET',
      params: req.params,
      data: req.body,
      headers: req.body !== undefined ? { 'Content-Type': 'application/json', ...req.headers } : req.headers,
      responseType: req.responseType,
      showErrorAlert: false,
      showSuccessAlert: false,
    })
    .pipe(
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
          throw new LimitExceededError(
            `the response is ${formatBytes(bytes)}, above the data source's maximum of ${formatBytes(maxBytes)} (raise "Maximum profile size" to accept it)`,
            { name: 'maxProfileBytes', max: maxBytes, actual: bytes }
          );
        }
        return { data, status: response.status, headers: response.headers, bytes };
      })
    );
}

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
 * - Size: a body above the data source's limit is rejected before any decoding.
 */
import { getBackendSrv } from '@grafana/runtime';
import { Observable, map } from 'rxjs';

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

export function fetchBinary(baseUrl: string, req: Omit<ProxyRequest, 'responseType'>, maxBytes: number) {
  return proxyFetch(baseUrl, { ...req, responseType: 'arraybuffer' }, maxBytes) as Observable<
    ProxyResponse<ArrayBuffer>
  >;
}

export function fetchText(baseUrl: string, req: Omit<ProxyRequest, 'responseType'>, maxBytes: number) {
  return proxyFetch(baseUrl, { ...req, responseType: 'text' }, maxBytes) as Observable<ProxyResponse<string>>;
}

function proxyFetch(
  baseUrl: string,
  req: ProxyRequest,
  maxBytes: number
): Observable<ProxyResponse<ArrayBuffer | string>> {
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

/**
 * Every failure a query can meet becomes one {@link QueryFailure} whose message names the target, the profile and
 * the cause, in that order ("Go demo (pprof), cpu profile: HTTP 500 from the target: cpu profiling already in
 * use ..."), so a panel error is actionable without opening the query inspector.
 */
import { isFetchError } from '@grafana/runtime';

import { isInputError } from '../../core';

export interface FailureSubject {
  /** The data source as the user named it, plus its mode. */
  target: string;
  /** What was being read: `cpu profile`, `goroutine dump`, `Pyroscope SelectSeries`... */
  profile: string;
  /** Path and query of the request, for the cause line. */
  request?: string;
}

export class QueryFailure extends Error {
  constructor(
    readonly subject: FailureSubject,
    readonly cause: string,
    readonly status?: number
  ) {
    super(`${subject.target}, ${subject.profile}: ${cause}`);
    this.name = 'QueryFailure';
  }
}

export function isQueryFailure(error: unknown): error is QueryFailure {
  return error instanceof QueryFailure;
}

const MB = 1024 * 1024;

export function formatBytes(bytes: number): string {
  return bytes >= MB
    ? `${(bytes / MB).toFixed(1)} MB`
    : bytes >= 1024
      ? `${(bytes / 1024).toFixed(1)} KB`
      : `${bytes} bytes`;
}

/**
 * Body of an HTTP error as raw text, whatever BackendSrv made of it: an ArrayBuffer for `arraybuffer` requests, and
 * for text bodies Grafana's `processRequestError` wrapping `{error: statusText, response: body, message}`
 * (grafana/grafana:public/app/core/services/backend_srv.ts).
 */
export function rawBodyText(data: unknown): string {
  if (data === undefined || data === null) {
    return '';
  }
  if (typeof data === 'string') {
    return data;
  }
  const wrapped = (data as { response?: unknown }).response;
  if (typeof wrapped === 'string') {
    return wrapped;
  }
  if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) {
    const bytes =
      data instanceof ArrayBuffer
        ? new Uint8Array(data)
        : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    return new TextDecoder().decode(bytes.subarray(0, 2000));
  }
  return typeof data === 'object' ? jsonPrefix(data) : String(data);
}

/** An error body the proxy already parsed, as text: never throws (a deeply nested body overflows the stack). */
function jsonPrefix(data: object): string {
  try {
    return (JSON.stringify(data) ?? '').slice(0, 2000);
  } catch {
    return `(an error body that cannot be shown: ${Array.isArray(data) ? 'array' : 'object'})`;
  }
}

/** The words of an error body: the message of a JSON error (Grafana's proxy, Connect), else the text itself. */
export function errorBodyText(data: unknown): string {
  const isObject = data && typeof data === 'object' && !(data instanceof ArrayBuffer) && !ArrayBuffer.isView(data);
  if (isObject && typeof (data as { response?: unknown }).response !== 'string') {
    const d = data as { message?: unknown; error?: unknown };
    const parts = [d.message, d.error].filter((p) => typeof p === 'string' && p) as string[];
    if (parts.length) {
      return parts.join(': ');
    }
  }
  const text = rawBodyText(data);
  return jsonMessage(text) ?? text;
}

/** Grafana's proxy answers errors as JSON `{"message": ..., "error": ...}`: keep the words, not the braces. */
function jsonMessage(text: string): string | undefined {
  if (!text.trimStart().startsWith('{')) {
    return undefined;
  }
  try {
    const body = JSON.parse(text);
    const parts = [body?.message, body?.error].filter((p) => typeof p === 'string' && p);
    return parts.length ? parts.join(': ') : undefined;
  } catch {
    return undefined;
  }
}

function oneLine(text: string, max = 300): string {
  const flat = text
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return flat.length > max ? `${flat.slice(0, max - 3)}...` : flat;
}

/** What an HTTP status means here, and what to do about it. */
function statusHint(status: number, body: string, subject: FailureSubject): string {
  if (/cpu profiling already in use/i.test(body)) {
    return ' (another CPU profile of this process is running: another dashboard, go tool pprof or a profiling agent; this data source shares one capture between its own panels)';
  }
  if (status === 400 && /Authentication to data source failed/i.test(body)) {
    return ' (the target answered 401: check basic auth or the Authorization header in the data source settings)';
  }
  if (status === 404) {
    const path = subject.request?.split('?')[0].replace(/^[A-Z]+ /, '');
    return ` (no such endpoint${path ? ` ${path}` : ''}: check the URL, pprof path and path prefix)`;
  }
  // Grafana's proxy answers a timed-out upstream with 504 and any other failure to reach it with 502, both with an
  // empty body (grafana/grafana:pkg/util/proxyutil/reverse_proxy.go `errorHandler`); other gateways in front of a
  // target may still say "timeout" in a 502's body.
  if (status === 504 || (status === 502 && /time(?:d ?| )?out/i.test(body))) {
    return ' (the data proxy timed out: raise the data source timeout above the capture length)';
  }
  if (status === 502) {
    return ' (the data proxy got no answer from the target: the connection was refused, or it was accepted and closed without a response)';
  }
  return '';
}

/** Turns anything thrown while fetching or decoding into a {@link QueryFailure}. */
export function toQueryFailure(error: unknown, subject: FailureSubject): QueryFailure {
  if (error instanceof QueryFailure) {
    return error;
  }
  const on = subject.request ? `${subject.request}: ` : '';
  if (isFetchError(error)) {
    if (error.cancelled) {
      return new QueryFailure(subject, `${on}request cancelled`);
    }
    // An empty body (Grafana's proxy errors have none) leaves the status text as the only words.
    const body = oneLine(errorBodyText(error.data)) || oneLine(error.statusText ?? '');
    const status = error.status ? `HTTP ${error.status}` : 'no HTTP response';
    return new QueryFailure(
      subject,
      `${on}${status}${body ? `: ${body}` : ''}${statusHint(error.status, body, subject)}`,
      error.status
    );
  }
  if (isInputError(error)) {
    // The subject already names target and request, so the error's own `source` prefix is left out.
    const { field, offset } = error.context;
    const where = [field, offset !== undefined ? `byte ${offset}` : undefined].filter(Boolean).join(', ');
    return new QueryFailure(subject, `${on}${error.message}${where ? ` (at ${where})` : ''}`);
  }
  const message = error instanceof Error ? error.message : String(error);
  return new QueryFailure(subject, `${on}${message}`);
}

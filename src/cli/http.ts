/**
 * The CLI's one HTTP GET: bounded in time and size, with redirects under our control.
 *
 * - Deadline: one timer covers connecting, waiting for the headers and reading the body, so a target that trickles
 *   a byte a second ends in a {@link DeadlineError} at the deadline (a per-read timeout would never fire).
 * - Size: `Content-Length` is checked before the body is read; the body is read as a stream and dropped at the cap,
 *   so a 2 GB answer costs at most the cap in memory ({@link LimitExceededError}, the core's typed error).
 * - Redirects: followed only to the same origin (scheme, host and port), unless the caller allows any; at most
 *   {@link MAX_REDIRECTS}; a URL seen twice is reported as a redirect loop, not as an unreachable target.
 * - Failure words: no connection at all (refused, DNS, TLS) is {@link UnreachableError}; a connection that gave no
 *   complete answer in time is a {@link DeadlineError}; an error status is {@link HttpStatusError} with the body's
 *   first line, stripped of terminal control characters.
 */
import { LimitExceededError, readChunksBounded } from '../core';
import { safeTerminalText } from './terminalText';

export const MAX_REDIRECTS = 10;

/** The target could not be reached at all (connection refused, DNS, TLS, missing file): exit code 3. */
export class UnreachableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnreachableError';
  }
}

/** The target was reached but did not answer completely before the deadline: exit code 3, its own words. */
export class DeadlineError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeadlineError';
  }
}

/** The target answered with an error status, or redirected where we do not follow: bad input, exit code 2. */
export class HttpStatusError extends Error {
  constructor(
    message: string,
    readonly status: number,
    /** The first line of the error body, or what was wrong with the redirect. */
    readonly detail = ''
  ) {
    super(message);
    this.name = 'HttpStatusError';
  }
}

export interface BoundedGetOptions {
  /** Seconds for the whole exchange: connect, headers and body. */
  deadlineSeconds: number;
  /** Largest body accepted, in bytes. */
  maxBytes: number;
  /** Follow redirects to other origins too (default: same origin only). */
  followAnyRedirect?: boolean;
  /** Defaults to the global fetch (Node 20). */
  fetch?: typeof fetch;
}

/** Node's fetch fails with "fetch failed"; the words are in its cause ("connect ECONNREFUSED 127.0.0.1:1"). */
function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const message = cause?.message ?? (error instanceof Error ? error.message : String(error));
  const text = cause?.code ? `${cause.code} (${message})` : message;
  return safeTerminalText(text);
}

/** Reads `response`'s body up to `maxBytes`, stopping (and cancelling the stream) as soon as it is over. */
async function readCapped(response: Response, maxBytes: number, url: string): Promise<Uint8Array> {
  const tooLarge = (actual: number, how: string) =>
    new LimitExceededError(
      `${url}: the response ${how} ${actual} bytes, above the maximum of ${maxBytes} (raise limits.maxInputBytes to accept it)`,
      { name: 'maxInputBytes', max: maxBytes, actual }
    );
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLarge(declared, 'declares');
  }
  if (!response.body) {
    return new Uint8Array(0);
  }
  return readChunksBounded(response.body.getReader(), maxBytes, (total) => tooLarge(total, 'has more than'));
}

/** The first line of an error body, at most 200 characters, safe to print. */
function errorLine(body: Uint8Array): string {
  const text = new TextDecoder().decode(body.subarray(0, 2000)).trim().split('\n', 1)[0] ?? '';
  const safe = safeTerminalText(text);
  return safe.length > 200 ? `${safe.slice(0, 197)}...` : safe;
}

/**
 * GET `url` within the deadline and size cap, following allowed redirects. Throws UnreachableError, DeadlineError,
 * HttpStatusError or LimitExceededError; resolves to the body of a 2xx answer.
 */
export async function boundedGet(url: string, options: BoundedGetOptions): Promise<Uint8Array> {
  const doFetch = options.fetch ?? fetch;
  const controller = new AbortController();
  const seconds = options.deadlineSeconds;
  const timer = setTimeout(() => controller.abort(new DeadlineError('deadline')), seconds * 1000);
  const seen = [url];
  let current = url;
  try {
    for (;;) {
      let response: Response;
      try {
        response = await doFetch(current, { signal: controller.signal, redirect: 'manual' });
      } catch (error) {
        if (controller.signal.aborted) {
          throw new DeadlineError(
            `${current}: no response within ${seconds} s (the request was sent; the target or a proxy did not answer in time)`
          );
        }
        throw new UnreachableError(`${current}: cannot reach the target: ${describeNetworkError(error)}`);
      }
      if (response.status >= 300 && response.status < 400 && response.headers.has('location')) {
        await response.body?.cancel().catch(() => undefined);
        current = nextRedirect(current, response, seen, options.followAnyRedirect === true);
        continue;
      }
      let body: Uint8Array;
      try {
        body = await readCapped(response, options.maxBytes, current);
      } catch (error) {
        if (error instanceof LimitExceededError) {
          throw error;
        }
        if (controller.signal.aborted) {
          throw new DeadlineError(
            `${current}: the response did not complete within ${seconds} s (HTTP ${response.status}, body still arriving)`
          );
        }
        throw new UnreachableError(
          `${current}: the connection failed while reading the response: ${describeNetworkError(error)}`
        );
      }
      if (!response.ok) {
        const text = errorLine(body);
        throw new HttpStatusError(
          `${current}: HTTP ${response.status}${text ? `: ${text}` : ''}`,
          response.status,
          text
        );
      }
      return body;
    }
  } finally {
    clearTimeout(timer);
  }
}

function nextRedirect(from: string, response: Response, seen: string[], followAny: boolean): string {
  const location = response.headers.get('location') ?? '';
  let next: URL;
  try {
    next = new URL(location, from);
  } catch {
    throw new HttpStatusError(
      `${from}: HTTP ${response.status} redirects to an invalid location "${safeTerminalText(location).slice(0, 200)}"`,
      response.status
    );
  }
  const target = next.toString();
  if (seen.includes(target)) {
    throw new HttpStatusError(`${from}: redirect loop: ${[...seen, target].join(' -> ')}`, response.status);
  }
  if (seen.length > MAX_REDIRECTS) {
    throw new HttpStatusError(`${from}: more than ${MAX_REDIRECTS} redirects: ${seen.join(' -> ')}`, response.status);
  }
  if (!followAny && next.origin !== new URL(from).origin) {
    throw new HttpStatusError(
      `${from}: HTTP ${response.status} redirects to another origin (${next.origin}); not followed (pass --follow-redirects to allow it)`,
      response.status
    );
  }
  if (next.protocol !== 'http:' && next.protocol !== 'https:') {
    throw new HttpStatusError(`${from}: redirects to a ${next.protocol} URL; not followed`, response.status);
  }
  seen.push(target);
  return target;
}

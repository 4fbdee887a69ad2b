/**
 * Where profile bytes come from: a Go service's net/http/pprof endpoints or a file. This is the only place with
 * Node I/O besides main.ts; the core stays platform-neutral.
 *
 * Endpoints (golang/go:src/net/http/pprof/pprof.go): CPU is `/debug/pprof/profile?seconds=N` (default 30 there;
 * ours asks for 5); other profiles are `/debug/pprof/<name>`, and with `seconds=N` a delta profile. Errors come back
 * as text/plain with `X-Go-Pprof: 1` (e.g. 500 "Could not enable CPU profiling: cpu profiling already in use").
 */
import { readFile } from 'fs/promises';
import { ProfileKind } from './args';

/** The target could not be reached at all (connection refused, DNS, timeout, missing file): exit code 3. */
export class UnreachableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnreachableError';
  }
}

/** The target answered with an error status: bad input, exit code 2. */
export class HttpStatusError extends Error {
  constructor(
    message: string,
    readonly status: number
  ) {
    super(message);
    this.name = 'HttpStatusError';
  }
}

export const DEFAULT_CPU_SECONDS = 5;

export function isUrl(source: string): boolean {
  return /^https?:\/\//i.test(source);
}

/** The service base URL: everything before `/debug/pprof` when the user pasted a pprof URL, else the URL itself. */
export function baseUrl(source: string): string {
  const url = new URL(source);
  const at = url.pathname.indexOf('/debug/pprof');
  const path = at >= 0 ? url.pathname.slice(0, at) : url.pathname;
  return `${url.origin}${path.replace(/\/+$/, '')}`;
}

/** The endpoint for a profile kind, with `seconds` (CPU length or delta window). */
export function profileUrl(source: string, kind: ProfileKind, seconds?: number, debug?: number): string {
  const base = `${baseUrl(source)}/debug/pprof`;
  const params = new URLSearchParams();
  if (kind === 'cpu') {
    params.set('seconds', String(seconds ?? DEFAULT_CPU_SECONDS));
  } else if (seconds !== undefined) {
    params.set('seconds', String(seconds));
  }
  if (debug !== undefined) {
    params.set('debug', String(debug));
  }
  const query = params.toString();
  return `${base}/${kind === 'cpu' ? 'profile' : kind}${query ? `?${query}` : ''}`;
}

function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if ((error as Error).name === 'TimeoutError' || (error as Error).name === 'AbortError') {
    return 'timed out';
  }
  if (cause?.code) {
    return `${cause.code}${cause.message ? ` (${cause.message})` : ''}`;
  }
  return (error as Error).message;
}

/** GET with a timeout; network failures become UnreachableError, error statuses HttpStatusError. */
export async function fetchBytes(url: string, timeoutSeconds: number): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(timeoutSeconds * 1000) });
  } catch (error) {
    throw new UnreachableError(`${url}: cannot reach the target: ${describeNetworkError(error)}`);
  }
  let body: Uint8Array;
  try {
    body = new Uint8Array(await response.arrayBuffer());
  } catch (error) {
    throw new UnreachableError(
      `${url}: the connection failed while reading the response: ${describeNetworkError(error)}`
    );
  }
  if (!response.ok) {
    const text = new TextDecoder().decode(body.subarray(0, 2000)).trim().split('\n')[0];
    throw new HttpStatusError(`${url}: HTTP ${response.status}${text ? `: ${text}` : ''}`, response.status);
  }
  return body;
}

export async function readFileBytes(path: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR') {
      throw new UnreachableError(`${path}: cannot read the file (${code})`);
    }
    throw error;
  }
}

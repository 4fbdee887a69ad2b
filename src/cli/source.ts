/**
 * Where profile bytes come from: a Go service's net/http/pprof endpoints or a file. This is the only place with
 * Node I/O besides main.ts; the core stays platform-neutral.
 *
 * Endpoints (golang/go:src/net/http/pprof/pprof.go): CPU is `/debug/pprof/profile?seconds=N` (default 30 there;
 * ours asks for 5); other profiles are `/debug/pprof/<name>`, and with `seconds=N` a delta profile. Errors come back
 * as text/plain with `X-Go-Pprof: 1` (e.g. 500 "Could not enable CPU profiling: cpu profiling already in use").
 */
import { readFile, stat } from 'fs/promises';
import { DEFAULT_DECODE_LIMITS, LimitExceededError } from '../core';
import { ProfileKind } from './args';
import { boundedGet, UnreachableError } from './http';

export { DeadlineError, HttpStatusError, UnreachableError } from './http';

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

export interface FetchOptions {
  /** Largest body accepted (default: the decoder's maxInputBytes). */
  maxBytes?: number;
  /** Follow redirects to other origins too (`--follow-redirects`). */
  followAnyRedirect?: boolean;
}

/**
 * GET within `deadlineSeconds` for the whole exchange and a size cap (http.ts): network failures become
 * UnreachableError, a late or trickling answer DeadlineError, error statuses HttpStatusError.
 */
export async function fetchBytes(url: string, deadlineSeconds: number, options: FetchOptions = {}): Promise<Uint8Array> {
  return boundedGet(url, {
    deadlineSeconds,
    maxBytes: options.maxBytes ?? DEFAULT_DECODE_LIMITS.maxInputBytes,
    followAnyRedirect: options.followAnyRedirect,
  });
}

/** Reads a file whose size is checked first against `maxBytes` (default: the decoder's maxInputBytes). */
export async function readFileBytes(
  path: string,
  maxBytes: number = DEFAULT_DECODE_LIMITS.maxInputBytes
): Promise<Uint8Array> {
  try {
    const size = (await stat(path)).size;
    if (size > maxBytes) {
      throw new LimitExceededError(
        `${path}: the file has ${size} bytes, above the maximum of ${maxBytes} (raise limits.maxInputBytes to accept it)`,
        { name: 'maxInputBytes', max: maxBytes, actual: size }
      );
    }
    const buffer = await readFile(path);
    // A view, not a copy: copying a 60 MB dump cost more than parsing it. A plain Uint8Array (not the Buffer) keeps
    // slice() copying as the core expects; a Buffer sharing Node's pool (small files) is copied so that .buffer is
    // this file alone.
    return buffer.byteOffset === 0 && buffer.byteLength === buffer.buffer.byteLength
      ? new Uint8Array(buffer.buffer, 0, buffer.byteLength)
      : new Uint8Array(buffer);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR') {
      throw new UnreachableError(`${path}: cannot read the file (${code})`);
    }
    throw error;
  }
}

/**
 * Where profile bytes come from: a Go service's net/http/pprof endpoints or a file. This is the only place with
 * Node I/O besides main.ts; the core stays platform-neutral.
 *
 * Endpoints (golang/go:src/net/http/pprof/pprof.go): CPU is `/debug/pprof/profile?seconds=N` (default 30 there;
 * ours asks for 5); other profiles are `/debug/pprof/<name>`, and with `seconds=N` a delta profile. Errors come back
 * as text/plain with `X-Go-Pprof: 1` (e.g. 500 "Could not enable CPU profiling: cpu profiling already in use").
 */
import { closeSync, fstatSync, openSync, promises as fsPromises, readFileSync, readSync } from 'fs';
import { DEFAULT_DECODE_LIMITS, LimitExceededError, type GoroutineByteStream } from '../core';
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
export async function fetchBytes(
  url: string,
  deadlineSeconds: number,
  options: FetchOptions = {}
): Promise<Uint8Array> {
  return boundedGet(url, {
    deadlineSeconds,
    maxBytes: options.maxBytes ?? DEFAULT_DECODE_LIMITS.maxInputBytes,
    followAnyRedirect: options.followAnyRedirect,
  });
}

function checkFileSize(path: string, size: number, maxBytes: number): void {
  if (size > maxBytes) {
    throw new LimitExceededError(
      `${path}: the file has ${size} bytes, above the maximum of ${maxBytes} (raise limits.maxInputBytes to accept it)`,
      { name: 'maxInputBytes', max: maxBytes, actual: size }
    );
  }
}

/** Reads a file whose size is checked first against `maxBytes` (default: the decoder's maxInputBytes). */
export async function readFileBytes(
  path: string,
  maxBytes: number = DEFAULT_DECODE_LIMITS.maxInputBytes
): Promise<Uint8Array> {
  try {
    // fs.promises is a getter that loads Node's promise API (and the readline and file-watcher modules it pulls in)
    // on first use; importing 'fs/promises' would load it when the CLI starts, for every command.
    checkFileSize(path, (await fsPromises.stat(path)).size, maxBytes);
    const buffer = await fsPromises.readFile(path);
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

/** Bytes read from the start of a file to tell what it holds before reading the rest (see {@link openFileStream}). */
export const FILE_HEAD_BYTES = 64 << 10;

export interface FileStream {
  /** The first FILE_HEAD_BYTES of the file (all of it when shorter). */
  head: Uint8Array;
  size: number;
  /** The file from its start, read through the caller's buffer; `all()` reads the whole file again. */
  stream: GoroutineByteStream;
  close(): void;
}

/**
 * A file to read through a small buffer (goroutine text, which the core reads piece by piece): reading a 60 MB file
 * into fresh memory costs about 15 times what reading it through one reused buffer does. Its size is checked first
 * and while reading against `maxBytes`. Undefined when the file cannot be opened or is too large: readFileBytes then
 * reports why.
 */
export function openFileStream(
  path: string,
  maxBytes: number = DEFAULT_DECODE_LIMITS.maxInputBytes
): FileStream | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return undefined;
  }
  const size = fstatSync(fd).size;
  if (size > maxBytes) {
    closeSync(fd);
    return undefined;
  }
  const head = new Uint8Array(Math.min(size, FILE_HEAD_BYTES));
  const headLength = readSync(fd, head, 0, head.length, 0);
  let position = 0;
  const stream: GoroutineByteStream = {
    read(buffer, offset) {
      const n = readSync(fd, buffer, offset, buffer.length - offset, position);
      position += n;
      checkFileSize(path, position, maxBytes); // the file may have grown since it was opened
      return n;
    },
    all() {
      const whole = readFileSync(path);
      checkFileSize(path, whole.length, maxBytes);
      return new Uint8Array(whole.buffer, whole.byteOffset, whole.byteLength);
    },
  };
  return { head: head.subarray(0, headLength), size, stream, close: () => closeSync(fd) };
}

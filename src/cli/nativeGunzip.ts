/**
 * Node's native zlib as the core's gunzip (ParsePprofOptions.gunzip): several times faster than the portable
 * inflater the core uses in browsers. Output is capped at the decode limit, and zlib's errors become the core's
 * typed errors with the same messages ("truncated gzip", "corrupt gzip: ...").
 */
import type * as Zlib from 'zlib';
import { LimitExceededError, MalformedInputError } from '../core';

/**
 * zlib, loaded on the first gunzip rather than when the CLI starts: it pulls in Node's streams, which commands that
 * read no gzip (`--help`, goroutine dumps) would load for nothing. `process.getBuiltinModule` (Node 20.16+) loads a
 * built-in synchronously from ES module code too (https://nodejs.org/api/process.html#processgetbuiltinmoduleid).
 */
let zlib: typeof Zlib | undefined;

export function nativeGunzip(data: Uint8Array, maxBytes: number): Uint8Array {
  zlib ??= process.getBuiltinModule('zlib');
  try {
    const out = zlib.gunzipSync(data, { maxOutputLength: Math.max(1, maxBytes) });
    return new Uint8Array(out.buffer, out.byteOffset, out.length);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ERR_BUFFER_TOO_LARGE') {
      throw new LimitExceededError(
        `decompressed size: more than ${maxBytes} bytes exceeds the limit of ${maxBytes} (raise limits.maxDecompressedBytes to accept it)`,
        { name: 'maxDecompressedBytes', max: maxBytes, actual: maxBytes + 1 },
        { format: 'gzip' }
      );
    }
    if (code === 'Z_BUF_ERROR') {
      throw new MalformedInputError('truncated gzip: the compressed data ends before the end of the deflate stream', {
        format: 'gzip',
      });
    }
    throw new MalformedInputError(`corrupt gzip: ${(error as Error).message}`, { format: 'gzip' });
  }
}

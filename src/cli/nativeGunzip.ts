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

/** Deflate's largest ratio, about 1032:1 (https://zlib.net/zlib_tech.html): a bound on what a gzip can expand to. */
const DEFLATE_MAX_RATIO = 1032;

/**
 * zlib's output buffer size for `data`: the size the gzip trailer declares (ISIZE, RFC 1952 section 2.3.1, the
 * length modulo 2^32) plus one, so that the whole output lands in one buffer; with the default 16 KB chunks, Node
 * collects a chunk per 16 KB and copies them all into one buffer at the end (28 MB copied for a 29 MB profile). The
 * trailer is only a hint (several members, a wrong or wrapped size just mean more chunks), bounded by the limit and
 * by what the compressed bytes could expand to.
 */
function outputChunkSize(data: Uint8Array, maxBytes: number): number {
  const n = data.length;
  const declared = n >= 18 ? (data[n - 4] | (data[n - 3] << 8) | (data[n - 2] << 16) | (data[n - 1] << 24)) >>> 0 : 0;
  return Math.max(16 * 1024, Math.min(declared + 1, maxBytes + 1, n * DEFLATE_MAX_RATIO));
}

export function nativeGunzip(data: Uint8Array, maxBytes: number): Uint8Array {
  zlib ??= process.getBuiltinModule('zlib');
  try {
    const out = zlib.gunzipSync(data, {
      maxOutputLength: Math.max(1, maxBytes),
      chunkSize: outputChunkSize(data, maxBytes),
    });
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

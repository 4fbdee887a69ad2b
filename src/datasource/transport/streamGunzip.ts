/**
 * gunzip with the platform's `DecompressionStream` (https://compression.spec.whatwg.org/, in every current browser
 * and in Node 18+), which is native zlib: faster than the core's portable inflater (fflate) that remains the
 * fallback. Same limit as the core's: the output is counted chunk by chunk and the stream cancelled as soon as it
 * passes `maxBytes`, so a gzip bomb stops at the limit.
 *
 * Only the happy path and the limit are handled here. On any other failure (truncated or corrupt data, which the
 * platform reports as a bare TypeError) this resolves to `undefined` and the caller decodes the original bytes with
 * the core, whose errors say "truncated gzip" or "corrupt gzip: ..." with the byte offset.
 */
import { isGzip, LimitExceededError, readChunksBounded } from '../../core';

/** Whether this platform offers DecompressionStream. */
export function hasDecompressionStream(): boolean {
  return typeof (globalThis as { DecompressionStream?: unknown }).DecompressionStream === 'function';
}

function tooLarge(maxBytes: number, actual: number): LimitExceededError {
  return new LimitExceededError(
    `decompressed size: ${actual} exceeds the limit of ${maxBytes} (raise limits.maxDecompressedBytes to accept it)`,
    { name: 'maxDecompressedBytes', max: maxBytes, actual },
    { format: 'gzip' }
  );
}

/**
 * The gunzipped bytes of `data`, or `data` itself when it is not gzip; `undefined` when the platform has no
 * DecompressionStream or could not inflate (the caller then lets the core decode the original bytes). Rejects with
 * a LimitExceededError past `maxBytes`.
 */
export async function streamGunzip(data: Uint8Array, maxBytes: number): Promise<Uint8Array | undefined> {
  if (!isGzip(data)) {
    return data;
  }
  if (!hasDecompressionStream()) {
    return undefined;
  }
  const stream = new Blob([data as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip'));
  try {
    return await readChunksBounded(stream.getReader(), maxBytes, (total) => tooLarge(maxBytes, total));
  } catch (error) {
    if (error instanceof LimitExceededError) {
      throw error;
    }
    return undefined;
  }
}

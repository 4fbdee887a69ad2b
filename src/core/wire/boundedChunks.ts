/**
 * Reading a stream of byte chunks (a fetch body, a DecompressionStream) with a byte limit checked per chunk: the
 * stream is cancelled as soon as the total passes the limit, so an oversized body or a gzip bomb costs at most one
 * chunk past the limit. The reader is the two methods of a WHATWG ReadableStreamDefaultReader
 * (https://streams.spec.whatwg.org/#default-reader-class), so the core needs neither the DOM nor Node.
 */
export interface ChunkReader {
  read(): Promise<{ done: boolean; value?: Uint8Array }>;
  cancel(reason?: unknown): Promise<void>;
}

/** Every chunk of `reader` joined; throws `tooLarge(totalSoFar)` (after cancelling) once more than `maxBytes` came. */
export async function readChunksBounded(
  reader: ChunkReader,
  maxBytes: number,
  tooLarge: (totalSoFar: number) => Error
): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) {
      break;
    }
    if (!value) {
      continue;
    }
    total += value.length;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(total);
    }
    chunks.push(value);
  }
  return concatChunks(chunks, total);
}

/** One array of `chunks` (the chunk itself when there is one). */
export function concatChunks(
  chunks: readonly Uint8Array[],
  total = chunks.reduce((n, c) => n + c.length, 0)
): Uint8Array {
  if (chunks.length === 1) {
    return chunks[0];
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

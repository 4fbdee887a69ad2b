/**
 * gzip detection and decompression (RFC 1952) on fflate's inflater.
 *
 * Every `debug=0` profile Go serves is gzip (golang/go:src/runtime/pprof/proto.go `newProfileBuilder`), so this is on
 * the hot path. fflate's `gunzipSync` trusts the trailer's ISIZE to size its output buffer, which is unsafe on
 * truncated input (the "trailer" is then four arbitrary bytes, up to 4 GiB) and silently drops bytes when the trailer
 * understates the size. So the header and trailer are read here:
 * - if the declared size is within the limit, inflate into a buffer of exactly that size plus one byte, so a stream
 *   that is longer than declared is detected rather than cut;
 * - otherwise (over the limit, or more than deflate's 1032:1 maximum ratio allows) start small and grow, which tells
 *   "really too large" from "trailer is garbage because the input was cut short";
 * - either way the input is fed in chunks and inflation stops as soon as the output passes the limit;
 * and the CRC-32 is verified as Go's compress/gzip does.
 */
import { Inflate } from 'fflate';
import { InputErrorContext, LimitExceededError, MalformedInputError } from '../errors';
import { crc32 } from './crc32';
import { checkLimit } from './limits';

const FHCRC = 2;
const FEXTRA = 4;
const FNAME = 8;
const FCOMMENT = 16;
const GZIP_FORMAT = 'gzip';
/**
 * Input bytes fed to the inflater per step: at least MIN_CHUNK, at most MAX_CHUNK (see inflateBounded). fflate
 * builds each step's output in a buffer of its own before handing it over, so MAX_CHUNK also bounds that transient
 * memory: 64 KiB of input is at most 66 MB of output.
 */
const MIN_CHUNK = 1 << 14;
const MAX_CHUNK = 1 << 16;
/** Output buffer to start with when the trailer's size cannot be believed. */
const START_CAPACITY = 1 << 16;
const MAX_DEFLATE_RATIO = 1032;

export function isGzip(data: Uint8Array): boolean {
  return data.length >= 2 && data[0] === 0x1f && data[1] === 0x8b;
}

export interface GunzipOptions {
  /** Largest accepted decompressed size; larger input fails with a LimitExceededError. */
  maxDecompressedBytes: number;
  /** Verify the CRC-32 in the trailer (default true). */
  verifyChecksum?: boolean;
}

function malformed(message: string, context: InputErrorContext = {}): MalformedInputError {
  return new MalformedInputError(message, { format: GZIP_FORMAT, ...context });
}

/** Byte offset where the deflate data starts, after the variable-length gzip header. */
function headerLength(data: Uint8Array): number {
  if (data.length < 10) {
    throw malformed(`truncated gzip: ${data.length} bytes is shorter than the 10-byte gzip header`);
  }
  if (data[2] !== 8) {
    throw malformed(`unsupported gzip compression method ${data[2]} (only 8, deflate, exists)`, { offset: 2 });
  }
  const flags = data[3];
  let pos = 10;
  if (flags & FEXTRA) {
    pos += 2 + (data[10] | (data[11] << 8));
  }
  for (const flag of [FNAME, FCOMMENT]) {
    if (flags & flag) {
      while (pos < data.length && data[pos] !== 0) {
        pos++;
      }
      pos++;
    }
  }
  if (flags & FHCRC) {
    pos += 2;
  }
  if (pos + 8 > data.length) {
    throw malformed('truncated gzip: the input ends inside the gzip header or before the 8-byte trailer', {
      offset: data.length,
    });
  }
  return pos;
}

function translateInflateError(error: unknown, offset: number): MalformedInputError {
  const code = (error as { code?: number }).code;
  const detail = error instanceof Error ? error.message : String(error);
  if (code === 0) {
    return malformed('truncated gzip: the compressed data ends before the end of the deflate stream', { offset });
  }
  return malformed(`corrupt gzip: invalid deflate data (${detail})`, { offset });
}

function readUint32LE(data: Uint8Array, at: number): number {
  return (data[at] | (data[at + 1] << 8) | (data[at + 2] << 16) | (data[at + 3] << 24)) >>> 0;
}

export function gunzip(data: Uint8Array, options: GunzipOptions): Uint8Array {
  const start = headerLength(data);
  const trailerAt = data.length - 8;
  const declaredCrc = readUint32LE(data, trailerAt);
  const declaredSize = readUint32LE(data, trailerAt + 4);
  const body = data.subarray(start, trailerAt);
  // Deflate cannot expand more than 1032:1 (258-byte matches in 2-bit codes, RFC 1951), so a trailer claiming more
  // than that is not a trailer (the input was cut short) and must not size an allocation.
  const plausible = declaredSize <= MAX_DEFLATE_RATIO * body.length + 1024;
  const capacity = declaredSize <= options.maxDecompressedBytes && plausible ? declaredSize + 1 : START_CAPACITY;
  const output = inflateBounded(body, capacity, options.maxDecompressedBytes, data.length);
  if (output.length !== declaredSize) {
    throw malformed(
      output.length > declaredSize
        ? `corrupt gzip: the data inflates to more than the ${declaredSize} bytes its trailer declares (corrupt or concatenated members)`
        : `corrupt gzip: the trailer declares ${declaredSize} bytes but the data inflates to ${output.length}`,
      { offset: trailerAt + 4 }
    );
  }
  if (options.verifyChecksum !== false && crc32(output) !== declaredCrc) {
    throw malformed('corrupt gzip: CRC-32 of the decompressed data does not match the trailer', { offset: trailerAt });
  }
  return output;
}

/**
 * Inflates `body` in input chunks (each step produces at most 1032 times its input, deflate's maximum ratio), into one buffer of `capacity` bytes (the trailer's size when it is believable, so a normal stream is copied
 * once) that grows only up to `maxBytes`. Inflation stops at the first chunk past the limit: a gzip bomb costs at
 * most the limit in memory and the time to inflate it, whatever its trailer claims. fflate's one-shot `inflateSync`
 * cannot do this: given a fixed output buffer it drops what does not fit but keeps decoding to the end.
 */
function inflateBounded(body: Uint8Array, capacity: number, maxBytes: number, inputLength: number): Uint8Array {
  let out = new Uint8Array(capacity);
  let total = 0;
  const inflater = new Inflate((chunk) => {
    const end = total + chunk.length;
    checkLimit('maxDecompressedBytes', maxBytes, end, 'decompressed size', GZIP_FORMAT);
    if (end > out.length) {
      const next = new Uint8Array(Math.min(maxBytes, Math.max(end, out.length * 2)));
      next.set(out.subarray(0, total));
      out = next;
    }
    out.set(chunk, total);
    total = end;
  });
  try {
    let offset = 0;
    do {
      // Big input chunks while far from the limit (fewer steps), small ones near it: one chunk can never inflate
      // to more than the room left plus MAX_DEFLATE_RATIO * MIN_CHUNK.
      const chunk = Math.max(MIN_CHUNK, Math.min(MAX_CHUNK, Math.floor((maxBytes - total) / MAX_DEFLATE_RATIO)));
      const end = Math.min(body.length, offset + chunk);
      inflater.push(body.subarray(offset, end), end === body.length);
      offset = end;
    } while (offset < body.length);
  } catch (error) {
    if (error instanceof LimitExceededError) {
      throw error;
    }
    throw translateInflateError(error, inputLength);
  }
  return total * 4 >= out.length * 3 ? out.subarray(0, total) : out.slice(0, total);
}

/**
 * gzip detection and decompression (RFC 1952) on fflate's inflater.
 *
 * Every `debug=0` profile Go serves is gzip (golang/go:src/runtime/pprof/proto.go `newProfileBuilder`), so this is on
 * the hot path. fflate's `gunzipSync` trusts the trailer's ISIZE to size its output buffer, which is unsafe on
 * truncated input (the "trailer" is then four arbitrary bytes, up to 4 GiB) and silently drops bytes when the trailer
 * understates the size. So the header and trailer are read here:
 * - if the declared size is within the limit, inflate into a buffer of exactly that size plus one byte, so a stream
 *   that is longer than declared is detected rather than cut;
 * - otherwise (over the limit, or more than deflate's 1032:1 maximum ratio allows) the input is refused either way,
 *   and inflating only counts bytes, which tells "really too large" from "trailer is garbage because the input was
 *   cut short" without keeping any output;
 * - either way the input is fed in small steps and inflation stops as soon as the output passes the limit;
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
 * Input bytes fed to the inflater per step, chosen so that one step inflates to about STEP_OUTPUT bytes at the ratio
 * seen so far (at least MIN_CHUNK, at most MAX_CHUNK, MIN_CHUNK before the first step). fflate's streaming `Inflate`
 * builds each step's output in a fresh buffer it grows by doubling, then copies it out: a 64 KiB step of a gzip bomb
 * (66 MB of output) cost 4.7 s of CPU per 256 MiB, mostly allocating and copying, where 4 KiB steps cost 0.8 s.
 */
const MIN_CHUNK = 1 << 12;
const MAX_CHUNK = 1 << 16;
const STEP_OUTPUT = 1 << 20;
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
  if (declaredSize > options.maxDecompressedBytes || !plausible) {
    // This input cannot be accepted: either it inflates past the limit, or to a size other than the trailer's. Only
    // which of the two remains to say, so the output is counted, not kept: a gzip bomb costs no memory, and its time
    // only up to the limit.
    const inflated = inflateBounded(body, options.maxDecompressedBytes, data.length, null);
    throw sizeMismatch(inflated, declaredSize, trailerAt);
  }
  const output = new Uint8Array(declaredSize + 1);
  const inflated = inflateBounded(body, options.maxDecompressedBytes, data.length, output);
  if (inflated !== declaredSize) {
    throw sizeMismatch(inflated, declaredSize, trailerAt);
  }
  const result = output.subarray(0, declaredSize);
  if (options.verifyChecksum !== false && crc32(result) !== declaredCrc) {
    throw malformed('corrupt gzip: CRC-32 of the decompressed data does not match the trailer', { offset: trailerAt });
  }
  return result;
}

function sizeMismatch(inflated: number, declaredSize: number, trailerAt: number): MalformedInputError {
  return malformed(
    inflated > declaredSize
      ? `corrupt gzip: the data inflates to more than the ${declaredSize} bytes its trailer declares (corrupt, concatenated members, or 4 GiB more: the trailer holds the size modulo 2^32)`
      : `corrupt gzip: the trailer declares ${declaredSize} bytes but the data inflates to ${inflated}`,
    { offset: trailerAt + 4 }
  );
}

/**
 * Inflates `body` step by step into `output` (sized from the trailer, plus one byte so that a stream longer than
 * declared shows), or only counts the bytes when `output` is null; returns how many bytes the stream inflated to,
 * at most `output.length`. Stops at the first step past `maxBytes` (LimitExceededError) or past the end of `output`:
 * a gzip bomb costs at most the limit's worth of inflating, whatever its trailer claims. fflate's one-shot
 * `inflateSync` cannot do this: given a fixed output buffer it drops what does not fit but keeps decoding to the end.
 */
function inflateBounded(body: Uint8Array, maxBytes: number, inputLength: number, output: Uint8Array | null): number {
  let total = 0;
  let full = false;
  const inflater = new Inflate((chunk) => {
    const end = total + chunk.length;
    checkLimit('maxDecompressedBytes', maxBytes, end, 'decompressed size', GZIP_FORMAT);
    if (output) {
      output.set(chunk.subarray(0, output.length - total), total);
      full = end >= output.length;
    }
    total = Math.min(end, output ? output.length : end);
  });
  try {
    let offset = 0;
    do {
      const ratio = offset > 0 ? total / offset : MAX_DEFLATE_RATIO;
      const step = Math.max(MIN_CHUNK, Math.min(MAX_CHUNK, Math.floor(STEP_OUTPUT / Math.max(ratio, 1))));
      const end = Math.min(body.length, offset + step);
      inflater.push(body.subarray(offset, end), end === body.length);
      offset = end;
    } while (offset < body.length && !full);
  } catch (error) {
    if (error instanceof LimitExceededError) {
      throw error;
    }
    throw translateInflateError(error, inputLength);
  }
  return total;
}

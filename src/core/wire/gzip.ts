/**
 * gzip detection and decompression (RFC 1952) on fflate's inflater.
 *
 * Every `debug=0` profile Go serves is gzip (golang/go:src/runtime/pprof/proto.go `newProfileBuilder`), so this is on
 * the hot path. fflate's `gunzipSync` trusts the trailer's ISIZE to size its output buffer, which is unsafe on
 * truncated input (the "trailer" is then four arbitrary bytes, up to 4 GiB) and silently drops bytes when the trailer
 * understates the size. So the header and trailer are read here:
 * - if the declared size is within the limit, inflate into a buffer of exactly that size plus one byte, so a stream
 *   that is longer than declared is detected rather than cut;
 * - otherwise (over the limit, or more than deflate's 1032:1 maximum ratio allows) inflate in chunks while counting,
 *   which tells "really too large" from "trailer is garbage because the input was cut short";
 * and the CRC-32 is verified as Go's compress/gzip does.
 */
import { Inflate, inflateSync } from 'fflate';
import { InputErrorContext, LimitExceededError, MalformedInputError } from '../errors';
import { crc32 } from './crc32';
import { checkLimit } from './limits';

const FHCRC = 2;
const FEXTRA = 4;
const FNAME = 8;
const FCOMMENT = 16;
const GZIP_FORMAT = 'gzip';
const STREAM_CHUNK = 1 << 16;
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
  const output =
    declaredSize <= options.maxDecompressedBytes && plausible
      ? inflateKnownSize(body, declaredSize, data.length)
      : inflateCounting(body, options.maxDecompressedBytes, data.length);
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

function inflateKnownSize(body: Uint8Array, declaredSize: number, inputLength: number): Uint8Array {
  // One spare byte: fflate never grows a caller-provided buffer, it drops what does not fit, so a full spare byte
  // is the only way to notice a stream longer than declared.
  const out = new Uint8Array(declaredSize + 1);
  try {
    return inflateSync(body, { out });
  } catch (error) {
    throw translateInflateError(error, inputLength);
  }
}

function inflateCounting(body: Uint8Array, maxBytes: number, inputLength: number): Uint8Array {
  const chunks: Uint8Array[] = [];
  let total = 0;
  const inflater = new Inflate((chunk) => {
    total += chunk.length;
    checkLimit('maxDecompressedBytes', maxBytes, total, 'decompressed size', GZIP_FORMAT);
    chunks.push(chunk);
  });
  try {
    for (let offset = 0; offset < body.length || offset === 0; offset += STREAM_CHUNK) {
      inflater.push(body.subarray(offset, offset + STREAM_CHUNK), offset + STREAM_CHUNK >= body.length);
    }
  } catch (error) {
    if (error instanceof LimitExceededError) {
      throw error;
    }
    throw translateInflateError(error, inputLength);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

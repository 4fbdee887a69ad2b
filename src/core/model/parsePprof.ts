/**
 * The one entry point from bytes to a validated {@link Profile}, in the stages of google/pprof:profile/profile.go
 * `ParseData`: gunzip when the gzip magic is present (never trust a file name), decode, then validate.
 * Each stage's failure is a typed error (src/core/errors.ts): NotPprofError for input that is something else,
 * MalformedProfileError for a damaged profile, LimitExceededError for input over the configured limits.
 */
import { InputError, MalformedInputError } from '../errors';
import { gunzip, isGzip } from '../wire/gzip';
import { checkLimit, DecodeLimits, resolveLimits } from '../wire/limits';
import { MalformedProfileError, NotPprofError } from '../wire/pprofErrors';
import { decodePprofWire } from '../wire/pprofWire';
import { describeNonPprof } from '../wire/sniff';
import { Profile } from './profile';
import { profileFromWire } from './validate';

export { MalformedProfileError, NotPprofError } from '../wire/pprofErrors';

export interface ParsePprofOptions {
  limits?: Partial<DecodeLimits>;
  /** Where the bytes came from (URL, file name); copied into every error's context. */
  source?: string;
  /** Verify the gzip CRC-32 (default true). */
  verifyChecksum?: boolean;
}

/** gunzips when needed and checks that the result can be a pprof protobuf; returns the uncompressed bytes. */
export function uncompressPprof(bytes: Uint8Array, options: ParsePprofOptions = {}): Uint8Array {
  const limits = resolveLimits(options.limits);
  return withSource(options.source, () => uncompress(bytes, limits, options.verifyChecksum));
}

function uncompress(bytes: Uint8Array, limits: DecodeLimits, verifyChecksum?: boolean): Uint8Array {
  checkLimit('maxInputBytes', limits.maxInputBytes, bytes.length, 'input size in bytes');
  let data = bytes;
  const compressed = isGzip(bytes);
  if (compressed) {
    try {
      data = gunzip(bytes, { maxDecompressedBytes: limits.maxDecompressedBytes, verifyChecksum });
    } catch (error) {
      if (error instanceof MalformedInputError) {
        throw new MalformedProfileError(error.message, { ...error.context, format: 'pprof' });
      }
      throw error;
    }
  } else {
    checkLimit('maxDecompressedBytes', limits.maxDecompressedBytes, bytes.length, 'decompressed size');
  }
  const notPprof = describeNonPprof(data, compressed);
  if (notPprof) {
    throw new NotPprofError(notPprof);
  }
  return data;
}

export function parsePprof(bytes: Uint8Array, options: ParsePprofOptions = {}): Profile {
  const limits = resolveLimits(options.limits);
  return withSource(options.source, () => {
    const data = uncompress(bytes, limits, options.verifyChecksum);
    return profileFromWire(decodePprofWire(data, limits));
  });
}

function withSource<T>(source: string | undefined, run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (source !== undefined && error instanceof InputError) {
      error.withSource(source);
    }
    throw error;
  }
}

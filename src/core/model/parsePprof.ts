/**
 * The one entry point from bytes to a validated {@link Profile}, in the stages of google/pprof:profile/profile.go
 * `ParseData`: gunzip when the gzip magic is present (never trust a file name), decode, then validate.
 * Each stage's failure is a typed error (src/core/errors.ts): NotPprofError for input that is something else,
 * MalformedProfileError for a damaged profile, LimitExceededError for input over the configured limits.
 */
import { InputError, MalformedInputError, unexpectedFailure } from '../errors';
import { gunzip, isGzip } from '../wire/gzip';
import { checkLimit, DecodeLimits, resolveLimits } from '../wire/limits';
import { MalformedProfileError, NotPprofError } from '../wire/pprofErrors';
import { decodePprofWire } from '../wire/pprofWire';
import { describeNonPprof } from '../wire/sniff';
import { Profile } from './profile';
import { profileFromWire } from './validate';

export { MalformedProfileError, NotPprofError } from '../wire/pprofErrors';

/**
 * A gunzip implementation to use instead of the built-in one (fflate): Node's native zlib in the CLI is several
 * times faster. It must return at most `maxBytes` bytes (or throw a LimitExceededError) and should throw
 * InputErrors for damaged input; anything else it throws is reported as a corrupt gzip.
 */
export type Gunzip = (data: Uint8Array, maxBytes: number) => Uint8Array;

export interface ParsePprofOptions {
  limits?: Partial<DecodeLimits>;
  /** Where the bytes came from (URL, file name); copied into every error's context. */
  source?: string;
  /** Verify the gzip CRC-32 (default true; built-in gunzip only). */
  verifyChecksum?: boolean;
  /** Platform gunzip to use instead of the built-in one. */
  gunzip?: Gunzip;
}

/** gunzips when needed and checks that the result can be a pprof protobuf; returns the uncompressed bytes. */
export function uncompressPprof(bytes: Uint8Array, options: ParsePprofOptions = {}): Uint8Array {
  const limits = resolveLimits(options.limits);
  return withSource(options.source, () => uncompress(bytes, limits, options));
}

/**
 * A plain Uint8Array view of the bytes. Subclasses (Node's Buffer) are also Uint8Arrays, but mixing the two makes the
 * decoder's hot loops polymorphic and several times slower.
 */
function plain(bytes: Uint8Array): Uint8Array {
  return Object.getPrototypeOf(bytes) === Uint8Array.prototype
    ? bytes
    : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function uncompress(input: Uint8Array, limits: DecodeLimits, options: ParsePprofOptions): Uint8Array {
  const bytes = plain(input);
  checkLimit('maxInputBytes', limits.maxInputBytes, bytes.length, 'input size in bytes');
  let data = bytes;
  const compressed = isGzip(bytes);
  if (compressed) {
    try {
      data = options.gunzip
        ? options.gunzip(bytes, limits.maxDecompressedBytes)
        : gunzip(bytes, { maxDecompressedBytes: limits.maxDecompressedBytes, verifyChecksum: options.verifyChecksum });
    } catch (error) {
      if (error instanceof MalformedInputError) {
        throw new MalformedProfileError(error.message, { ...error.context, format: 'pprof' });
      }
      if (error instanceof InputError) {
        throw error;
      }
      throw new MalformedProfileError(`corrupt gzip: ${error instanceof Error ? error.message : String(error)}`);
    }
    data = plain(data);
    checkLimit('maxDecompressedBytes', limits.maxDecompressedBytes, data.length, 'decompressed size');
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
    const data = uncompress(bytes, limits, options);
    return profileFromWire(decodePprofWire(data, limits));
  });
}

/** Runs a stage with the source named in its error; anything untyped becomes a MalformedProfileError. */
function withSource<T>(source: string | undefined, run: () => T): T {
  try {
    return run();
  } catch (caught) {
    const error = unexpectedFailure(caught, (message) => new MalformedProfileError(message));
    if (source !== undefined) {
      error.withSource(source);
    }
    throw error;
  }
}

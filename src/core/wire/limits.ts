/**
 * Size and count limits applied while decoding, so that a hostile or accidental input (a 1 GB declared length, a
 * gzip bomb, millions of samples) fails fast with a {@link LimitExceededError} instead of exhausting memory.
 *
 * Defaults are sized for real Go profiles with room to spare: a 60 s CPU profile of a busy service is a few MB
 * decompressed, a heap profile with MemProfileRate=1 of a large service a few tens of MB.
 */
import { LimitExceededError } from '../errors';

export interface DecodeLimits {
  /** Bytes of input as given (compressed or not). */
  maxInputBytes: number;
  /**
   * Bytes after gunzip. Checked against the gzip trailer before inflating and again while inflating: inflation stops
   * at the limit, so a gzip bomb costs at most this much memory and the time to inflate this much.
   */
  maxDecompressedBytes: number;
  maxSamples: number;
  maxLocations: number;
  maxFunctions: number;
  maxMappings: number;
  maxStrings: number;
  /** Locations in one sample. Go caps CPU stacks at 64 frames and other profiles at `profstackdepth` (max 1024). */
  maxStackDepth: number;
  /** `sample_type` entries; also the most values one sample may carry (one per sample type). Go writes 1 to 4. */
  maxSampleTypes: number;
  /** `comment` entries. Go writes none; `pprof -add_comment` one per use. */
  maxComments: number;
  /** Labels over all samples. */
  maxLabels: number;
  /** Lines of one location: the location itself plus the calls inlined into it. */
  maxLinesPerLocation: number;
  /** Bytes of all strings in the string table together. */
  maxStringBytes: number;
  /**
   * Bytes the decoder may allocate for its tables (typed-array columns, strings, small records). Each table also has
   * a count limit, but hostile input can fill several at once with 2-byte empty entries (an empty label or line
   * becomes 24-32 bytes of columns), so the sum is bounded too.
   */
  maxAllocatedBytes: number;
}

export const DEFAULT_DECODE_LIMITS: Readonly<DecodeLimits> = Object.freeze({
  maxInputBytes: 256 * 1024 * 1024,
  maxDecompressedBytes: 256 * 1024 * 1024,
  maxSamples: 10_000_000,
  maxLocations: 10_000_000,
  maxFunctions: 10_000_000,
  maxMappings: 1_000_000,
  maxStrings: 20_000_000,
  maxStackDepth: 100_000,
  maxSampleTypes: 1_000,
  maxComments: 100_000,
  maxLabels: 5_000_000,
  maxLinesPerLocation: 10_000,
  maxStringBytes: 128 * 1024 * 1024,
  maxAllocatedBytes: 512 * 1024 * 1024,
});

export function resolveLimits(limits?: Partial<DecodeLimits>): DecodeLimits {
  return { ...DEFAULT_DECODE_LIMITS, ...limits };
}

/** Throws a {@link LimitExceededError} naming the limit and how to raise it when `actual` exceeds `max`. */
export function checkLimit(
  name: keyof DecodeLimits,
  max: number,
  actual: number,
  what: string,
  format = 'pprof'
): void {
  if (actual > max) {
    throw new LimitExceededError(
      `${what}: ${actual} exceeds the limit of ${max} (raise limits.${name} to accept it)`,
      { name, max, actual },
      { format }
    );
  }
}

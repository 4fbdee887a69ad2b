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
  /** Bytes after gunzip. Checked against the gzip trailer before inflating and again while inflating. */
  maxDecompressedBytes: number;
  maxSamples: number;
  maxLocations: number;
  maxFunctions: number;
  maxMappings: number;
  maxStrings: number;
  /** Locations in one sample. Go caps CPU stacks at 64 frames and other profiles at `profstackdepth` (max 1024). */
  maxStackDepth: number;
}

export const DEFAULT_DECODE_LIMITS: Readonly<DecodeLimits> = Object.freeze({
  maxInputBytes: 256 * 1024 * 1024,
  maxDecompressedBytes: 1024 * 1024 * 1024,
  maxSamples: 10_000_000,
  maxLocations: 10_000_000,
  maxFunctions: 10_000_000,
  maxMappings: 1_000_000,
  maxStrings: 20_000_000,
  maxStackDepth: 100_000,
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

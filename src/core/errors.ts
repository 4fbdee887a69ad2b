/**
 * Typed input errors shared by every core layer.
 *
 * Two questions a user needs answered when data cannot be shown are kept apart on purpose:
 * - "is this the format I asked for at all?" ({@link NotThisFormatError}: an HTML error page where a profile was
 *   expected, a goroutine dump fed to the pprof decoder), and
 * - "it is that format, but broken" ({@link MalformedInputError}: truncated gzip, string index out of range).
 * A third kind, {@link LimitExceededError}, rejects input that is well formed but larger than the configured limits.
 *
 * Every error carries `context`: what was being read (`source`, e.g. a URL or file name, filled in by adapters)
 * and where in it (`offset`, `field`), so a panel or the CLI can name target, profile and cause in one line.
 */
export interface InputErrorContext {
  /** The input's name as the user knows it: URL, file name or profile type. Set by the adapter that read it. */
  source?: string;
  /** The format that was expected, e.g. "pprof", "goroutine dump (debug=2)". */
  format?: string;
  /** Byte offset where decoding failed, when known. */
  offset?: number;
  /** The message or field being decoded, e.g. "Profile.sample[12].value". */
  field?: string;
}

export abstract class InputError extends Error {
  abstract readonly kind: 'not-this-format' | 'malformed' | 'limit-exceeded';
  readonly context: InputErrorContext;

  constructor(message: string, context: InputErrorContext = {}) {
    super(message);
    this.name = new.target.name;
    this.context = { ...context };
  }

  /** The message with its context, for one-line reports ("heap from http://x: truncated gzip at byte 812"). */
  describe(): string {
    const where = [this.context.field, this.context.offset !== undefined ? `byte ${this.context.offset}` : undefined]
      .filter(Boolean)
      .join(', ');
    const prefix = this.context.source ? `${this.context.source}: ` : '';
    return `${prefix}${this.message}${where ? ` (at ${where})` : ''}`;
  }

  /** Adapters know where the bytes came from; the core does not. */
  withSource(source: string): this {
    this.context.source = source;
    return this;
  }
}

/** The input is not in the expected format at all (wrong magic, HTML page, empty body, other format). */
export class NotThisFormatError extends InputError {
  readonly kind = 'not-this-format' as const;
}

/** The input is in the expected format but broken (truncated, inconsistent, out-of-range references). */
export class MalformedInputError extends InputError {
  readonly kind = 'malformed' as const;
}

/** The input exceeds a configured limit (bytes, samples, locations...). Limits are configurable by the caller. */
export class LimitExceededError extends InputError {
  readonly kind = 'limit-exceeded' as const;
  constructor(
    message: string,
    readonly limit: { name: string; max: number; actual: number },
    context: InputErrorContext = {}
  ) {
    super(message, context);
  }
}

export function isInputError(error: unknown): error is InputError {
  return error instanceof InputError;
}

/**
 * Wraps a failure that is not an {@link InputError} (a RangeError or TypeError from code that met input it did not
 * expect) into the typed error `make` builds, so that every parser entry point fails with one of the errors above.
 * The message names the original error's type and the start of its message (never the input itself); the original
 * is kept as `cause` for debugging.
 */
export function unexpectedFailure<E extends InputError>(error: unknown, make: (message: string) => E): E | InputError {
  if (error instanceof InputError) {
    return error;
  }
  const name = error instanceof Error ? error.name : typeof error;
  const text = error instanceof Error ? error.message : typeof error === 'string' ? error : '';
  const detail = text.length > 120 ? `${text.slice(0, 120)}...` : text;
  const wrapped = make(`unexpected failure while reading the input (${name}${detail ? `: ${detail}` : ''})`);
  (wrapped as { cause?: unknown }).cause = error;
  return wrapped;
}

/** Runs a parser, turning anything it throws that is not an InputError into the typed error `make` builds. */
export function guardParser<T, E extends InputError>(run: () => T, make: (message: string) => E): T {
  try {
    return run();
  } catch (error) {
    throw unexpectedFailure(error, make);
  }
}

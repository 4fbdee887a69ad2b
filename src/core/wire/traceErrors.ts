/**
 * Errors of the Go execution trace reader, in the same three families as the pprof decoder (`../errors.ts`):
 * - {@link NotGoTraceError}: the bytes do not start with Go's trace header `go 1.NN trace\0\0\0` at all
 *   (an HTML page, a pprof profile, an empty body);
 * - {@link UnsupportedTraceVersionError}: a Go trace, but of a format this reader does not decode. Traces written by
 *   Go 1.21 and older use the first trace format, which Go itself converts with a separate 2,300-line parser
 *   (golang/go:src/internal/trace/internal/tracev1); we decode only the format of Go 1.22 and later;
 * - {@link MalformedTraceError}: the header is right but the body is broken (truncated batch, unknown event type,
 *   events whose order the goroutine/P/M state machine cannot explain). Messages follow Go's own wording in
 *   golang/go:src/internal/trace/{batch.go,generation.go,order.go} so they can be searched for.
 */
import { InputErrorContext, MalformedInputError, NotThisFormatError } from '../errors';

export const TRACE_FORMAT = 'Go execution trace';

export class NotGoTraceError extends NotThisFormatError {
  constructor(message: string, context: InputErrorContext = {}) {
    super(message, { format: TRACE_FORMAT, ...context });
  }
}

export class UnsupportedTraceVersionError extends NotThisFormatError {
  constructor(
    message: string,
    readonly goMinor: number,
    context: InputErrorContext = {}
  ) {
    super(message, { format: TRACE_FORMAT, ...context });
  }
}

export class MalformedTraceError extends MalformedInputError {
  constructor(message: string, context: InputErrorContext = {}) {
    super(message, { format: TRACE_FORMAT, ...context });
  }
}

/**
 * Errors of the pprof decoder. They live in the wire layer because that is where they are thrown; the model layer
 * re-exports them as part of its public API.
 *
 * The split follows google/pprof:profile/profile.go `ParseData`, which keeps "this is not a profile"
 * (`errUnrecognized`, legacy parsers move on) apart from "this is a broken profile" (`errMalformed`, stop):
 * - {@link NotPprofError}: an HTML error page, an empty body, a goroutine dump, gzip-compressed text...
 * - {@link MalformedProfileError}: truncated gzip, wrong wire types, string index out of range, zero ids...
 */
import { InputErrorContext, MalformedInputError, NotThisFormatError } from '../errors';

export const PPROF_FORMAT = 'pprof';

export class NotPprofError extends NotThisFormatError {
  constructor(message: string, context: InputErrorContext = {}) {
    super(message, { format: PPROF_FORMAT, ...context });
  }
}

export class MalformedProfileError extends MalformedInputError {
  constructor(message: string, context: InputErrorContext = {}) {
    super(message, { format: PPROF_FORMAT, ...context });
  }
}

/**
 * Reading Grafana Pyroscope's Connect JSON (protojson) safely. Shared by the Pyroscope wire readers.
 *
 * Facts (protojson as connect-go serves it; grafana/pyroscope:api/querier/v1/querier.proto):
 * - int64/uint64 fields arrive as JSON strings ("11100000000"), doubles as numbers; requests may send either;
 * - fields equal to zero or empty are omitted, so "absent" means 0, "" or [];
 * - field names are lowerCamelCase json names (`profileTypeID`, `labelsSet`), except `ID` in `types.v1.ProfileType`.
 * Anything else (a string where a list belongs, "abc" where a number belongs) is a {@link PyroscopeShapeError}
 * naming the field, so a proxy page or an incompatible server version is reported, not rendered as garbage.
 */
import { MalformedInputError, NotThisFormatError } from '../errors';

export const PYROSCOPE_JSON = 'Pyroscope Connect JSON';

export class PyroscopeShapeError extends MalformedInputError {
  constructor(message: string, field: string) {
    super(message, { format: PYROSCOPE_JSON, field });
  }
}

export type JsonObject = Record<string, unknown>;

/** Parses a response body; text that is not JSON (an HTML error page, a truncated body) is named as such. */
export function parsePyroscopeJson(text: string): JsonObject {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    const start = text.trimStart().slice(0, 60).split('\n')[0];
    const what = /^<(!doctype|html)/i.test(start) ? 'an HTML page' : `text starting with ${JSON.stringify(start)}`;
    throw new NotThisFormatError(`not ${PYROSCOPE_JSON}: the response is ${what}`, { format: PYROSCOPE_JSON });
  }
  return object(value, '(response)');
}

export function object(value: unknown, field: string): JsonObject {
  if (value === undefined || value === null) {
    return {};
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new PyroscopeShapeError(`expected an object, got ${describe(value)}`, field);
  }
  return value as JsonObject;
}

export function list(value: unknown, field: string): unknown[] {
  if (value === undefined || value === null) {
    return [];
  }
  if (!Array.isArray(value)) {
    throw new PyroscopeShapeError(`expected a list, got ${describe(value)}`, field);
  }
  return value;
}

export function str(value: unknown, field: string): string {
  if (value === undefined || value === null) {
    return '';
  }
  if (typeof value !== 'string') {
    throw new PyroscopeShapeError(`expected a string, got ${describe(value)}`, field);
  }
  return value;
}

export function strings(value: unknown, field: string): string[] {
  return list(value, field).map((v, i) => str(v, `${field}[${i}]`));
}

/**
 * An int64 as a JS number. Exact up to 2^53 (104 days of CPU nanoseconds); beyond that precision is lost, which
 * a flame graph cannot show anyway. Non-integral or non-numeric text is a shape error.
 */
export function int64(value: unknown, field: string): number {
  if (value === undefined || value === null) {
    return 0;
  }
  const n =
    typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : typeof value === 'number' ? value : NaN;
  if (!Number.isFinite(n) || !Number.isInteger(n)) {
    throw new PyroscopeShapeError(`expected an int64, got ${describe(value)}`, field);
  }
  return n;
}

/** A double (`Point.value`, `step`): a JSON number, or one of protojson's string spellings. */
export function double(value: unknown, field: string): number {
  if (value === undefined || value === null) {
    return 0;
  }
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  if (Number.isNaN(n) && value !== 'NaN') {
    throw new PyroscopeShapeError(`expected a number, got ${describe(value)}`, field);
  }
  return n;
}

export function bool(value: unknown, field: string): boolean {
  if (value === undefined || value === null) {
    return false;
  }
  if (typeof value !== 'boolean') {
    throw new PyroscopeShapeError(`expected a boolean, got ${describe(value)}`, field);
  }
  return value;
}

const PREFIX_CHARS = 40;

/**
 * What a value is, for a message: its type and a short prefix, never the whole value (a hostile or broken body can
 * nest thousands of levels or hold megabytes, and JSON.stringify of it would be slow or throw).
 */
export function describe(value: unknown): string {
  if (Array.isArray(value)) {
    return `a list of ${value.length}`;
  }
  if (value === null) {
    return 'null';
  }
  switch (typeof value) {
    case 'string': {
      const prefix = value.length > PREFIX_CHARS ? `${value.slice(0, PREFIX_CHARS - 3)}...` : value;
      return `string ${JSON.stringify(prefix)}`;
    }
    case 'number':
    case 'boolean':
    case 'bigint':
      return `${typeof value} ${String(value)}`;
    case 'object': {
      const keys = Object.keys(value as object);
      const shown = keys.slice(0, 3).map((k) => (k.length > 20 ? `${k.slice(0, 17)}...` : k));
      return `an object${keys.length ? ` with keys ${shown.join(', ')}${keys.length > 3 ? ', ...' : ''}` : ''}`;
    }
    default:
      return typeof value;
  }
}

/**
 * Path safety: every request this data source makes is `<data proxy URL><path>`, and `<path>` is built only here,
 * from values whose template variables are already interpolated. Inputs from settings, queries and template
 * variables can never produce an absolute URL, a scheme, a host, a `..` or `.` segment (raw, percent-encoded,
 * double-encoded like `%252e%252e`, or with a path parameter like `..;`), a backslash, a query or fragment, or
 * control characters; a `$word` or `${word}` left over means a variable that did not resolve and is refused too.
 * Anything like that is an error naming the offending input, never silently cleaned.
 *
 * These checks are the protection: Grafana's data proxy cleans and refuses `..` only in paths matched against
 * plugin.json `routes` (grafana/grafana:pkg/api/pluginproxy/ds_proxy.go `validateRequest`), and this data source
 * declares none, so the proxy forwards whatever path it is given; a gateway behind the target may decode `%2F` or
 * `%2e` again, which is why encoded forms are refused as well.
 */
export class UnsafePathError extends Error {
  constructor(what: string, value: string, why: string) {
    super(`${what} "${value}" is not allowed: ${why}`);
    this.name = 'UnsafePathError';
  }
}

const SEGMENT = /^[A-Za-z0-9._~!$&'()*+,;=:@%-]+$/;
/** A template variable that interpolation left in place: `$var`, `${var}`, `[[var]]`. */
const LEFTOVER_VARIABLE = /\$\w|\$\{|\[\[/;
/** A profile endpoint of net/http/pprof: `heap`, `goroutine`, `profile`, `goroutineleak`... */
const ENDPOINT = /^[a-z][a-z0-9_]*$/;

/** "." or "..", also with a `;parameter` (servlet containers strip it: `..;/` leaves the base). */
function isDotSegment(segment: string): boolean {
  const name = segment.split(';', 1)[0];
  return name === '.' || name === '..';
}

function checkSegment(what: string, whole: string, segment: string): void {
  if (LEFTOVER_VARIABLE.test(segment)) {
    throw new UnsafePathError(what, whole, 'it holds a template variable that did not resolve');
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    throw new UnsafePathError(what, whole, 'broken percent-encoding');
  }
  if (decoded.includes('%')) {
    throw new UnsafePathError(what, whole, 'double percent-encoding (a "%" that decodes to another escape)');
  }
  if (isDotSegment(decoded)) {
    throw new UnsafePathError(what, whole, 'it would leave the configured base ("." or ".." segment)');
  }
  if (/[\\/?#]/.test(decoded) || /[\x00-\x1f\x7f]/.test(decoded)) {
    throw new UnsafePathError(what, whole, 'encoded "/", "\\", "?", "#" or control characters');
  }
  if (!SEGMENT.test(segment)) {
    throw new UnsafePathError(what, whole, 'characters outside a URL path segment');
  }
}

/**
 * Normalises a configured or interpolated path (`/debug/pprof`, `pods/a-1/`) to `/a/b` form, or '' for empty.
 * Throws {@link UnsafePathError} for anything that could leave the base.
 */
export function safePath(what: string, value: string): string {
  const trimmed = value.trim();
  if (trimmed === '' || trimmed === '/') {
    return '';
  }
  if (/^[a-z][a-z0-9+.-]*:/i.test(trimmed) || trimmed.startsWith('//')) {
    throw new UnsafePathError(what, value, 'absolute URLs are not accepted; give a path under the data source URL');
  }
  if (/[\\?#\s]/.test(trimmed)) {
    throw new UnsafePathError(what, value, 'backslash, "?", "#" or whitespace');
  }
  const segments = trimmed.split('/').filter((s) => s !== '');
  segments.forEach((s) => checkSegment(what, value, s));
  return `/${segments.join('/')}`;
}

/**
 * One path segment from user input (an instance name): encoded, never containing `/` or `\`, never a dot segment,
 * never holding `%` (which a gateway decoding twice would turn into `/` or `..`) or an unresolved variable.
 */
export function safeSegment(what: string, value: string): string {
  if (value === '' || isDotSegment(value)) {
    throw new UnsafePathError(what, value, 'empty, "." or ".."');
  }
  if (/[\x00-\x1f\x7f]/.test(value)) {
    throw new UnsafePathError(what, value, 'control characters');
  }
  if (/[/\\]/.test(value) || value.includes('..')) {
    throw new UnsafePathError(what, value, 'it contains "/", "\\" or ".."');
  }
  if (value.includes('%')) {
    throw new UnsafePathError(what, value, 'it contains "%" (percent-encoded input is not accepted)');
  }
  if (LEFTOVER_VARIABLE.test(value)) {
    throw new UnsafePathError(what, value, 'it holds a template variable that did not resolve');
  }
  return encodeURIComponent(value);
}

/** A net/http/pprof endpoint name (`heap`, `goroutine`, `profile`): lower-case letters, digits and `_` only. */
export function safeEndpoint(value: string): string {
  if (!ENDPOINT.test(value)) {
    throw new UnsafePathError(
      'profile',
      value.length > 80 ? `${value.slice(0, 80)}...` : value,
      LEFTOVER_VARIABLE.test(value)
        ? 'it holds a template variable that did not resolve'
        : 'a pprof endpoint is a lower-case name such as heap or goroutine'
    );
  }
  return value;
}

/**
 * The gateway prefix template with `${instance}` filled in as one encoded segment. Dashboard variables are
 * interpolated by the caller before; the result goes through {@link safePath}.
 */
export function expandPrefix(template: string, instance: string | undefined): string {
  if (!template) {
    return '';
  }
  const needsInstance = /\$\{instance\}|\$instance\b/.test(template);
  if (needsInstance && !instance) {
    throw new UnsafePathError('path prefix', template, 'it uses ${instance} but the query sets no instance');
  }
  const filled = needsInstance
    ? template.replace(/\$\{instance\}|\$instance\b/g, () => safeSegment('instance', instance!))
    : template;
  return safePath('path prefix', filled);
}

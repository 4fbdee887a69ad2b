/**
 * Path safety: every request this data source makes is `<data proxy URL><path>`, and `<path>` is built only here.
 * Inputs from settings, queries and template variables can never produce an absolute URL, a scheme, a host, a
 * `..` or `.` segment (raw or percent-encoded), a backslash, a query or fragment, or control characters; anything
 * like that is an error, never silently cleaned. These checks are the protection: Grafana's data proxy cleans and
 * refuses `..` only in paths matched against plugin.json `routes` (grafana/grafana:pkg/api/pluginproxy/ds_proxy.go
 * `validateRequest`), and this data source declares none, so the proxy forwards whatever path it is given.
 */
export class UnsafePathError extends Error {
  constructor(what: string, value: string, why: string) {
    super(`${what} "${value}" is not allowed: ${why}`);
    this.name = 'UnsafePathError';
  }
}

const SEGMENT = /^[A-Za-z0-9._~!$&'()*+,;=:@%-]+$/;

function checkSegment(what: string, whole: string, segment: string): void {
  let decoded: string;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    throw new UnsafePathError(what, whole, 'broken percent-encoding');
  }
  if (decoded === '..' || decoded === '.') {
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

/** One path segment from user input (an instance name, a profile name): encoded, never containing `/`. */
export function safeSegment(what: string, value: string): string {
  if (value === '' || value === '.' || value === '..') {
    throw new UnsafePathError(what, value, 'empty, "." or ".."');
  }
  if (/[\x00-\x1f\x7f]/.test(value)) {
    throw new UnsafePathError(what, value, 'control characters');
  }
  return encodeURIComponent(value);
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

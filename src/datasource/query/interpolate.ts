/**
 * Template variables are interpolated in every text field of a query (Grafana's Pyroscope data source only does
 * the label selector, and users ask for more: grafana#71813, #83068). Formats follow what each field is:
 * regex fields get the `regex` format (multi-values become `(a|b)` with metacharacters escaped); label selectors
 * get `pipe` inside `=~` matchers and plain text elsewhere; path parts get `raw` and are checked later by
 * the path safety rules (src/datasource/transport/paths.ts).
 */
import type { ScopedVars } from '@grafana/data';
import type { TemplateSrv } from '@grafana/runtime';

import { GoRuntimeQuery } from '../types';

export function interpolateQuery(
  query: GoRuntimeQuery,
  scopedVars: ScopedVars,
  templateSrv: TemplateSrv
): GoRuntimeQuery {
  const text = (value: string | undefined, format?: string) =>
    value === undefined ? undefined : templateSrv.replace(value, scopedVars, format);
  const out: GoRuntimeQuery = {
    ...query,
    profileType: text(query.profileType),
    sampleType: text(query.sampleType),
    labelSelector:
      query.labelSelector === undefined ? undefined : interpolateSelector(query.labelSelector, scopedVars, templateSrv),
    instance: text(query.instance, 'raw'),
    focus: text(query.focus, 'regex'),
    ignore: text(query.ignore, 'regex'),
    interval: text(query.interval),
    groupBy: query.groupBy
      ?.flatMap((g) => templateSrv.replace(g, scopedVars, 'csv').split(','))
      .map((g) => g.trim())
      .filter(Boolean),
  };
  if (query.baseline?.kind === 'offset') {
    out.baseline = { kind: 'offset', offset: text(query.baseline.offset)! };
  } else if (query.baseline?.kind === 'range') {
    out.baseline = { kind: 'range', from: text(query.baseline.from)!, to: text(query.baseline.to)! };
  }
  return out;
}

/** Grafana's value for a variable set to "All" (`ALL_VARIABLE_VALUE` in @grafana/data and @grafana/scenes). */
const ALL_VALUE = '$__all';

/** `$name`, `${name}`, `${name:format}`, `${name.field}` or `[[name]]`, as Grafana's variable regex reads them. */
const VARIABLE_REF = /\$(\w+)|\[\[(\w+?)(?::\w+)?\]\]|\$\{(\w+)(?:\.[^:^}]+)?(?::[^}]+)?\}/g;

/** Metacharacters of RE2 (Pyroscope, Prometheus), escaped as Grafana's `regex` format escapes them. */
function escapeRegex(value: string): string {
  return value.replace(/[\\^$*+?.()|[\]{}/]/g, '\\$&');
}

/** A label value is a Go string literal in selector syntax: backslashes and quotes escaped. */
function quoteLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}

type Selection = { kind: 'all' } | { kind: 'values'; values: string[] } | { kind: 'unknown' };

/**
 * What a variable currently selects. "All" is read from the dashboard's variable (its current value is `$__all`);
 * the selected values come from TemplateSrv itself through a format function, which Grafana calls with the raw
 * value (an array for multi-value variables) after applying scoped variables (repeated panels).
 */
function selectionOf(name: string, ref: string, scopedVars: ScopedVars, templateSrv: TemplateSrv): Selection {
  const scoped = scopedVars[name]?.value;
  if (scoped === undefined) {
    const variable = templateSrv.getVariables().find((v) => v.name === name) as
      { current?: { value?: unknown } } | undefined;
    const current = variable?.current?.value;
    if (current === ALL_VALUE || (Array.isArray(current) && current.includes(ALL_VALUE))) {
      return { kind: 'all' };
    }
  }
  let captured: unknown;
  templateSrv.replace(ref, scopedVars, (value: unknown) => {
    captured = value;
    return '';
  });
  if (typeof captured === 'string' || typeof captured === 'number') {
    return { kind: 'values', values: [String(captured)] };
  }
  if (Array.isArray(captured) && captured.length > 0) {
    return { kind: 'values', values: captured.map(String) };
  }
  return { kind: 'unknown' };
}

/**
 * Interpolates variables inside a label selector so the result is a valid selector whatever the variables hold:
 * - a single value goes in as it is (regex-escaped in `=~`/`!~` matchers);
 * - several values (a multi-value variable) become an alternation of regex-escaped values, and `=`/`!=` turn
 *   into `=~`/`!~`: `service="$svc"` with checkout and cart.v2 → `service=~"checkout|cart\\.v2"`. Grafana's default
 *   format would give `{checkout,cart.v2}`, which no selector accepts;
 * - "All" drops a `=` or `=~` matcher whose whole value is the variable: every value is wanted, so no matcher (a
 *   regex of every current option would also miss values that appeared since the dashboard loaded);
 * - unknown variables and "All" elsewhere are left to TemplateSrv with the `regex` format (Grafana's custom "All"
 *   value, e.g. `.*`, or every option).
 */
export function interpolateSelector(selector: string, scopedVars: ScopedVars, templateSrv: TemplateSrv): string {
  const matcher = /([A-Za-z_][\w.]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"/g;
  let dropped = false;
  const out = selector.replace(matcher, (whole, name: string, op: string, quoted: string) => {
    const value = quoted.replace(/\\(.)/g, '$1');
    const parts = splitRefs(value);
    if (parts.every((p) => p.ref === undefined)) {
      return whole;
    }
    const selections = parts.map((p) => (p.ref ? selectionOf(p.name, p.ref, scopedVars, templateSrv) : undefined));
    const onlyRef = parts.length === 1 && parts[0].ref !== undefined;
    if (onlyRef && selections[0]?.kind === 'all' && (op === '=' || op === '=~')) {
      dropped = true;
      return '';
    }
    const several = selections.some((sel) => sel?.kind === 'all' || (sel?.kind === 'values' && sel.values.length > 1));
    const regex = op === '=~' || op === '!~' || several;
    const outOp = regex ? (op === '=' ? '=~' : op === '!=' ? '!~' : op) : op;
    const text = parts
      .map((part, i) => {
        const sel = selections[i];
        if (!part.ref) {
          // Literal text: the user's own regex in a regex matcher, a plain value that must now match literally.
          return regex && op !== '=~' && op !== '!~' ? escapeRegex(part.text) : part.text;
        }
        if (sel?.kind !== 'values') {
          return templateSrv.replace(part.ref, scopedVars, regex ? 'regex' : undefined);
        }
        if (!regex) {
          return sel.values[0];
        }
        const alternation = sel.values.map(escapeRegex).join('|');
        return sel.values.length > 1 && !onlyRef ? `(${alternation})` : alternation;
      })
      .join('');
    return `${name}${outOp}"${quoteLabelValue(text)}"`;
  });
  // A dropped matcher leaves its comma behind: `{a="x", , b="y"}`, `{, b="y"}`, `{a="x", }`.
  return dropped
    ? out
        .replace(/,(\s*,)+/g, ',')
        .replace(/\{\s*,\s*/g, '{')
        .replace(/\s*,\s*\}/g, '}')
    : out;
}

/** Splits a matcher value into literal text and variable references, in order. */
function splitRefs(value: string): Array<{ text: string; ref?: string; name: string }> {
  const parts: Array<{ text: string; ref?: string; name: string }> = [];
  let last = 0;
  for (const m of value.matchAll(new RegExp(VARIABLE_REF))) {
    if (m.index! > last) {
      parts.push({ text: value.slice(last, m.index), name: '' });
    }
    parts.push({ text: m[0], ref: m[0], name: m[1] || m[2] || m[3] });
    last = m.index! + m[0].length;
  }
  if (last < value.length) {
    parts.push({ text: value.slice(last), name: '' });
  }
  return parts;
}

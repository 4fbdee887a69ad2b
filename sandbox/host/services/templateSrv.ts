// The sandbox's TemplateSrv: replaces dashboard variables and Grafana's built-in time variables in query text, with
// the syntaxes Grafana accepts ($name, ${name}, ${name:format}, [[name]]) and Grafana's formats for single and
// multi-value variables (public/app/features/templating/template_srv.ts and formatRegistry.ts; the same in
// @grafana/scenes): a multi-value variable with no format is a glob `{a,b}`, `regex` gives `(a|b)` with
// metacharacters escaped, `pipe` `a|b`, `csv` `a,b`, and so on; a format function receives the raw value (an array
// for several values). "All" is the value `$__all`: it expands to the variable's custom all value unformatted, or
// to every option. Variables come from the page URL as in Grafana (`?var-service=a&var-service=b`,
// `var-service=$__all`). Not Grafana's full variable system: no query variables, no chaining.
import { dateTime, rangeUtil, type ScopedVars, type TimeRange, type TypedVariableModel } from '@grafana/data';
import type { TemplateSrv } from '@grafana/runtime';

const VARIABLE = /\$(\w+)|\[\[(\w+?)(?::(\w+))?\]\]|\${(\w+)(?:\.([^:^}]+))?(?::([^}]+))?}/g;
export const ALL_VALUE = '$__all';

type Format = string | ((value: unknown, variable?: unknown) => string) | undefined;

/** A custom dashboard variable: its options, what is selected (`$__all` for All), and whether it is multi-value. */
export interface SandboxVariable {
  options: string[];
  current: string | string[];
  multi?: boolean;
  includeAll?: boolean;
  /** Grafana's "Custom all value" (e.g. `.*`): what All expands to instead of every option. */
  allValue?: string;
}

/**
 * The dashboard's variables: `defaults` (name → options), each selection overridden by the page URL's
 * `var-<name>` parameters as Grafana reads them (several → multi-value, `$__all` → All).
 */
export function variablesFromUrl(search: string, defaults: Record<string, string[]>): Record<string, SandboxVariable> {
  const params = new URLSearchParams(search);
  const variables: Record<string, SandboxVariable> = {};
  const names = new Set([
    ...Object.keys(defaults),
    ...[...params.keys()].filter((k) => k.startsWith('var-')).map((k) => k.slice(4)),
  ]);
  for (const name of names) {
    const chosen = params.getAll(`var-${name}`);
    const options = [...new Set([...(defaults[name] ?? []), ...chosen.filter((v) => v !== ALL_VALUE)])];
    const current = chosen.includes(ALL_VALUE)
      ? ALL_VALUE
      : chosen.length > 1
        ? chosen
        : (chosen[0] ?? options[0] ?? '');
    variables[name] = { options, current, multi: chosen.length > 1 || chosen.includes(ALL_VALUE), includeAll: true };
  }
  return variables;
}

export class SandboxTemplateSrv implements TemplateSrv {
  private range: TimeRange;
  private readonly variables: Record<string, SandboxVariable>;

  constructor(variables: Record<string, string | SandboxVariable>, range: TimeRange) {
    this.range = range;
    this.variables = Object.fromEntries(
      Object.entries(variables).map(([name, v]) => [name, typeof v === 'string' ? { options: [v], current: v } : v])
    );
  }

  updateTimeRange(range: TimeRange): void {
    this.range = range;
  }

  getVariables(): TypedVariableModel[] {
    return Object.entries(this.variables).map(
      ([name, v], index) =>
        ({
          type: 'custom',
          id: name,
          name,
          label: name,
          index,
          query: v.options.join(','),
          multi: Boolean(v.multi),
          includeAll: Boolean(v.includeAll),
          allValue: v.allValue ?? null,
          current: { text: v.current === ALL_VALUE ? 'All' : v.current, value: v.current, selected: true },
          options: v.options.map((o) => ({
            text: o,
            value: o,
            selected: Array.isArray(v.current) ? v.current.includes(o) : v.current === o,
          })),
          hide: 0,
          skipUrlSync: false,
          global: false,
          rootStateKey: 'sandbox',
        }) as unknown as TypedVariableModel
    );
  }

  containsTemplate(target?: string): boolean {
    if (!target) {
      return false;
    }
    for (const match of target.matchAll(VARIABLE)) {
      const name = match[1] || match[2] || match[4];
      if (name in this.variables || this.builtIn(name) !== undefined) {
        return true;
      }
    }
    return false;
  }

  replace(target?: string, scopedVars?: ScopedVars, format?: Format): string {
    if (!target) {
      return target ?? '';
    }
    return target.replace(
      VARIABLE,
      (
        match,
        plain?: string,
        bracket?: string,
        bracketFormat?: string,
        braced?: string,
        _field?: string,
        bracedFormat?: string
      ) => {
        const name = plain || bracket || braced || '';
        const inlineFormat = bracketFormat || bracedFormat;
        const scoped = scopedVars?.[name];
        if (scoped) {
          return formatValue(scoped.value, inlineFormat || format, name, String(scoped.text ?? scoped.value));
        }
        const variable = this.variables[name];
        if (variable) {
          if (
            variable.current === ALL_VALUE ||
            (Array.isArray(variable.current) && variable.current.includes(ALL_VALUE))
          ) {
            const fmt = inlineFormat || format;
            // Grafana leaves a custom all value unformatted, except for the text and percentencode formats.
            if (variable.allValue !== undefined && fmt !== 'text' && fmt !== 'percentencode') {
              return variable.allValue;
            }
            return formatValue(variable.allValue ?? variable.options, fmt, name, 'All');
          }
          const text = Array.isArray(variable.current) ? variable.current.join(' + ') : variable.current;
          return formatValue(variable.current, inlineFormat || format, name, text);
        }
        const builtIn = this.builtIn(name, inlineFormat);
        return builtIn === undefined ? match : builtIn;
      }
    );
  }

  private builtIn(name: string, format?: string): string | undefined {
    const from = this.range.from.valueOf();
    const to = this.range.to.valueOf();
    const rangeMs = to - from;
    switch (name) {
      case '__from':
      case '__to': {
        const ms = name === '__from' ? from : to;
        if (format === 'date' || format === 'date:iso') {
          return dateTime(ms).toISOString();
        }
        if (format === 'date:seconds') {
          return String(Math.floor(ms / 1000));
        }
        return String(ms);
      }
      case '__range_ms':
        return String(rangeMs);
      case '__range_s':
        return String(Math.round(rangeMs / 1000));
      case '__range':
        return rangeUtil.secondsToHms(Math.round(rangeMs / 1000));
      case '__dashboard':
        return 'Go service (sandbox)';
      case '__org':
        return '1';
      default:
        return undefined;
    }
  }
}

const escapeRegex = (value: string) => value.replace(/[\\^$*+?.()|[\]{}/]/g, '\\$&');
const escapeLucene = (value: string) => value.replace(/([\!\*\+\-\=<>\s\&\|\(\)\[\]\{\}\^\~\?\:\\/"])/g, '\\$1');
const encodeStrict = (value: string) =>
  encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** Grafana's formatRegistry, for a single value (string) or several (array). */
export function formatValue(raw: unknown, format: Format, name: string, text: string): string {
  if (typeof format === 'function') {
    return format(raw, { name });
  }
  const many = Array.isArray(raw);
  const values = (many ? raw : [raw]).map((v) => String(v ?? ''));
  switch (format) {
    case 'raw':
      return values.join(',');
    case 'regex':
      return values.length === 1 ? escapeRegex(values[0]) : `(${values.map(escapeRegex).join('|')})`;
    case 'pipe':
      return values.join('|');
    case 'csv':
      return values.join(',');
    case 'distributed':
      return [values[0], ...values.slice(1).map((v) => `${name}=${v}`)].join(',');
    case 'json':
      return JSON.stringify(many ? values : values[0]);
    case 'lucene':
      return many ? `(${values.map((v) => `"${escapeLucene(v)}"`).join(' OR ')})` : escapeLucene(values[0]);
    case 'percentencode':
      return encodeStrict(many ? `{${values.join(',')}}` : values[0]);
    case 'singlequote':
      return values.map((v) => `'${v.replace(/'/g, "\\'")}'`).join(',');
    case 'doublequote':
      return values.map((v) => `"${v.replace(/"/g, '\\"')}"`).join(',');
    case 'sqlstring':
      return values.map((v) => `'${v.replace(/'/g, "''")}'`).join(',');
    case 'text':
      return text;
    case 'queryparam':
      return values.map((v) => `var-${encodeStrict(name)}=${encodeStrict(v)}`).join('&');
    case 'html':
      return values
        .map((v) =>
          v
            .replace(/&/g, '&amp;')
            .replace(/</g, '&lt;')
            .replace(/>/g, '&gt;')
            .replace(/"/g, '&quot;')
            .replace(/'/g, '&#39;')
        )
        .join(', ');
    default:
      // glob (Grafana's default): several values as `{a,b}`, one as it is.
      return many && values.length > 1 ? `{${values.join(',')}}` : values[0];
  }
}

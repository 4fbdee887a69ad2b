// The sandbox's TemplateSrv: replaces dashboard variables and Grafana's built-in time variables in query text, with
// the syntaxes Grafana accepts ($name, ${name}, ${name:format}, [[name]]) and the common formats. Enough for a data
// source that interpolates its queries; not Grafana's full variable system (no query variables, no multi-value
// chaining).
import { dateTime, rangeUtil, type ScopedVars, type TimeRange, type TypedVariableModel } from '@grafana/data';
import type { TemplateSrv } from '@grafana/runtime';

const VARIABLE = /\$(\w+)|\[\[(\w+?)(?::(\w+))?\]\]|\${(\w+)(?:\.([^:^}]+))?(?::([^}]+))?}/g;

type Format = string | ((value: unknown, variable?: unknown) => string) | undefined;

export class SandboxTemplateSrv implements TemplateSrv {
  private range: TimeRange;

  constructor(
    private readonly variables: Record<string, string>,
    range: TimeRange
  ) {
    this.range = range;
  }

  updateTimeRange(range: TimeRange): void {
    this.range = range;
  }

  getVariables(): TypedVariableModel[] {
    return Object.entries(this.variables).map(
      ([name, value], index) =>
        ({
          type: 'constant',
          id: name,
          name,
          label: name,
          index,
          query: value,
          current: { text: value, value, selected: true },
          options: [{ text: value, value, selected: true }],
          hide: 2,
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
    VARIABLE.lastIndex = 0;
    for (const match of target.matchAll(VARIABLE)) {
      if (this.lookup(match[1] || match[2] || match[4]) !== undefined) {
        return true;
      }
    }
    return false;
  }

  replace(target?: string, scopedVars?: ScopedVars, format?: Format): string {
    if (!target) {
      return target ?? '';
    }
    return target.replace(VARIABLE, (match, plain?: string, bracket?: string, bracketFormat?: string, braced?: string, _field?: string, bracedFormat?: string) => {
      const name = plain || bracket || braced || '';
      const value = this.lookup(name, scopedVars, bracketFormat || bracedFormat);
      if (value === undefined) {
        return match;
      }
      return applyFormat(value, bracketFormat || bracedFormat || format);
    });
  }

  private lookup(name: string, scopedVars?: ScopedVars, format?: string): string | undefined {
    const scoped = scopedVars?.[name];
    if (scoped) {
      return String(scoped.value);
    }
    if (name in this.variables) {
      return this.variables[name];
    }
    return this.builtIn(name, format);
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

function applyFormat(value: string, format: Format): string {
  if (typeof format === 'function') {
    return format(value);
  }
  switch (format) {
    case 'percentencode':
      return encodeURIComponent(value);
    case 'json':
      return JSON.stringify(value);
    case 'regex':
      return value.replace(/[\\^$*+?.()|[\]{}/]/g, '\\$&');
    case 'singlequote':
      return `'${value.replace(/'/g, "\\'")}'`;
    case 'doublequote':
      return `"${value.replace(/"/g, '\\"')}"`;
    default:
      // raw, text, csv, pipe, glob and lucene all leave a single plain value unchanged.
      return value;
  }
}

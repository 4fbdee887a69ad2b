/** A TemplateSrv stand-in for tests (Grafana's own lives in the app, not in @grafana/runtime). */
import type { ScopedVars } from '@grafana/data';
import type { TemplateSrv } from '@grafana/runtime';

/**
 * A TemplateSrv with fixed variables. Supports `$var`, `${var}`, `${var:raw}`, and the `regex`, `pipe`, `csv` and
 * `raw` formats for multi-values, which is what the data source asks for, and format functions (called with the raw
 * value, an array for multi-values, as Grafana does). A variable whose value is `'$__all'` is set to "All": its
 * current value is `$__all` in getVariables(), and it expands to its `allOptions`.
 */
export function templateSrv(
  variables: Record<string, string | string[]> = {},
  allOptions: Record<string, string[]> = {}
): TemplateSrv {
  const escape = (v: string) => v.replace(/[\\^$*+?.()|[\]{}\/]/g, '\\$&');
  const format = (value: string | string[], fmt?: string | Function): string => {
    if (typeof fmt === 'function') {
      return fmt(value);
    }
    const list = Array.isArray(value) ? value : [value];
    switch (fmt) {
      case 'regex':
        return list.length > 1 ? `(${list.map(escape).join('|')})` : escape(list[0]);
      case 'pipe':
        return list.join('|');
      case 'csv':
        return list.join(',');
      default:
        return list.length > 1 ? `{${list.join(',')}}` : list[0];
    }
  };
  const current = (name: string) => (variables[name] === '$__all' ? (allOptions[name] ?? []) : variables[name]);
  return {
    getVariables: () =>
      Object.entries(variables).map(([name, value]) => ({
        name,
        type: 'custom',
        multi: Array.isArray(value),
        includeAll: name in allOptions,
        current: { value, text: value === '$__all' ? 'All' : value },
      })),
    replace: (target?: string, scopedVars?: ScopedVars, fmt?: string | Function) =>
      (target ?? '').replace(/\$\{(\w+)(?::(\w+))?\}|\$(\w+)/g, (match, a, inlineFmt, b) => {
        const name = a ?? b;
        const scoped = scopedVars?.[name]?.value as string | string[] | undefined;
        const value = scoped ?? current(name);
        return value === undefined ? match : format(value, inlineFmt ?? fmt);
      }),
    containsTemplate: (target?: string) => /\$\w+|\$\{/.test(target ?? ''),
    updateTimeRange: () => {},
  } as unknown as TemplateSrv;
}

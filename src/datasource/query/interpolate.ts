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

/** In `name=~"$var"` a multi-value variable must become `a|b`; in `name="$var"` its single value. */
export function interpolateSelector(selector: string, scopedVars: ScopedVars, templateSrv: TemplateSrv): string {
  return selector.replace(/(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"/g, (_m, op: string, value: string) => {
    if (!/\$|\[\[/.test(value)) {
      return `${op}"${value}"`;
    }
    const format = op === '=~' || op === '!~' ? 'regex' : undefined;
    // Label values are Go string literals (Prometheus selector syntax): a regex-escaped `\.` must be written `\\.`.
    const replaced = templateSrv.replace(value, scopedVars, format).replace(/\\/g, '\\\\').replace(/"/g, '\\"');
    return `${op}"${replaced}"`;
  });
}

/**
 * Dashboard variable queries (`metricFindQuery`): services, profile types and label values, which users of
 * Grafana's Pyroscope data source ask for (grafana/grafana#71813, #83068, #80413).
 *
 * Syntax (template variables inside are interpolated first):
 *   services()                          values of `service_name`
 *   profileTypes()                      profile type IDs (Pyroscope) or the target's pprof profiles (pprof mode)
 *   profileTypes({service_name="x"})    the types that service has (Pyroscope Series on __profile_type__)
 *   labelNames() / labelNames({...})    label names, internal `__` labels hidden
 *   labelValues(name) / labelValues(name, {...})
 *   instances()                         pprof behind a gateway: not listable, answers nothing
 */
import type { MetricFindValue } from '@grafana/data';
import { Observable, map, of } from 'rxjs';

import type { PprofClient } from '../pprof/pprofClient';
import type { PyroscopeClient } from '../pyroscope/pyroscopeClient';
import type { TargetMode } from '../types';

export type VariableQuery =
  | { kind: 'services'; selector?: string }
  | { kind: 'profileTypes'; selector?: string }
  | { kind: 'labelNames'; selector?: string }
  | { kind: 'labelValues'; name: string; selector?: string };

export class VariableQueryError extends Error {}

const CALL = /^\s*(services|profileTypes|labelNames|labelValues)\s*\(\s*(.*?)\s*\)\s*$/s;

export function parseVariableQuery(text: string): VariableQuery {
  const m = CALL.exec(text);
  if (!m) {
    throw new VariableQueryError(
      `cannot read variable query "${text}": use services(), profileTypes(), labelNames() or labelValues(name[, {selector}])`
    );
  }
  const [, kind, args] = m;
  if (kind === 'labelValues') {
    const lv = /^([A-Za-z_][\w.]*)\s*(?:,\s*(\{.*\}))?$/s.exec(args);
    if (!lv) {
      throw new VariableQueryError(`labelValues needs a label name, e.g. labelValues(service_name) (got "${args}")`);
    }
    return { kind, name: lv[1], selector: lv[2] };
  }
  if (args && !/^\{.*\}$/s.test(args)) {
    throw new VariableQueryError(`${kind}() takes an optional label selector in braces, got "${args}"`);
  }
  return { kind: kind as 'services' | 'profileTypes' | 'labelNames', selector: args || undefined };
}

const values = (list: string[]): MetricFindValue[] => [...new Set(list)].sort().map((text) => ({ text, value: text }));

export function runVariableQuery(
  q: VariableQuery,
  mode: TargetMode,
  clients: { pprof: PprofClient; pyroscope: PyroscopeClient },
  range: { start: number; end: number }
): Observable<MetricFindValue[]> {
  if (mode === 'pprof') {
    // A live target has no labels or services; its profile list is the one useful answer.
    return q.kind === 'profileTypes'
      ? clients.pprof
          .index()
          .pipe(
            map((entries) =>
              values(
                entries
                  .map((e) => (e.name === 'profile' ? 'cpu' : e.name))
                  .filter((n) => !['cmdline', 'symbol', 'trace'].includes(n))
              )
            )
          )
      : of([]);
  }
  switch (q.kind) {
    case 'services':
      return clients.pyroscope.labelValues('service_name', q.selector, range).pipe(map(values));
    case 'labelNames':
      return clients.pyroscope.labelNames(q.selector, range).pipe(map(values));
    case 'labelValues':
      return clients.pyroscope.labelValues(q.name, q.selector, range).pipe(map(values));
    case 'profileTypes':
      return q.selector
        ? clients.pyroscope
            .series(q.selector, ['__profile_type__'], range)
            .pipe(map((sets) => values(sets.map((s) => s.__profile_type__).filter(Boolean))))
        : clients.pyroscope.profileTypes(range).pipe(map((types) => values(types.map((t) => t.id))));
  }
}

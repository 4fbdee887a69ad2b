/**
 * One validation of a query, used by the query editor (inline messages), by `query()` (a query that cannot run
 * is an error naming the field, not an HTTP call) and by provisioning tests (dashboard JSON checked offline).
 *
 * Values holding template variables (`$service`, `${var}`, `[[var]]`) are checked after interpolation only: here
 * they pass, because their value is not known yet.
 */
import { QUERY_TYPES, GoRuntimeQuery, TargetMode } from '../types';
import { parseProfileTypeId, pprofFor, pprofProfile, pyroscopeIdFor } from '../../core';
import { parseDuration, parseTime } from './time';

export interface QueryProblem {
  field: keyof GoRuntimeQuery;
  message: string;
}

/** Pyroscope's largest flame graph (`max_flamegraph_nodes_max`, grafana/pyroscope:pkg/validation/limits.go). */
export const MAX_NODES_LIMIT = 1_048_576;
const VARIABLE = /\$\w+|\$\{[^}]+\}|\[\[[^\]]+\]\]/;

export function hasVariable(value: string | undefined): boolean {
  return value !== undefined && VARIABLE.test(value);
}

const PPROF_ONLY = new Set(['goroutineStates', 'goroutineClusters']);

export function validateQuery(query: GoRuntimeQuery, mode: TargetMode): QueryProblem[] {
  const problems: QueryProblem[] = [];
  const add = (field: keyof GoRuntimeQuery, message: string) => problems.push({ field, message });
  const type = query.queryType ?? 'flamegraph';

  if (!(QUERY_TYPES as readonly string[]).includes(type)) {
    add('queryType', `unknown query type "${type}"; one of: ${QUERY_TYPES.join(', ')}`);
    return problems;
  }
  if (type === 'series' && mode === 'pprof') {
    add('queryType', 'series needs a Pyroscope-mode data source (SelectSeries reads stored history)');
  }
  if (PPROF_ONLY.has(type) && query.profileType && !hasVariable(query.profileType)) {
    const profile = pprofProfile(query.profileType) ? query.profileType : pprofFor(query.profileType)?.profile;
    if (profile !== 'goroutine' && profile !== 'goroutineleak') {
      add('profileType', `${type} reads goroutines; choose the goroutine profile`);
    }
  }
  checkProfileType(query, mode, add);
  checkNumber(query.maxNodes, 'maxNodes', 1, MAX_NODES_LIMIT, add);
  checkNumber(query.limit, 'limit', 1, 10_000, add);
  checkNumber(query.seconds, 'seconds', 1, 3600, add);
  for (const field of ['focus', 'ignore'] as const) {
    const pattern = query[field];
    if (pattern && !hasVariable(pattern)) {
      try {
        new RegExp(pattern);
      } catch (e) {
        add(field, `not a regular expression: ${(e as Error).message}`);
      }
    }
  }
  if (mode === 'pyroscope' && query.labelSelector && !hasVariable(query.labelSelector)) {
    const problem = labelSelectorProblem(query.labelSelector);
    if (problem) {
      add('labelSelector', problem);
    }
  }
  if (query.interval && !hasVariable(query.interval)) {
    const ms = parseDuration(query.interval);
    if (ms === undefined) {
      add('interval', `"${query.interval}" is not a duration like 10s or 1m`);
    } else if (ms < 1000) {
      add('interval', 'the interval must be at least 1s');
    }
  }
  if (type === 'diff') {
    checkBaseline(query, add);
  }
  return problems;
}

function checkProfileType(query: GoRuntimeQuery, mode: TargetMode, add: (f: keyof GoRuntimeQuery, m: string) => void) {
  const id = query.profileType;
  if (!id || hasVariable(id)) {
    return;
  }
  if (mode === 'pprof') {
    const info = pprofProfile(id) ?? (pprofFor(id) ? pprofProfile(pprofFor(id)!.profile) : undefined);
    if (!info && !/^[a-z][a-z0-9_]*$/.test(id)) {
      add('profileType', `"${id}" is neither a pprof profile name (cpu, heap, ...) nor a Pyroscope profile type ID`);
    }
    const sampleType = query.sampleType;
    if (info && sampleType && !hasVariable(sampleType) && !info.sampleTypes.includes(sampleType)) {
      add('sampleType', `the ${info.name} profile has sample types ${info.sampleTypes.join(', ')}`);
    }
  } else if (!parseProfileTypeId(id) && !pyroscopeIdFor(id)) {
    add('profileType', `"${id}" is not a Pyroscope profile type ID (name:sample_type:unit:period_type:period_unit)`);
  }
}

function checkNumber(
  value: number | undefined,
  field: keyof GoRuntimeQuery,
  min: number,
  max: number,
  add: (f: keyof GoRuntimeQuery, m: string) => void
) {
  if (value !== undefined && (!Number.isInteger(value) || value < min || value > max)) {
    add(field, `must be a whole number from ${min} to ${max}`);
  }
}

/** A light syntax check of `{name="value", other=~"re"}`; the server has the final word. */
export function labelSelectorProblem(selector: string): string | undefined {
  const s = selector.trim();
  if (!s.startsWith('{') || !s.endsWith('}')) {
    return 'a label selector is written in braces, e.g. {service_name="checkout"}';
  }
  const body = s.slice(1, -1).trim();
  if (body === '') {
    return undefined;
  }
  const matcher = /^\s*[a-zA-Z_][\w.]*\s*(=~|!~|!=|=)\s*"(?:[^"\\]|\\.)*"\s*$/;
  const parts = body.match(/(?:[^,"]|"(?:[^"\\]|\\.)*")+/g) ?? [];
  const bad = parts.find((p) => !matcher.test(p));
  return bad ? `cannot read matcher "${bad.trim()}"; write name="value" (operators = != =~ !~)` : undefined;
}

function checkBaseline(query: GoRuntimeQuery, add: (f: keyof GoRuntimeQuery, m: string) => void) {
  const b = query.baseline;
  if (!b) {
    return;
  }
  if (b.kind === 'offset') {
    if (!hasVariable(b.offset) && parseDuration(b.offset) === undefined) {
      add('baseline', `baseline offset "${b.offset}" is not a duration like 1h or 30m`);
    }
  } else if (b.kind === 'range') {
    const from = hasVariable(b.from) ? 0 : parseTime(b.from);
    const to = hasVariable(b.to) ? 1 : parseTime(b.to, true);
    if (from === undefined || to === undefined) {
      add('baseline', `baseline range "${b.from}" to "${b.to}" is not readable (use now-2h, an ISO time or epoch ms)`);
    } else if (from >= to) {
      add('baseline', 'the baseline range must start before it ends');
    }
  } else {
    add('baseline', 'baseline must be {kind: "offset", offset} or {kind: "range", from, to}');
  }
}

/**
 * Saved queries outlive the code: dashboards and provisioning files keep the shape they were written with.
 * `migrateQuery` brings any known older shape to the current one ({@link QUERY_SCHEMA_VERSION}) and is idempotent.
 *
 * Known shapes:
 * - v1 (the first release of this plugin): `{ profile: 'cpu' }`, no query type (it only drew flame graphs);
 * - Grafana's own Pyroscope data source (users paste its panels): `profileTypeId`, `queryType` `profile` | `metrics`
 *   | `both` (`both` is Explore-only and means profile in dashboards, grafana#82130);
 * - early names for query types and a flat `baselineOffset`.
 * Unknown query types are kept as they are, so validation reports them instead of a silent change.
 */
import { BaselineSpec, GoRuntimeQuery, QUERY_SCHEMA_VERSION, QUERY_TYPES, QueryType } from '../types';

const QUERY_TYPE_ALIASES: Record<string, QueryType> = {
  profile: 'flamegraph',
  both: 'flamegraph',
  flame: 'flamegraph',
  flameGraph: 'flamegraph',
  metrics: 'series',
  timeseries: 'series',
  goroutines: 'goroutineStates',
  states: 'goroutineStates',
  heatmap: 'goroutineStates',
  clusters: 'goroutineClusters',
  split: 'cpuSplit',
  diagnosis: 'findings',
  comparison: 'diff',
};

type Legacy = GoRuntimeQuery & {
  profile?: unknown;
  profileTypeId?: unknown;
  baselineOffset?: unknown;
  baselineFrom?: unknown;
  baselineTo?: unknown;
};

function numberOrUndefined(value: unknown): number | undefined {
  if (typeof value === 'number') {
    return value;
  }
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) {
    return Number(value);
  }
  return undefined;
}

export function migrateQuery(saved: GoRuntimeQuery): GoRuntimeQuery {
  const { profile, profileTypeId, baselineOffset, baselineFrom, baselineTo, ...rest } = saved as Legacy;
  const query: GoRuntimeQuery = { ...rest };

  if (query.profileType === undefined) {
    const legacy =
      typeof profileTypeId === 'string' ? profileTypeId : typeof profile === 'string' ? profile : undefined;
    if (legacy) {
      query.profileType = legacy;
    }
  }
  const type = query.queryType as string | undefined;
  if (type === undefined || type === '') {
    query.queryType = 'flamegraph';
  } else if (!(QUERY_TYPES as readonly string[]).includes(type) && QUERY_TYPE_ALIASES[type]) {
    query.queryType = QUERY_TYPE_ALIASES[type];
  }
  if (!query.baseline) {
    const baseline = legacyBaseline(baselineOffset, baselineFrom, baselineTo);
    if (baseline) {
      query.baseline = baseline;
    }
  }
  for (const key of ['maxNodes', 'seconds', 'limit'] as const) {
    if (query[key] !== undefined) {
      const n = numberOrUndefined(query[key]);
      if (n === undefined) {
        delete query[key];
      } else {
        query[key] = n;
      }
    }
  }
  if (typeof query.groupBy === 'string') {
    query.groupBy = (query.groupBy as string)
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  }
  query.schemaVersion = QUERY_SCHEMA_VERSION;
  return query;
}

function legacyBaseline(offset: unknown, from: unknown, to: unknown): BaselineSpec | undefined {
  if (typeof from === 'string' && typeof to === 'string' && from && to) {
    return { kind: 'range', from, to };
  }
  if (typeof offset === 'string' && offset) {
    return { kind: 'offset', offset };
  }
  return undefined;
}

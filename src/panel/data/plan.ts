/**
 * Which queries the panel runs itself, as pure functions of what it has and what the user asked for.
 *
 * - Companion queries fill views the dashboard has no query for, so "add panel, pick the data source" (whose default
 *   query is a CPU flame graph) shows goroutine states and findings at once. The goroutine clusters behind the
 *   heatmap's tooltip come the same way; in pprof mode they stream at the states' interval, so every column has its
 *   dump's clusters; in Pyroscope mode one query answers the clusters of every heatmap bucket.
 * - Drill-downs follow the user's flame graph query (profile, sample type, selector, focus/ignore) for another
 *   window, as a diff against a baseline, or bottom-up.
 */
import type { DataQueryRequest } from '@grafana/data';

import type { GoRuntimeQuery } from '../../query';
import type { GoRuntimePanelOptions, TimeWindow } from '../types';
import type { PanelFrames } from './pickFrames';

/** Pyroscope's largest flame graph, the data source's upper bound for maxNodes (query/validate.ts). */
const MAX_NODES_LIMIT = 1_048_576;

/** Goroutine clusters kept per snapshot: enough for a tooltip's top three per state and a clusters view. */
export const CLUSTER_LIMIT = 50;

export type BaselineChoice = 'before' | '1h' | '1d' | '7d';

export interface Selection {
  window: TimeWindow;
  /** A clicked heatmap column, a brushed window, or a finding's window. */
  origin: 'bucket' | 'brush' | 'finding';
  /** What the flame graph area shows for it; undefined = only offer the actions. */
  action?: 'flame' | 'compare';
  baseline: BaselineChoice;
  /** A bucket whose goroutine clusters the panel already recorded (no clusters query needed). */
  recorded?: boolean;
}

function maxNodesOf(options: GoRuntimePanelOptions): number {
  return options.maxNodes > 0 ? options.maxNodes : MAX_NODES_LIMIT;
}

/**
 * The flame graph query the drill-downs follow: the dashboard's own (by the refId of the frame on screen), else one
 * made from the panel options.
 */
export function flameBase(
  request: DataQueryRequest | undefined,
  flameRefId: string | undefined,
  options: GoRuntimePanelOptions
): GoRuntimeQuery {
  const own = request?.targets.find((t) => t.refId === flameRefId) as GoRuntimeQuery | undefined;
  const picked: GoRuntimeQuery =
    own && (own.queryType === 'flamegraph' || own.queryType === 'diff' || own.queryType === undefined)
      ? own
      : { refId: 'base', profileType: options.profileType, sampleType: options.sampleType || undefined };
  return {
    refId: 'base',
    profileType: picked.profileType || options.profileType,
    sampleType: picked.sampleType || options.sampleType || undefined,
    // Without a flame graph target (or before its frame arrives) the dashboard's other targets still say which
    // service the panel is about: companion queries must not fall back to every service (`{}`).
    labelSelector: picked.labelSelector ?? targetWith(request, 'labelSelector')?.labelSelector,
    instance: picked.instance ?? targetWith(request, 'instance')?.instance,
    focus: picked.focus,
    ignore: picked.ignore,
    maxNodes: picked.maxNodes ?? maxNodesOf(options),
  };
}

const targetWith = (request: DataQueryRequest | undefined, key: 'labelSelector' | 'instance') =>
  request?.targets.find((t) => (t as GoRuntimeQuery)[key]) as GoRuntimeQuery | undefined;

const strip = (q: GoRuntimeQuery): GoRuntimeQuery =>
  Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined && v !== '')) as GoRuntimeQuery;

/** Queries for the views the dashboard's targets leave empty. */
export function companionQueries(
  have: Partial<Record<keyof PanelFrames, unknown>>,
  options: GoRuntimePanelOptions,
  mode: 'pprof' | 'pyroscope',
  request: DataQueryRequest | undefined,
  base: GoRuntimeQuery
): GoRuntimeQuery[] {
  if (!options.companionQueries) {
    return [];
  }
  const views = new Set(options.views);
  const out: GoRuntimeQuery[] = [];
  // Same target as the dashboard's flame graph query: its gateway instance and (Pyroscope) label selector.
  const where = { instance: base.instance, labelSelector: base.labelSelector };
  if (views.has('flamegraph') && !have.flame) {
    out.push(strip({ ...base, refId: 'panel-flame', queryType: 'flamegraph' }));
  }
  const statesTarget = request?.targets.find((t) => (t as GoRuntimeQuery).queryType === 'goroutineStates') as
    GoRuntimeQuery | undefined;
  if (views.has('heatmap') && !have.states) {
    out.push(strip({ ...where, refId: 'panel-states', queryType: 'goroutineStates' }));
  }
  if (views.has('heatmap') && !have.clusters) {
    out.push(
      strip({
        refId: 'panel-clusters',
        queryType: 'goroutineClusters',
        limit: CLUSTER_LIMIT,
        stream: mode === 'pprof' ? true : undefined,
        // Pyroscope: the clusters of each heatmap bucket, not the window's in every column.
        perBucket: mode === 'pyroscope' ? true : undefined,
        interval: statesTarget?.interval,
        instance: statesTarget?.instance ?? where.instance,
        labelSelector: statesTarget?.labelSelector ?? where.labelSelector,
      })
    );
  }
  if (views.has('findings') && !have.findings) {
    out.push(strip({ ...where, refId: 'panel-findings', queryType: 'findings' }));
  }
  return out;
}

/** The flame graph area's queries for a selection, or for the bottom-up view of the dashboard window. */
export function drillDownQueries(
  selection: Selection | undefined,
  base: GoRuntimeQuery,
  inverted: boolean,
  needClusters: boolean
): GoRuntimeQuery[] {
  const flame = strip({ ...base, inverted: inverted || undefined });
  if (!selection || !selection.action) {
    return inverted ? [{ ...flame, refId: 'panel-inverted', queryType: 'flamegraph' }] : [];
  }
  if (selection.action === 'compare') {
    const baseline =
      selection.baseline === 'before' ? undefined : { kind: 'offset' as const, offset: selection.baseline };
    return [strip({ ...flame, refId: 'panel-diff', queryType: 'diff', baseline })];
  }
  const out: GoRuntimeQuery[] = [{ ...flame, refId: 'panel-window-flame', queryType: 'flamegraph' }];
  if (needClusters) {
    const where = { instance: base.instance, labelSelector: base.labelSelector };
    out.push(strip({ ...where, refId: 'panel-window-clusters', queryType: 'goroutineClusters', limit: CLUSTER_LIMIT }));
  }
  return out;
}

import { useMemo } from 'react';
import type { DataFrame, DataQueryRequest, DataSourceRef } from '@grafana/data';

import type { GoRuntimeQuery } from '../../query';
import type { GoRuntimePanelOptions } from '../types';
import type { QueryResult } from './panelQuery';
import { pickFrames, type PanelFrames } from './pickFrames';
import { companionQueries, drillDownQueries, flameBase, type Selection } from './plan';
import { usePanelQuery } from './usePanelQuery';

export interface PanelSources {
  /** The dashboard's frames by kind. */
  own: PanelFrames;
  /** The frames of the panel's companion queries by kind. */
  extra: PanelFrames;
  /** What each view shows: the dashboard's frame, else the companion's. */
  frames: PanelFrames;
  companion: QueryResult;
  companions: GoRuntimeQuery[];
  /** The flame graph query drill-downs follow. */
  base: GoRuntimeQuery;
}

/**
 * The dashboard's frames, and the panel's own queries for the views the dashboard has no query for (a new panel has
 * only the data source's default flame graph query). Companion queries depend on which kinds of frames the
 * dashboard sends, not on every new frame of a stream.
 */
export function usePanelFrames(
  series: readonly DataFrame[],
  request: DataQueryRequest | undefined,
  options: GoRuntimePanelOptions,
  datasource: DataSourceRef | undefined,
  mode: 'pprof' | 'pyroscope'
): PanelSources {
  const own = useMemo(() => pickFrames(series), [series]);
  const flameRefId = own.flame?.refId;
  const base = useMemo(() => flameBase(request, flameRefId, options), [request, flameRefId, options]);
  const hasFlame = own.flame !== undefined;
  const hasStates = own.states !== undefined;
  const hasFindings = own.findings !== undefined;
  const hasClusters = own.clusters !== undefined;
  const companions = useMemo(
    () =>
      datasource
        ? companionQueries(
            { flame: hasFlame, states: hasStates, findings: hasFindings, clusters: hasClusters },
            options,
            mode,
            request,
            base
          )
        : [],
    [datasource, hasFlame, hasStates, hasFindings, hasClusters, options, mode, request, base]
  );
  const companion = usePanelQuery(
    request,
    datasource && companions.length ? { datasource, queries: companions } : undefined,
    'companion'
  );
  const extra = useMemo(() => pickFrames(companion.frames), [companion.frames]);
  const frames: PanelFrames = {
    flame: own.flame ?? extra.flame,
    states: own.states ?? extra.states,
    findings: own.findings ?? extra.findings,
    clusters: own.clusters ?? extra.clusters,
  };
  return { own, extra, frames, companion, companions, base };
}

/** The flame graph area's own queries for a selection (window, bucket, comparison) or the bottom-up view. */
export function useDrillDown(
  request: DataQueryRequest | undefined,
  datasource: DataSourceRef | undefined,
  selection: Selection | undefined,
  base: GoRuntimeQuery,
  inverted: boolean
) {
  const needClusters = selection?.origin === 'bucket' && !selection.recorded;
  const queries = useMemo(
    () => drillDownQueries(selection, base, inverted, needClusters),
    [selection, base, inverted, needClusters]
  );
  const result = usePanelQuery(
    request,
    datasource && queries.length
      ? { datasource, queries, window: selection?.action ? selection.window : undefined }
      : undefined,
    'drill'
  );
  const frames = useMemo(() => pickFrames(result.frames), [result.frames]);
  return { queries, result, frames, active: queries.length > 0 };
}

/**
 * `flamegraph`: the flame graph of the dashboard window.
 * Pyroscope mode asks the server for the flame graph (SelectMergeStacktraces: truncated to maxNodes server-side,
 * the cheapest path) unless the query needs what only a full profile allows (focus/ignore regex, bottom-up view,
 * a range above Pyroscope's 24h query limit); then the merged pprof profile goes through the core like a live one.
 */
import { Observable, firstValueFrom, forkJoin, map, mergeMap, of } from 'rxjs';

import { EXPORT_FIELDS, toFlameFrame } from '../../frames';
import { parseProfileTypeId, type PyroscopeFlameRows } from '../../core';
import { grafanaUnit } from '../query/profileTypes';
import { registerExport } from '../profileExports';
import { MAX_QUERY_MS } from '../pyroscope/requests';
import type { GoRuntimeQuery } from '../types';
import {
  frames,
  isInstantProfileType,
  lazily,
  noDataNotice,
  pyroscopeId,
  RunContext,
  Runner,
  snapshotAverage,
} from './context';
import { analysedSampleType, DEFAULT_MAX_NODES, flameColumns, perSnapshotNotice, windowProfile } from './windowProfile';
import type { DataFrame } from '@grafana/data';

function needsFullProfile(ctx: RunContext, query: GoRuntimeQuery): boolean {
  return Boolean(query.focus || query.ignore || query.inverted) || ctx.range.to - ctx.range.from > MAX_QUERY_MS;
}

export const runFlamegraph: Runner = (ctx, query) =>
  frames(
    lazily(() =>
      ctx.target.options.mode === 'pyroscope' && !needsFullProfile(ctx, query)
        ? serverFlamegraph(ctx, query)
        : coreFlamegraph(ctx, query)
    )
  );

function serverFlamegraph(ctx: RunContext, query: GoRuntimeQuery): Observable<DataFrame[]> {
  const selector = query.labelSelector ?? '{}';
  const window = { from: ctx.range.from, to: ctx.range.to };
  return pyroscopeId(ctx, query).pipe(
    mergeMap((id) =>
      forkJoin([
        ctx.pyroscope.mergeStacktraces({
          profileTypeID: id,
          labelSelector: selector,
          start: window.from,
          end: window.to,
          maxNodes: query.maxNodes ?? DEFAULT_MAX_NODES,
        }),
        isInstantProfileType(id) ? snapshotAverage(ctx, id, selector, window) : of(undefined),
      ]).pipe(
        map(([merged, average]) => {
          const rows = average !== undefined && merged.total > 0 ? scaleRows(merged, average / merged.total) : merged;
          const perSnapshot = rows === merged ? undefined : { average: average!, snapshots: merged.total / average! };
          const notices =
            rows.values.length === 0
              ? [noDataNotice(ctx, id, selector, window)]
              : perSnapshotNotice({ profileName: id, perSnapshot });
          return [
            toFlameFrame(rows, {
              refId: query.refId,
              unit: grafanaUnit(parseProfileTypeId(id)?.sampleUnit ?? ''),
              custom: {
                source: 'pyroscope',
                profile: id,
                window,
                total: rows.total,
                perSnapshot,
                // The server drew this graph; the download is its merge of the same window, fetched when asked.
                [EXPORT_FIELDS.profile]: registerExport(ctx.target.uid, id.split(':')[0], () =>
                  firstValueFrom(
                    ctx.pyroscope.mergeProfile({
                      profileTypeID: id,
                      labelSelector: selector,
                      start: window.from,
                      end: window.to,
                    })
                  )
                ),
              },
              notices: notices.length ? notices : undefined,
            }),
          ];
        })
      )
    )
  );
}

/** Flame rows with every value multiplied by `factor` (per-snapshot average of a snapshot profile). */
function scaleRows(rows: PyroscopeFlameRows, factor: number): PyroscopeFlameRows {
  return {
    ...rows,
    values: rows.values.map((v) => v * factor),
    selfs: rows.selfs.map((v) => v * factor),
    total: rows.total * factor,
    maxSelf: rows.maxSelf * factor,
  };
}

function coreFlamegraph(ctx: RunContext, query: GoRuntimeQuery): Observable<DataFrame[]> {
  return windowProfile(ctx, query).pipe(
    map((wp) => {
      const sampleType = analysedSampleType(wp, query);
      const custom = { source: wp.source, profile: wp.profileName, sampleType, window: wp.window, seconds: wp.seconds };
      if (!wp.profile) {
        return [
          toFlameFrame(
            { levels: [], values: [], selfs: [], labelIds: [], names: [] },
            {
              refId: query.refId,
              unit: 'short',
              custom,
              notices: wp.noData ? [{ severity: 'info', text: wp.noData }] : undefined,
            }
          ),
        ];
      }
      const flame = flameColumns(wp.profile, query, sampleType);
      const pruned =
        flame.prunedFrom > flame.nodes
          ? [
              {
                severity: 'info' as const,
                text: `${flame.prunedFrom} call paths pruned to ${flame.nodes}; the rest is in "other" nodes (raise Max nodes to see more)`,
              },
            ]
          : [];
      const all = [...perSnapshotNotice(wp), ...pruned];
      const notices = all.length ? all : undefined;
      return [
        toFlameFrame(flame.columns, {
          refId: query.refId,
          unit: flame.unit,
          custom: {
            ...custom,
            total: flame.total,
            nodes: flame.nodes,
            prunedFrom: flame.prunedFrom,
            perSnapshot: wp.perSnapshot,
            [EXPORT_FIELDS.profile]: registerExport(ctx.target.uid, wp.profileName.split(':')[0], wp.profile),
          },
          notices,
        }),
      ];
    })
  );
}

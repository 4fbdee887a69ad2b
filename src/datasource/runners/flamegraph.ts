/**
 * `flamegraph`: the flame graph of the dashboard window.
 * Pyroscope mode asks the server for the flame graph (SelectMergeStacktraces: truncated to maxNodes server-side,
 * the cheapest path) unless the query needs what only a full profile allows (focus/ignore regex, bottom-up view,
 * a range above Pyroscope's 24h query limit); then the merged pprof profile goes through the core like a live one.
 */
import { Observable, map, mergeMap } from 'rxjs';

import { flameGraphFrame } from '../../frames/flame';
import { grafanaUnit, parseProfileTypeId } from '../query/profileTypes';
import { MAX_QUERY_MS } from '../pyroscope/requests';
import type { GoRuntimeQuery } from '../types';
import { frames, lazily, pyroscopeId, RunContext, Runner } from './context';
import { analysedSampleType, DEFAULT_MAX_NODES, flameColumns, windowProfile } from './windowProfile';
import type { DataFrame } from '@grafana/data';

import type { Profile } from '../../core/model/profile';
import { liveFlamegraph } from '../live/liveRunners';

function needsFullProfile(ctx: RunContext, query: GoRuntimeQuery): boolean {
  return Boolean(query.focus || query.ignore || query.inverted) || ctx.range.to - ctx.range.from > MAX_QUERY_MS;
}

export const runFlamegraph: Runner = (ctx, query) =>
  ctx.target.options.mode === 'pprof'
    ? liveFlamegraph(ctx, query, (profile, custom, notices) =>
        flameFrame(profile, query, custom.sampleType as string | undefined, custom, notices)
      )
    : frames(lazily(() => (needsFullProfile(ctx, query) ? coreFlamegraph(ctx, query) : serverFlamegraph(ctx, query))));

type Notice = { severity: 'info' | 'warning'; text: string };

/** The core's flame graph of a profile, with a notice when the node budget pruned it. */
function flameFrame(
  profile: Profile,
  query: GoRuntimeQuery,
  sampleType: string | undefined,
  custom: Record<string, unknown>,
  extraNotices: Notice[] = []
): DataFrame {
  const flame = flameColumns(profile, query, sampleType);
  const notices: Notice[] = [...extraNotices];
  if (flame.prunedFrom > flame.nodes) {
    notices.push({
      severity: 'info',
      text: `${flame.prunedFrom} call paths pruned to ${flame.nodes}; the rest is in "other" nodes (raise Max nodes to see more)`,
    });
  }
  return flameGraphFrame(flame.columns, {
    refId: query.refId,
    unit: flame.unit,
    custom: { ...custom, total: flame.total, nodes: flame.nodes, prunedFrom: flame.prunedFrom },
    notices: notices.length ? notices : undefined,
  });
}

function serverFlamegraph(ctx: RunContext, query: GoRuntimeQuery): Observable<DataFrame[]> {
  return pyroscopeId(ctx, query).pipe(
    mergeMap((id) =>
      ctx.pyroscope
        .mergeStacktraces({
          profileTypeID: id,
          labelSelector: query.labelSelector ?? '{}',
          start: ctx.range.from,
          end: ctx.range.to,
          maxNodes: query.maxNodes ?? DEFAULT_MAX_NODES,
        })
        .pipe(
          map((rows) => [
            flameGraphFrame(rows, {
              refId: query.refId,
              unit: grafanaUnit(parseProfileTypeId(id)?.sampleUnit ?? ''),
              custom: {
                source: 'pyroscope',
                profile: id,
                window: { from: ctx.range.from, to: ctx.range.to },
                total: rows.total,
              },
            }),
          ])
        )
    )
  );
}

function coreFlamegraph(ctx: RunContext, query: GoRuntimeQuery): Observable<DataFrame[]> {
  return windowProfile(ctx, query).pipe(
    map((wp) => {
      const sampleType = analysedSampleType(wp, query);
      const custom = { source: wp.source, profile: wp.profileName, sampleType, window: wp.window, seconds: wp.seconds };
      if (!wp.profile) {
        return [
          flameGraphFrame(
            { levels: [], values: [], selfs: [], labelIds: [], names: [] },
            { refId: query.refId, unit: 'short', custom }
          ),
        ];
      }
      return [flameFrame(wp.profile, query, sampleType, custom)];
    })
  );
}

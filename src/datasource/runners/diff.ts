/**
 * `diff`: the dashboard window (comparison) against a baseline, as a diff flame graph (value/self = baseline,
 * valueRight/selfRight = comparison, the layout Grafana's flame graph colours as a diff).
 *
 * - Pyroscope: baseline = the same-length window `offset` earlier (default: the window just before), or an
 *   absolute range. Uses Pyroscope's Diff RPC when it can, else the core's `diffProfiles` on merged profiles
 *   (which normalises by duration when both sides have one).
 * - pprof: both windows are read from the live store (live/liveRunners.ts), so any two windows it covers compare;
 *   a baseline before live capture began gets a message saying that history needs Pyroscope.
 */
import type { DataFrame, DataQueryResponse } from '@grafana/data';
import { Observable, forkJoin, map, mergeMap } from 'rxjs';

import { diffProfiles } from '../../core/analysis/diff';
import { pruneCallTree } from '../../core/analysis/prune';
import { toNestedSet } from '../../core/analysis/nestedSet';
import { grafanaUnit, parseProfileTypeId } from '../query/profileTypes';
import { parseDuration, parseTime } from '../query/time';
import { liveDiff } from '../live/liveRunners';
import { MAX_QUERY_MS } from '../pyroscope/requests';
import { flameGraphFrame } from '../../frames/flame';
import type { GoRuntimeQuery } from '../types';
import { failure, frames, lazily, pyroscopeId, RunContext, Runner } from './context';
import { analysedSampleType, DEFAULT_MAX_NODES, windowProfile } from './windowProfile';
import type { Profile } from '../../core/model/profile';

export interface Window {
  from: number;
  to: number;
}

/** The baseline window for a comparison window. */
export function baselineWindow(ctx: RunContext, query: GoRuntimeQuery, comparison: Window): Window {
  const b = query.baseline;
  if (b?.kind === 'range') {
    const from = parseTime(b.from);
    const to = parseTime(b.to, true);
    if (from === undefined || to === undefined || from >= to) {
      throw failure(
        ctx,
        'diff baseline',
        `baseline range "${b.from}" to "${b.to}" is not a readable, increasing range`
      );
    }
    return { from, to };
  }
  const length = comparison.to - comparison.from;
  const offset = b?.kind === 'offset' ? parseDuration(b.offset) : length;
  if (offset === undefined) {
    throw failure(
      ctx,
      'diff baseline',
      `baseline offset "${b?.kind === 'offset' ? b.offset : ''}" is not a duration like 1h`
    );
  }
  return { from: comparison.from - offset, to: comparison.to - offset };
}

export const runDiff: Runner = (ctx, query) =>
  ctx.target.options.mode === 'pprof' ? liveStoreDiff(ctx, query) : frames(lazily(() => storedDiff(ctx, query)));

function diffFrame(
  baseline: Profile,
  comparison: Profile,
  query: GoRuntimeQuery,
  sampleType: string | undefined,
  custom: object
): DataFrame {
  const d = diffProfiles(baseline, comparison, {
    sampleType,
    focus: query.focus || undefined,
    ignore: query.ignore || undefined,
    inverted: query.inverted === true,
  });
  const tree = pruneCallTree(d.tree, query.maxNodes ?? DEFAULT_MAX_NODES);
  return flameGraphFrame(toNestedSet(tree), {
    refId: query.refId,
    unit: grafanaUnit(d.tree.sampleType.unit),
    custom: {
      ...custom,
      baselineScale: d.baselineScale,
      baselineTotal: d.baselineTotal,
      comparisonTotal: d.comparisonTotal,
    },
  });
}

function liveStoreDiff(ctx: RunContext, query: GoRuntimeQuery): Observable<DataQueryResponse> {
  return liveDiff(
    ctx,
    query,
    (comparison) => baselineWindow(ctx, query, comparison),
    (baseline, comparison, sampleType, custom) => diffFrame(baseline, comparison, query, sampleType, custom)
  );
}

function storedDiff(ctx: RunContext, query: GoRuntimeQuery): Observable<DataFrame[]> {
  const comparison: Window = { from: ctx.range.from, to: ctx.range.to };
  const baseline = baselineWindow(ctx, query, comparison);
  const custom = { source: 'pyroscope', window: comparison, baselineWindow: baseline };
  const serverSide =
    !query.focus &&
    !query.ignore &&
    !query.inverted &&
    Math.max(baseline.to - baseline.from, comparison.to - comparison.from) <= MAX_QUERY_MS;
  if (serverSide) {
    return pyroscopeId(ctx, query).pipe(
      mergeMap((id) => {
        const side = (w: Window) => ({
          profileTypeID: id,
          labelSelector: query.labelSelector ?? '{}',
          start: w.from,
          end: w.to,
          maxNodes: query.maxNodes ?? DEFAULT_MAX_NODES,
        });
        return ctx.pyroscope.diff(side(baseline), side(comparison)).pipe(
          map((rows) => [
            flameGraphFrame(rows, {
              refId: query.refId,
              unit: grafanaUnit(parseProfileTypeId(id)?.sampleUnit ?? ''),
              custom: { ...custom, profile: id, baselineTotal: rows.leftTicks, comparisonTotal: rows.rightTicks },
            }),
          ])
        );
      })
    );
  }
  return forkJoin([windowProfile(ctx, query, 'cpu', baseline), windowProfile(ctx, query, 'cpu', comparison)]).pipe(
    map(([b, c]) => {
      if (!b.profile || !c.profile) {
        const empty = !b.profile ? 'baseline' : 'comparison';
        throw failure(
          ctx,
          `${c.profileName} diff`,
          `no ${c.profileName} samples in the ${empty} window for ${query.labelSelector ?? '{}'}`
        );
      }
      return [
        diffFrame(b.profile, c.profile, query, analysedSampleType(c, query), { ...custom, profile: c.profileName }),
      ];
    })
  );
}

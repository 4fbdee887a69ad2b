/**
 * `diff`: the dashboard window (comparison) against a baseline, as a diff flame graph (value/self = baseline,
 * valueRight/selfRight = comparison, the layout Grafana's flame graph colours as a diff).
 *
 * - Pyroscope: baseline = the same-length window `offset` earlier (default: the window just before), or an
 *   absolute range. Uses Pyroscope's Diff RPC when it can, else the core's `diffProfiles` on merged profiles. Both
 *   paths mean the same: each side is the sum over its window, and a baseline window of another length is scaled by
 *   comparison length / baseline length (wall clock), so equal windows compare as stored. The profiles' own
 *   `durationNanos` is not used: Pyroscope sets it to the part of the window it holds blocks for, which made the two
 *   paths disagree (0.64 s against 1.11 s for the same windows).
 * - pprof: both windows are read from the live store (live/liveRunners.ts), so any two windows it covers compare;
 *   a baseline before live capture began gets a message saying that history needs Pyroscope.
 */
import type { DataFrame, DataQueryResponse } from '@grafana/data';
import { Observable, forkJoin, map, mergeMap } from 'rxjs';

import {
  diffProfiles,
  parseProfileTypeId,
  type Profile,
  pruneCallTree,
  type PyroscopeFlameRows,
  toNestedSet,
} from '../../core';
import { grafanaUnit } from '../query/profileTypes';
import { parseDuration, parseTime } from '../query/time';
import { liveDiff } from '../live/liveRunners';
import { MAX_QUERY_MS } from '../pyroscope/requests';
import { EXPORT_FIELDS, toFlameFrame } from '../../frames';
import { registerExport } from '../profileExports';
import type { GoRuntimeQuery } from '../types';
import { failure, frames, lazily, pyroscopeId, RunContext, Runner } from './context';
import { analysedSampleType, DEFAULT_MAX_NODES, scaledProfile, windowProfile } from './windowProfile';

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

/** Diff rows with the baseline (left) side multiplied by `factor`. */
function scaleBaselineRows(rows: PyroscopeFlameRows, factor: number): PyroscopeFlameRows {
  return { ...rows, values: rows.values.map((v) => v * factor), selfs: rows.selfs.map((v) => v * factor) };
}

export const runDiff: Runner = (ctx, query) =>
  ctx.target.options.mode === 'pprof' ? liveStoreDiff(ctx, query) : frames(lazily(() => storedDiff(ctx, query)));

function diffFrame(
  baseline: Profile,
  comparison: Profile,
  query: GoRuntimeQuery,
  sampleType: string | undefined,
  custom: { profile?: string; [key: string]: unknown },
  exports: { datasourceUid: string; baseline: Profile },
  normalize = true
): DataFrame {
  const name = (custom.profile ?? 'profile').split(':')[0];
  const d = diffProfiles(baseline, comparison, {
    normalize,
    sampleType,
    focus: query.focus || undefined,
    ignore: query.ignore || undefined,
    inverted: query.inverted === true,
  });
  const tree = pruneCallTree(d.tree, query.maxNodes ?? DEFAULT_MAX_NODES);
  return toFlameFrame(toNestedSet(tree), {
    refId: query.refId,
    unit: grafanaUnit(d.tree.sampleType.unit),
    custom: {
      baselineScale: d.baselineScale,
      ...custom,
      baselineTotal: d.baselineTotal,
      comparisonTotal: d.comparisonTotal,
      [EXPORT_FIELDS.profile]: registerExport(exports.datasourceUid, name, comparison),
      // The baseline as it was read (before any rescaling for the diff), as the comparison is.
      [EXPORT_FIELDS.baseline]: registerExport(exports.datasourceUid, `${name}-baseline`, exports.baseline),
    },
  });
}

function liveStoreDiff(ctx: RunContext, query: GoRuntimeQuery): Observable<DataQueryResponse> {
  return liveDiff(
    ctx,
    query,
    (comparison) => baselineWindow(ctx, query, comparison),
    (baseline, comparison, sampleType, custom) =>
      diffFrame(baseline, comparison, query, sampleType, custom, { datasourceUid: ctx.target.uid, baseline })
  );
}

function storedDiff(ctx: RunContext, query: GoRuntimeQuery): Observable<DataFrame[]> {
  const comparison: Window = { from: ctx.range.from, to: ctx.range.to };
  const baseline = baselineWindow(ctx, query, comparison);
  const custom = { source: 'pyroscope', window: comparison, baselineWindow: baseline };
  const lengthScale = (comparison.to - comparison.from) / (baseline.to - baseline.from);
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
          map((raw) => {
            const rows = lengthScale === 1 ? raw : scaleBaselineRows(raw, lengthScale);
            return [
              toFlameFrame(rows, {
                refId: query.refId,
                unit: grafanaUnit(parseProfileTypeId(id)?.sampleUnit ?? ''),
                custom: {
                  ...custom,
                  profile: id,
                  baselineScale: lengthScale,
                  baselineTotal: (raw.leftTicks ?? 0) * lengthScale,
                  comparisonTotal: raw.rightTicks,
                },
              }),
            ];
          })
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
      const baselineProfile = lengthScale === 1 ? b.profile : scaledProfile(b.profile, lengthScale);
      return [
        diffFrame(
          baselineProfile,
          c.profile,
          query,
          analysedSampleType(c, query),
          { ...custom, profile: c.profileName, baselineScale: lengthScale },
          { datasourceUid: ctx.target.uid, baseline: b.profile },
          false
        ),
      ];
    })
  );
}

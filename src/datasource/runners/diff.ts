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
 * - pprof: a live process has no past, so the window is captured as two back-to-back halves: the first half is
 *   the baseline, the second the comparison ("what changed in the last few seconds"). A baseline given as an
 *   absolute past range needs Pyroscope.
 */
import type { DataFrame } from '@grafana/data';
import { Observable, concat, forkJoin, map, mergeMap, timer, toArray, ignoreElements } from 'rxjs';

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
import { planCapture } from '../pprof/capturePlan';
import { MAX_QUERY_MS } from '../pyroscope/requests';
import { EXPORT_FIELDS, toFlameFrame } from '../../frames';
import { registerExport } from '../profileExports';
import type { GoRuntimeQuery } from '../types';
import { captureSeconds, failure, frames, lazily, pprofTarget, pyroscopeId, RunContext, Runner } from './context';
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
  frames(lazily(() => (ctx.target.options.mode === 'pprof' ? liveDiff(ctx, query) : storedDiff(ctx, query))));

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

function liveDiff(ctx: RunContext, query: GoRuntimeQuery): Observable<DataFrame[]> {
  if (query.baseline?.kind === 'range') {
    throw failure(
      ctx,
      'diff baseline',
      'history needs Pyroscope: a pprof-mode data source cannot read a past baseline range; use an offset (live halves) or a Pyroscope-mode data source'
    );
  }
  const { profile, sampleType } = pprofTarget(ctx, query);
  const half = Math.max(1, Math.floor(captureSeconds(ctx, query, profile) / 2));
  const plan = planCapture(profile, sampleType, half);
  // Snapshots (heap in-use, goroutines) are taken `half` seconds apart; captures simply run one after the other.
  const gap = plan.mode === 'snapshot' ? timer(half * 1000).pipe(ignoreElements()) : [];
  return concat(ctx.pprof.capture(plan, query.instance), gap, ctx.pprof.capture(plan, query.instance)).pipe(
    toArray(),
    map(([baseline, comparison]) => [
      diffFrame(
        baseline.profile,
        comparison.profile,
        query,
        sampleType,
        {
          source: 'pprof',
          profile,
          baselineWindow: { from: baseline.capturedAt - half * 1000, to: baseline.capturedAt },
          window: { from: comparison.capturedAt - half * 1000, to: comparison.capturedAt },
        },
        { datasourceUid: ctx.target.uid, baseline: baseline.profile }
      ),
    ])
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

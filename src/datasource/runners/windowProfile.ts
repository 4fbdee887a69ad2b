/**
 * "The profile of the dashboard window" in either mode: a live capture (pprof) or the merge of the range
 * (Pyroscope SelectMergeProfile), plus the facts a panel header shows about it.
 */
import { Observable, map, mergeMap } from 'rxjs';

import type { Profile } from '../../core/model/profile';
import { buildCallTree } from '../../core/analysis/callTree';
import { toNestedSet, FlameFrame } from '../../core/analysis/nestedSet';
import { pruneCallTree } from '../../core/analysis/prune';
import { parseProfileTypeId } from '../../core/model/goProfiles';
import { planCapture } from '../pprof/capturePlan';
import { grafanaUnit } from '../query/profileTypes';
import type { GoRuntimeQuery } from '../types';
import { captureSeconds, pprofTarget, pyroscopeId, RunContext } from './context';

export const DEFAULT_MAX_NODES = 2048;

export interface WindowProfile {
  profile: Profile | undefined;
  /** What the header says: `cpu`, `process_cpu:cpu:nanoseconds:cpu:nanoseconds`. */
  profileName: string;
  sampleType?: string;
  window: { from: number; to: number };
  source: 'pprof' | 'pyroscope';
  /** pprof: the capture length in seconds (0 for snapshots). */
  seconds?: number;
}

/** Live capture or stored merge of `window` (default: the dashboard range). */
export function windowProfile(
  ctx: RunContext,
  query: GoRuntimeQuery,
  fallback = 'cpu',
  window: { from: number; to: number } = ctx.range
): Observable<WindowProfile> {
  if (ctx.target.options.mode === 'pprof') {
    const { profile, sampleType } = pprofTarget(ctx, query, fallback);
    const plan = planCapture(profile, sampleType, captureSeconds(ctx, query, profile));
    return ctx.pprof.capture(plan, query.instance).pipe(
      map((c) => ({
        profile: c.profile,
        profileName: profile,
        sampleType,
        window: { from: c.capturedAt - (plan.seconds ?? 0) * 1000, to: c.capturedAt },
        source: 'pprof' as const,
        seconds: plan.seconds ?? 0,
      }))
    );
  }
  return pyroscopeId(ctx, query, fallback).pipe(
    mergeMap((id) =>
      ctx.pyroscope
        .mergeProfile({
          profileTypeID: id,
          labelSelector: query.labelSelector ?? '{}',
          start: window.from,
          end: window.to,
        })
        .pipe(map((profile) => ({ profile, profileName: id, window, source: 'pyroscope' as const })))
    )
  );
}

/** Sample type to analyse: the query's, else the ID's (Pyroscope), else the profile's default. */
export function analysedSampleType(wp: WindowProfile, query: GoRuntimeQuery): string | undefined {
  if (wp.source === 'pyroscope') {
    return parseProfileTypeId(wp.profileName)?.sampleType;
  }
  return query.sampleType || wp.sampleType;
}

export interface FlameResult {
  columns: FlameFrame;
  unit: string;
  total: number;
  nodes: number;
  prunedFrom: number;
}

/** Call tree -> pruned to the node budget (totals stay exact, remainders fold into `other`) -> nested set. */
export function flameColumns(profile: Profile, query: GoRuntimeQuery, sampleType: string | undefined): FlameResult {
  const tree = buildCallTree(profile, {
    sampleType,
    focus: query.focus || undefined,
    ignore: query.ignore || undefined,
    inverted: query.inverted === true,
  });
  const pruned = pruneCallTree(tree, query.maxNodes ?? DEFAULT_MAX_NODES);
  return {
    columns: toNestedSet(pruned),
    unit: grafanaUnit(tree.sampleType.unit),
    total: tree.total[0],
    nodes: pruned.count,
    prunedFrom: tree.count,
  };
}

/**
 * "The profile of the dashboard window" in either mode: a live capture (pprof) or the merge of the range
 * (Pyroscope SelectMergeProfile), plus the facts a panel header shows about it.
 */
import { Observable, forkJoin, map, mergeMap, of } from 'rxjs';

import {
  buildCallTree,
  type FlameFrame,
  parseProfileTypeId,
  type Profile,
  pruneCallTree,
  toNestedSet,
} from '../../core';
import { planCapture } from '../pprof/capturePlan';
import { grafanaUnit } from '../query/profileTypes';
import type { GoRuntimeQuery } from '../types';
import {
  captureSeconds,
  isInstantProfileType,
  noDataReason,
  pprofTarget,
  pyroscopeId,
  RunContext,
  snapshotAverage,
} from './context';

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
  /** Pyroscope without samples: why, for the panel. */
  noData?: string;
  /** Pyroscope snapshot types: values are the average per stored snapshot, not the window's sum. */
  perSnapshot?: { average: number; snapshots: number };
}

/** A profile with every value multiplied by `factor` (same tables otherwise). */
export function scaledProfile(profile: Profile, factor: number): Profile {
  return { ...profile, samples: { ...profile.samples, values: profile.samples.values.map((v) => v * factor) } };
}

/**
 * A merged snapshot profile (heap in-use, goroutines) as the average snapshot: Pyroscope's merge adds up every
 * snapshot stored in the window (12 heap snapshots of 63 MB merge to 756 MB), SelectSeries AVERAGE says what one
 * holds, so the values are scaled by average / merged total.
 */
function perSnapshot(profile: Profile, id: string, average: number | undefined) {
  const sampleType = id.split(':')[1];
  const column = profile.sampleTypes.findIndex((t) => t.type === sampleType);
  const width = profile.sampleTypes.length;
  let total = 0;
  for (let i = column; column >= 0 && i < profile.samples.values.length; i += width) {
    total += profile.samples.values[i];
  }
  if (average === undefined || total <= 0 || average <= 0) {
    return { profile };
  }
  return { profile: scaledProfile(profile, average / total), perSnapshot: { average, snapshots: total / average } };
}

/** The notice a per-snapshot profile carries, so nobody reads it as the window's sum. */
export function perSnapshotNotice(wp: Pick<WindowProfile, 'profileName' | 'perSnapshot'>) {
  if (!wp.perSnapshot) {
    return [];
  }
  const n = wp.perSnapshot.snapshots;
  return [
    {
      severity: 'info' as const,
      text: `${wp.profileName} is a snapshot profile: values are the average of the ${n.toFixed(n < 10 ? 1 : 0)} snapshots stored in the window (their sum divided by their number), so they read like one snapshot`,
    },
  ];
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
  const selector = query.labelSelector ?? '{}';
  return pyroscopeId(ctx, query, fallback).pipe(
    mergeMap((id) =>
      forkJoin([
        ctx.pyroscope.mergeProfile({ profileTypeID: id, labelSelector: selector, start: window.from, end: window.to }),
        isInstantProfileType(id) ? snapshotAverage(ctx, id, selector, window) : of(undefined),
      ]).pipe(
        map(([merged, average]): WindowProfile => {
          const base = { profileName: id, window, source: 'pyroscope' as const };
          if (!merged) {
            return { ...base, profile: undefined, noData: noDataReason(ctx, id, selector, window) };
          }
          return { ...base, ...perSnapshot(merged, id, average) };
        })
      )
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

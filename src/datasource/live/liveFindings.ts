/**
 * Findings of a pprof target out of the live store, evaluated again whenever a capture the rules read arrives.
 *
 * While the range follows now, the CPU profile and the allocs/mutex/block deltas are those of the recent minute
 * (so a problem that starts now is not diluted by a quiet half hour), and the goroutine snapshots are those of the
 * whole range (growth per minute over every stored dump). A fixed window reads everything inside it. Each answer
 * says as of when (the newest capture read) and which window it covers.
 */
import type { DataFrame } from '@grafana/data';

import { type GatherResult, type TimedGoroutineSnapshot } from '../../core';
import { toFindingsFrame } from '../../frames';
import type { GoRuntimeQuery } from '../types';
import type { RunContext } from '../runners/context';
import { baselineWindow } from '../runners/diff';
import { LiveView, liveAnswer, pendingText, pollingText, statusNotices, windowText } from './answer';
import { consistentSnapshots } from './liveRunners';
import type { Span } from './policy';
import { cpuWindow, cumulativeWindow, snapshotWindow } from './windows';

/** The recent part of a range that follows now, for CPU and deltas. */
export const FINDINGS_RECENT_MS = 60_000;
/** Goroutine snapshots handed to the rules (first, last and evenly between): growth needs a few, not hundreds. */
export const FINDINGS_MAX_SNAPSHOTS = 30;

const CUMULATIVE = ['allocs', 'mutex', 'block'] as const;

export function thinSnapshots(snapshots: readonly TimedGoroutineSnapshot[], max: number): TimedGoroutineSnapshot[] {
  if (snapshots.length <= max) {
    return [...snapshots];
  }
  const step = (snapshots.length - 1) / (max - 1);
  return Array.from({ length: max }, (_, i) => snapshots[Math.round(i * step)]);
}

/** The rules' inputs for one window, and the newest capture time they read. */
export function gatherWindow(
  view: LiveView,
  cpuWindowSpan: Span,
  goroutineWindow: Span
): GatherResult & { asOf?: number } {
  const missing: string[] = [];
  const cpu = cpuWindow(view.store, cpuWindowSpan);
  if (!cpu.profile) {
    missing.push(`cpu: no CPU window of the live store covers ${windowText(cpuWindowSpan)} yet`);
  }
  const deltas = Object.fromEntries(
    CUMULATIVE.map((kind) => {
      const wp = cumulativeWindow(view.store, kind, cpuWindowSpan);
      if (!wp.profile) {
        missing.push(`${kind}: fewer than two reads in ${windowText(cpuWindowSpan)} yet`);
      }
      return [kind, wp];
    })
  );
  const heap = snapshotWindow(view.store, 'heap', cpuWindowSpan);
  const goroutines = thinSnapshots(consistentSnapshots(view, goroutineWindow), FINDINGS_MAX_SNAPSHOTS);
  if (goroutines.length === 0) {
    missing.push(`goroutines: no goroutine snapshot in ${windowText(goroutineWindow)} yet`);
  }
  const times = [
    ...cpu.captures.map((c) => c.to),
    ...Object.values(deltas).flatMap((d) => d.captures.map((c) => c.to)),
    ...heap.captures.map((c) => c.to),
    ...goroutines.map((g) => g.time),
  ];
  return {
    profiles: {
      window: cpuWindowSpan,
      cpu: cpu.profile,
      allocs: deltas.allocs.profile,
      mutex: deltas.mutex.profile,
      block: deltas.block.profile,
      heap: heap.profile,
      goroutines,
    },
    missing,
    asOf: times.length ? Math.max(...times) : undefined,
  };
}

export function liveFindings(
  ctx: RunContext,
  query: GoRuntimeQuery,
  diagnose: (main: GatherResult, baseline: GatherResult | undefined, facts: Record<string, unknown>) => DataFrame[]
) {
  const needs = {
    cpu: true,
    cpuSeconds: query.seconds,
    goroutines: true,
    dumps: true,
    cumulative: [...CUMULATIVE],
    snapshots: ['heap'],
  };
  return liveAnswer(
    ctx,
    query,
    { needs, kinds: ['cpu', 'dump', 'goroutine', ...CUMULATIVE, 'heap'], what: 'findings', key: 'findings' },
    (view) => {
      const recent = view.live
        ? { from: Math.max(view.window.from, view.window.to - FINDINGS_RECENT_MS), to: view.window.to }
        : view.window;
      const main = gatherWindow(view, recent, view.window);
      const notices = statusNotices(view.status, ['cpu']);
      const facts = {
        asOf: main.asOf,
        live: `${pollingText(view.status)}`,
        goroutineWindow: view.window,
      };
      if (!main.profiles.cpu && !main.profiles.goroutines?.length) {
        const frame = toFindingsFrame([], {
          refId: query.refId,
          custom: {
            source: 'pprof',
            window: recent,
            pending: pendingText(view.status) ?? 'waiting for the first captures',
            ...facts,
          },
        });
        if (notices.length) {
          frame.meta = { ...frame.meta, notices };
        }
        return [frame];
      }
      let baseline: GatherResult | undefined;
      if (query.baseline) {
        const b = baselineWindow(ctx, query, recent);
        baseline = gatherWindow(view, b, b);
      }
      const frames = diagnose(main, baseline, facts);
      frames.forEach((f) => {
        if (notices.length) {
          f.meta = { ...f.meta, notices: [...(f.meta?.notices ?? []), ...notices] };
        }
      });
      return frames;
    }
  );
}

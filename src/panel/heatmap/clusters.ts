/**
 * Goroutine clusters (same state, stack and creation site) over time, for the heatmap's tooltip ("top clusters"),
 * its cluster rows and the clusters of a clicked column.
 *
 * The data source's `goroutineClusters` table (src/frames/table.ts) describes one moment or one window: a live
 * pprof stream sends the latest dump's clusters every interval (`meta.custom.to` = its time), a single dump carries
 * `capturedAt`, Pyroscope aggregates its window (`meta.custom.window`). The panel keeps the snapshots it has seen,
 * so a past column can still name its clusters.
 */
import type { DataFrame } from '@grafana/data';

import { clusterBucketEnds, type ClusterRow, fromClustersFrame, isClustersFrame } from '../../frames';
import type { TimeWindow } from '../types';
import type { HeatmapMatrix } from './matrix';

export { isClustersFrame };

export interface ClusterSnapshot {
  time: number;
  /** Set when the table aggregates a window (Pyroscope) rather than one dump. */
  window?: TimeWindow;
  clusters: ClusterRow[];
}

export function readClustersFrame(frame: DataFrame): ClusterSnapshot | undefined {
  const custom = (frame.meta?.custom ?? {}) as Record<string, unknown>;
  const window = custom.window as TimeWindow | undefined;
  const time =
    typeof custom.to === 'number'
      ? custom.to
      : typeof custom.capturedAt === 'number'
        ? custom.capturedAt
        : window && typeof window.to === 'number'
          ? window.to
          : undefined;
  if (time === undefined) {
    return undefined;
  }
  const clusters = fromClustersFrame(frame);
  return { time, window: window && typeof window.from === 'number' ? window : undefined, clusters };
}

/**
 * Every snapshot a clusters table holds: one per bucket of a per-bucket table (each bucket that stored a goroutine
 * profile, `meta.custom.stored`, even without rows), else the one of {@link readClustersFrame}.
 */
export function readClusterSnapshots(frame: DataFrame): ClusterSnapshot[] {
  const ends = clusterBucketEnds(frame);
  const custom = (frame.meta?.custom ?? {}) as Record<string, unknown>;
  const width = Number(custom.bucketMs);
  if (!ends || !(width > 0)) {
    const one = readClustersFrame(frame);
    return one ? [one] : [];
  }
  const rows = fromClustersFrame(frame);
  const byEnd = new Map<number, ClusterRow[]>();
  const stored = Array.isArray(custom.stored) ? (custom.stored as number[]) : [];
  stored.forEach((end) => byEnd.set(end, []));
  ends.forEach((end, i) => {
    const list = byEnd.get(end) ?? [];
    list.push(rows[i]);
    byEnd.set(end, list);
  });
  return [...byEnd.entries()].map(([end, clusters]) => ({
    time: end,
    window: { from: end - width, to: end },
    clusters,
  }));
}

/** Snapshots by time, oldest first, bounded (an hour of 5 s polls is 720). */
export class ClusterHistory {
  private snapshots: ClusterSnapshot[] = [];
  /** Counts additions: changes whenever the contents do (the size stops changing at the limit). */
  version = 0;

  constructor(private readonly limit = 1000) {}

  /** Adds a snapshot unless one with the same time is there; returns whether it changed anything. */
  add(snapshot: ClusterSnapshot): boolean {
    if (this.snapshots.some((s) => s.time === snapshot.time)) {
      return false;
    }
    this.snapshots.push(snapshot);
    this.version++;
    this.snapshots.sort((a, b) => a.time - b.time);
    if (this.snapshots.length > this.limit) {
      this.snapshots.splice(0, this.snapshots.length - this.limit);
    }
    return true;
  }

  get size(): number {
    return this.snapshots.length;
  }

  all(): readonly ClusterSnapshot[] {
    return this.snapshots;
  }

  /**
   * The snapshot taken within (from, to], the latest one; else the window aggregate that overlaps [from, to] most
   * (a bucket's own rather than its neighbours', which only touch it), the narrower one on a tie.
   */
  within(from: number, to: number): ClusterSnapshot | undefined {
    let found: ClusterSnapshot | undefined;
    let best: { snapshot: ClusterSnapshot; overlap: number; width: number } | undefined;
    for (const s of this.snapshots) {
      if (!s.window) {
        if (s.time > from && s.time <= to) {
          found = s;
        }
        continue;
      }
      const overlap = Math.min(s.window.to, to) - Math.max(s.window.from, from);
      const width = s.window.to - s.window.from;
      // A zero-length column (or window) still belongs to the window that contains it.
      const touches = overlap > 0 || (overlap === 0 && (from === to || width === 0));
      if (touches && (!best || overlap > best.overlap || (overlap === best.overlap && width < best.width))) {
        best = { snapshot: s, overlap, width };
      }
    }
    return found ?? best?.snapshot;
  }
}

/** The largest clusters of a snapshot, optionally only those in `states`. */
export function topClusters(snapshot: ClusterSnapshot, states: readonly string[] | undefined, k: number) {
  return snapshot.clusters
    .filter((c) => !states || states.includes(c.state))
    .sort((a, b) => b.count - a.count)
    .slice(0, k);
}

export function clusterKey(c: ClusterRow): string {
  return `${c.function} · ${c.state}${c.creationSite ? ` · ${c.creationSite}` : ''}`;
}

/**
 * Heatmap rows = the `k` clusters with the largest peak count, columns = the heatmap's columns: each column shows
 * the snapshot taken within its extent (or nothing, when none was seen).
 */
export function clusterMatrix(
  history: ClusterHistory,
  columns: { start: ArrayLike<number>; end: ArrayLike<number>; times: Float64Array },
  k: number
): HeatmapMatrix {
  const cols = columns.times.length;
  const perColumn = Array.from({ length: cols }, (_, c) => history.within(columns.start[c], columns.end[c]));
  const peak = new Map<string, number>();
  for (const s of perColumn) {
    for (const c of s?.clusters ?? []) {
      const key = clusterKey(c);
      peak.set(key, Math.max(peak.get(key) ?? 0, c.count));
    }
  }
  const rows = [...peak.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, k)
    .map(([key]) => key);
  const index = new Map(rows.map((key, r) => [key, r]));
  const counts = new Float32Array(cols * rows.length);
  let max = 0;
  perColumn.forEach((s, c) => {
    for (const cl of s?.clusters ?? []) {
      const r = index.get(clusterKey(cl));
      if (r !== undefined) {
        counts[c * rows.length + r] += cl.count;
        max = Math.max(max, counts[c * rows.length + r]);
      }
    }
  });
  const missing = Uint8Array.from(perColumn, (s) => (s ? 0 : 1));
  return { times: columns.times, rows, counts, max, xIsEnd: true, missing };
}

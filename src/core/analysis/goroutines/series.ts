/**
 * Goroutine states over time. From a sequence of snapshots (timestamps + dumps or profiles) build per-state counts
 * per time bucket (the goroutine-state heatmap), per-cluster counts per bucket, and flag clusters whose count grows
 * monotonically over the window (leak suspects: finding `goroutine-leak-suspect`, README "Findings").
 *
 * Clusters are matched across snapshots by their key (reason + func/file/line of every frame + creation site), which
 * is stable for one binary. Snapshots of the Go 1.26 goroutineleak profile (or dumps with `(leaked)` headers) carry
 * leaked counts, reported per cluster.
 */
import { GOROUTINE_STATES, type GoroutineState } from '../../model/goroutineState';
import type { GoroutineSnapshot } from '../../model/goroutineSnapshot';
import { clusterGoroutines, compareClusters, type ClusterResult, type GoroutineCluster } from './cluster';

export interface TimedGoroutineSnapshot {
  /** Milliseconds since the epoch. */
  time: number;
  snapshot: GoroutineSnapshot;
}

export interface ClusterGrowth {
  /** Count in the first and last snapshot (0 when the cluster was absent). */
  first: number;
  last: number;
  /** (last - first) per minute between the first and last snapshot. */
  perMinute: number;
  /** Never decreased from one snapshot to the next. */
  monotone: boolean;
  /** Monotone and strictly larger at the end: the leak-suspect signal. */
  growing: boolean;
  /** Count per snapshot, in time order. */
  counts: number[];
}

export interface SeriesCluster {
  key: string;
  function: string;
  state: GoroutineState;
  reason: string;
  createdBy: string | undefined;
  creationSite: string;
  /** Per bucket; null where the bucket has no snapshot. */
  counts: Array<number | null>;
  growth: ClusterGrowth;
  /** Leaked members in the last snapshot that had the cluster (Go 1.26 goroutineleak). */
  leaked: number;
  /** The cluster as seen in the last snapshot that had it. */
  latest: GoroutineCluster;
}

export interface GoroutineSeries {
  /** Bucket start times (ms), ascending, evenly spaced by `bucketMs`. */
  buckets: number[];
  bucketMs: number;
  /** Per state, the count per bucket (null where no snapshot). */
  states: Record<GoroutineState, Array<number | null>>;
  /** Total goroutines per bucket. */
  totals: Array<number | null>;
  /** Clusters ordered by their count in the last snapshot, then as clusters are ordered. */
  clusters: SeriesCluster[];
  /** Time window covered by the snapshots. */
  from: number;
  to: number;
  snapshots: number;
}

export interface SeriesOptions {
  /** Bucket width; default: the smallest gap between snapshots (one snapshot per bucket). */
  bucketMs?: number;
  /** Several snapshots in one bucket: keep the last (default) or the maximum. */
  aggregate?: 'last' | 'max';
  /** Precomputed clusterings, one per snapshot (to avoid clustering twice). */
  clustered?: readonly ClusterResult[];
}

function emptyStateCounts(): Record<GoroutineState, number> {
  const out = {} as Record<GoroutineState, number>;
  for (const s of GOROUTINE_STATES) {
    out[s] = 0;
  }
  return out;
}

/** Per-state goroutine counts of one snapshot (they sum to `snapshot.total`). */
export function countByState(snapshot: GoroutineSnapshot): Record<GoroutineState, number> {
  const out = emptyStateCounts();
  for (const r of snapshot.records) {
    out[r.state] += r.count;
  }
  return out;
}

/** Per exact reason counts of one snapshot, largest first. */
export function countByReason(snapshot: GoroutineSnapshot): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of snapshot.records) {
    const reason = r.reason === '' ? '(unclassified)' : r.reason;
    counts.set(reason, (counts.get(reason) ?? 0) + r.count);
  }
  return new Map([...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)));
}

/** Growth of one cluster over counts taken at `times` (ms). */
export function growthOf(counts: readonly number[], times: readonly number[]): ClusterGrowth {
  const first = counts[0] ?? 0;
  const last = counts[counts.length - 1] ?? 0;
  let monotone = true;
  for (let i = 1; i < counts.length; i++) {
    if (counts[i] < counts[i - 1]) {
      monotone = false;
      break;
    }
  }
  const minutes = times.length > 1 ? (times[times.length - 1] - times[0]) / 60000 : 0;
  const perMinute = minutes > 0 ? (last - first) / minutes : 0;
  return {
    first,
    last,
    perMinute: Math.round(perMinute * 100) / 100,
    monotone,
    growing: counts.length > 1 && monotone && last > first,
    counts: [...counts],
  };
}

export function goroutineSeries(input: readonly TimedGoroutineSnapshot[], options: SeriesOptions = {}): GoroutineSeries {
  const order = input.map((s, i) => i).sort((a, b) => input[a].time - input[b].time);
  const snaps = order.map((i) => input[i]);
  const clustered = order.map((i) => options.clustered?.[i] ?? clusterGoroutines(input[i].snapshot));
  const times = snaps.map((s) => s.time);
  const from = times[0] ?? 0;
  const to = times[times.length - 1] ?? 0;
  let bucketMs = options.bucketMs ?? 0;
  if (!(bucketMs > 0)) {
    let gap = Infinity;
    for (let i = 1; i < times.length; i++) {
      if (times[i] > times[i - 1]) {
        gap = Math.min(gap, times[i] - times[i - 1]);
      }
    }
    bucketMs = Number.isFinite(gap) ? gap : 60000;
  }
  const bucketCount = snaps.length === 0 ? 0 : Math.floor((to - from) / bucketMs) + 1;
  const buckets = Array.from({ length: bucketCount }, (_, i) => from + i * bucketMs);
  const bucketOf = (t: number) => Math.min(bucketCount - 1, Math.floor((t - from) / bucketMs));
  const keepMax = options.aggregate === 'max';

  const states = {} as Record<GoroutineState, Array<number | null>>;
  for (const s of GOROUTINE_STATES) {
    states[s] = new Array(bucketCount).fill(null);
  }
  const totals: Array<number | null> = new Array(bucketCount).fill(null);
  const put = (row: Array<number | null>, b: number, v: number) => {
    row[b] = keepMax && row[b] !== null ? Math.max(row[b]!, v) : v;
  };

  // Cluster counts per snapshot, by key.
  const perCluster = new Map<string, { counts: number[]; latest: GoroutineCluster; leaked: number }>();
  snaps.forEach((s, i) => {
    const b = bucketOf(s.time);
    const byState = countByState(s.snapshot);
    const total = s.snapshot.total;
    // A bucket shows one snapshot's states (the last, or the largest), so its states still sum to its total.
    if (!keepMax || totals[b] === null || total >= totals[b]!) {
      for (const st of GOROUTINE_STATES) {
        states[st][b] = byState[st];
      }
      totals[b] = total;
    }
    for (const c of clustered[i].clusters) {
      let entry = perCluster.get(c.key);
      if (entry === undefined) {
        entry = { counts: new Array(snaps.length).fill(0), latest: c, leaked: 0 };
        perCluster.set(c.key, entry);
      }
      entry.counts[i] = c.count;
      entry.latest = c;
      entry.leaked = c.leaked;
    }
  });

  const clusters: SeriesCluster[] = [];
  for (const [key, e] of perCluster) {
    const counts: Array<number | null> = new Array(bucketCount).fill(null);
    e.counts.forEach((v, i) => put(counts, bucketOf(times[i]), v));
    clusters.push({
      key,
      function: e.latest.function,
      state: e.latest.state,
      reason: e.latest.reason,
      createdBy: e.latest.createdBy,
      creationSite: e.latest.creationSite,
      counts,
      growth: growthOf(e.counts, times),
      leaked: e.leaked,
      latest: e.latest,
    });
  }
  clusters.sort((a, b) =>
    compareClusters(
      { count: a.growth.last, function: a.function, key: a.key },
      { count: b.growth.last, function: b.function, key: b.key }
    )
  );
  return { buckets, bucketMs, states, totals, clusters, from, to, snapshots: snaps.length };
}

/**
 * The live capture store's decisions as plain functions: which captures cover a window, which are evicted, how
 * often each kind may be polled, and what the polling costs the target. The store (captureStore.ts) and the poller
 * (liveSession.ts) only apply them, so every rule here is tested without timers or a network.
 */

/** A span of wall time, ms since the epoch; `from` = `to` for an instant (a snapshot). */
export interface Span {
  from: number;
  to: number;
}

/**
 * What the store keeps and how often it polls. Defaults in {@link LIVE_DEFAULTS}; every field has a reason there.
 */
export interface LiveLimits {
  /** Captures older than this are dropped. */
  maxAgeMs: number;
  /** Estimated bytes held by decoded captures; the oldest are dropped above it. */
  maxBytes: number;
  /** Number of captures held; the oldest are dropped above it. */
  maxCaptures: number;
  /** Length of each back-to-back CPU window. */
  cpuSeconds: number;
  /** Goroutine counts and states (the `goroutine` proto profile, or debug=2 when it is cheap enough). */
  goroutineIntervalMs: number;
  /** Full `goroutine?debug=2` dumps (wait reasons, wait minutes, creation sites with goroutine ids). */
  dumpIntervalMs: number;
  /** Cumulative snapshots (`allocs`, `mutex`, `block`, `heap`) whose differences give exact per-window deltas. */
  cumulativeIntervalMs: number;
  /** Share of the target's wall time that snapshot requests may take (0.01 = 1%). */
  budget: number;
  /** Requests of one store in flight at once (Grafana's browser runs 5 data-proxy requests at a time). */
  maxInFlight: number;
  /** Polling goes on this long after the last subscriber left, so a refresh reuses the capture in flight. */
  idleGraceMs: number;
  /** Waits after "cpu profiling already in use", growing with each refusal in a row. */
  busyBackoffMs: readonly number[];
}

export const LIVE_DEFAULTS: Readonly<LiveLimits> = {
  // A dashboard's usual "last 30 minutes"; Pyroscope keeps anything older.
  maxAgeMs: 30 * 60_000,
  // Decoded profiles of the demo under load hold well under 100 kB each; 64 MiB bounds a large service's 30 minutes
  // (and the tab) without evicting the demo's (figures: scripts/live-store-memory.mjs).
  maxBytes: 64 * 1024 * 1024,
  // 30 minutes of every kind at the default cadences is about 180 CPU windows + 360 goroutine snapshots + 60 dumps
  // + 4 x 60 cumulative snapshots = 840; room to spare for faster cadences.
  maxCaptures: 4000,
  // Grafana's Pyroscope data source plots at 15 s steps at best; 10 s windows give finer brushing than that and stay
  // below the data proxy's 30 s default timeout with room for the response.
  cpuSeconds: 10,
  goroutineIntervalMs: 5000,
  dumpIntervalMs: 30_000,
  cumulativeIntervalMs: 30_000,
  budget: 0.01,
  // One CPU window (a long request) plus one short snapshot at a time: 3 of Grafana's 5 browser slots stay free for
  // the dashboard's other panels (grafana/grafana:public/app/core/services/backend_srv.ts FetchQueueWorker).
  maxInFlight: 2,
  // Longer than Grafana's shortest auto-refresh (5 s) and the sandbox's query round trip.
  idleGraceMs: 20_000,
  busyBackoffMs: [15_000, 30_000, 60_000, 120_000],
};

export interface LimitsOverride {
  cpuSeconds?: number;
  goroutineIntervalMs?: number;
}

/** Milliseconds two spans share (zero or less when they do not meet). */
export function overlapMs(a: Span, b: Span): number {
  return Math.min(a.to, b.to) - Math.max(a.from, b.from);
}

/**
 * Which captures cover a window and how much of it. CPU profiles carry no sample timestamps, so a capture cannot be
 * cut: one counts when at least half of it lies inside the window, or, for a window shorter than a capture (a "Last
 * 5 seconds" range, a narrow brush), when it covers at least half of the window (the header then shows the exact span
 * merged). Snapshots (instants) count when they lie inside the window.
 */
export function coveringCaptures<T extends Span>(captures: readonly T[], window: Span): T[] {
  return captures.filter((c) => {
    if (c.to === c.from) {
      return c.from >= window.from && c.from <= window.to;
    }
    const overlap = overlapMs(c, window);
    return overlap > 0 && (overlap * 2 >= c.to - c.from || overlap * 2 >= window.to - window.from);
  });
}

export interface Coverage {
  /** Milliseconds of the window inside the union of the spans. */
  coveredMs: number;
  /** coveredMs / window length, 0..1. */
  fraction: number;
  /** The exact span of what was merged (may reach outside the window by less than half a capture). */
  span?: Span;
}

/** Coverage of `window` by time spans (CPU windows); overlapping spans count once. */
export function coverage(spans: readonly Span[], window: Span): Coverage {
  const length = window.to - window.from;
  if (spans.length === 0 || length <= 0) {
    return { coveredMs: 0, fraction: 0 };
  }
  const sorted = [...spans].sort((a, b) => a.from - b.from);
  let covered = 0;
  let runFrom = -Infinity;
  let runTo = -Infinity;
  const flush = () => {
    const a = Math.max(runFrom, window.from);
    const b = Math.min(runTo, window.to);
    covered += Math.max(0, b - a);
  };
  for (const s of sorted) {
    if (s.from > runTo) {
      flush();
      runFrom = s.from;
      runTo = s.to;
    } else {
      runTo = Math.max(runTo, s.to);
    }
  }
  flush();
  return {
    coveredMs: covered,
    fraction: Math.min(1, covered / length),
    span: { from: sorted[0].from, to: Math.max(...sorted.map((s) => s.to)) },
  };
}

export interface Held {
  /** End of the capture (ms); captures are evicted oldest first. */
  to: number;
  heldBytes: number;
}

/**
 * How many of the oldest captures to drop (captures sorted by `to`, oldest first) so that age, count and bytes are
 * all within the limits. The newest capture is always kept, so a single huge capture still answers "now".
 */
export function evictionCount(
  captures: readonly Held[],
  limits: Pick<LiveLimits, 'maxAgeMs' | 'maxBytes' | 'maxCaptures'>,
  now: number
): number {
  let bytes = captures.reduce((sum, c) => sum + c.heldBytes, 0);
  let drop = 0;
  const last = captures.length - 1;
  while (drop < last) {
    const c = captures[drop];
    const tooOld = c.to < now - limits.maxAgeMs;
    const tooMany = captures.length - drop > limits.maxCaptures;
    const tooBig = bytes > limits.maxBytes;
    if (!tooOld && !tooMany && !tooBig) {
      break;
    }
    bytes -= c.heldBytes;
    drop++;
  }
  return drop;
}

/**
 * Interval for a polled kind: its base cadence, stretched so that its requests take at most `share` of the target's
 * wall time (a `debug=2` dump stops the world while it is written; a slow one is polled less often).
 */
export function budgetedInterval(
  baseMs: number,
  recentCostMs: number | undefined,
  share: number,
  maxStretch = MAX_STRETCH
): number {
  if (!recentCostMs || share <= 0) {
    return baseMs;
  }
  return Math.min(baseMs * maxStretch, Math.max(baseMs, Math.ceil(recentCostMs / share)));
}

/**
 * The most an interval is stretched for cost. A request's time in the browser is an upper bound of the target's
 * (it includes the browser's connection queue and the data proxy, which a loaded dashboard fills): past 6 times its
 * cadence the measure says more about the dashboard than about the target, and the views would stop moving. The
 * cost share the header shows stays the measured one, so a target that is really slow to dump says so.
 */
export const MAX_STRETCH = 6;

export interface CostSample {
  /** When the request ended. */
  to: number;
  /** Time the request took, ms (measured in the browser: an upper bound of the target's own time). */
  costMs: number;
}

/**
 * Share of the last `spanMs` that snapshot requests took the target (0..1), each request counted above the
 * transport floor. CPU windows are not counted: see liveSession.ts.
 */
export function costShare(samples: readonly CostSample[], now: number, spanMs: number, floorMs = 0): number {
  const since = now - spanMs;
  const spent = samples.filter((s) => s.to >= since).reduce((sum, s) => sum + Math.max(0, s.costMs - floorMs), 0);
  return spanMs > 0 ? spent / spanMs : 0;
}

/**
 * The part of every request's time that is transport (network, data proxy, the browser's queue), not the target:
 * the quickest recent request of any kind, whose handler did next to nothing. A request's cost to the target is its
 * time above this floor; on a loaded machine the floor rises with the noise instead of throttling polling for it.
 */
export function transportFloor(samples: readonly CostSample[], last = 20): number {
  const recent = samples.slice(-last);
  return recent.length >= 2 ? Math.min(...recent.map((s) => s.costMs)) : 0;
}

/**
 * Cost of a kind's requests: the median of the last three, so one slow request (a cold connection, a busy moment
 * of the browser) neither stretches polling for minutes nor hides a cost that keeps recurring.
 */
export function recentCost(samples: readonly CostSample[], last = 3): number | undefined {
  if (samples.length === 0) {
    return undefined;
  }
  const sorted = samples
    .slice(-last)
    .map((s) => s.costMs)
    .sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

export interface KindSchedule {
  kind: string;
  /** When the last request of this kind started (undefined: never). */
  lastStart?: number;
  intervalMs: number;
  inFlight: boolean;
  /** Not before this time (a busy profiler's back-off). */
  notBefore?: number;
  /** Lower number first when several are due (CPU first: it is the one users look at). */
  priority: number;
}

export interface ScheduleDecision {
  /** Kinds to start now, in order. */
  start: string[];
  /** Milliseconds until the next kind is due (Infinity: nothing to do). */
  nextInMs: number;
}

/**
 * Which kinds to request now, given their cadences, what is in flight and the page's visibility: at most
 * `maxInFlight` requests at once, none while the page is hidden (the decision then waits for it to show again).
 */
export function schedule(
  kinds: readonly KindSchedule[],
  now: number,
  maxInFlight: number,
  hidden: boolean
): ScheduleDecision {
  if (hidden) {
    return { start: [], nextInMs: Infinity };
  }
  let slots = maxInFlight - kinds.filter((k) => k.inFlight).length;
  const dueAt = (k: KindSchedule) =>
    Math.max(k.lastStart === undefined ? now : k.lastStart + k.intervalMs, k.notBefore ?? -Infinity);
  const due = kinds
    .filter((k) => !k.inFlight && dueAt(k) <= now)
    .sort((a, b) => a.priority - b.priority || dueAt(a) - dueAt(b));
  const start: string[] = [];
  for (const k of due) {
    if (slots <= 0) {
      break;
    }
    start.push(k.kind);
    slots--;
  }
  // Kinds due but without a free slot start when a request in flight ends (the poller schedules then).
  const later = kinds.filter((k) => !k.inFlight && dueAt(k) > now);
  const next = later.length ? Math.min(...later.map((k) => dueAt(k) - now)) : Infinity;
  return { start, nextInMs: next };
}

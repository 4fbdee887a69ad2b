/**
 * Polling one live Go process into its capture store while panels subscribe, shared by every panel and query on
 * the page that reads the same target (data-proxy URL, path prefix and gateway instance).
 *
 * - Subscriptions say what they need (CPU windows, goroutine counts, dumps, cumulative or snapshot profiles); the
 *   session polls the union. When the last subscriber leaves it keeps polling for `idleGraceMs`, so a refresh or a
 *   range change (unsubscribe, then subscribe again) reuses the capture in flight instead of restarting it.
 * - CPU windows run back to back through the page-wide CPU lane of PprofClient: one CPU profile per process at a
 *   time (Go allows one). "cpu profiling already in use" from someone else backs off and says so in the status.
 * - At most `maxInFlight` requests at once; nothing while the page is hidden (document.visibilityState).
 * - Every request is timed; snapshot kinds are polled less often when they take more than their share of the 1%
 *   budget of the target's wall time (policy.ts budgetedInterval). CPU windows are not in that budget: profiling
 *   costs the target its 100 Hz SIGPROF sampling for as long as it runs, whoever asks (runtime/pprof
 *   StartCPUProfile); the status names it separately.
 */
import { Observable, Subject, Subscription } from 'rxjs';

import type { PprofClient } from '../pprof/pprofClient';
import { CapturePlan, planCapture } from '../pprof/capturePlan';
import { isProfilerBusy } from '../transport/profilerBusy';
import { CaptureStore, NewCapture } from './captureStore';
import {
  budgetedInterval,
  CostSample,
  costShare,
  KindSchedule,
  LIVE_DEFAULTS,
  LiveLimits,
  recentCost,
  schedule,
  transportFloor,
} from './policy';

/** What one subscriber needs polled. */
export interface Needs {
  cpu?: boolean;
  /** Goroutine counts and states at `goroutineIntervalMs`. */
  goroutines?: boolean;
  /** Full debug=2 dumps. */
  dumps?: boolean;
  /** Cumulative endpoints read as snapshots; deltas are their differences (`allocs`, `mutex`, `block`). */
  cumulative?: string[];
  /** Other snapshot endpoints (`heap`, `threadcreate`, ...). */
  snapshots?: string[];
  /** Shorter CPU windows than the default (the shortest asked for wins). */
  cpuSeconds?: number;
  goroutineIntervalMs?: number;
}

export interface ChangeEvent {
  /** Kinds that got a new capture ([] = only the status changed). */
  kinds: string[];
  revision: number;
}

/**
 * Shares of the budget per kind of request (they add up to 1): dumps stop the world while written, so they get the
 * most; goroutine counts come often; cumulative and snapshot profiles share the rest.
 */
const BUDGET_SHARES = { dump: 0.5, goroutine: 0.3, snapshot: 0.2 };

export interface LiveStatus {
  polling: boolean;
  paused: boolean;
  /** When polling of this target began (the earliest time the store can answer for). */
  startedAt?: number;
  cpuSeconds: number;
  /** The CPU window being captured now. */
  cpuInFlight?: { from: number; endsAt: number };
  /** "cpu profiling already in use" from another client: since when, and when the next try is. */
  cpuBusy?: { since: number; retryAt: number; message: string; error: unknown };
  /** Intervals in use per kind, after the cost budget. */
  intervals: Record<string, number>;
  /** Share of the target's wall time taken by snapshot requests in the last minute (per minute, from the start). */
  costShare: number;
  /** The last failed request per kind; `error` is what the client threw (a QueryFailure naming target and profile). */
  lastErrors: Record<string, { at: number; message: string; error: unknown }>;
  captures: number;
  heldBytes: number;
}

export interface SessionEnvironment {
  now(): number;
  hidden(): boolean;
  /** Calls `listener` when the page becomes visible again; returns the unsubscribe. */
  onVisible(listener: () => void): () => void;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const browserEnvironment: SessionEnvironment = {
  now: () => Date.now(),
  hidden: () => typeof document !== 'undefined' && document.visibilityState === 'hidden',
  onVisible: (listener) => {
    if (typeof document === 'undefined') {
      return () => {};
    }
    const handler = () => document.visibilityState === 'visible' && listener();
    document.addEventListener('visibilitychange', handler);
    return () => document.removeEventListener('visibilitychange', handler);
  },
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

const COST_SPAN_MS = 60_000;
const FAILED_RETRY_MS = 5000;

export class LiveSession {
  readonly store: CaptureStore;
  readonly limits: LiveLimits;
  private readonly changes = new Subject<ChangeEvent>();
  private revision = 0;
  private readonly subscribers = new Map<number, Needs>();
  private nextSubscriber = 1;
  private readonly inFlight = new Map<string, { started: number; subscription: Subscription; endsAt?: number }>();
  private readonly lastStart = new Map<string, number>();
  private readonly costs = new Map<string, CostSample[]>();
  private readonly errors = new Map<string, { at: number; message: string; error: unknown }>();
  private busy?: { since: number; retryAt: number; refusals: number; message: string; error: unknown };
  /** After a failed request, a kind waits at least its interval or 5 s (a 404 must not turn into a tight loop). */
  private readonly retryAt = new Map<string, number>();
  private timer: unknown;
  private idleTimer: unknown;
  private stopVisible?: () => void;
  private active = false;
  startedAt?: number;

  constructor(
    private readonly client: PprofClient,
    private readonly instance: string | undefined,
    limits: Partial<LiveLimits> = {},
    private readonly env: SessionEnvironment = browserEnvironment,
    /** Seconds the data proxy waits for response headers: CPU windows stay 2 s below. */
    private readonly timeoutSeconds = 30
  ) {
    this.limits = { ...LIVE_DEFAULTS, ...limits };
    this.store = new CaptureStore(this.limits);
  }

  /** Emits now and whenever a capture arrives or the status changes, while polling for `needs`. */
  watch(needs: Needs): Observable<ChangeEvent> {
    return new Observable<ChangeEvent>((subscriber) => {
      const changes = this.changes.subscribe(subscriber);
      const leave = this.subscribe(needs);
      subscriber.next({ kinds: [], revision: this.revision });
      return () => {
        changes.unsubscribe();
        leave();
      };
    });
  }

  /** Adds a subscriber; returns the function that removes it. */
  subscribe(needs: Needs): () => void {
    const id = this.nextSubscriber++;
    this.subscribers.set(id, needs);
    if (this.idleTimer !== undefined) {
      this.env.clearTimeout(this.idleTimer);
      this.idleTimer = undefined;
    }
    if (!this.active) {
      this.active = true;
      this.startedAt ??= this.env.now();
      this.stopVisible = this.env.onVisible(() => this.tick());
    }
    this.tick();
    return () => {
      if (!this.subscribers.delete(id) || this.subscribers.size > 0) {
        return;
      }
      this.idleTimer = this.env.setTimeout(() => {
        this.idleTimer = undefined;
        if (this.subscribers.size === 0) {
          this.stop();
        }
      }, this.limits.idleGraceMs);
    };
  }

  /** Stops polling now and aborts what is in flight (tests, and a data source removed from the page). */
  dispose(): void {
    this.subscribers.clear();
    if (this.idleTimer !== undefined) {
      this.env.clearTimeout(this.idleTimer);
      this.idleTimer = undefined;
    }
    if (this.active) {
      this.stop();
    }
  }

  private stop(): void {
    this.active = false;
    this.stopVisible?.();
    if (this.timer !== undefined) {
      this.env.clearTimeout(this.timer);
      this.timer = undefined;
    }
    for (const f of this.inFlight.values()) {
      f.subscription.unsubscribe();
    }
    this.inFlight.clear();
    this.emit([]);
  }

  /** The union of what subscribers need. */
  needs(): Required<Pick<Needs, 'cpu' | 'goroutines' | 'dumps'>> & {
    kinds: string[];
    cpuSeconds: number;
    goroutineMs: number;
  } {
    const all = [...this.subscribers.values()];
    const ceiling = Math.max(1, Math.floor(this.timeoutSeconds) - 2);
    const cpuSeconds = Math.min(
      ceiling,
      ...all.map((n) => n.cpuSeconds ?? this.limits.cpuSeconds),
      this.limits.cpuSeconds
    );
    const goroutineMs = Math.min(
      this.limits.goroutineIntervalMs,
      ...all.map((n) => n.goroutineIntervalMs ?? this.limits.goroutineIntervalMs)
    );
    return {
      cpu: all.some((n) => n.cpu),
      goroutines: all.some((n) => n.goroutines),
      dumps: all.some((n) => n.dumps),
      kinds: [...new Set(all.flatMap((n) => [...(n.cumulative ?? []), ...(n.snapshots ?? [])]))],
      cpuSeconds: Math.max(1, Math.round(cpuSeconds)),
      goroutineMs,
    };
  }

  /** Intervals after the budget; `goroutine` is left out when debug=2 dumps are cheap enough to give the counts. */
  intervals(): Record<string, number> {
    const n = this.needs();
    const budget = this.limits.budget;
    const out: Record<string, number> = {};
    const floor = this.floor();
    const costOf = (kind: string) => {
      const c = recentCost(this.costs.get(kind) ?? []);
      return c === undefined ? undefined : Math.max(0, c - floor);
    };
    const dumpCost = costOf('dump');
    if (n.goroutines || n.dumps) {
      const dumpAtCountCadence = budgetedInterval(n.goroutineMs, dumpCost, budget * BUDGET_SHARES.dump);
      if (n.goroutines && dumpAtCountCadence > n.goroutineMs) {
        // Dumps are too costly for the count cadence: counts come from the cheaper proto profile.
        out.goroutine = budgetedInterval(
          n.goroutineMs,
          recentCost(this.costs.get('goroutine') ?? []),
          budget * BUDGET_SHARES.goroutine
        );
        out.dump = budgetedInterval(this.limits.dumpIntervalMs, dumpCost, budget * BUDGET_SHARES.dump);
      } else {
        out.dump = n.goroutines
          ? n.goroutineMs
          : budgetedInterval(this.limits.dumpIntervalMs, dumpCost, budget * BUDGET_SHARES.dump);
      }
    }
    const share = (budget * BUDGET_SHARES.snapshot) / Math.max(1, n.kinds.length);
    for (const kind of n.kinds) {
      out[kind] = budgetedInterval(this.limits.cumulativeIntervalMs, costOf(kind), share);
    }
    if (n.cpu) {
      // Back to back: the next window starts when this one has run its length. A target (or a gateway, a cache)
      // that answers at once must not be asked again in a tight loop.
      out.cpu = n.cpuSeconds * 1000;
    }
    return out;
  }

  status(): LiveStatus {
    const now = this.env.now();
    const cpu = this.inFlight.get('cpu');
    const stats = this.store.stats();
    const samples = this.snapshotCosts();
    return {
      polling: this.active,
      paused: this.active && this.env.hidden(),
      startedAt: this.startedAt,
      cpuSeconds: this.needs().cpuSeconds,
      cpuInFlight: cpu ? { from: cpu.started, endsAt: cpu.endsAt ?? cpu.started } : undefined,
      cpuBusy: this.busy
        ? { since: this.busy.since, retryAt: this.busy.retryAt, message: this.busy.message, error: this.busy.error }
        : undefined,
      intervals: this.intervals(),
      costShare: costShare(samples, now, COST_SPAN_MS, this.floor()),
      lastErrors: Object.fromEntries(this.errors),
      captures: stats.captures,
      heldBytes: stats.heldBytes,
    };
  }

  /** Request times of every snapshot kind, in time order (CPU windows last as long as asked: not a cost sample). */
  private snapshotCosts(): CostSample[] {
    return [...this.costs.entries()]
      .filter(([k]) => k !== 'cpu')
      .flatMap(([, s]) => s)
      .sort((a, b) => a.to - b.to);
  }

  private floor(): number {
    return transportFloor(this.snapshotCosts());
  }

  private emit(kinds: string[]): void {
    this.revision++;
    this.changes.next({ kinds, revision: this.revision });
  }

  private tick(): void {
    if (!this.active) {
      return;
    }
    if (this.timer !== undefined) {
      this.env.clearTimeout(this.timer);
      this.timer = undefined;
    }
    const now = this.env.now();
    const intervals = this.intervals();
    const kinds: KindSchedule[] = Object.entries(intervals).map(([kind, intervalMs]) => ({
      kind,
      intervalMs,
      lastStart: this.lastStart.get(kind),
      inFlight: this.inFlight.has(kind),
      notBefore: Math.max(this.retryAt.get(kind) ?? 0, kind === 'cpu' ? (this.busy?.retryAt ?? 0) : 0),
      priority: kind === 'cpu' ? 0 : kind === 'dump' || kind === 'goroutine' ? 1 : 2,
    }));
    const decision = schedule(kinds, now, this.limits.maxInFlight, this.env.hidden());
    for (const kind of decision.start) {
      this.start(kind, now);
    }
    if (Number.isFinite(decision.nextInMs)) {
      this.timer = this.env.setTimeout(
        () => {
          this.timer = undefined;
          this.tick();
        },
        Math.max(50, decision.nextInMs)
      );
    }
  }

  private plan(kind: string, cpuSeconds: number): CapturePlan {
    if (kind === 'cpu') {
      return planCapture('cpu', 'cpu', cpuSeconds);
    }
    // Cumulative and snapshot endpoints are read as they are now; windows are differences of two reads.
    return { profile: kind, endpoint: kind, params: {}, mode: 'snapshot' };
  }

  private start(kind: string, now: number): void {
    this.lastStart.set(kind, now);
    const cpuSeconds = this.needs().cpuSeconds;
    let settled = false;
    const finish = (capture: NewCapture | undefined, error?: unknown) => {
      if (settled) {
        return;
      }
      settled = true;
      const ended = this.env.now();
      this.inFlight.delete(kind);
      if (capture) {
        this.recordCost(kind, { to: ended, costMs: capture.costMs });
        this.errors.delete(kind);
        this.retryAt.delete(kind);
        if (kind === 'cpu') {
          this.busy = undefined;
        }
        this.store.add(capture, ended);
        this.emit([kind]);
      } else {
        this.fail(kind, error, ended);
      }
      // Not from inside this response's callback: an identical request started now would join the ending one
      // (transport/singleFlight.ts shares requests in flight by URL) and complete without a value.
      this.env.setTimeout(() => this.tick(), 0);
    };
    const noValue = () => finish(undefined, new Error('the request ended without a response'));
    const subscription =
      kind === 'dump'
        ? this.client.goroutines(this.instance).subscribe({
            next: (s) =>
              finish({
                type: 'dump',
                kind,
                from: s.capturedAt,
                to: s.capturedAt,
                bytes: s.bytes,
                costMs: s.capturedAt - now,
                snapshot: s.snapshot,
              }),
            error: (e) => finish(undefined, e),
            complete: noValue,
          })
        : this.client.capture(this.plan(kind, cpuSeconds), this.instance).subscribe({
            next: (c) => {
              const span =
                kind === 'cpu'
                  ? cpuSpan(c.profile, c.capturedAt, cpuSeconds)
                  : { from: c.capturedAt, to: c.capturedAt };
              finish({
                type: 'profile',
                kind,
                ...span,
                bytes: c.bytes,
                costMs: c.capturedAt - now,
                profile: c.profile,
              });
            },
            error: (e) => finish(undefined, e),
            complete: noValue,
          });
    if (!settled) {
      this.inFlight.set(kind, {
        started: now,
        subscription,
        endsAt: kind === 'cpu' ? now + cpuSeconds * 1000 : undefined,
      });
      if (kind === 'cpu') {
        this.emit([]);
      }
    }
  }

  private fail(kind: string, error: unknown, now: number): void {
    const message = error instanceof Error ? error.message : String(error);
    if (kind === 'cpu' && isProfilerBusy(error)) {
      const refusals = (this.busy?.refusals ?? 0) + 1;
      const wait = this.limits.busyBackoffMs[Math.min(refusals, this.limits.busyBackoffMs.length) - 1];
      this.busy = { since: this.busy?.since ?? now, retryAt: now + wait, refusals, message, error };
    } else {
      this.errors.set(kind, { at: now, message, error });
      this.retryAt.set(kind, now + Math.max(FAILED_RETRY_MS, this.intervals()[kind] ?? 0));
    }
    this.emit([]);
  }

  private recordCost(kind: string, sample: CostSample): void {
    const list = this.costs.get(kind) ?? [];
    list.push(sample);
    if (list.length > 30) {
      list.shift();
    }
    this.costs.set(kind, list);
  }
}

/**
 * The span of a CPU window on the browser's clock (the one the dashboard's range and every other capture use): Go
 * writes the profile as soon as its window ends, so the window ends when the response arrives (less the transfer)
 * and lasts exactly duration_nanos (runtime/pprof profile builder); a target's own clock may differ from the browser's.
 */
export function cpuSpan(
  profile: { durationNanos: number },
  receivedAt: number,
  seconds: number
): { from: number; to: number } {
  const length = profile.durationNanos > 0 ? profile.durationNanos / 1e6 : seconds * 1000;
  return { from: receivedAt - length, to: receivedAt };
}

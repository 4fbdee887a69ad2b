/**
 * How a pprof-mode runner answers from the live store.
 *
 * - A range that follows now (the picker's `to` is `now`): subscribe to the target's session with what the query
 *   needs, and answer again, as a stream, whenever a capture it reads arrives; the window slides with the clock.
 *   A refresh or a range change re-subscribes: the store and the capture in flight stay.
 * - A fixed window (a zoom, a brush, a bucket, a baseline): answer from what the store holds. A window that ends
 *   after the newest capture while the session polls is answered again as captures arrive, until covered.
 * - A window that ends before live capture began: a message naming the window, when capture began and that older
 *   history needs Pyroscope.
 */
import { DataFrame, DataQueryResponse, LoadingState } from '@grafana/data';
import { Observable, filter, map, of, takeWhile } from 'rxjs';

import { QueryFailure } from '../transport/failure';
import { formatDuration } from '../query/time';
import type { GoRuntimeQuery } from '../types';
import { failure, lazily, RunContext } from '../runners/context';
import type { CaptureStore } from './captureStore';
import type { LiveSession, LiveStatus, Needs } from './liveSession';
import type { Span } from './policy';
import { liveSession } from './registry';

export interface LiveView {
  session: LiveSession;
  store: CaptureStore;
  status: LiveStatus;
  /** The window to answer for (slides with the clock when the range follows now). */
  window: Span;
  /** The range follows now. */
  live: boolean;
}

export interface LiveAnswerOptions {
  needs: Needs;
  /** Names the input in messages: `cpu profile`, `goroutine dump (debug=2)`. */
  what: string;
  /** Capture kinds whose arrival changes the answer. */
  kinds: string[];
  /** Streaming key suffix (the query type). */
  key: string;
}

/** The dashboard range follows the clock: `to` is `now`, or (no raw range) it ends within 2 s of now. */
export function followsNow(range: RunContext['range'], now: number): boolean {
  if (range.rawTo !== undefined) {
    return range.rawTo === 'now';
  }
  return Math.abs(now - range.to) <= 2000;
}

export function clockTime(t: number): string {
  const d = new Date(t);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

export function windowText(w: Span): string {
  return `${clockTime(w.from)}–${clockTime(w.to)}`;
}

/** The message for a window the store cannot answer (before live capture began, or evicted). */
export function beforeStoreMessage(
  target: string,
  window: Span,
  startedAt: number | undefined,
  evicted: { oldest: number; maxAgeMs: number } | undefined
): string {
  const began =
    startedAt === undefined
      ? `this page has not captured ${target} live yet (capture starts when a panel shows a range ending now)`
      : `live capture of ${target} began at ${clockTime(startedAt)}` +
        (evicted
          ? `; the store keeps the last ${formatDuration(evicted.maxAgeMs)} (oldest capture held: ${clockTime(evicted.oldest)})`
          : '');
  return `no live capture covers ${windowText(window)}: ${began}; older history needs Pyroscope (a Pyroscope-mode data source)`;
}

/** Throws the before-store failure when nothing held can answer `window`. */
export function requireStored(ctx: RunContext, view: LiveView, what: string): void {
  const stats = view.store.stats();
  if (stats.oldest === undefined || view.window.to < stats.oldest) {
    const evicted =
      view.store.evicted > 0 && stats.oldest !== undefined
        ? { oldest: stats.oldest, maxAgeMs: view.session.limits.maxAgeMs }
        : undefined;
    throw failure(ctx, what, beforeStoreMessage(ctx.target.name, view.window, view.session.startedAt, evicted));
  }
}

function interval(ms: number): string {
  return ms >= 60_000 ? `${Math.round(ms / 60_000)} min` : `${Math.round(ms / 1000)} s`;
}

/** "CPU in back-to-back 10 s windows · goroutines every 5 s · dumps every 30 s · at most 0.4% of the target's time". */
export function pollingText(status: LiveStatus): string {
  if (!status.polling) {
    return 'not polling (no panel follows now)';
  }
  if (status.paused) {
    return 'paused while the page is hidden';
  }
  const parts: string[] = [];
  if (status.intervals.cpu !== undefined) {
    parts.push(`CPU in back-to-back ${status.cpuSeconds} s windows`);
  }
  if (status.intervals.goroutine !== undefined) {
    parts.push(`goroutine counts every ${interval(status.intervals.goroutine)}`);
  }
  if (status.intervals.dump !== undefined) {
    parts.push(`debug=2 dumps every ${interval(status.intervals.dump)}`);
  }
  const others = Object.entries(status.intervals).filter(([k]) => !['cpu', 'goroutine', 'dump'].includes(k));
  if (others.length) {
    parts.push(`${others.map(([k]) => k).join('/')} every ${interval(Math.max(...others.map(([, v]) => v)))}`);
  }
  const share = status.costShare * 100;
  // Request times measured in the browser include the data proxy and the browser's queue: an upper bound.
  parts.push(`at most ${share < 0.1 ? share.toFixed(2) : share.toFixed(1)}% of the target's time`);
  return `polling ${parts.join(' · ')}`;
}

/** Notices about the CPU profiler being held by someone else, or polling errors. */
export function statusNotices(
  status: LiveStatus,
  kinds: string[]
): Array<{ severity: 'info' | 'warning'; text: string }> {
  const out: Array<{ severity: 'info' | 'warning'; text: string }> = [];
  if (status.cpuBusy && kinds.includes('cpu')) {
    out.push({
      severity: 'warning',
      text: `the target's CPU profiler is in use by another client since ${clockTime(status.cpuBusy.since)} (another dashboard or go tool pprof): retrying at ${clockTime(status.cpuBusy.retryAt)}`,
    });
  }
  for (const [kind, e] of Object.entries(status.lastErrors)) {
    if (kinds.includes(kind)) {
      out.push({ severity: 'warning', text: `last ${kind} capture failed at ${clockTime(e.at)}: ${e.message}` });
    }
  }
  return out;
}

/** "capturing a 10 s CPU window, ready at 10:01:12" while the first CPU window runs. */
export function pendingText(status: LiveStatus): string | undefined {
  const cpu = status.cpuInFlight;
  return cpu ? `capturing a ${status.cpuSeconds} s CPU window, ready at ${clockTime(cpu.endsAt)}` : undefined;
}

/**
 * Throws the capture failure when the store holds nothing of what the query reads and the latest capture of it
 * failed (a stopped target, a 404, an HTML login page, the CPU profiler held by another client): a panel must show
 * why, not "capturing" forever. Once one capture of a kind is held, a later failure is a notice on the answer.
 */
export function requireCaptureOrFailure(ctx: RunContext, view: LiveView, options: LiveAnswerOptions): void {
  if (options.kinds.some((kind) => view.store.latest(kind) !== undefined)) {
    return;
  }
  for (const kind of options.kinds) {
    const failed = view.status.lastErrors[kind];
    if (failed) {
      throw failed.error instanceof QueryFailure ? failed.error : failure(ctx, options.what, failed.message);
    }
    const busy = kind === 'cpu' ? view.status.cpuBusy : undefined;
    if (busy) {
      const retry = `retrying at ${clockTime(busy.retryAt)}`;
      throw busy.error instanceof QueryFailure
        ? new QueryFailure(busy.error.subject, `${busy.error.cause}; ${retry}`, busy.error.status)
        : failure(ctx, options.what, `${busy.message}; ${retry}`);
    }
  }
}

export function liveAnswer(
  ctx: RunContext,
  query: GoRuntimeQuery,
  options: LiveAnswerOptions,
  compute: (view: LiveView) => DataFrame[]
): Observable<DataQueryResponse> {
  return lazily(() => {
    const session = liveSession(ctx.target, ctx.pprof, query.instance);
    const live = followsNow(ctx.range, ctx.now);
    const length = ctx.range.to - ctx.range.from;
    const key = `${ctx.streamKey}-${options.key}`;
    const view = (): LiveView => {
      const now = Date.now();
      return {
        session,
        store: session.store,
        status: session.status(),
        window: live ? { from: now - length, to: now } : { from: ctx.range.from, to: ctx.range.to },
        live,
      };
    };
    const relevant = (kinds: string[]) => kinds.length === 0 || kinds.some((k) => options.kinds.includes(k));
    if (live) {
      // A window the store cannot answer yet (a baseline before capture began) is a message on this answer, and the
      // stream goes on: the next captures may answer it.
      return session.watch(options.needs).pipe(
        filter((e) => relevant(e.kinds)),
        map((): DataQueryResponse => {
          try {
            const current = view();
            requireCaptureOrFailure(ctx, current, options);
            return { key, state: LoadingState.Streaming, data: compute(current) };
          } catch (e) {
            const message = e instanceof Error ? e.message : String(e);
            return { key, state: LoadingState.Streaming, data: [], errors: [{ refId: query.refId, message }] };
          }
        })
      );
    }
    const first = view();
    requireStored(ctx, first, options.what);
    const newest = () => session.store.stats().newest ?? 0;
    if (!first.status.polling || newest() >= first.window.to) {
      return of({ key, state: LoadingState.Done, data: compute(first) });
    }
    // The window reaches past the newest capture while captures still arrive: answer again until it is covered.
    return session.watch(options.needs).pipe(
      filter((e) => relevant(e.kinds)),
      takeWhile(() => newest() < first.window.to && session.status().polling, true),
      map(() => {
        const done = newest() >= first.window.to || !session.status().polling;
        return { key, state: done ? LoadingState.Done : LoadingState.Streaming, data: compute(view()) };
      })
    );
  });
}

/**
 * `trace`: an execution trace of the target (Go 1.22+), analysed in the browser, as frames on the dashboard's time
 * axis: goroutine states per time bucket (the same heatmap frame as the dump-based states, exact instead of
 * sampled), goroutine-group lanes (State timeline), the group table, each group's waits by stack, GC and
 * stop-the-world spans, the four latency flame graphs (scheduler, network, sync, syscall) and the trace findings.
 *
 * Sources, pprof mode only (Pyroscope stores no traces):
 * - live: `<pprof>/trace?seconds=N`, N from the range ending now, capped by the query's seconds (default 5) and by
 *   the proxy timeout like every live capture;
 * - flight recorder: a Go 1.25+ runtime/trace.FlightRecorder snapshot at the data source's `flightRecorderPath`
 *   (the last seconds before now, so a spike that already happened can be seen).
 * Trace time 0 is placed on the wall clock by the trace's own clock snapshot (Go 1.25+), else by the capture's end.
 *
 * Every trace read lands, analysed, in the target's live capture store (live/captureStore.ts, kind `trace`, evicted
 * with the other captures). A fixed window (a zoom, an absolute range, a refresh of one) is answered from the stored
 * trace that overlaps it most, without a new capture; a fixed window no stored trace overlaps says which traces the
 * store holds (one that reaches now is still captured). A range that follows now captures again unless the newest
 * live capture arrived less than its own length ago (a quick refresh reuses it instead of stacking captures).
 */
import type { DataFrame } from '@grafana/data';
import { Observable, catchError, map, of, throwError } from 'rxjs';

import {
  analyzeTrace,
  GOROUTINE_STATES,
  groupLanes,
  LATENCY_PROFILES,
  latencyCallTree,
  toNestedSet,
  TRACE_STATE_LABELS,
  type TraceAnalysis,
  traceBuckets,
  traceFindings,
  traceStateColumns,
} from '../../core';
import {
  stateTimelineFrame,
  toFindingsFrame,
  toFlameFrame,
  toStateHeatmapFrame,
  traceGroupsFrame,
  traceGroupWaitsFrame,
  traceSpansFrame,
} from '../../frames';
import { expandPrefix, safePath } from '../transport/paths';
import { describeRequest, fetchBinary } from '../transport/proxyFetch';
import { toQueryFailure } from '../transport/failure';
import type { GoRuntimeQuery } from '../types';
import { followsNow, windowText } from '../live/answer';
import type { CaptureStore, TraceCapture } from '../live/captureStore';
import { overlapMs, Span } from '../live/policy';
import { liveSession } from '../live/registry';
import { captureSeconds, failure, frames, lazily, RunContext, Runner } from './context';

export const DEFAULT_TRACE_SECONDS = 5;
export const DEFAULT_TRACE_LANES = 8;

export const PYROSCOPE_HAS_NO_TRACES =
  'execution traces are not stored in Pyroscope: use a data source in pprof mode (live capture, or a flight ' +
  'recorder endpoint for the seconds before now)';

interface CapturedTrace {
  bytes: Uint8Array;
  capturedAt: number;
  /** ms the request took. */
  costMs: number;
  source: string;
}

const traceSeconds = (ctx: RunContext, query: GoRuntimeQuery) =>
  Math.min(captureSeconds(ctx, query, 'trace'), query.seconds ?? DEFAULT_TRACE_SECONDS);

const liveSource = (ctx: RunContext, seconds: number) => `${ctx.target.name} trace?seconds=${seconds}`;

function liveTrace(ctx: RunContext, query: GoRuntimeQuery, seconds: number): Observable<CapturedTrace> {
  const started = Date.now();
  return ctx.pprof.raw(`trace?seconds=${seconds}`, query.instance).pipe(
    map((bytes) => {
      const capturedAt = Date.now();
      return { bytes, capturedAt, costMs: capturedAt - started, source: liveSource(ctx, seconds) };
    })
  );
}

function flightRecorder(ctx: RunContext, query: GoRuntimeQuery): Observable<CapturedTrace> {
  const configured = ctx.target.options.flightRecorderPath;
  if (!configured) {
    throw failure(
      ctx,
      'flight recorder',
      'no flight recorder path is configured for this data source (settings: "Flight recorder path")'
    );
  }
  const path = `${expandPrefix(ctx.target.options.pathPrefix, query.instance)}${safePath('flight recorder path', configured)}`;
  const req = { path };
  const subject = { target: ctx.target.name, profile: 'flight recorder snapshot' };
  const started = Date.now();
  return fetchBinary(ctx.target.baseUrl, req, ctx.target.options).pipe(
    map((r) => {
      const capturedAt = Date.now();
      return {
        bytes: new Uint8Array(r.data),
        capturedAt,
        costMs: capturedAt - started,
        source: `${ctx.target.name} ${path}`,
      };
    }),
    catchError((e) => throwError(() => toQueryFailure(e, { ...subject, request: describeRequest(req) })))
  );
}

/** Every frame of one analysed trace; `startMs` is trace time 0 on the wall clock. */
export function traceFrames(
  a: TraceAnalysis,
  startMs: number,
  options: { refId?: string; buckets: number; lanes: number; source: string }
): DataFrame[] {
  const refId = options.refId;
  const toMs = (ns: number) => startMs + ns / 1e6;
  const buckets = traceBuckets(a, options.buckets);
  const custom = { source: options.source, kind: 'trace', traceStartMs: startMs, traceEndMs: toMs(a.end) };
  const heatmap = toStateHeatmapFrame(
    TRACE_STATE_LABELS,
    traceStateColumns(a, buckets).map((c) => ({ time: toMs(c.end), counts: c.counts })),
    { refId, custom: { ...custom, states: [...GOROUTINE_STATES], aggregation: 'mean goroutines over the bucket' } }
  );
  const lanes = stateTimelineFrame(
    {
      times: buckets.edges.slice(0, -1).map(toMs),
      lanes: groupLanes(a, buckets, options.lanes).map((l) => ({ name: l.name, count: l.count, states: l.states })),
      end: toMs(a.end),
    },
    { refId, custom }
  );
  const groups = traceGroupsFrame(
    a.groups.map((g) => ({
      name: g.name,
      count: g.count,
      running: g.running,
      runnable: g.runnable,
      syscall: g.syscall,
      blocked: g.blocked,
      gcAssist: g.gcAssist,
      topReason: Object.entries(g.waiting).sort((x, y) => y[1] - x[1])[0]?.[0] ?? '',
    })),
    { refId, custom }
  );
  const groupWaits = traceGroupWaitsFrame(a.groupWaits, { refId, custom });
  const spans = traceSpansFrame(
    [
      ...a.gc.map((s) => ({ start: toMs(s.start), end: toMs(s.end), kind: 'gc' as const, reason: '' })),
      ...a.stw.map((s) => ({ start: toMs(s.start), end: toMs(s.end), kind: 'stw' as const, reason: s.reason })),
    ],
    { refId, custom }
  );
  const flames = LATENCY_PROFILES.map((profile) =>
    toFlameFrame(toNestedSet(latencyCallTree(a, profile)), {
      refId,
      unit: 'ns',
      name: `${profile} latency`,
      custom: { ...custom, latencyProfile: profile },
    })
  );
  const findings = toFindingsFrame(
    traceFindings(a, { startMs }).map((f) => ({
      ...f,
      from: f.window?.from ?? startMs,
      to: f.window?.to ?? toMs(a.end),
    })),
    { refId, custom }
  );
  return [heatmap, lanes, groups, groupWaits, spans, ...flames, findings];
}

/** The stored trace overlapping `window` most (the newest on a tie), or undefined when none overlaps it. */
export function storedTraceFor(store: CaptureStore, window: Span): TraceCapture | undefined {
  let best: TraceCapture | undefined;
  let bestOverlap = 0;
  for (const c of store.all(TRACE_KIND)) {
    const overlap = overlapMs(c, window);
    if (c.type === 'trace' && overlap > 0 && overlap >= bestOverlap) {
      best = c;
      bestOverlap = overlap;
    }
  }
  return best;
}

/** Why a window has no trace: what the store holds, and how to get one. */
export function noStoredTraceText(store: CaptureStore, window: Span): string {
  const held = store.all(TRACE_KIND);
  const holds = held.length
    ? `the live store holds execution traces of ${held.map((c) => windowText(c)).join(', ')}`
    : 'no execution trace was captured on this page yet';
  return (
    `no stored execution trace covers ${windowText(window)}: ${holds}; a trace query on a range ending now ` +
    'captures one (the flight recorder gives the seconds before now)'
  );
}

export const TRACE_KIND = 'trace';

/** Frames of a stored trace; the custom fields say it came from the store and which span it covers. */
function storedFrames(
  ctx: RunContext,
  query: GoRuntimeQuery,
  c: TraceCapture,
  reused: boolean,
  window: Span
): DataFrame[] {
  const data = traceFrames(c.analysis, c.from, {
    refId: query.refId,
    buckets: Math.max(10, Math.min(240, Math.floor(ctx.maxDataPoints / 4) || 120)),
    lanes: query.limit ?? DEFAULT_TRACE_LANES,
    source: c.source,
  });
  const covers =
    c.from <= window.from && c.to >= window.to
      ? 'covers the window'
      : `covers ${windowText(c)} of ${windowText(window)}`;
  const live = reused
    ? `execution trace from the live store (capture ${c.id}, ${windowText(c)}, ${covers})`
    : `execution trace captured ${windowText(c)} (capture ${c.id} of the live store)`;
  for (const f of data) {
    f.meta = { ...f.meta, custom: { ...f.meta?.custom, live, captureId: c.id, fromStore: reused } };
  }
  return data;
}

export const runTrace: Runner = (ctx, query) =>
  frames(
    lazily(() => {
      if (ctx.target.options.mode === 'pyroscope') {
        throw failure(ctx, 'execution trace', PYROSCOPE_HAS_NO_TRACES);
      }
      const store = liveSession(ctx.target, ctx.pprof, query.instance).store;
      const window = { from: ctx.range.from, to: ctx.range.to };
      const fromRecorder = query.traceSource === 'flightRecorder';
      let capture: Observable<CapturedTrace>;
      if (!followsNow(ctx.range, ctx.now)) {
        const stored = storedTraceFor(store, window);
        if (stored) {
          return of(storedFrames(ctx, query, stored, true, window));
        }
        if (fromRecorder) {
          capture = flightRecorder(ctx, query);
        } else {
          let seconds: number;
          try {
            seconds = traceSeconds(ctx, query);
          } catch {
            // A past window (Pyroscope keeps no traces either): only what the store holds can answer it.
            throw failure(ctx, 'execution trace', noStoredTraceText(store, window));
          }
          capture = liveTrace(ctx, query, seconds);
        }
      } else if (fromRecorder) {
        capture = flightRecorder(ctx, query);
      } else {
        const seconds = traceSeconds(ctx, query);
        const recent = store.latest(TRACE_KIND);
        if (
          recent?.type === 'trace' &&
          recent.source === liveSource(ctx, seconds) &&
          Date.now() - recent.capturedAt < seconds * 1000
        ) {
          return of(
            storedFrames(ctx, query, recent, true, { from: Date.now() - (window.to - window.from), to: Date.now() })
          );
        }
        capture = liveTrace(ctx, query, seconds);
      }
      return capture.pipe(
        map((t) => {
          let a: TraceAnalysis;
          try {
            a = analyzeTrace(t.bytes, { source: t.source });
          } catch (e) {
            throw toQueryFailure(e, { target: ctx.target.name, profile: 'execution trace' });
          }
          const startMs = a.wallOriginNs !== undefined ? a.wallOriginNs / 1e6 : t.capturedAt - a.end / 1e6;
          const stored = store.add(
            {
              type: 'trace',
              kind: TRACE_KIND,
              from: startMs,
              to: startMs + a.end / 1e6,
              bytes: t.bytes.length,
              costMs: t.costMs,
              analysis: a,
              source: t.source,
              capturedAt: t.capturedAt,
            },
            Date.now()
          ) as TraceCapture;
          return storedFrames(ctx, query, stored, false, window);
        })
      );
    })
  );

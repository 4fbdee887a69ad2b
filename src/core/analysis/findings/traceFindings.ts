/**
 * Findings from an execution trace: what a trace shows exactly and profiles only sample. Thresholds and their
 * reasons are in thresholds.ts (TRACE_THRESHOLDS).
 *
 * - scheduler-latency: goroutines queue for a P (mean runnable goroutines per P) and wait long (p99 of every
 *   runnable → running interval);
 * - stw-pause: a stop-the-world pause not caused by starting or stopping the trace;
 * - gc-assist-share: goroutines spend a large share of their running time in GC mark assist;
 * - blocking-hotspot: channel/select/sync/network blocking concentrated at one call site.
 */
import type { TraceAnalysis } from '../traceAnalysis';
import { TRACE_THRESHOLDS as T } from './thresholds';
import type { Finding, Severity, TimeWindow } from './types';

export interface TraceFindingOptions {
  /** Unix ms of trace time 0, to state windows in dashboard time; without it windows are omitted. */
  startMs?: number;
}

/** The q-quantile (nearest rank) of unsorted values. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) {
    return 0;
  }
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

function window(options: TraceFindingOptions, startNs: number, endNs: number): TimeWindow | undefined {
  if (options.startMs === undefined) {
    return undefined;
  }
  return { from: options.startMs + startNs / 1e6, to: options.startMs + Math.max(endNs, startNs + 1) / 1e6 };
}

const ms = (ns: number) => `${(ns / 1e6).toFixed(ns < 1e7 ? 2 : 0)} ms`;
const us = (ns: number) => (ns < 1e6 ? `${Math.round(ns / 1e3)} µs` : ms(ns));

function schedulerLatency(a: TraceAnalysis, o: TraceFindingOptions): Finding | undefined {
  const procs = Math.max(1, a.procs.length);
  const runnable = a.groups.reduce((s, g) => s + g.runnable, 0);
  const perProc = a.end > 0 ? runnable / a.end / procs : 0;
  const p99 = quantile(a.schedWaits, 0.99);
  if (perProc < T.runnablePerProc.value || p99 < T.schedP99Ns.value) {
    return undefined;
  }
  const worst = a.groups.slice().sort((x, y) => y.runnable - x.runnable)[0];
  const severity: Severity = p99 >= T.schedP99CriticalNs.value ? 'critical' : 'warning';
  return {
    id: 'scheduler-latency',
    layer: 2,
    severity,
    title: 'Scheduler latency: goroutines wait for a P',
    summary:
      `p99 of runnable → running waits is ${us(p99)} (${a.schedWaits.length} waits); on average ` +
      `${perProc.toFixed(1)} goroutines per P were runnable but not running` +
      (worst ? `, most of that time in ${worst.name} (${ms(worst.runnable)} runnable).` : '.'),
    evidence: {
      numbers: [
        { label: 'p99 runnable → running', value: p99, unit: 'ns' },
        { label: 'p50 runnable → running', value: quantile(a.schedWaits, 0.5), unit: 'ns' },
        { label: 'runnable goroutines per P (mean)', value: perProc, unit: 'short' },
        { label: 'GOMAXPROCS (Ps seen)', value: procs, unit: 'short' },
      ],
      stacks: a.profiles.sched
        .slice()
        .sort((x, y) => y.time - x.time)
        .slice(0, 3)
        .map((r) => r.funcs.slice(0, 16)),
    },
    window: window(o, 0, a.end),
    nextStep:
      'More runnable goroutines than Ps: bound the concurrency (worker pool, semaphore) of the group named, or ' +
      'give the process more CPU (GOMAXPROCS, CPU limit). The sched latency flame graph shows who makes them runnable.',
  };
}

function stwPause(a: TraceAnalysis, o: TraceFindingOptions): Finding | undefined {
  const pauses = a.stw.filter((s) => !/trace/.test(s.reason));
  const longest = pauses.reduce<(typeof pauses)[number] | undefined>(
    (m, s) => (!m || s.end - s.start > m.end - m.start ? s : m),
    undefined
  );
  if (!longest || longest.end - longest.start < T.stwPauseNs.value) {
    return undefined;
  }
  const d = longest.end - longest.start;
  const total = pauses.reduce((s, p) => s + p.end - p.start, 0);
  return {
    id: 'stw-pause',
    layer: 3,
    severity: d >= T.stwPauseCriticalNs.value ? 'critical' : 'warning',
    title: 'Long stop-the-world pause',
    summary: `The world stopped for ${ms(d)} (${longest.reason}); ${pauses.length} pauses took ${ms(total)} in all.`,
    evidence: {
      numbers: [
        { label: 'longest pause', value: d, unit: 'ns' },
        { label: 'pauses', value: pauses.length, unit: 'short' },
        { label: 'total paused', value: total, unit: 'ns' },
      ],
    },
    window: window(o, longest.start, longest.end),
    nextStep:
      'GC pauses grow with the number of goroutines and stacks to scan and with huge pointer-rich objects; ' +
      'check the heap profile and goroutine count at that time.',
  };
}

function gcAssistShare(a: TraceAnalysis, o: TraceFindingOptions): Finding | undefined {
  const running = a.groups.reduce((s, g) => s + g.running, 0);
  const assist = a.groups.reduce((s, g) => s + g.gcAssist, 0);
  const share = running > 0 ? assist / running : 0;
  if (share < T.gcAssistShare.value) {
    return undefined;
  }
  const top = a.groups.slice().sort((x, y) => y.gcAssist - x.gcAssist)[0];
  return {
    id: 'gc-assist-share',
    layer: 3,
    severity: 'warning',
    title: 'Goroutines pay for GC in mark assist',
    summary:
      `${(share * 100).toFixed(0)}% of goroutine running time was GC mark assist (${ms(assist)} of ${ms(running)})` +
      (top ? `, most in ${top.name} (${ms(top.gcAssist)}).` : '.'),
    evidence: {
      numbers: [
        { label: 'mark assist share of running time', value: share, unit: 'percentunit' },
        { label: 'mark assist', value: assist, unit: 'ns' },
        { label: 'GC cycles in the trace', value: a.gc.length, unit: 'short' },
      ],
    },
    window: window(o, 0, a.end),
    nextStep:
      'Allocate less in the group named (see the allocs profile), or raise GOGC / GOMEMLIMIT so marking starts ' +
      'earlier and background workers keep up.',
  };
}

/** Stacks of the profile handler that captured the trace block in its sleep by design. */
const CAPTURE_FRAME = /^net\/http\/pprof\.|^runtime\/trace\.|^runtime\.traceStartReadCPU/;

function blockingHotspot(a: TraceAnalysis, o: TraceFindingOptions): Finding | undefined {
  const records = [...a.profiles.sync, ...a.profiles.net].filter((r) => !r.funcs.some((f) => CAPTURE_FRAME.test(f)));
  const total = records.reduce((s, r) => s + r.time, 0);
  const top = records.reduce<(typeof records)[number] | undefined>(
    (m, r) => (!m || r.time > m.time ? r : m),
    undefined
  );
  if (!top || total === 0 || a.end === 0) {
    return undefined;
  }
  const share = top.time / total;
  const blockedGoroutines = top.time / a.end;
  if (share < T.blockingSiteShare.value || blockedGoroutines < T.blockingSiteGoroutines.value) {
    return undefined;
  }
  const site = top.funcs.find((f) => !f.startsWith('runtime.') && !f.startsWith('sync.')) ?? top.funcs[0] ?? '?';
  return {
    id: 'blocking-hotspot',
    layer: 2,
    severity: 'warning',
    title: 'Blocking dominated by one call site',
    summary:
      `${(share * 100).toFixed(0)}% of channel, sync and network blocking (${ms(top.time)} in ${top.count} waits) ` +
      `happened at ${top.funcs[0] ?? '?'} under ${site}: ${blockedGoroutines.toFixed(1)} goroutines waiting there on average.`,
    evidence: {
      numbers: [
        { label: 'share of blocking time', value: share, unit: 'percentunit' },
        { label: 'blocked at the site', value: top.time, unit: 'ns' },
        { label: 'waits', value: top.count, unit: 'short' },
      ],
      stacks: [top.funcs.slice(0, 16)],
    },
    window: window(o, 0, a.end),
    nextStep:
      'Shorten the critical section or channel hand-off at that site, shard the lock, or use a buffered channel; ' +
      'the sync blocking flame graph shows the callers.',
  };
}

/** Every trace finding that fires, most severe first. */
export function traceFindings(a: TraceAnalysis, options: TraceFindingOptions = {}): Finding[] {
  const rank: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };
  return [schedulerLatency, stwPause, gcAssistShare, blockingHotspot]
    .map((rule) => rule(a, options))
    .filter((f): f is Finding => f !== undefined)
    .sort((x, y) => rank[x.severity] - rank[y.severity]);
}

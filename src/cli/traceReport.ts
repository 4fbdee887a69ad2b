/**
 * `goprof analyze trace.out`: an execution trace's goroutine groups, latency profiles and findings, as text or JSON.
 */
import {
  analyzeTrace,
  type Finding,
  LATENCY_PROFILES,
  type LatencyProfileName,
  quantile,
  type TraceAnalysis,
  traceFindings,
} from '../core';

/** True when the bytes start like a Go execution trace (`go 1.NN trace`). */
export function looksLikeTrace(bytes: Uint8Array): boolean {
  return new TextDecoder().decode(bytes.subarray(0, 16)).startsWith('go 1.') && bytes.length >= 16 && bytes[13] === 0;
}

export interface TraceReport {
  version: 1;
  kind: 'trace';
  source: string;
  goVersion: string;
  durationNs: number;
  events: number;
  generations: number;
  cpuSamples: number;
  goroutines: number;
  gc: { cycles: number; markNs: number };
  stw: { pauses: number; totalNs: number; longestNs: number };
  schedLatency: { waits: number; p50Ns: number; p99Ns: number; maxNs: number };
  groups: Array<{
    name: string;
    count: number;
    runningNs: number;
    runnableNs: number;
    syscallNs: number;
    blockedNs: number;
    gcAssistNs: number;
    blockedByReason: Record<string, number>;
  }>;
  latencyProfiles: Record<
    LatencyProfileName,
    { totalNs: number; waits: number; top: Array<{ stack: string[]; count: number; timeNs: number }> }
  >;
  findings: Finding[];
}

export function buildTraceReport(bytes: Uint8Array, source: string, top = 10): TraceReport {
  const a: TraceAnalysis = analyzeTrace(bytes, { source });
  const latencyProfiles = {} as TraceReport['latencyProfiles'];
  for (const name of LATENCY_PROFILES) {
    const records = a.profiles[name].slice().sort((x, y) => y.time - x.time);
    latencyProfiles[name] = {
      totalNs: records.reduce((s, r) => s + r.time, 0),
      waits: records.reduce((s, r) => s + r.count, 0),
      top: records.slice(0, top).map((r) => ({ stack: r.funcs, count: r.count, timeNs: r.time })),
    };
  }
  const stwNs = a.stw.map((s) => s.end - s.start);
  return {
    version: 1,
    kind: 'trace',
    source,
    goVersion: `go1.${a.version}+`,
    durationNs: a.end,
    events: a.events,
    generations: a.generations,
    cpuSamples: a.cpuSamples,
    goroutines: a.goroutineCount,
    gc: { cycles: a.gc.length, markNs: a.gc.reduce((s, g) => s + g.end - g.start, 0) },
    stw: { pauses: a.stw.length, totalNs: stwNs.reduce((s, d) => s + d, 0), longestNs: Math.max(0, ...stwNs) },
    schedLatency: {
      waits: a.schedWaits.length,
      p50Ns: quantile(a.schedWaits, 0.5),
      p99Ns: quantile(a.schedWaits, 0.99),
      maxNs: quantile(a.schedWaits, 1),
    },
    groups: a.groups.slice(0, top).map((g) => ({
      name: g.name,
      count: g.count,
      runningNs: g.running,
      runnableNs: g.runnable,
      syscallNs: g.syscall,
      blockedNs: g.blocked,
      gcAssistNs: g.gcAssist,
      blockedByReason: g.waiting,
    })),
    latencyProfiles,
    findings: traceFindings(a),
  };
}

const ms = (ns: number) => `${(ns / 1e6).toFixed(2)} ms`;
const us = (ns: number) => `${(ns / 1e3).toFixed(0)} µs`;

export function formatTraceReport(r: TraceReport): string {
  const lines: string[] = [];
  lines.push(`${r.source}: Go execution trace (format ${r.goVersion}), ${ms(r.durationNs)}, ${r.events} events`);
  lines.push(
    `  ${r.generations} generations, ${r.goroutines} goroutines, ${r.cpuSamples} CPU samples, ${r.gc.cycles} GC cycles, ` +
      `${r.stw.pauses} stop-the-world pauses (longest ${us(r.stw.longestNs)})`
  );
  lines.push(
    `  scheduler latency (runnable → running): p50 ${us(r.schedLatency.p50Ns)}, p99 ${us(r.schedLatency.p99Ns)}, ` +
      `max ${us(r.schedLatency.maxNs)} over ${r.schedLatency.waits} waits`
  );
  lines.push('', 'Findings');
  if (r.findings.length === 0) {
    lines.push('  none');
  }
  for (const f of r.findings) {
    lines.push(`  [${f.severity}] ${f.id}: ${f.summary}`, `      next: ${f.nextStep}`);
  }
  lines.push('', 'Goroutine groups (by start function)');
  lines.push('  count    running   runnable    syscall    blocked  gc assist  start function');
  for (const g of r.groups) {
    lines.push(
      `  ${String(g.count).padStart(5)} ${[g.runningNs, g.runnableNs, g.syscallNs, g.blockedNs, g.gcAssistNs]
        .map((v) => ms(v).padStart(10))
        .join(' ')}  ${g.name}`
    );
  }
  for (const name of LATENCY_PROFILES) {
    const p = r.latencyProfiles[name];
    lines.push('', `Latency profile ${name}: ${ms(p.totalNs)} in ${p.waits} waits`);
    for (const rec of p.top.slice(0, 5)) {
      lines.push(
        `  ${ms(rec.timeNs).padStart(10)} ${String(rec.count).padStart(6)}x  ${rec.stack.slice(0, 4).join(' < ') || '(no stack)'}`
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

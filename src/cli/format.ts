/**
 * The human-readable report: a profile summary, the CPU split and the top functions, for terminals and CI logs.
 */
import { FRAME_CLASS_TITLES, FRAME_CLASSES } from '../core';
import { ReportSummary } from './report';

/** A value in its unit: ns as ms/s, bytes as KiB/MiB/GiB, counts as plain numbers. */
export function formatValue(value: number, unit: string): string {
  const abs = Math.abs(value);
  if (unit === 'nanoseconds') {
    if (abs >= 1e9) {
      return `${(value / 1e9).toFixed(2)}s`;
    }
    if (abs >= 1e6) {
      return `${(value / 1e6).toFixed(abs >= 1e7 ? 0 : 1)}ms`;
    }
    if (abs >= 1e3) {
      return `${(value / 1e3).toFixed(1)}µs`;
    }
    return `${value}ns`;
  }
  if (unit === 'bytes') {
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let v = value;
    let i = 0;
    while (Math.abs(v) >= 1024 && i < units.length - 1) {
      v /= 1024;
      i++;
    }
    return i === 0 ? `${v}B` : `${v.toFixed(1)}${units[i]}`;
  }
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}

function percent(part: number, total: number): string {
  return total !== 0 ? `${((100 * part) / total).toFixed(1)}%` : '-';
}

function shorten(name: string, width: number): string {
  return name.length <= width ? name : `…${name.slice(name.length - width + 1)}`;
}

export function formatReport(report: ReportSummary): string {
  const p = report.profile;
  const lines: string[] = [];
  const from = report.url ?? report.source;
  // Goroutine text (a dump, crash output) has no profile: its report is the goroutine section alone, without a
  // header of zero samples and a top table that could never have rows.
  const textOnly = report.goroutines !== undefined && p.samples === 0 && p.locations === 0;
  lines.push(textOnly ? `goroutine text from ${from}` : `${p.kind} profile from ${from}`);
  const duration = p.durationNanos > 0 ? ` over ${formatValue(p.durationNanos, 'nanoseconds')}` : '';
  const time =
    p.timeNanos !== '0' ? ` at ${new Date(Number(BigInt(p.timeNanos) / BigInt(1000000))).toISOString()}` : '';
  if (!textOnly) {
    lines.push(`  ${p.samples} samples, ${p.locations} locations, ${p.functions} functions${duration}${time}`);
  }
  let total = `  total ${p.sampleType}: ${formatValue(p.total, p.unit)}`;
  if (p.kind === 'cpu' && p.durationNanos > 0) {
    total += ` (${(p.total / p.durationNanos).toFixed(2)} cores on average)`;
  }
  // A goroutine report's one total is its goroutine section's (the dump taken with it), printed below.
  if (!report.goroutines) {
    lines.push(total);
  }
  if (p.absoluteTotal !== undefined) {
    lines.push(
      `  a delta profile with negative samples: the total is the net change; go tool pprof's percentages divide by ` +
        `${formatValue(p.absoluteTotal, p.unit)}, the sum of absolute values`
    );
  }
  if (report.cpuSplit) {
    lines.push('', 'CPU split (where CPU goes):');
    const split = report.cpuSplit;
    for (const c of [...FRAME_CLASSES].sort((a, b) => split[b] - split[a])) {
      if (split[c] > 0) {
        const bar = '#'.repeat(Math.round(split[c] * 30));
        lines.push(`  ${(split[c] * 100).toFixed(1).padStart(5)}%  ${FRAME_CLASS_TITLES[c].padEnd(26)} ${bar}`);
      }
    }
  }
  if (report.top.length > 0) {
    lines.push('', `Top ${report.top.length} functions by self ${p.sampleType}:`);
    lines.push(
      `  ${'self'.padStart(10)} ${'self%'.padStart(6)} ${'total'.padStart(10)} ${'total%'.padStart(6)}  function`
    );
    for (const row of report.top) {
      lines.push(
        `  ${formatValue(row.self, p.unit).padStart(10)} ${percent(row.self, p.total).padStart(6)} ${formatValue(row.total, p.unit).padStart(10)} ${percent(row.total, p.total).padStart(6)}  ${shorten(row.function, 90)}`
      );
    }
  } else if (!textOnly) {
    lines.push('', `No samples with a nonzero ${p.sampleType} value.`);
  }
  if (report.goroutines) {
    const g = report.goroutines;
    if (g.cause) {
      lines.push('', `Crash: ${g.cause.message}`);
    }
    for (const note of [...(g.notes ?? []), ...g.warnings]) {
      lines.push(`  note: ${note}`);
    }
    lines.push('', `Goroutines: ${g.total}${g.samples ? ` (latest of ${g.samples} snapshots)` : ''}`);
    const states = Object.entries(g.byState)
      .map(([s, n]) => `${s} ${n}`)
      .join(', ');
    lines.push(`  by state: ${states}`);
    for (const c of g.clusters.slice(0, 5)) {
      const growth = c.growth ? `, ${c.growth.first} -> ${c.growth.last}` : '';
      lines.push(`  ${String(c.count).padStart(6)}  ${c.state.padEnd(14)} ${c.function}${growth}`);
    }
    for (const race of g.races ?? []) {
      lines.push('', 'Data race:');
      for (const access of race.accesses) {
        lines.push(`  ${access.what}`, ...access.frames.slice(0, 5).map((f) => `      ${f.func} ${f.file}:${f.line}`));
      }
    }
    for (const finding of g.findings ?? []) {
      lines.push(
        '',
        `[${finding.severity}] ${finding.title}`,
        `  ${finding.summary}`,
        `  Next step: ${finding.nextStep}`
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

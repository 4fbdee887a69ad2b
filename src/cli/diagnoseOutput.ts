/**
 * How `goprof diagnose` prints findings: by layer for people, and a stable JSON shape for scripts and CI.
 *
 * JSON (`--json`): `{ findings: [{ id, layer, severity, title, summary, evidence, window?, nextStep }], inputs,
 * missing, failures, notes }`, findings sorted by severity (critical, warning, info), then layer. `evidence` is
 * `{ numbers: [{ label, value, unit }], stacks?: string[][] (leaf first), clusters?: [...] }` with Grafana unit ids
 * (`percentunit` is a 0..1 fraction).
 */
import {
  type EvidenceNumber,
  type Finding,
  formatBytes,
  type Layer,
  LAYER_TITLES,
  pct,
  type RuleFailure,
  shortName,
  type TimeWindow,
} from '../core';

export interface DiagnosisOutput {
  target: string;
  window: TimeWindow | undefined;
  findings: Finding[];
  /** What was read, one line each. */
  inputs: string[];
  missing: string[];
  failures: RuleFailure[];
  /** Inputs the rules could not judge, and why (too little CPU in the profile). */
  notes: string[];
  /** The baseline window, when one was diagnosed too. */
  baselineWindow?: TimeWindow;
}

export function diagnosisJson(out: DiagnosisOutput): string {
  return JSON.stringify(
    {
      findings: out.findings.map((f) => ({
        id: f.id,
        layer: f.layer,
        severity: f.severity,
        title: f.title,
        summary: f.summary,
        evidence: f.evidence,
        ...(f.window ? { window: f.window } : {}),
        nextStep: f.nextStep,
      })),
      target: out.target,
      window: out.window ?? null,
      ...(out.baselineWindow ? { baselineWindow: out.baselineWindow } : {}),
      inputs: out.inputs,
      missing: out.missing,
      failures: out.failures,
      notes: out.notes,
    },
    null,
    2
  );
}

export function formatEvidenceNumber(n: EvidenceNumber): string {
  switch (n.unit) {
    case 'percentunit':
      return pct(n.value);
    case 's':
      return `${n.value.toFixed(n.value >= 10 ? 0 : 1)} s`;
    case 'ns':
      return `${(n.value / 1e6).toFixed(1)} ms`;
    case 'bytes':
      return formatBytes(n.value);
    case 'Bps':
      return `${formatBytes(n.value)}/s`;
    default:
      return Number.isInteger(n.value) ? String(n.value) : n.value.toFixed(1);
  }
}

/** `2026-12-06 07:45:39`: a window is printed with its date (a Pyroscope window may be days old or span days). */
function time(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

function wrap(text: string, indent: string, width = 110): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && indent.length + line.length + 1 + word.length > width) {
      lines.push(indent + line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) {
    lines.push(indent + line);
  }
  return lines;
}

/** `github.com/x/y.f /src/y/a.go:51` -> `y.f (a.go:51)`. */
function siteText(site: string): string {
  const space = site.indexOf(' ');
  if (space < 0) {
    return shortName(site);
  }
  const file = site.slice(space + 1);
  return `${shortName(site.slice(0, space))} (${file.slice(file.lastIndexOf('/') + 1)})`;
}

/** True for a frame of the program rather than Go itself: a module path (`github.com/...`) or package main. */
function isProgramFrame(name: string): boolean {
  return name.startsWith('main.') || name.slice(0, Math.max(0, name.indexOf('/'))).includes('.');
}

/** Leaf first; a long stack keeps its leaf end and the program's own frame above it, eliding the middle. */
function stackText(stack: readonly string[]): string {
  const short = stack.map(shortName);
  const own = stack.findIndex(isProgramFrame);
  if (stack.length <= 8 || own < 0 || own < 8) {
    return `${short.slice(0, 8).join(' <- ')}${stack.length > 8 ? ' <- ...' : ''}`;
  }
  const tail = own + 2 < stack.length ? ' <- ...' : '';
  return `${short.slice(0, 4).join(' <- ')} <- ... <- ${short.slice(own, own + 2).join(' <- ')}${tail}`;
}

function findingLines(f: Finding): string[] {
  const pad = '    ';
  const lines = [`  ${f.severity.toUpperCase().padEnd(8)} ${f.id}: ${f.title}`, ...wrap(f.summary, pad)];
  const numbers = f.evidence.numbers.map((n) => `${n.label} ${formatEvidenceNumber(n)}`).join('; ');
  lines.push(...wrap(`Evidence: ${numbers}`, pad));
  for (const stack of f.evidence.stacks?.slice(0, 2) ?? []) {
    lines.push(...wrap(`Stack: ${stackText(stack)}`, pad));
  }
  for (const c of f.evidence.clusters?.slice(0, 3) ?? []) {
    const counts = c.counts ? ` (${c.counts.join(' -> ')})` : '';
    const created = c.creationSite ? `, created at ${siteText(c.creationSite)}` : '';
    const leaked = c.leaked ? `, ${c.leaked} marked leaked` : '';
    lines.push(
      ...wrap(`Goroutines: ${c.count}${counts} x ${shortName(c.function)} [${c.reason}]${created}${leaked}`, pad)
    );
  }
  lines.push(...wrap(`Next step: ${f.nextStep}`, pad));
  return lines;
}

export function diagnosisText(out: DiagnosisOutput): string {
  const lines: string[] = [];
  const span = out.window
    ? ` ${time(out.window.from)}-${time(out.window.to)} UTC (${Math.round((out.window.to - out.window.from) / 1000)} s)`
    : '';
  lines.push(`goprof diagnose ${out.target}${span}`);
  if (out.baselineWindow) {
    lines.push(`Baseline: ${time(out.baselineWindow.from)}-${time(out.baselineWindow.to)} UTC`);
  }
  lines.push(...wrap(`Inputs: ${out.inputs.join('; ') || 'none'}`, ''));
  for (const m of out.missing) {
    lines.push(...wrap(`Not used: ${m}`, ''));
  }
  for (const note of out.notes) {
    lines.push(...wrap(`Not judged: ${note}`, ''));
  }
  for (const layer of [1, 2, 3, 4] as Layer[]) {
    const inLayer = out.findings.filter((f) => f.layer === layer);
    lines.push('', `Layer ${layer}: ${LAYER_TITLES[layer]}`);
    if (inLayer.length === 0) {
      lines.push('  nothing found');
    }
    for (const f of inLayer) {
      lines.push(...findingLines(f));
    }
  }
  for (const failure of out.failures) {
    lines.push(`Rule ${failure.id} failed: ${failure.message}`);
  }
  const count = (s: Finding['severity']) => out.findings.filter((f) => f.severity === s).length;
  lines.push(
    '',
    `${out.findings.length} finding${out.findings.length === 1 ? '' : 's'}: ${count('critical')} critical, ` +
      `${count('warning')} warning, ${count('info')} info.`
  );
  return lines.join('\n');
}

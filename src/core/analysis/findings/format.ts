/**
 * Text and evidence helpers shared by the rules: how shares, names and baseline changes read in a finding.
 */
import type { ProfileSetView } from './context';
import type { CallerShare } from './cpuStacks';
import { pct, shortName } from '../textFormat';
import { THRESHOLDS } from './thresholds';
import type { EvidenceNumber, EvidenceUnit, Severity } from './types';

// The rules read shares and names the way every output does (the CLI's text too): one definition, in textFormat.ts.
export { pct, shortName };

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function num(label: string, value: number, unit: EvidenceUnit): EvidenceNumber {
  return { label, value, unit };
}

/** `critical` at or above `critical`, `warning` at or above `fires`, else undefined (no finding). */
export function severityOf(value: number, fires: number, critical: number): Severity | undefined {
  if (value >= critical) {
    return 'critical';
  }
  return value >= fires ? 'warning' : undefined;
}

export function worse(a: Severity, b: Severity | undefined): Severity {
  if (b === 'critical' || a === 'critical') {
    return 'critical';
  }
  return b === 'warning' || a === 'warning' ? 'warning' : 'info';
}

/** Evidence numbers and stacks for the heaviest callers of a share. */
export function callerEvidence(
  callers: readonly CallerShare[],
  what: string,
  limit = 3
): { numbers: EvidenceNumber[]; stacks: string[][] } {
  const top = callers.slice(0, limit);
  return {
    numbers: top.map((c) => num(`${what} under ${shortName(c.caller)}`, c.share, 'percentunit')),
    stacks: top.slice(0, 2).map((c) => c.stack),
  };
}

export interface BaselineComparison {
  /** A sentence for the summary, '' without a baseline. */
  text: string;
  numbers: EvidenceNumber[];
}

/**
 * How a share compares with the baseline window: "GC share rose from 4% to 31% against the baseline", or that it was
 * already that high (the problem is not new in this window), or that it fell. `baseline` is the baseline's view,
 * for the notes "no CPU profile" and "little CPU".
 */
export function compareShare(
  label: string,
  now: number,
  before: number | undefined,
  baseline: ProfileSetView | undefined
): BaselineComparison {
  if (!baseline) {
    return { text: '', numbers: [] };
  }
  if (before === undefined) {
    return { text: baseline.profiles.cpu ? 'The baseline has no CPU samples to compare with.' : '', numbers: [] };
  }
  const numbers = [num(`${label} in the baseline`, before, 'percentunit')];
  const change = now - before;
  let text: string;
  const { baselineChangeMin, baselineChangeRatio } = THRESHOLDS;
  if (change >= baselineChangeMin.value && now >= before * baselineChangeRatio.value) {
    text = `${capitalise(label)} rose from ${pct(before)} to ${pct(now)} against the baseline.`;
  } else if (change <= -baselineChangeMin.value && now <= before / baselineChangeRatio.value) {
    text = `${capitalise(label)} fell from ${pct(before)} in the baseline to ${pct(now)}.`;
  } else {
    text = `${capitalise(label)} was already ${pct(before)} in the baseline: not new in this window.`;
  }
  if (baseline.thinCpu) {
    const seconds = baseline.cpuUse?.seconds ?? 0;
    text += ` (The baseline holds only ${seconds.toFixed(2)} s of CPU.)`;
  }
  return { text, numbers };
}

/** The same for counts ("goroutines in the cluster rose from 12 to 480"). */
export function compareCount(label: string, now: number, before: number | undefined): BaselineComparison {
  if (before === undefined) {
    return { text: '', numbers: [] };
  }
  const numbers = [num(`${label} in the baseline`, before, 'short')];
  const text =
    now > before
      ? `${capitalise(label)} rose from ${before} in the baseline to ${now}.`
      : now < before
        ? `${capitalise(label)} fell from ${before} in the baseline to ${now}.`
        : `${capitalise(label)} was already ${before} in the baseline.`;
  return { text, numbers };
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Joins sentences, skipping empty ones. */
export function sentences(...parts: Array<string | undefined | false>): string {
  return parts.filter((p): p is string => typeof p === 'string' && p.length > 0).join(' ');
}

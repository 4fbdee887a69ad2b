/**
 * Findings as the data source sends them (src/frames/findings.ts): one row per finding, the structured findings
 * (with their evidence) in `meta.custom.findings`, and plain columns (`time`, `timeEnd`, `severity`, `title`, `text`,
 * `evidence` as JSON) that are read when the structured copy is missing (a frame that went through a transform).
 */
import type { DataFrame } from '@grafana/data';

import type { Evidence, Severity } from '../../core/analysis/findings/types';
import type { TimeWindow } from '../types';

export interface PanelFinding {
  id: string;
  layer: number;
  severity: Severity;
  title: string;
  summary: string;
  nextStep: string;
  window: TimeWindow;
  evidence: Evidence;
}

export function isFindingsFrame(frame: DataFrame): boolean {
  return frame.name === 'findings' || Array.isArray((frame.meta?.custom as { findings?: unknown })?.findings);
}

const SEVERITIES: readonly Severity[] = ['critical', 'warning', 'info'];

function severityOf(value: unknown): Severity {
  return SEVERITIES.includes(value as Severity) ? (value as Severity) : 'info';
}

function evidenceOf(value: unknown): Evidence {
  let v = value;
  if (typeof v === 'string') {
    try {
      v = JSON.parse(v);
    } catch {
      v = undefined;
    }
  }
  const e = (v ?? {}) as Partial<Evidence>;
  return {
    numbers: Array.isArray(e.numbers) ? e.numbers : [],
    stacks: Array.isArray(e.stacks) ? e.stacks : undefined,
    clusters: Array.isArray(e.clusters) ? e.clusters : undefined,
  };
}

export function readFindings(frame: DataFrame): PanelFinding[] {
  const structured = (frame.meta?.custom as { findings?: unknown[] } | undefined)?.findings;
  if (Array.isArray(structured)) {
    return structured.map((raw) => {
      const f = raw as Record<string, unknown>;
      return {
        id: String(f.id ?? ''),
        layer: Number(f.layer) || 0,
        severity: severityOf(f.severity),
        title: String(f.title ?? ''),
        summary: String(f.summary ?? ''),
        nextStep: String(f.nextStep ?? ''),
        window: { from: Number(f.from), to: Number(f.to) },
        evidence: evidenceOf(f.evidence),
      };
    });
  }
  const col = (name: string) => (frame.fields.find((f) => f.name === name)?.values ?? []) as ArrayLike<unknown>;
  const [time, timeEnd, severity, layer, id, title, text, evidence] = [
    'time',
    'timeEnd',
    'severity',
    'layer',
    'id',
    'title',
    'text',
    'evidence',
  ].map(col);
  return Array.from({ length: frame.length }, (_, i) => {
    const [summary, nextStep = ''] = String(text[i] ?? '').split('\nNext step: ');
    return {
      id: String(id[i] ?? ''),
      layer: Number(layer[i]) || 0,
      severity: severityOf(severity[i]),
      title: String(title[i] ?? ''),
      summary,
      nextStep,
      window: { from: Number(time[i]), to: Number(timeEnd[i]) },
      evidence: evidenceOf(evidence[i]),
    };
  });
}

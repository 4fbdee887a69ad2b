/**
 * Findings as the data source sends them, read through src/frames/findings.ts (`fromFindingsFrame`) and typed for
 * the panel: an unknown severity reads as `info`, evidence that is not an object as empty evidence.
 */
import type { DataFrame } from '@grafana/data';

import type { Evidence, Severity } from '../../core';
import { fromFindingsFrame, isFindingsFrame } from '../../frames';
import type { TimeWindow } from '../types';

export { isFindingsFrame };

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

const SEVERITIES: readonly Severity[] = ['critical', 'warning', 'info'];

function severityOf(value: unknown): Severity {
  return SEVERITIES.includes(value as Severity) ? (value as Severity) : 'info';
}

function evidenceOf(value: unknown): Evidence {
  const e = (value ?? {}) as Partial<Evidence>;
  return {
    numbers: Array.isArray(e.numbers) ? e.numbers : [],
    stacks: Array.isArray(e.stacks) ? e.stacks : undefined,
    clusters: Array.isArray(e.clusters) ? e.clusters : undefined,
  };
}

export function readFindings(frame: DataFrame): PanelFinding[] {
  return fromFindingsFrame(frame).map((f) => ({
    id: f.id,
    layer: f.layer,
    severity: severityOf(f.severity),
    title: f.title,
    summary: f.summary,
    nextStep: f.nextStep,
    window: { from: f.from, to: f.to },
    evidence: evidenceOf(f.evidence),
  }));
}

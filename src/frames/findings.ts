/**
 * Findings as a table frame: one row per finding, ordered by severity, with its window as `time`/`timeEnd` so the
 * same frame also reads as dashboard annotations (Grafana maps `time`, `timeEnd`, `title`, `text`, `tags` fields of
 * annotation query results to events). The structured findings ride along in `meta.custom.findings` for the panel.
 */
import { DataFrame, FieldType, createDataFrame } from '@grafana/data';

export interface FindingRow {
  id: string;
  layer: number;
  severity: string;
  title: string;
  summary: string;
  nextStep: string;
  from: number;
  to: number;
  evidence: unknown;
}

export function findingsFrame(
  rows: readonly FindingRow[],
  options: { refId?: string; custom?: Record<string, unknown> } = {}
): DataFrame {
  const col = <K extends keyof FindingRow>(k: K) => rows.map((r) => r[k]);
  return createDataFrame({
    name: 'findings',
    refId: options.refId,
    meta: { preferredVisualisationType: 'table', custom: { ...options.custom, findings: rows } },
    fields: [
      { name: 'time', type: FieldType.time, values: col('from') },
      { name: 'timeEnd', type: FieldType.time, values: col('to') },
      { name: 'severity', type: FieldType.string, values: col('severity') },
      { name: 'layer', type: FieldType.number, values: col('layer') },
      { name: 'id', type: FieldType.string, values: col('id') },
      { name: 'title', type: FieldType.string, values: col('title') },
      { name: 'text', type: FieldType.string, values: rows.map((r) => `${r.summary}\nNext step: ${r.nextStep}`) },
      {
        name: 'tags',
        type: FieldType.other,
        values: rows.map((r) => ['go-runtime', r.id, r.severity, `layer-${r.layer}`]),
      },
      { name: 'evidence', type: FieldType.string, values: rows.map((r) => JSON.stringify(r.evidence)) },
    ],
  });
}

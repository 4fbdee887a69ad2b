/**
 * Findings as a table frame: one row per finding, ordered by severity, with its window as `time`/`timeEnd` so the
 * same frame also reads as dashboard annotations (Grafana maps `time`, `timeEnd`, `title`, `text`, `tags` fields of
 * annotation query results to events). The summary and the next step have columns of their own; `text` joins them
 * for annotations and is hidden in tables. The structured findings ride along in `meta.custom.findings`.
 * `toFindingsFrame` writes the frame and `fromFindingsFrame` reads it back, from the structured copy or, when a
 * transform dropped it, from the columns.
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

export const FINDING_FIELDS = {
  from: 'time',
  to: 'timeEnd',
  severity: 'severity',
  layer: 'layer',
  id: 'id',
  title: 'title',
  summary: 'summary',
  nextStep: 'next step',
  /** Summary and next step in one text, the annotation's body. */
  text: 'text',
  tags: 'tags',
  /** The evidence as JSON. */
  evidence: 'evidence',
} as const;

/** The annotation text of a finding. */
export function findingText(row: Pick<FindingRow, 'summary' | 'nextStep'>): string {
  return row.nextStep ? `${row.summary}\nNext step: ${row.nextStep}` : row.summary;
}

export function toFindingsFrame(
  rows: readonly FindingRow[],
  options: { refId?: string; custom?: Record<string, unknown> } = {}
): DataFrame {
  const col = <K extends keyof FindingRow>(k: K) => rows.map((r) => r[k]);
  const F = FINDING_FIELDS;
  return createDataFrame({
    name: 'findings',
    refId: options.refId,
    meta: { preferredVisualisationType: 'table', custom: { ...options.custom, findings: rows } },
    fields: [
      { name: F.from, type: FieldType.time, values: col('from') },
      { name: F.to, type: FieldType.time, values: col('to') },
      { name: F.severity, type: FieldType.string, values: col('severity') },
      { name: F.layer, type: FieldType.number, values: col('layer') },
      { name: F.id, type: FieldType.string, values: col('id') },
      { name: F.title, type: FieldType.string, values: col('title') },
      { name: F.summary, type: FieldType.string, values: col('summary') },
      { name: F.nextStep, type: FieldType.string, values: col('nextStep') },
      {
        name: F.text,
        type: FieldType.string,
        values: rows.map(findingText),
        // Hidden in Grafana's table (TableNG reads hideFrom.viz, the older table `hidden`): it repeats two columns.
        config: { custom: { hidden: true, hideFrom: { viz: true, legend: false, tooltip: false } } },
      },
      {
        name: F.tags,
        type: FieldType.other,
        values: rows.map((r) => ['go-runtime', r.id, r.severity, `layer-${r.layer}`]),
      },
      { name: F.evidence, type: FieldType.string, values: rows.map((r) => JSON.stringify(r.evidence)) },
    ],
  });
}

export function isFindingsFrame(frame: DataFrame): boolean {
  return frame.name === 'findings' || Array.isArray((frame.meta?.custom as { findings?: unknown })?.findings);
}

/**
 * The rows of a findings frame, as written. Values are not validated here (the reader decides what an unknown
 * severity means); `evidence` is parsed back from JSON when it comes from the column (undefined when not JSON).
 */
export function fromFindingsFrame(frame: DataFrame): FindingRow[] {
  const structured = (frame.meta?.custom as { findings?: unknown[] } | undefined)?.findings;
  if (Array.isArray(structured)) {
    return structured.map((raw) => {
      const f = raw as Record<string, unknown>;
      return {
        id: String(f.id ?? ''),
        layer: Number(f.layer) || 0,
        severity: String(f.severity ?? ''),
        title: String(f.title ?? ''),
        summary: String(f.summary ?? ''),
        nextStep: String(f.nextStep ?? ''),
        from: Number(f.from),
        to: Number(f.to),
        evidence: f.evidence,
      };
    });
  }
  const col = (name: string) => (frame.fields.find((f) => f.name === name)?.values ?? []) as ArrayLike<unknown>;
  const F = FINDING_FIELDS;
  const [from, to, severity, layer, id, title, summary, nextStep, evidence] = [
    F.from,
    F.to,
    F.severity,
    F.layer,
    F.id,
    F.title,
    F.summary,
    F.nextStep,
    F.evidence,
  ].map(col);
  return Array.from({ length: frame.length }, (_, i) => ({
    id: String(id[i] ?? ''),
    layer: Number(layer[i]) || 0,
    severity: String(severity[i] ?? ''),
    title: String(title[i] ?? ''),
    summary: String(summary[i] ?? ''),
    nextStep: String(nextStep[i] ?? ''),
    from: Number(from[i]),
    to: Number(to[i]),
    evidence: parseJson(evidence[i]),
  }));
}

function parseJson(value: unknown): unknown {
  if (typeof value !== 'string') {
    return value;
  }
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

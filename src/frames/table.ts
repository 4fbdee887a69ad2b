/**
 * Table frames for the top functions and goroutine clusters: plain columns with units, so Grafana's Table panel
 * formats values and percentages without configuration.
 */
import { DataFrame, FieldType, createDataFrame } from '@grafana/data';

export interface TopRow {
  name: string;
  flat: number;
  cum: number;
}

export function topTableFrame(
  rows: readonly TopRow[],
  total: number,
  unit: string,
  options: { refId?: string; custom?: Record<string, unknown> } = {}
): DataFrame {
  const pct = (v: number) => (total > 0 ? v / total : 0);
  return createDataFrame({
    name: 'top',
    refId: options.refId,
    meta: { preferredVisualisationType: 'table', custom: options.custom },
    fields: [
      { name: 'Function', type: FieldType.string, values: rows.map((r) => r.name) },
      { name: 'Self', type: FieldType.number, values: rows.map((r) => r.flat), config: { unit } },
      {
        name: 'Self %',
        type: FieldType.number,
        values: rows.map((r) => pct(r.flat)),
        config: { unit: 'percentunit', decimals: 1 },
      },
      { name: 'Total', type: FieldType.number, values: rows.map((r) => r.cum), config: { unit } },
      {
        name: 'Total %',
        type: FieldType.number,
        values: rows.map((r) => pct(r.cum)),
        config: { unit: 'percentunit', decimals: 1 },
      },
    ],
  });
}

export interface ClusterRow {
  count: number;
  state: string;
  reason: string;
  function: string;
  createdBy: string;
  creationSite: string;
  waitMinutesMin: number;
  waitMinutesMax: number;
  leaked: number;
  /** Goroutines per minute over the window (null without several snapshots). */
  growthPerMinute: number | null;
}

export function clusterTableFrame(
  rows: readonly ClusterRow[],
  options: { refId?: string; custom?: Record<string, unknown> } = {}
): DataFrame {
  const col = <K extends keyof ClusterRow>(k: K) => rows.map((r) => r[k]);
  return createDataFrame({
    name: 'goroutine clusters',
    refId: options.refId,
    meta: { preferredVisualisationType: 'table', custom: options.custom },
    fields: [
      { name: 'Goroutines', type: FieldType.number, values: col('count'), config: { unit: 'short' } },
      { name: 'State', type: FieldType.string, values: col('state') },
      { name: 'Reason', type: FieldType.string, values: col('reason') },
      { name: 'Function', type: FieldType.string, values: col('function') },
      { name: 'Created by', type: FieldType.string, values: col('createdBy') },
      { name: 'Creation site', type: FieldType.string, values: col('creationSite') },
      { name: 'Wait min', type: FieldType.number, values: col('waitMinutesMin'), config: { unit: 'm' } },
      { name: 'Wait max', type: FieldType.number, values: col('waitMinutesMax'), config: { unit: 'm' } },
      { name: 'Leaked', type: FieldType.number, values: col('leaked'), config: { unit: 'short' } },
      {
        name: 'Growth /min',
        type: FieldType.number,
        values: col('growthPerMinute'),
        config: { unit: 'short', decimals: 2 },
      },
    ],
  });
}

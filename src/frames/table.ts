/**
 * Table frames for the top functions and goroutine clusters: plain columns with units, so Grafana's Table panel
 * formats values and percentages without configuration. Each table has its writer (`toXFrame`), its reader
 * (`fromXFrame`, the inverse) and its field names here, so the data source and the panel share one contract.
 */
import { DataFrame, FieldType, createDataFrame } from '@grafana/data';

import { GOROUTINE_STATE_LABELS, type GoroutineCluster } from '../core';

type FrameOptions = { refId?: string; custom?: Record<string, unknown> };

/** A frame's column by name (empty when absent: a reader of a transformed frame sees defaults). */
function column(frame: DataFrame, name: string): ArrayLike<unknown> {
  return (frame.fields.find((f) => f.name === name)?.values ?? []) as ArrayLike<unknown>;
}

export interface TopRow {
  name: string;
  flat: number;
  cum: number;
}

export const TOP_FIELDS = {
  name: 'Function',
  flat: 'Self',
  flatShare: 'Self %',
  cum: 'Total',
  cumShare: 'Total %',
} as const;

export function toTopFrame(
  rows: readonly TopRow[],
  total: number,
  unit: string,
  options: FrameOptions = {}
): DataFrame {
  const pct = (v: number) => (total > 0 ? v / total : 0);
  return createDataFrame({
    name: 'top',
    refId: options.refId,
    meta: { preferredVisualisationType: 'table', custom: options.custom },
    fields: [
      { name: TOP_FIELDS.name, type: FieldType.string, values: rows.map((r) => r.name) },
      { name: TOP_FIELDS.flat, type: FieldType.number, values: rows.map((r) => r.flat), config: { unit } },
      {
        name: TOP_FIELDS.flatShare,
        type: FieldType.number,
        values: rows.map((r) => pct(r.flat)),
        config: { unit: 'percentunit', decimals: 1 },
      },
      { name: TOP_FIELDS.cum, type: FieldType.number, values: rows.map((r) => r.cum), config: { unit } },
      {
        name: TOP_FIELDS.cumShare,
        type: FieldType.number,
        values: rows.map((r) => pct(r.cum)),
        config: { unit: 'percentunit', decimals: 1 },
      },
    ],
  });
}

/** The rows and value unit of a top table. */
export function fromTopFrame(frame: DataFrame): { rows: TopRow[]; unit: string | undefined } {
  const [name, flat, cum] = [TOP_FIELDS.name, TOP_FIELDS.flat, TOP_FIELDS.cum].map((n) => column(frame, n));
  const rows = Array.from({ length: frame.length }, (_, i) => ({
    name: String(name[i] ?? ''),
    flat: Number(flat[i]) || 0,
    cum: Number(cum[i]) || 0,
  }));
  return { rows, unit: frame.fields.find((f) => f.name === TOP_FIELDS.flat)?.config?.unit };
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

/**
 * The row of one goroutine cluster; `scale` turns summed counts into per-snapshot averages (Pyroscope windows hold
 * several snapshots), `growthPerMinute` comes from the cluster's counts over time when there are several.
 */
export function clusterRow(c: GoroutineCluster, scale = 1, growthPerMinute: number | null = null): ClusterRow {
  return {
    count: Math.round(c.count * scale * 100) / 100,
    state: GOROUTINE_STATE_LABELS[c.state],
    reason: c.reason,
    function: c.function,
    createdBy: c.createdBy ?? '',
    creationSite: c.creationSite,
    waitMinutesMin: c.waitMinutes.min,
    waitMinutesMax: c.waitMinutes.max,
    leaked: c.leaked,
    growthPerMinute,
  };
}

/** Column name of each ClusterRow property. */
export const CLUSTER_FIELDS: { readonly [K in keyof ClusterRow]: string } = {
  count: 'Goroutines',
  state: 'State',
  reason: 'Reason',
  function: 'Function',
  createdBy: 'Created by',
  creationSite: 'Creation site',
  waitMinutesMin: 'Wait min',
  waitMinutesMax: 'Wait max',
  leaked: 'Leaked',
  growthPerMinute: 'Growth /min',
};

/** Per-bucket clusters tables (Pyroscope heatmap buckets) start with this time field: each row's bucket end. */
export const CLUSTER_BUCKET_FIELD = 'Bucket end';

/**
 * A clusters table; with `bucketEnds` (one per row) it holds the clusters of several time buckets, each row
 * stamped with its bucket's end and `meta.custom.bucketMs` giving the width.
 */
export function toClustersFrame(
  rows: readonly ClusterRow[],
  options: FrameOptions & { bucketEnds?: readonly number[] } = {}
): DataFrame {
  const col = <K extends keyof ClusterRow>(k: K) => rows.map((r) => r[k]);
  const number = (k: keyof ClusterRow, unit: string) => ({
    name: CLUSTER_FIELDS[k],
    type: FieldType.number,
    values: col(k),
    config: { unit },
  });
  const string = (k: keyof ClusterRow) => ({ name: CLUSTER_FIELDS[k], type: FieldType.string, values: col(k) });
  return createDataFrame({
    name: 'goroutine clusters',
    refId: options.refId,
    meta: { preferredVisualisationType: 'table', custom: options.custom },
    fields: [
      ...(options.bucketEnds
        ? [{ name: CLUSTER_BUCKET_FIELD, type: FieldType.time, values: [...options.bucketEnds] }]
        : []),
      number('count', 'short'),
      string('state'),
      string('reason'),
      string('function'),
      string('createdBy'),
      string('creationSite'),
      number('waitMinutesMin', 'm'),
      number('waitMinutesMax', 'm'),
      number('leaked', 'short'),
      { ...number('growthPerMinute', 'short'), config: { unit: 'short', decimals: 2 } },
    ],
  });
}

export function isClustersFrame(frame: DataFrame): boolean {
  const names = new Set(frame.fields.map((f) => f.name));
  return [CLUSTER_FIELDS.count, CLUSTER_FIELDS.state, CLUSTER_FIELDS.function].every((n) => names.has(n));
}

/** Each row's bucket end in a per-bucket clusters table, undefined for a table of one moment or window. */
export function clusterBucketEnds(frame: DataFrame): number[] | undefined {
  const field = frame.fields.find((f) => f.name === CLUSTER_BUCKET_FIELD);
  return field ? Array.from(field.values, Number) : undefined;
}

/** The rows of a clusters table; a column a transform removed reads as its default (0, '' or null). */
export function fromClustersFrame(frame: DataFrame): ClusterRow[] {
  const text = (k: keyof ClusterRow) => Array.from(column(frame, CLUSTER_FIELDS[k]), (v) => String(v ?? ''));
  const number = (k: keyof ClusterRow) => Array.from(column(frame, CLUSTER_FIELDS[k]), (v) => Number(v) || 0);
  const [count, waitMin, waitMax, leaked] = (['count', 'waitMinutesMin', 'waitMinutesMax', 'leaked'] as const).map(
    number
  );
  const [state, reason, fn, createdBy, site] = (
    ['state', 'reason', 'function', 'createdBy', 'creationSite'] as const
  ).map(text);
  const growth = column(frame, CLUSTER_FIELDS.growthPerMinute);
  return Array.from({ length: frame.length }, (_, i) => ({
    count: count[i] ?? 0,
    state: state[i] ?? '',
    reason: reason[i] ?? '',
    function: fn[i] ?? '',
    createdBy: createdBy[i] ?? '',
    creationSite: site[i] ?? '',
    waitMinutesMin: waitMin[i] ?? 0,
    waitMinutesMax: waitMax[i] ?? 0,
    leaked: leaked[i] ?? 0,
    growthPerMinute: growth[i] == null ? null : Number(growth[i]),
  }));
}

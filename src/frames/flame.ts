/**
 * Nested-set flame graph frames, the contract shared by Grafana's Flame Graph panel, Explore and
 * `@grafana/flamegraph` (grafana/grafana:packages/grafana-flamegraph/src/FlameGraph/dataTransform.ts `checkFields`,
 * `nestedSetToLevels`; reference/grafana-plugin-conventions.md 5.1):
 * fields `label` (enum, like Pyroscope's frames: indexes plus `config.type.enum.text`), `level`, `value`, `self`
 * in depth-first pre-order from one root; for a diff also `valueRight`/`selfRight`, where `value`/`self` are the
 * baseline and the right fields the comparison (Grafana draws their sum). `meta.preferredVisualisationType:
 * 'flamegraph'` makes Explore pick the flame graph.
 */
import { DataFrame, FieldType, QueryResultMeta, createDataFrame } from '@grafana/data';

/** The columns the core (`toNestedSet`) and the Pyroscope reader both produce. */
export interface FlameColumns {
  levels: ArrayLike<number>;
  values: ArrayLike<number>;
  selfs: ArrayLike<number>;
  labels: readonly string[];
  valuesRight?: ArrayLike<number>;
  selfsRight?: ArrayLike<number>;
}

export interface FlameFrameOptions {
  refId?: string;
  /** Grafana unit of the values: `ns`, `bytes` or `short`. */
  unit: string;
  name?: string;
  /** What the panel header shows: profile, window, sample type, pruning. */
  custom?: Record<string, unknown>;
  notices?: QueryResultMeta['notices'];
}

export function flameGraphFrame(columns: FlameColumns, options: FlameFrameOptions): DataFrame {
  const { labels } = columns;
  const text: string[] = [];
  const indexOf = new Map<string, number>();
  const labelIndexes = new Array<number>(labels.length);
  for (let i = 0; i < labels.length; i++) {
    let k = indexOf.get(labels[i]);
    if (k === undefined) {
      k = text.length;
      indexOf.set(labels[i], k);
      text.push(labels[i]);
    }
    labelIndexes[i] = k;
  }
  const numbers = (a: ArrayLike<number>) => Array.from(a);
  const unitConfig = { unit: options.unit };
  const fields = [
    { name: 'level', type: FieldType.number, values: numbers(columns.levels) },
    { name: 'value', type: FieldType.number, values: numbers(columns.values), config: unitConfig },
    { name: 'self', type: FieldType.number, values: numbers(columns.selfs), config: unitConfig },
    { name: 'label', type: FieldType.enum, values: labelIndexes, config: { type: { enum: { text } } } },
  ];
  if (columns.valuesRight && columns.selfsRight) {
    fields.push(
      { name: 'valueRight', type: FieldType.number, values: numbers(columns.valuesRight), config: unitConfig },
      { name: 'selfRight', type: FieldType.number, values: numbers(columns.selfsRight), config: unitConfig }
    );
  }
  return createDataFrame({
    name: options.name ?? 'response',
    refId: options.refId,
    meta: { preferredVisualisationType: 'flamegraph', custom: options.custom, notices: options.notices },
    fields,
  });
}

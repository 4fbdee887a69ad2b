/**
 * Nested-set flame graph frames, the contract shared by Grafana's Flame Graph panel, Explore and
 * `@grafana/flamegraph` (grafana/grafana:packages/grafana-flamegraph/src/FlameGraph/dataTransform.ts `checkFields`,
 * `nestedSetToLevels`):
 * fields `label` (enum, like Pyroscope's frames: indexes plus `config.type.enum.text`), `level`, `value`, `self`
 * in depth-first pre-order from one root; for a diff also `valueRight`/`selfRight`, where `value`/`self` are the
 * baseline and the right fields the comparison (Grafana draws their sum). `meta.preferredVisualisationType:
 * 'flamegraph'` makes Explore pick the flame graph.
 *
 * Grafana reads an enum label through the field's display processor (`getLabel(i)` = display of `values[i]`, i.e.
 * `text[values[i]]`) and offers `config.type.enum.text` itself to the search box as the list of distinct labels
 * (dataTransform.ts `FlameGraphDataContainer` `uniqueLabels`; FlameGraphContainer.tsx matches search terms against
 * it). So the dictionary is cut down to the distinct names some row uses, renumbered in order of first use: a pruned
 * tree's dictionary still holds every function of the profile, and the search would "find" those.
 *
 * `toFlameFrame` writes such a frame; `fromFlameFrame` reads it back into columns, from our frames and from any other
 * source of the contract (Pyroscope's enum labels, a string `label` field).
 */
import { DataFrame, Field, FieldType, QueryResultMeta, createDataFrame } from '@grafana/data';

import { type FlameLabels, internLabels, type NestedSetRows } from '../core';

export const FLAME_FIELDS = {
  level: 'level',
  value: 'value',
  self: 'self',
  label: 'label',
  valueRight: 'valueRight',
  selfRight: 'selfRight',
} as const;

/** The columns the core (`toNestedSet`), the Pyroscope reader and the panel's transforms produce. */
export type FlameColumns = NestedSetRows;

export interface FlameFrameOptions {
  refId?: string;
  /** Grafana unit of the values: `ns`, `bytes` or `short`. */
  unit: string;
  name?: string;
  /** What the panel header shows: profile, window, sample type, pruning. */
  custom?: Record<string, unknown>;
  notices?: QueryResultMeta['notices'];
}

/**
 * The distinct names rows use, in order of first use, and every row's index into them. Each id's name is looked up
 * once (not once per row); ids with equal names share one entry, so the text has no duplicates for the search.
 */
function usedLabels({ labelIds, names }: FlameLabels): { text: string[]; indexes: number[] } {
  const slotOfId = new Int32Array(names.length).fill(-1);
  const slotOfName = new Map<string, number>();
  const text: string[] = [];
  const indexes: number[] = [];
  for (let i = 0; i < labelIds.length; i++) {
    const id = labelIds[i];
    let slot = slotOfId[id];
    if (slot < 0) {
      const label = names[id];
      slot = slotOfName.get(label) ?? -1;
      if (slot < 0) {
        slot = text.length;
        slotOfName.set(label, slot);
        text.push(label);
      }
      slotOfId[id] = slot;
    }
    indexes.push(slot);
  }
  return { text, indexes };
}

export function toFlameFrame(columns: FlameColumns, options: FlameFrameOptions): DataFrame {
  const { text, indexes } = usedLabels(columns);
  const numbers = (a: ArrayLike<number>) => Array.from(a);
  const unitConfig = { unit: options.unit };
  const fields: Array<{ name: string; type: FieldType; values: number[]; config?: object }> = [
    { name: FLAME_FIELDS.level, type: FieldType.number, values: numbers(columns.levels) },
    { name: FLAME_FIELDS.value, type: FieldType.number, values: numbers(columns.values), config: unitConfig },
    { name: FLAME_FIELDS.self, type: FieldType.number, values: numbers(columns.selfs), config: unitConfig },
    { name: FLAME_FIELDS.label, type: FieldType.enum, values: indexes, config: { type: { enum: { text } } } },
  ];
  if (columns.valuesRight && columns.selfsRight) {
    fields.push(
      {
        name: FLAME_FIELDS.valueRight,
        type: FieldType.number,
        values: numbers(columns.valuesRight),
        config: unitConfig,
      },
      { name: FLAME_FIELDS.selfRight, type: FieldType.number, values: numbers(columns.selfsRight), config: unitConfig }
    );
  }
  return createDataFrame({
    name: options.name ?? 'response',
    refId: options.refId,
    meta: { preferredVisualisationType: 'flamegraph', custom: options.custom, notices: options.notices },
    fields,
  });
}

function field(frame: DataFrame, name: string): Field | undefined {
  return frame.fields.find((f) => f.name === name);
}

export function isFlameFrame(frame: DataFrame): boolean {
  const F = FLAME_FIELDS;
  return [F.level, F.value, F.self, F.label].every((name) => field(frame, name) !== undefined);
}

export function isDiffFrame(frame: DataFrame): boolean {
  return field(frame, FLAME_FIELDS.valueRight) !== undefined && field(frame, FLAME_FIELDS.selfRight) !== undefined;
}

/** True when every value is an index into a dictionary of `size` names. */
function isIndexColumn(values: ArrayLike<unknown>, size: number): values is ArrayLike<number> {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= size) {
      return false;
    }
  }
  return true;
}

/** Label ids plus names: an enum field as it is, anything else one row at a time as Grafana's display shows it. */
function labelColumns(f: Field | undefined): FlameLabels {
  const text = f?.config?.type?.enum?.text;
  const values = (f?.values ?? []) as ArrayLike<unknown>;
  if (text && text.every((t) => typeof t === 'string') && isIndexColumn(values, text.length)) {
    return { labelIds: values, names: text };
  }
  return internLabels(
    Array.from(values, (v) => (text && typeof v === 'number' ? String(text[v] ?? v) : String(v ?? '')))
  );
}

/** The columns of a flame frame: the inverse of `toFlameFrame` (up to the dictionary, which it trims). */
export function fromFlameFrame(frame: DataFrame): FlameColumns {
  const num = (name: string) => field(frame, name)?.values as ArrayLike<number> | undefined;
  const columns: FlameColumns = {
    levels: num(FLAME_FIELDS.level) ?? [],
    values: num(FLAME_FIELDS.value) ?? [],
    selfs: num(FLAME_FIELDS.self) ?? [],
    ...labelColumns(field(frame, FLAME_FIELDS.label)),
  };
  if (isDiffFrame(frame)) {
    columns.valuesRight = num(FLAME_FIELDS.valueRight);
    columns.selfsRight = num(FLAME_FIELDS.selfRight);
  }
  return columns;
}

/** The options `toFlameFrame` would need to write `frame` again: its unit, name, refId and meta. */
export function flameFrameOptions(frame: DataFrame): FlameFrameOptions {
  return {
    refId: frame.refId,
    unit: field(frame, FLAME_FIELDS.value)?.config?.unit ?? 'short',
    name: frame.name,
    custom: frame.meta?.custom,
    notices: frame.meta?.notices,
  };
}

/**
 * Nested-set flame graph frames, the contract shared by Grafana's Flame Graph panel, Explore and
 * `@grafana/flamegraph` (grafana/grafana:packages/grafana-flamegraph/src/FlameGraph/dataTransform.ts `checkFields`,
 * `nestedSetToLevels`; reference/grafana-plugin-conventions.md 5.1):
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
 */
import { DataFrame, FieldType, QueryResultMeta, createDataFrame } from '@grafana/data';

import type { FlameLabels } from '../core/analysis/flameLabels';

/** The columns the core (`toNestedSet`), the Pyroscope reader and the panel's transforms produce. */
export interface FlameColumns extends FlameLabels {
  levels: ArrayLike<number>;
  values: ArrayLike<number>;
  selfs: ArrayLike<number>;
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

export function flameGraphFrame(columns: FlameColumns, options: FlameFrameOptions): DataFrame {
  const { text, indexes } = usedLabels(columns);
  const numbers = (a: ArrayLike<number>) => Array.from(a);
  const unitConfig = { unit: options.unit };
  const fields = [
    { name: 'level', type: FieldType.number, values: numbers(columns.levels) },
    { name: 'value', type: FieldType.number, values: numbers(columns.values), config: unitConfig },
    { name: 'self', type: FieldType.number, values: numbers(columns.selfs), config: unitConfig },
    { name: 'label', type: FieldType.enum, values: indexes, config: { type: { enum: { text } } } },
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

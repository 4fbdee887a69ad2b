/**
 * A nested-set flame frame (reference/grafana-plugin-conventions.md 5.1: `level`, `value`, `self`, `label`, and
 * `valueRight`/`selfRight` on diffs, depth-first pre-order from one root) read into plain columns, and back.
 * Labels come either as a string field or as an enum field (indexes into `config.type.enum.text`, Pyroscope's and
 * our data source's form); both are read as label ids plus names (core/analysis/flameLabels.ts), the enum form
 * as it is, so the panel's transforms never care which and never build a string per row.
 */
import type { DataFrame, Field } from '@grafana/data';

import type { CallTree } from '../../core/analysis/callTree';
import { FlameLabels, internLabels } from '../../core/analysis/flameLabels';
import { FlameColumns, flameGraphFrame } from '../../frames/flame';

export type { FlameColumns };

const REQUIRED = ['level', 'value', 'self', 'label'] as const;

export function isFlameFrame(frame: DataFrame): boolean {
  return REQUIRED.every((name) => frame.fields.some((f) => f.name === name));
}

export function isDiffFrame(frame: DataFrame): boolean {
  return frame.fields.some((f) => f.name === 'valueRight') && frame.fields.some((f) => f.name === 'selfRight');
}

function field(frame: DataFrame, name: string): Field | undefined {
  return frame.fields.find((f) => f.name === name);
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

function labelColumns(f: Field): FlameLabels {
  const text = f.config?.type?.enum?.text;
  const values = f.values as ArrayLike<unknown>;
  if (text && text.every((t) => typeof t === 'string') && isIndexColumn(values, text.length)) {
    return { labelIds: values, names: text };
  }
  // A string field, or an enum with values outside its text: each row as Grafana's display would show it.
  return internLabels(
    Array.from(values, (v) => (text && typeof v === 'number' ? String(text[v] ?? v) : String(v ?? '')))
  );
}

export function readFlameColumns(frame: DataFrame): FlameColumns {
  const num = (name: string) => field(frame, name)?.values as ArrayLike<number> | undefined;
  const columns: FlameColumns = {
    levels: num('level') ?? [],
    values: num('value') ?? [],
    selfs: num('self') ?? [],
    ...labelColumns(field(frame, 'label')!),
  };
  if (isDiffFrame(frame)) {
    columns.valuesRight = num('valueRight');
    columns.selfsRight = num('selfRight');
  }
  return columns;
}

/** Parent row of every row (-1 for the root): the nearest previous row one level up. */
export function parentRows(levels: ArrayLike<number>): Int32Array {
  const n = levels.length;
  const parent = new Int32Array(n);
  // lastAtLevel[d] = the latest row seen at depth d; depth-first order makes it the parent of the next row at d+1.
  const lastAtLevel: number[] = [];
  for (let i = 0; i < n; i++) {
    const level = levels[i];
    parent[i] = level > 0 ? (lastAtLevel[level - 1] ?? -1) : -1;
    lastAtLevel[level] = i;
    lastAtLevel.length = level + 1;
  }
  return parent;
}

/**
 * The frame as the core's CallTree, so the core's pruning and sibling ordering (left-heavy) apply to frames from
 * any source (live pprof, Pyroscope's server flame graphs). Rows are already in parent-before-child order.
 */
export function toCallTree(columns: FlameColumns, unit = ''): CallTree {
  const n = columns.levels.length;
  const tree: CallTree = {
    names: columns.names,
    count: n,
    parent: parentRows(columns.levels),
    name: Uint32Array.from(columns.labelIds),
    total: Float64Array.from(columns.values),
    self: Float64Array.from(columns.selfs),
    sampleType: { type: '', unit },
    inverted: false,
    sampleCount: 0,
  };
  if (columns.valuesRight && columns.selfsRight) {
    tree.totalRight = Float64Array.from(columns.valuesRight);
    tree.selfRight = Float64Array.from(columns.selfsRight);
  }
  return tree;
}

/** Columns back to a frame with the original's unit, refId and meta (header facts, notices). */
export function toFlameFrame(columns: FlameColumns, like: DataFrame): DataFrame {
  const unit = field(like, 'value')?.config?.unit ?? 'short';
  return flameGraphFrame(columns, {
    refId: like.refId,
    unit,
    name: like.name,
    custom: like.meta?.custom,
    notices: like.meta?.notices,
  });
}

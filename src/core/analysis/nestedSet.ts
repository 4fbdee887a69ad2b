/**
 * Grafana's flame-graph frame, as plain columns (no Grafana types: src/frames converts to a DataFrame).
 *
 * Contract (grafana/grafana:packages/grafana-flamegraph/src/FlameGraph/dataTransform.ts `nestedSetToLevels`;
 * `checkFields`): rows in depth-first pre-order from a single root at level 0
 * (label `total`); a row's parent is the nearest previous row one level up; `value` is cumulative and `self` is
 * the part not covered by children; children are laid out left to right in row order with no gaps.
 * For a diff, `value`/`self` hold the baseline (left) and `valueRight`/`selfRight` the comparison: Grafana draws
 * their sum (`LevelItem.value = getValue(i) + getValueRight(i)`).
 */
import { CallTree } from './callTree';
import { FlameLabels } from './flameLabels';
import { ChildLists, childLists, SiblingOrder, sortSiblings } from './siblingOrder';

export type { SiblingOrder };

/** Labels are ids into the tree's `names` (see flameLabels.ts; `rowLabels` gives strings per row). */
export interface FlameFrame extends FlameLabels {
  levels: Uint32Array;
  values: Float64Array;
  selfs: Float64Array;
  labelIds: Uint32Array;
  valuesRight?: Float64Array;
  selfsRight?: Float64Array;
}

export interface NestedSetOptions {
  order?: SiblingOrder;
}

/**
 * Nested-set rows as they come from a frame (ours or another source's): plain array-likes, diff columns optional.
 */
export interface NestedSetRows extends FlameLabels {
  levels: ArrayLike<number>;
  values: ArrayLike<number>;
  selfs: ArrayLike<number>;
  valuesRight?: ArrayLike<number>;
  selfsRight?: ArrayLike<number>;
}

export function toNestedSet(tree: CallTree, options: NestedSetOptions = {}): FlameFrame {
  const lists = childLists(tree);
  sortSiblings(tree, lists, options.order ?? 'name');
  return preOrderRows(tree, lists);
}

/** The rows, depth-first pre-order, children in list order. */
function preOrderRows(tree: CallTree, { start, kids }: ChildLists): FlameFrame {
  const n = tree.count;
  const { name, names, total, self, totalRight, selfRight } = tree;
  const levels = new Uint32Array(n);
  const values = new Float64Array(n);
  const selfs = new Float64Array(n);
  const labelIds = new Uint32Array(n);
  const right = totalRight !== undefined && selfRight !== undefined;
  const valuesRight = right ? new Float64Array(n) : undefined;
  const selfsRight = right ? new Float64Array(n) : undefined;
  // Explicit stack of (node, level) instead of recursion: real trees reach depths of several hundred frames.
  const stackNode = new Uint32Array(n);
  const stackLevel = new Uint32Array(n);
  let top = 0;
  stackNode[top] = 0;
  stackLevel[top++] = 0;
  let row = 0;
  while (top > 0) {
    top--;
    let node = stackNode[top];
    let level = stackLevel[top];
    // A node with one child continues with it directly, without the stack: CPU call trees are mostly such
    // chains (this loop on google/pprof's large.cpu, 425k nodes: 6.9 ms through the stack, 3.8 ms so).
    for (;;) {
      levels[row] = level;
      values[row] = total[node];
      selfs[row] = self[node];
      labelIds[row] = name[node];
      if (right) {
        valuesRight![row] = totalRight![node];
        selfsRight![row] = selfRight![node];
      }
      row++;
      const first = start[node];
      const end = start[node + 1];
      if (end - first !== 1) {
        // Last child pushed first, so the first child comes out first.
        for (let k = end - 1; k >= first; k--) {
          stackNode[top] = kids[k];
          stackLevel[top++] = level + 1;
        }
        break;
      }
      node = kids[first];
      level++;
    }
  }
  const frame: FlameFrame = { levels, values, selfs, labelIds, names };
  return right ? { ...frame, valuesRight, selfsRight } : frame;
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
 * The inverse of `toNestedSet`: nested-set rows back to a CallTree (rows are already parent before child), so
 * pruning and sibling ordering apply to flame graphs from any source. Node i is row i; labels keep their ids.
 */
export function fromNestedSet(
  rows: NestedSetRows,
  sampleType: CallTree['sampleType'] = { type: '', unit: '' }
): CallTree {
  const tree: CallTree = {
    names: rows.names,
    count: rows.levels.length,
    parent: parentRows(rows.levels),
    name: Uint32Array.from(rows.labelIds),
    total: Float64Array.from(rows.values),
    self: Float64Array.from(rows.selfs),
    sampleType,
    inverted: false,
    sampleCount: 0,
  };
  if (rows.valuesRight && rows.selfsRight) {
    tree.totalRight = Float64Array.from(rows.valuesRight);
    tree.selfRight = Float64Array.from(rows.selfsRight);
  }
  return tree;
}

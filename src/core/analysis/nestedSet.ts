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
import { ChildLists, childLists, SiblingGroupSort, siblingGroupSort, SiblingOrder } from './siblingOrder';

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
  if (tree.layout === 'preOrderByName' && (options.order ?? 'name') === 'name' && tree.totalRight === undefined) {
    return rowsInNodeOrder(tree);
  }
  // Subtree sizes from the pass that counts children; preOrderRows turns them into rows in place.
  const sizeThenRow = new Uint32Array(tree.count);
  const lists = childLists(tree, sizeThenRow);
  return preOrderRows(tree, lists, siblingGroupSort(tree, lists, options.order ?? 'name'), sizeThenRow);
}

/**
 * The rows, depth-first pre-order, children in sorted list order. Rather than walking the tree depth-first (every
 * step waits on the previous node's child list: on a million-node tree laid out in creation order nearly every
 * read is a cache miss that cannot overlap the next), each node's row is computed from subtree sizes in a pass that
 * reads the child lists in node order (sorting each group on the way), and the columns are then scattered to their
 * rows: the reads are sequential and the writes independent of each other, so the memory system overlaps them.
 * `sizeThenRow` holds each subtree's size on entry and each node's row on return.
 */
function preOrderRows(
  tree: CallTree,
  { start, kids }: ChildLists,
  sortGroup: SiblingGroupSort,
  sizeThenRow: Uint32Array
): FlameFrame {
  const n = tree.count;
  const { name, names, total, self, totalRight, selfRight } = tree;
  const row = sizeThenRow;
  const levels = new Uint32Array(n);
  const values = new Float64Array(n);
  const selfs = new Float64Array(n);
  const labelIds = new Uint32Array(n);
  // A node's children follow it in list order, each after the subtrees of the siblings before it. Node p's row
  // (and its level, stored by row) is set before p is reached, as its parent has a smaller number; a child's size
  // is read just before the child's row replaces it.
  if (n > 0) {
    row[0] = 0;
  }
  for (let p = 0; p < n; p++) {
    const from = start[p];
    const to = start[p + 1];
    if (to - from > 1) {
      sortGroup(from, to);
    }
    const at = row[p];
    const childLevel = levels[at] + 1;
    let next = at + 1;
    for (let k = from; k < to; k++) {
      const child = kids[k];
      const size = row[child];
      row[child] = next;
      levels[next] = childLevel;
      next += size;
    }
  }
  for (let i = 0; i < n; i++) {
    const r = row[i];
    values[r] = total[i];
    selfs[r] = self[i];
    labelIds[r] = name[i];
  }
  const frame: FlameFrame = { levels, values, selfs, labelIds, names };
  if (totalRight === undefined || selfRight === undefined) {
    return frame;
  }
  const valuesRight = new Float64Array(n);
  const selfsRight = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const r = row[i];
    valuesRight[r] = totalRight[i];
    selfsRight[r] = selfRight[i];
  }
  return { ...frame, valuesRight, selfsRight };
}

/**
 * A tree already numbered in row order (see CallTree.layout): its columns are the rows, and the frame shares them
 * (neither trees nor frames are changed once built), with levels from the parents.
 */
function rowsInNodeOrder(tree: CallTree): FlameFrame {
  const { count, parent, names } = tree;
  const levels = new Uint32Array(count);
  for (let i = 1; i < count; i++) {
    levels[i] = levels[parent[i]] + 1;
  }
  return {
    levels,
    values: tree.total.subarray(0, count),
    selfs: tree.self.subarray(0, count),
    labelIds: tree.name.subarray(0, count),
    names,
  };
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

/**
 * Pyroscope's flame graph encodings (SelectMergeStacktraces `flamegraph`, Diff `flamegraph`) turned into the rows
 * of Grafana's nested-set flame frame: depth-first pre-order, one root at level 0, `value`/`self` per row (and
 * `valueRight`/`selfRight` for a diff).
 *
 * Encoding (grafana/pyroscope:pkg/model/flamegraph.go,
 * flamegraph_diff.go):
 * - `names[0]` is "total"; `levels[d].values` is a flat list of tuples, one per node at depth d, in increasing x;
 * - single: `[xDelta, total, self, nameIndex]`; diff: `[xLeftDelta, leftTotal, leftSelf, xRightDelta, rightTotal,
 *   rightSelf, nameIndex]`, the two sides delta-encoded separately;
 * - x is delta-encoded per level against the end of the previous node on that level: `x = xDelta + prevEnd`,
 *   `prevEnd = x + total`;
 * - a node's parent is the node one level up whose `[x, x + total)` contains it (Grafana's `levelsToTree` and
 *   Pyroscope's UI walk the parents with a moving pointer, as here). Nodes with a zero total are dropped, as
 *   Pyroscope's UI does; in a diff a node absent on one side has zeros there and is placed by the other side.
 */
import { JsonObject, PyroscopeShapeError, int64, list, object, strings } from './pyroscopeJson';

export interface PyroscopeFlameRows {
  levels: Uint32Array;
  values: Float64Array;
  selfs: Float64Array;
  /** Per row, an index into `names`: the flamebearer's own form, kept (core/analysis/flameLabels.ts). */
  labelIds: Uint32Array;
  /** The response's `names`, `total` first; names of dropped zero-total nodes stay in it. */
  names: string[];
  /** Diff only: the comparison (right) side; `values`/`selfs` are the baseline (left) side. */
  valuesRight?: Float64Array;
  selfsRight?: Float64Array;
  total: number;
  maxSelf: number;
  leftTicks?: number;
  rightTicks?: number;
}

interface Side {
  x: number;
  total: number;
  self: number;
}

interface Node {
  left: Side;
  right?: Side;
  name: number;
  children: Node[];
}

/** Decodes the `flamegraph` of a SelectMergeStacktraces response (absent = no data: zero rows). */
export function decodeFlameGraph(flamegraph: unknown): PyroscopeFlameRows {
  return decode(object(flamegraph, 'flamegraph'), false);
}

/** Decodes the `flamegraph` of a Diff response (7-tuples; `leftTicks`/`rightTicks`). */
export function decodeFlameGraphDiff(flamegraph: unknown): PyroscopeFlameRows {
  return decode(object(flamegraph, 'flamegraph'), true);
}

function decode(fg: JsonObject, diff: boolean): PyroscopeFlameRows {
  const names = strings(fg.names, 'flamegraph.names');
  const width = diff ? 7 : 4;
  const levels = list(fg.levels, 'flamegraph.levels').map((level, d) =>
    list(object(level, `flamegraph.levels[${d}]`).values, `flamegraph.levels[${d}].values`).map((v, i) =>
      int64(v, `flamegraph.levels[${d}].values[${i}]`)
    )
  );
  let parents: Node[] = [];
  const roots: Node[] = [];
  for (let d = 0; d < levels.length; d++) {
    const values = levels[d];
    if (values.length % width !== 0) {
      throw new PyroscopeShapeError(
        `${values.length} values is not a multiple of ${width}`,
        `flamegraph.levels[${d}].values`
      );
    }
    const nodes = readLevel(values, width, diff, names.length, d);
    if (d === 0) {
      // A loop, not push(...nodes): a spread of 200,000 arguments overflows the call stack.
      for (const node of nodes) {
        roots.push(node);
      }
    } else {
      attach(nodes, parents, d);
    }
    parents = nodes;
  }
  if (roots.length > 1) {
    throw new PyroscopeShapeError(`${roots.length} root nodes; a flame graph has one`, 'flamegraph.levels[0]');
  }
  validateTree(roots, diff);
  const rows = toRows(roots, names, diff);
  const total = int64(fg.total, 'flamegraph.total');
  const maxSelf = int64(fg.maxSelf, 'flamegraph.maxSelf');
  return diff
    ? {
        ...rows,
        total,
        maxSelf,
        leftTicks: int64(fg.leftTicks, 'flamegraph.leftTicks'),
        rightTicks: int64(fg.rightTicks, 'flamegraph.rightTicks'),
      }
    : { ...rows, total, maxSelf };
}

function readLevel(values: number[], width: number, diff: boolean, nameCount: number, d: number): Node[] {
  const nodes: Node[] = [];
  let leftEnd = 0;
  let rightEnd = 0;
  for (let i = 0; i < values.length; i += width) {
    const left: Side = { x: values[i] + leftEnd, total: values[i + 1], self: values[i + 2] };
    leftEnd = left.x + left.total;
    let right: Side | undefined;
    if (diff) {
      right = { x: values[i + 3] + rightEnd, total: values[i + 4], self: values[i + 5] };
      rightEnd = right.x + right.total;
    }
    const name = values[i + width - 1];
    if (name < 0 || name >= nameCount) {
      throw new PyroscopeShapeError(
        `name index ${name} is outside names (${nameCount})`,
        `flamegraph.levels[${d}].values[${i + width - 1}]`
      );
    }
    if (left.total < 0 || (right && right.total < 0)) {
      throw new PyroscopeShapeError('negative total', `flamegraph.levels[${d}].values[${i + 1}]`);
    }
    if (left.total > 0 || (right && right.total > 0)) {
      nodes.push({ left, right, name, children: [] });
    }
  }
  return nodes;
}

function contains(parent: Side | undefined, child: Side): boolean {
  return (
    parent !== undefined && parent.total > 0 && parent.x <= child.x && child.x + child.total <= parent.x + parent.total
  );
}

/** Assigns each node of level d to its parent on level d-1 with a pointer that only moves right. */
function attach(nodes: Node[], parents: Node[], d: number): void {
  let p = 0;
  for (const node of nodes) {
    // Place a node by the side where it exists (a diff node absent on the left has a zero-width left span).
    const useLeft = node.left.total > 0;
    const fits = (parent: Node) => (useLeft ? contains(parent.left, node.left) : contains(parent.right, node.right!));
    while (p < parents.length && !fits(parents[p])) {
      p++;
    }
    if (p === parents.length) {
      throw new PyroscopeShapeError('a node lies outside every node of the level above', `flamegraph.levels[${d}]`);
    }
    parents[p].children.push(node);
  }
}

/**
 * A flame graph is a tree of totals: every node's self is within its total, and its children's totals plus its self
 * add up to at most its total (Pyroscope folds what maxNodes cut into "other", so never more). Anything else would
 * draw children wider than their parent; it is a shape error naming the node.
 */
function validateTree(roots: Node[], diff: boolean): void {
  const stack: Array<[Node, string]> = roots.map((r, i): [Node, string] => [r, `levels[0] node ${i}`]);
  while (stack.length > 0) {
    const [node, where] = stack.pop()!;
    const sides: Array<[Side, (n: Node) => Side | undefined, string]> = [
      [node.left, (n) => n.left, diff ? 'left ' : ''],
    ];
    if (diff && node.right) {
      sides.push([node.right, (n) => n.right, 'right ']);
    }
    for (const [side, of, label] of sides) {
      if (side.self < 0 || side.self > side.total) {
        throw new PyroscopeShapeError(
          `${label}self ${side.self} is outside 0..${side.total} (its total)`,
          `flamegraph.${where}`
        );
      }
      let children = 0;
      for (const child of node.children) {
        children += of(child)?.total ?? 0;
      }
      if (children + side.self > side.total) {
        throw new PyroscopeShapeError(
          `${label}children total ${children} plus self ${side.self} exceed the node's total ${side.total}`,
          `flamegraph.${where}`
        );
      }
    }
    node.children.forEach((child, i) => stack.push([child, `${where} child ${i}`]));
  }
}

function toRows(roots: Node[], names: string[], diff: boolean): Omit<PyroscopeFlameRows, 'total' | 'maxSelf'> {
  const levels: number[] = [];
  const values: number[] = [];
  const selfs: number[] = [];
  const labelIds: number[] = [];
  const valuesRight: number[] = [];
  const selfsRight: number[] = [];
  // Explicit stack: Go stacks run hundreds of frames deep.
  const stack: Array<[Node, number]> = roots.map((r): [Node, number] => [r, 0]);
  while (stack.length > 0) {
    const [node, level] = stack.pop()!;
    levels.push(level);
    values.push(node.left.total);
    selfs.push(node.left.self);
    labelIds.push(node.name);
    if (diff) {
      valuesRight.push(node.right!.total);
      selfsRight.push(node.right!.self);
    }
    for (let i = node.children.length - 1; i >= 0; i--) {
      stack.push([node.children[i], level + 1]);
    }
  }
  const rows = {
    levels: Uint32Array.from(levels),
    values: Float64Array.from(values),
    selfs: Float64Array.from(selfs),
    labelIds: Uint32Array.from(labelIds),
    names,
  };
  return diff
    ? { ...rows, valuesRight: Float64Array.from(valuesRight), selfsRight: Float64Array.from(selfsRight) }
    : rows;
}

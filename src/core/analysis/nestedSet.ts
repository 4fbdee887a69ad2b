/**
 * Grafana's flame-graph frame, as plain columns (no Grafana types: src/frames converts to a DataFrame).
 *
 * Contract (grafana/grafana:packages/grafana-flamegraph/src/FlameGraph/dataTransform.ts `nestedSetToLevels`;
 * reference/grafana-plugin-conventions.md 5.1): rows in depth-first pre-order from a single root at level 0
 * (label `total`); a row's parent is the nearest previous row one level up; `value` is cumulative and `self` is
 * the part not covered by children; children are laid out left to right in row order with no gaps.
 * For a diff, `value`/`self` hold the baseline (left) and `valueRight`/`selfRight` the comparison: Grafana draws
 * their sum (`LevelItem.value = getValue(i) + getValueRight(i)`).
 */
import { CallTree } from './callTree';

export interface FlameFrame {
  levels: Uint32Array;
  values: Float64Array;
  selfs: Float64Array;
  labels: string[];
  valuesRight?: Float64Array;
  selfsRight?: Float64Array;
}

/**
 * Order of siblings: `name` sorts them alphabetically (pprof's and Pyroscope's flame graphs, stable across
 * captures), `value` puts the heaviest first ("left-heavy", speedscope), which groups similar stacks together.
 */
export type SiblingOrder = 'name' | 'value';

export interface NestedSetOptions {
  order?: SiblingOrder;
}

export function toNestedSet(tree: CallTree, options: NestedSetOptions = {}): FlameFrame {
  const n = tree.count;
  const { parent, name, names } = tree;
  // Children lists in CSR form: node i's children are kids[start[i] .. start[i + 1]).
  const start = new Uint32Array(n + 1);
  for (let i = 1; i < n; i++) {
    start[parent[i] + 1]++;
  }
  for (let i = 0; i < n; i++) {
    start[i + 1] += start[i];
  }
  const fill = start.slice(0, n);
  const kids = new Uint32Array(Math.max(0, n - 1));
  for (let i = 1; i < n; i++) {
    kids[fill[parent[i]]++] = i;
  }
  const weight = (i: number) => tree.total[i] + (tree.totalRight ? tree.totalRight[i] : 0);
  // Comparing sibling labels as strings is cheap when few siblings need ordering (CPU trees are mostly chains);
  // when many do (wide trees of a million nodes), sorting the distinct labels once and comparing integer ranks wins.
  let siblingWork = 0;
  for (let i = 0; i < n; i++) {
    const k = start[i + 1] - start[i];
    siblingWork += k > 1 ? k * Math.log2(k) : 0;
  }
  let byName: (a: number, b: number) => number;
  if (siblingWork > names.length * Math.log2(names.length + 1)) {
    const rank = new Uint32Array(names.length);
    const order = Array.from(names.keys()).sort((a, b) => (names[a] < names[b] ? -1 : names[a] > names[b] ? 1 : 0));
    order.forEach((id, r) => (rank[id] = r));
    byName = (a, b) => rank[name[a]] - rank[name[b]] || a - b;
  } else {
    byName = (a, b) => {
      const la = names[name[a]];
      const lb = names[name[b]];
      return la < lb ? -1 : la > lb ? 1 : a - b;
    };
  }
  const compare = options.order === 'value' ? (a: number, b: number) => weight(b) - weight(a) || byName(a, b) : byName;
  for (let i = 0; i < n; i++) {
    const from = start[i];
    const to = start[i + 1];
    if (to - from > 16) {
      kids.subarray(from, to).sort(compare);
    } else if (to - from > 1) {
      // Insertion sort in place: most sibling groups are tiny, and a typed-array sort call per group costs more.
      for (let j = from + 1; j < to; j++) {
        const x = kids[j];
        let k = j - 1;
        while (k >= from && compare(kids[k], x) > 0) {
          kids[k + 1] = kids[k];
          k--;
        }
        kids[k + 1] = x;
      }
    }
  }

  const levels = new Uint32Array(n);
  const values = new Float64Array(n);
  const selfs = new Float64Array(n);
  // Filled by push in row order: `new Array(n)` of this size would be a slow dictionary-mode array in V8.
  const labels: string[] = [];
  const right = tree.totalRight !== undefined && tree.selfRight !== undefined;
  const valuesRight = right ? new Float64Array(n) : undefined;
  const selfsRight = right ? new Float64Array(n) : undefined;
  // Explicit stack instead of recursion: real trees reach depths of several hundred frames.
  const stack = new Uint32Array(n);
  const depth = new Uint32Array(n);
  let top = 0;
  stack[top++] = 0;
  let row = 0;
  while (top > 0) {
    const node = stack[--top];
    levels[row] = depth[node];
    values[row] = tree.total[node];
    selfs[row] = tree.self[node];
    labels.push(names[name[node]]);
    if (right) {
      valuesRight![row] = tree.totalRight![node];
      selfsRight![row] = tree.selfRight![node];
    }
    row++;
    for (let k = start[node + 1]; k > start[node]; k--) {
      const child = kids[k - 1];
      depth[child] = depth[node] + 1;
      stack[top++] = child;
    }
  }
  return right ? { levels, values, selfs, labels, valuesRight, selfsRight } : { levels, values, selfs, labels };
}

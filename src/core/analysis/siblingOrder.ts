/**
 * The children of every call-tree node, in the order a flame graph lays them out left to right.
 */
import { CallTree } from './callTree';

/**
 * Order of siblings: `name` sorts them alphabetically (pprof's and Pyroscope's flame graphs, stable across
 * captures), `value` puts the heaviest first ("left-heavy", speedscope), which groups similar stacks together.
 * Ties go by node number: alphabetical is by UTF-16 code units (JavaScript's `<`), never locale-aware.
 */
export type SiblingOrder = 'name' | 'value';

/** Children lists in CSR form: node i's children are `kids[start[i] .. start[i + 1])`. */
export interface ChildLists {
  start: Uint32Array;
  kids: Uint32Array;
}

/**
 * Children of every node, in node order (parents have smaller numbers than their children). With `subtreeSize`
 * (length `count`), the same backwards pass over `parent` also leaves there the number of nodes in each subtree.
 */
export function childLists(tree: Pick<CallTree, 'count' | 'parent'>, subtreeSize?: Uint32Array): ChildLists {
  const n = tree.count;
  const { parent } = tree;
  const start = new Uint32Array(n + 1);
  if (subtreeSize) {
    subtreeSize.fill(1);
    for (let i = n - 1; i > 0; i--) {
      const p = parent[i];
      start[p + 1]++;
      subtreeSize[p] += subtreeSize[i];
    }
  } else {
    for (let i = 1; i < n; i++) {
      start[parent[i] + 1]++;
    }
  }
  for (let i = 0; i < n; i++) {
    start[i + 1] += start[i];
  }
  const kids = new Uint32Array(Math.max(0, n - 1));
  // Filling advances start[p] to the end of p's list, which is where p + 1's begins: shift back afterwards
  // instead of keeping a second array of fill positions.
  for (let i = 1; i < n; i++) {
    kids[start[parent[i]]++] = i;
  }
  if (n > 0) {
    start.copyWithin(1, 0, n);
    start[0] = 0;
  }
  return { start, kids };
}

/** Compares node numbers by label, then by node number. */
type NodeCompare = (a: number, b: number) => number;

/**
 * Alphabetical rank of every name id (equal names share one), when ranking pays: comparing sibling labels as
 * strings is cheap when few siblings need ordering (CPU trees are mostly chains), but when many do (wide trees of a
 * million nodes over a few dozen names) sorting the distinct labels once and comparing integers wins.
 */
function nameRanks(tree: CallTree, { start }: ChildLists): Uint32Array | undefined {
  const { names } = tree;
  let siblingWork = 0;
  for (let i = 0; i < tree.count; i++) {
    const k = start[i + 1] - start[i];
    if (k > 1) {
      siblingWork += k * Math.log2(k);
    }
  }
  if (siblingWork <= names.length * Math.log2(names.length + 1)) {
    return undefined;
  }
  const rank = new Uint32Array(names.length);
  const order = Array.from(names.keys()).sort((a, b) => (names[a] < names[b] ? -1 : names[a] > names[b] ? 1 : 0));
  order.forEach((id, r) => (rank[id] = r > 0 && names[id] === names[order[r - 1]] ? rank[order[r - 1]] : r));
  return rank;
}

/**
 * Sorts `ids` by label, ties in their current order (stable), by a three-way radix quicksort on UTF-16 code units
 * (Bentley and Sedgewick, "Fast Algorithms for Sorting and Searching Strings", SODA 1997): each step compares one
 * code unit, so the prefix that sibling labels share (a Go package path, `main.setFunctions.func` for 13,491
 * children of one node in google/pprof's large.cpu) is read once per label and level instead of once per
 * comparison. A merge sort comparing whole strings took 4-7 ms on that group. Pivots are picked by a fixed
 * pseudo-random sequence, so no order of the input makes it quadratic, and the result does not depend on them.
 */
function sortLargeGroupByLabel(ids: Uint32Array, labelOf: (id: number) => string): void {
  const n = ids.length;
  const labels: string[] = [];
  for (let i = 0; i < n; i++) {
    labels.push(labelOf(ids[i]));
  }
  // Positions into `labels`, sorted in place; a position is also the tie-break (the current order).
  const at = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    at[i] = i;
  }
  const unitAt = (position: number, depth: number) => {
    const label = labels[position];
    return depth < label.length ? label.charCodeAt(depth) : -1;
  };
  let random = 0x9e3779b9;
  // Ranges still to sort, as [from, to, depth] triples; their labels share their first `depth` code units.
  const pending: number[] = [0, n, 0];
  while (pending.length > 0) {
    let depth = pending.pop()!;
    let to = pending.pop()!;
    let from = pending.pop()!;
    while (to - from > 12) {
      random ^= random << 13;
      random ^= random >>> 17;
      random ^= random << 5;
      const pivot = unitAt(at[from + ((random >>> 0) % (to - from))], depth);
      // Dijkstra's three-way partition: [from, lt) below the pivot, [lt, i) equal, [gt, to) above.
      let lt = from;
      let gt = to;
      let i = from;
      while (i < gt) {
        const unit = unitAt(at[i], depth);
        if (unit < pivot) {
          const x = at[i];
          at[i++] = at[lt];
          at[lt++] = x;
        } else if (unit > pivot) {
          const x = at[i];
          at[i] = at[--gt];
          at[gt] = x;
        } else {
          i++;
        }
      }
      if (lt - from > 1) {
        pending.push(from, lt, depth);
      }
      if (to - gt > 1) {
        pending.push(gt, to, depth);
      }
      if (pivot < 0) {
        // Equal labels (they all ended here): back into their current order.
        at.subarray(lt, gt).sort();
        from = to;
      } else {
        from = lt;
        to = gt;
        depth++;
      }
    }
    // Small ranges: insertion sort on whole labels (they share `depth` units, which the comparison re-reads).
    for (let j = from + 1; j < to; j++) {
      const x = at[j];
      const label = labels[x];
      let k = j - 1;
      while (k >= from && (labels[at[k]] > label || (labels[at[k]] === label && at[k] > x))) {
        at[k + 1] = at[k];
        k--;
      }
      at[k + 1] = x;
    }
  }
  const sorted = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    sorted[i] = ids[at[i]];
  }
  ids.set(sorted);
}

/** Sorts frame ids by their labels, ties in their current order (stable). */
export function sortIdsByLabel(ids: Uint32Array, labels: readonly string[]): void {
  if (ids.length > 16) {
    sortLargeGroupByLabel(ids, (id) => labels[id]);
    return;
  }
  for (let j = 1; j < ids.length; j++) {
    const x = ids[j];
    const label = labels[x];
    let k = j - 1;
    while (k >= 0 && labels[ids[k]] > label) {
      ids[k + 1] = ids[k];
      k--;
    }
    ids[k + 1] = x;
  }
}

/** Sorts `kids[from .. to)`, the children of one node (at least two). */
export type SiblingGroupSort = (from: number, to: number) => void;

/**
 * The sort of one sibling group, for callers that visit the groups themselves (the flame frame sorts each group
 * in the same pass that lays out its rows).
 */
export function siblingGroupSort(tree: CallTree, lists: ChildLists, order: SiblingOrder): SiblingGroupSort {
  const { kids } = lists;
  const { name, names, total, totalRight } = tree;
  const ranks = nameRanks(tree, lists);
  const labelOf = (node: number) => names[name[node]];
  const byName: NodeCompare = ranks
    ? (a, b) => ranks[name[a]] - ranks[name[b]] || a - b
    : (a, b) => {
        const la = labelOf(a);
        const lb = labelOf(b);
        return la < lb ? -1 : la > lb ? 1 : a - b;
      };
  const weight = (i: number) => total[i] + (totalRight ? totalRight[i] : 0);
  const compare: NodeCompare = order === 'value' ? (a, b) => weight(b) - weight(a) || byName(a, b) : byName;
  return (from, to) => {
    if (to - from > 16) {
      // Children are listed in node order, so a stable sort by label leaves ties by node number.
      if (order === 'name' && !ranks) {
        sortLargeGroupByLabel(kids.subarray(from, to), labelOf);
      } else {
        kids.subarray(from, to).sort(compare);
      }
    } else {
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
  };
}

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
 * Sorts `ids` by label, ties in their current order (stable), with the string comparison written inline rather
 * than in a comparator callback: on the 13,491 children of one node in google/pprof's large.cpu, 5.8 ms through
 * `TypedArray.prototype.sort(compare)`, 4.2 ms so. (Ranking the profile's 23k names first cost more, 13 ms.)
 */
function sortLargeGroupByLabel(ids: Uint32Array, labelOf: (id: number) => string): void {
  const n = ids.length;
  const labels: string[] = [];
  for (let i = 0; i < n; i++) {
    labels.push(labelOf(ids[i]));
  }
  // Bottom-up merge sort of positions into `labels`: insertion-sorted runs, then merges of doubling width.
  let src = new Uint32Array(n);
  let dst = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    src[i] = i;
  }
  const run = 12;
  for (let lo = 0; lo < n; lo += run) {
    const hi = Math.min(n, lo + run);
    for (let j = lo + 1; j < hi; j++) {
      const x = src[j];
      let k = j - 1;
      while (k >= lo && labels[src[k]] > labels[x]) {
        src[k + 1] = src[k];
        k--;
      }
      src[k + 1] = x;
    }
  }
  for (let width = run; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(n, lo + width);
      const hi = Math.min(n, lo + 2 * width);
      let i = lo;
      let j = mid;
      let k = lo;
      while (i < mid && j < hi) {
        dst[k++] = labels[src[j]] < labels[src[i]] ? src[j++] : src[i++];
      }
      while (i < mid) {
        dst[k++] = src[i++];
      }
      while (j < hi) {
        dst[k++] = src[j++];
      }
    }
    [src, dst] = [dst, src];
  }
  for (let i = 0; i < n; i++) {
    dst[i] = ids[src[i]];
  }
  ids.set(dst);
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

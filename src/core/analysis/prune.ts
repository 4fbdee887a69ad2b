/**
 * Pruning a call tree to a node budget without changing any total: the nodes with the largest values are kept
 * (with all their ancestors), and under every kept node the children that did not make it are folded into one
 * node labelled `other`, whose value is their combined value and which records how many nodes it stands for.
 * So total(node) = self(node) + sum(total(children)) still holds everywhere, and the root keeps the exact total.
 *
 * The budget counts every output node, `other` nodes included.
 */
import { CallTree, OTHER_LABEL } from './callTree';

/** Importance of every node, its magnitude on both sides of a diff: computed once for every round of pruning. */
function nodeWeights(tree: CallTree): Float64Array {
  const n = tree.count;
  const { total, totalRight } = tree;
  const weights = new Float64Array(n);
  if (totalRight) {
    for (let i = 0; i < n; i++) {
      weights[i] = Math.abs(total[i]) + Math.abs(totalRight[i]);
    }
  } else {
    for (let i = 0; i < n; i++) {
      weights[i] = Math.abs(total[i]);
    }
  }
  return weights;
}

/**
 * The `rank`-th smallest value (0-based) by quickselect (Hoare partition): linear on average, where sorting a
 * million-node tree's weights to read one of them costs n log n (measured on a 62k-node tree: 0.35 ms against 4.8 ms).
 */
export function kthSmallest(values: Float64Array, rank: number): number {
  const a = values.slice();
  let lo = 0;
  let hi = a.length - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) {
        i++;
      }
      while (a[j] > pivot) {
        j--;
      }
      if (i <= j) {
        const x = a[i];
        a[i] = a[j];
        a[j] = x;
        i++;
        j--;
      }
    }
    if (rank <= j) {
      hi = j;
    } else if (rank >= i) {
      lo = i;
    } else {
      return a[rank];
    }
  }
  return a[rank];
}

/** Which 32-bit half of a Float64Array element holds its sign, exponent and leading mantissa bits. */
const HIGH_WORD = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0; // little-endian: the second

/**
 * The `k` heaviest indices of `weights` (non-negative, no NaN), heaviest first, equal weights by index.
 *
 * One counting pass over every weight finds where the `k`-th heaviest lies: the bit pattern of a non-negative
 * double orders as its value, so a histogram of the top 16 bits (exponent and 4 mantissa bits) tells how many
 * weights lie in heavier buckets and which bucket holds the cut; a second pass collects the heavier ones and the
 * cut bucket's, and only those (a few thousand of a million-node tree's weights, unless most weights fall into the
 * cut's bucket) go through {@link kthSmallest} and a sort.
 */
export function heaviestFirst(weights: Float64Array, k: number): Int32Array {
  const n = weights.length;
  const want = Math.max(0, Math.min(Math.floor(k), n));
  if (want === 0) {
    return new Int32Array(0);
  }
  const words = new Uint32Array(weights.buffer, weights.byteOffset, 2 * n);
  const counts = new Uint32Array(1 << 16);
  for (let i = 0; i < n; i++) {
    counts[words[2 * i + HIGH_WORD] >>> 16]++;
  }
  let cut = counts.length - 1;
  let heavier = 0;
  while (heavier + counts[cut] < want) {
    heavier += counts[cut];
    cut--;
  }
  const chosen = new Int32Array(want);
  const atCut = new Int32Array(counts[cut]);
  let c = 0;
  let m = 0;
  for (let i = 0; i < n; i++) {
    const bucket = words[2 * i + HIGH_WORD] >>> 16;
    if (bucket > cut) {
      chosen[c++] = i;
    } else if (bucket === cut) {
      atCut[m++] = i;
    }
  }
  // The cut bucket's heaviest `want - heavier`: those above its threshold, then ties at it by index.
  const atCutWeights = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    atCutWeights[j] = weights[atCut[j]];
  }
  const threshold = kthSmallest(atCutWeights, m - (want - heavier));
  for (let j = 0; j < m; j++) {
    if (atCutWeights[j] > threshold) {
      chosen[c++] = atCut[j];
    }
  }
  for (let j = 0; j < m && c < want; j++) {
    if (atCutWeights[j] === threshold) {
      chosen[c++] = atCut[j];
    }
  }
  return chosen.sort((a, b) => weights[b] - weights[a] || a - b);
}

/**
 * The nodes kept for a budget of `k` heaviest (`heaviest`'s first `k`), the root and their ancestors, marked in
 * `keep` and listed in `nodes`, and how many `other` nodes they need (one per kept node with a pruned child). Work
 * in proportion to the nodes kept, not to the tree: the rounds of {@link pruneCallTree} each select anew.
 */
interface Selection {
  keep: Uint8Array;
  nodes: number[];
  others: number;
}

function select(
  tree: CallTree,
  heaviest: Int32Array,
  k: number,
  childCount: Uint32Array,
  keep: Uint8Array,
  keptChildren: Uint32Array
): Selection {
  const { parent } = tree;
  const nodes: number[] = [];
  // Parents have smaller numbers than children and the root is 0: walking up from a node ends at a kept one.
  const mark = (node: number) => {
    for (let i = node; i >= 0 && !keep[i]; i = parent[i]) {
      keep[i] = 1;
      nodes.push(i);
    }
  };
  mark(0);
  for (let j = 0; j < k; j++) {
    mark(heaviest[j]);
  }
  for (const i of nodes) {
    if (i > 0) {
      keptChildren[parent[i]]++;
    }
  }
  let others = 0;
  for (const i of nodes) {
    if (keptChildren[i] < childCount[i]) {
      others++;
    }
  }
  for (const i of nodes) {
    keptChildren[i] = 0;
  }
  return { keep, nodes, others };
}

/** Clears a selection's marks, so that its arrays serve the next round. */
function unselect({ keep, nodes }: Selection): void {
  for (const i of nodes) {
    keep[i] = 0;
  }
}

export function pruneCallTree(tree: CallTree, maxNodes: number): CallTree {
  if (tree.count <= maxNodes) {
    return tree;
  }
  const n = tree.count;
  const budget = Math.max(2, Math.floor(maxNodes));
  let k = budget - 1;
  // The `k` heaviest nodes, ties by node number (parents before children); later rounds keep a prefix of them.
  const heaviest = heaviestFirst(nodeWeights(tree), k);
  const childCount = new Uint32Array(n);
  for (let i = 1; i < n; i++) {
    childCount[tree.parent[i]]++;
  }
  const keep = new Uint8Array(n);
  const keptChildren = new Uint32Array(n);
  let selection = select(tree, heaviest, k, childCount, keep, keptChildren);
  // Each kept node with pruned children costs one extra `other` node: shrink k until kept + others fits.
  for (let round = 0; round < 16; round++) {
    if (selection.nodes.length + selection.others <= budget || k <= 1) {
      break;
    }
    k = Math.max(1, Math.min(k - 1, budget - selection.others));
    unselect(selection);
    selection = select(tree, heaviest, k, childCount, keep, keptChildren);
  }
  return rebuild(tree, keep, selection.nodes.length + selection.others);
}

/** The pruned tree: `keep`'s nodes plus one `other` per kept node with pruned children (`size` nodes in all). */
function rebuild(tree: CallTree, keep: Uint8Array, size: number): CallTree {
  const n = tree.count;
  const otherName = tree.names.length;
  const right = tree.totalRight !== undefined && tree.selfRight !== undefined;
  // Typed columns of the known output size: appending to JS arrays cost more than the rest of the pruning.
  const parent = new Int32Array(size);
  const name = new Uint32Array(size);
  const total = new Float64Array(size);
  const self = new Float64Array(size);
  const totalRight = right ? new Float64Array(size) : undefined;
  const selfRight = right ? new Float64Array(size) : undefined;
  const folded = new Uint32Array(size);
  // By a kept node's number in the pruned tree: the number of its `other` (-1 until its first pruned child).
  const otherOf = new Int32Array(size).fill(-1);
  // For a kept node, its number in the pruned tree; for a pruned one, the number of the `other` it is folded into
  // (its own pruned ancestors' `other`): one pass in node order, parents first, counts every folded node.
  const slot = new Int32Array(n);
  let count = 0;
  for (let i = 0; i < n; i++) {
    const p = tree.parent[i];
    if (keep[i]) {
      const node = count++;
      slot[i] = node;
      parent[node] = p < 0 ? -1 : slot[p];
      name[node] = tree.name[i];
      total[node] = tree.total[i];
      self[node] = tree.self[i];
      if (right) {
        totalRight![node] = tree.totalRight![i];
        selfRight![node] = tree.selfRight![i];
      }
    } else if (keep[p]) {
      const keptParent = slot[p];
      let o = otherOf[keptParent];
      if (o < 0) {
        o = otherOf[keptParent] = count++;
        parent[o] = keptParent;
        name[o] = otherName;
      }
      slot[i] = o;
      total[o] += tree.total[i];
      self[o] += tree.total[i];
      if (right) {
        totalRight![o] += tree.totalRight![i];
        selfRight![o] += tree.totalRight![i];
      }
      folded[o]++;
    } else {
      const o = slot[p];
      slot[i] = o;
      folded[o]++;
    }
  }
  // `other` nodes were appended after their parent but possibly before later kept siblings: still parent < child.
  return {
    ...tree,
    names: [...tree.names, OTHER_LABEL],
    count,
    parent,
    name,
    total,
    self,
    totalRight,
    selfRight,
    folded,
    // `other` nodes sit among their siblings out of label order.
    layout: undefined,
  };
}

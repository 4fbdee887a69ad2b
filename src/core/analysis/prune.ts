/**
 * Pruning a call tree to a node budget without changing any total: the nodes with the largest values are kept
 * (with all their ancestors), and under every kept node the children that did not make it are folded into one
 * node labelled `other`, whose value is their combined value and which records how many nodes it stands for.
 * So total(node) = self(node) + sum(total(children)) still holds everywhere, and the root keeps the exact total.
 *
 * The budget counts every output node, `other` nodes included.
 */
import { CallTree, OTHER_LABEL } from './callTree';

/** Importance of a node: its magnitude on both sides of a diff. */
function nodeWeight(tree: CallTree): (node: number) => number {
  const { total, totalRight } = tree;
  return totalRight ? (i) => Math.abs(total[i]) + Math.abs(totalRight[i]) : (i) => Math.abs(total[i]);
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

/**
 * Weights sorted into 2^16 buckets by the top 16 bits of their bit pattern (sign, exponent and 4 mantissa bits): for
 * non-negative doubles the bit pattern orders as the value, so every weight of a bucket is heavier than every
 * weight of a lower bucket. Each bucket lists its entries in index order (`head`, then `next`, -1 at the end).
 */
interface WeightBuckets {
  counts: Uint32Array;
  head: Int32Array;
  next: Int32Array;
}

const BUCKETS = 1 << 16;
/** One double and its two 32-bit halves, to read a weight's bit pattern. */
const scratch = new Float64Array(1);
const scratchWords = new Uint32Array(scratch.buffer);
/** Which half holds the sign, exponent and leading mantissa bits: the second on little-endian machines. */
const HIGH_WORD = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

function emptyBuckets(n: number): WeightBuckets {
  return { counts: new Uint32Array(BUCKETS), head: new Int32Array(BUCKETS).fill(-1), next: new Int32Array(n) };
}

/** Adds entry `i` of weight `weight` in front of its bucket's list: called in decreasing `i`, lists end in index order. */
function addToBucket({ counts, head, next }: WeightBuckets, i: number, weight: number): void {
  scratch[0] = weight;
  const bucket = scratchWords[HIGH_WORD] >>> 16;
  counts[bucket]++;
  next[i] = head[bucket];
  head[bucket] = i;
}

/** The `k` heaviest indices of `weights` (non-negative, no NaN), heaviest first, equal weights by index. */
export function heaviestFirst(weights: Float64Array, k: number): Int32Array {
  const buckets = emptyBuckets(weights.length);
  for (let i = weights.length - 1; i >= 0; i--) {
    addToBucket(buckets, i, weights[i]);
  }
  return heaviestInBuckets(buckets, (i) => weights[i], weights.length, k);
}

/**
 * The `k` heaviest of `n` bucketed entries, heaviest first, equal weights by index. The buckets tell how many
 * entries lie in buckets heavier than the one that holds the cut, and those all make it; only the cut bucket's
 * entries (a few thousand of a million-node tree's, unless most weights fall into that bucket) go through
 * {@link kthSmallest}, and only the chosen ones through a sort.
 */
function heaviestInBuckets(
  { counts, head, next }: WeightBuckets,
  weightOf: (i: number) => number,
  n: number,
  k: number
): Int32Array {
  const want = Math.max(0, Math.min(Math.floor(k), n));
  const chosen = new Int32Array(want);
  if (want === 0) {
    return chosen;
  }
  let c = 0;
  let cut = BUCKETS - 1;
  while (c + counts[cut] < want) {
    for (let i = head[cut]; i >= 0; i = next[i]) {
      chosen[c++] = i;
    }
    cut--;
  }
  // The cut bucket's heaviest `want - c`: those above its threshold, then ties at it by index.
  const atCut = new Int32Array(counts[cut]);
  const atCutWeights = new Float64Array(atCut.length);
  for (let i = head[cut], j = 0; i >= 0; i = next[i], j++) {
    atCut[j] = i;
    atCutWeights[j] = weightOf(i);
  }
  const threshold = kthSmallest(atCutWeights, atCut.length - (want - c));
  for (let j = 0; j < atCut.length; j++) {
    if (atCutWeights[j] > threshold) {
      chosen[c++] = atCut[j];
    }
  }
  for (let j = 0; j < atCut.length && c < want; j++) {
    if (atCutWeights[j] === threshold) {
      chosen[c++] = atCut[j];
    }
  }
  return chosen.sort((a, b) => weightOf(b) - weightOf(a) || a - b);
}

/**
 * What pruning needs from every node, in one pass (backwards, so that children come before their parents): the
 * nodes' weights in buckets, each node's child count and its subtree's size.
 */
function scanTree(tree: CallTree): { buckets: WeightBuckets; childCount: Uint32Array; subtreeSize: Uint32Array } {
  const n = tree.count;
  const { parent, total, totalRight } = tree;
  const buckets = emptyBuckets(n);
  const { counts, head, next } = buckets;
  const childCount = new Uint32Array(n);
  const subtreeSize = new Uint32Array(n);
  // addToBucket and nodeWeight written out: a one-shot process runs this loop before the engine has optimized it,
  // and there every call costs.
  for (let i = n - 1; i >= 0; i--) {
    scratch[0] = totalRight ? Math.abs(total[i]) + Math.abs(totalRight[i]) : Math.abs(total[i]);
    const bucket = scratchWords[HIGH_WORD] >>> 16;
    counts[bucket]++;
    next[i] = head[bucket];
    head[bucket] = i;
    const size = ++subtreeSize[i];
    if (i > 0) {
      const p = parent[i];
      childCount[p]++;
      subtreeSize[p] += size;
    }
  }
  return { buckets, childCount, subtreeSize };
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
  const { buckets, childCount, subtreeSize } = scanTree(tree);
  // The `k` heaviest nodes, ties by node number (parents before children); later rounds keep a prefix of them.
  const heaviest = heaviestInBuckets(buckets, nodeWeight(tree), n, k);
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
  return tree.layout === 'preOrderByName'
    ? rebuildPreOrder(tree, selection, subtreeSize)
    : rebuild(tree, keep, selection.nodes.length + selection.others);
}

/** The columns of a pruned tree of `size` nodes, filled by the rebuilds. */
function prunedColumns(tree: CallTree, size: number) {
  const right = tree.totalRight !== undefined && tree.selfRight !== undefined;
  // Typed columns of the known output size: appending to JS arrays cost more than the rest of the pruning.
  return {
    parent: new Int32Array(size),
    name: new Uint32Array(size),
    total: new Float64Array(size),
    self: new Float64Array(size),
    totalRight: right ? new Float64Array(size) : undefined,
    selfRight: right ? new Float64Array(size) : undefined,
    folded: new Uint32Array(size),
  };
}

/** Node `i` of the tree as node `node` of the pruned one (all but its parent). */
function copyKeptNode(tree: CallTree, i: number, columns: ReturnType<typeof prunedColumns>, node: number): void {
  columns.name[node] = tree.name[i];
  columns.total[node] = tree.total[i];
  columns.self[node] = tree.self[i];
  if (columns.totalRight && columns.selfRight) {
    columns.totalRight[node] = tree.totalRight![i];
    columns.selfRight[node] = tree.selfRight![i];
  }
}

function prunedTree(tree: CallTree, columns: ReturnType<typeof prunedColumns>, count: number): CallTree {
  // `other` nodes were numbered after their parent but possibly before later kept siblings: still parent < child.
  return {
    ...tree,
    ...columns,
    names: [...tree.names, OTHER_LABEL],
    count,
    // `other` nodes sit among their siblings out of label order.
    layout: undefined,
  };
}

/**
 * {@link rebuild} for a tree numbered in pre-order (CallTree.layout): a node's children are the node after it and
 * then each one after the previous child's subtree, so the kept nodes' children are visited without a pass over
 * the pruned ones. The numbering is rebuild's: kept nodes in node order, each `other` where its first pruned child
 * was.
 */
function rebuildPreOrder(tree: CallTree, { keep, nodes, others }: Selection, subtreeSize: Uint32Array): CallTree {
  const kept = Int32Array.from(nodes).sort();
  const size = kept.length + others;
  // Per kept node (by its place in `kept`): its first pruned child and what its `other` sums up.
  const firstPruned = new Int32Array(kept.length).fill(-1);
  const otherTotal = new Float64Array(kept.length);
  const otherTotalRight = tree.totalRight ? new Float64Array(kept.length) : undefined;
  const otherFolded = new Uint32Array(kept.length);
  // By node: its number in the pruned tree, or for a first pruned child its parent's place in `kept`.
  const numberOf = new Int32Array(tree.count);
  const order = new Int32Array(size);
  for (let j = 0; j < kept.length; j++) {
    const p = kept[j];
    order[j] = p;
    for (let c = p + 1, end = p + subtreeSize[p]; c < end; c += subtreeSize[c]) {
      if (keep[c]) {
        continue;
      }
      if (firstPruned[j] < 0) {
        firstPruned[j] = c;
        numberOf[c] = j;
      }
      otherTotal[j] += tree.total[c];
      if (otherTotalRight) {
        otherTotalRight[j] += tree.totalRight![c];
      }
      otherFolded[j] += subtreeSize[c];
    }
  }
  for (let j = 0, o = kept.length; j < kept.length; j++) {
    if (firstPruned[j] >= 0) {
      order[o++] = firstPruned[j];
    }
  }
  order.sort();
  const columns = prunedColumns(tree, size);
  const { parent, name, total, self, totalRight, selfRight, folded } = columns;
  const otherName = tree.names.length;
  for (let node = 0; node < size; node++) {
    const i = order[node];
    const p = tree.parent[i];
    parent[node] = p < 0 ? -1 : numberOf[p];
    if (keep[i]) {
      numberOf[i] = node;
      copyKeptNode(tree, i, columns, node);
    } else {
      const j = numberOf[i];
      name[node] = otherName;
      total[node] = self[node] = otherTotal[j];
      if (totalRight) {
        totalRight[node] = selfRight![node] = otherTotalRight![j];
      }
      folded[node] = otherFolded[j];
    }
  }
  return prunedTree(tree, columns, size);
}

/** The pruned tree: `keep`'s nodes plus one `other` per kept node with pruned children (`size` nodes in all). */
function rebuild(tree: CallTree, keep: Uint8Array, size: number): CallTree {
  const n = tree.count;
  const otherName = tree.names.length;
  const columns = prunedColumns(tree, size);
  const { parent, name, total, self, totalRight, selfRight, folded } = columns;
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
      copyKeptNode(tree, i, columns, node);
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
      if (totalRight) {
        totalRight[o] += tree.totalRight![i];
        selfRight![o] += tree.totalRight![i];
      }
      folded[o]++;
    } else {
      const o = slot[p];
      slot[i] = o;
      folded[o]++;
    }
  }
  return prunedTree(tree, columns, count);
}

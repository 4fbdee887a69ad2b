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
function weight(tree: CallTree, node: number): number {
  return Math.abs(tree.total[node]) + (tree.totalRight ? Math.abs(tree.totalRight[node]) : 0);
}

/** Marks the `k` heaviest nodes (ties by node number, so parents before children) and their ancestors. */
function markHeaviest(tree: CallTree, k: number): Uint8Array {
  const n = tree.count;
  const keep = new Uint8Array(n);
  const weights = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    weights[i] = weight(tree, i);
  }
  const sorted = weights.slice().sort();
  const threshold = sorted[Math.max(0, n - k)];
  let kept = 0;
  for (let i = 0; i < n && kept < k; i++) {
    if (weights[i] > threshold) {
      keep[i] = 1;
      kept++;
    }
  }
  for (let i = 0; i < n && kept < k; i++) {
    if (weights[i] === threshold && !keep[i]) {
      keep[i] = 1;
      kept++;
    }
  }
  keep[0] = 1;
  // Parents have smaller numbers than children: one backwards pass closes the set under "parent of".
  for (let i = n - 1; i > 0; i--) {
    if (keep[i]) {
      keep[tree.parent[i]] = 1;
    }
  }
  return keep;
}

function countOthers(tree: CallTree, keep: Uint8Array): { kept: number; others: number } {
  const hasPruned = new Uint8Array(tree.count);
  let kept = 0;
  for (let i = 0; i < tree.count; i++) {
    if (keep[i]) {
      kept++;
    } else if (keep[tree.parent[i]]) {
      hasPruned[tree.parent[i]] = 1;
    }
  }
  let others = 0;
  for (let i = 0; i < tree.count; i++) {
    others += hasPruned[i];
  }
  return { kept, others };
}

export function pruneCallTree(tree: CallTree, maxNodes: number): CallTree {
  if (tree.count <= maxNodes) {
    return tree;
  }
  const budget = Math.max(2, Math.floor(maxNodes));
  let k = budget - 1;
  let keep = markHeaviest(tree, k);
  // Each kept node with pruned children costs one extra `other` node: shrink k until kept + others fits.
  for (let round = 0; round < 16; round++) {
    const { kept, others } = countOthers(tree, keep);
    if (kept + others <= budget || k <= 1) {
      break;
    }
    k = Math.max(1, Math.min(k - 1, budget - others));
    keep = markHeaviest(tree, k);
  }
  return rebuild(tree, keep);
}

function rebuild(tree: CallTree, keep: Uint8Array): CallTree {
  const n = tree.count;
  const otherName = tree.names.length;
  const newIndex = new Int32Array(n).fill(-1);
  const otherOf = new Int32Array(n).fill(-1);
  const parent: number[] = [];
  const name: number[] = [];
  const total: number[] = [];
  const self: number[] = [];
  const totalRight: number[] = [];
  const selfRight: number[] = [];
  const folded: number[] = [];
  const right = tree.totalRight !== undefined;
  const add = (p: number, nm: number, t: number, s: number, tr: number, sr: number, f: number): number => {
    parent.push(p);
    name.push(nm);
    total.push(t);
    self.push(s);
    totalRight.push(tr);
    selfRight.push(sr);
    folded.push(f);
    return parent.length - 1;
  };
  // Size of each pruned subtree, so `other` can say how many nodes it replaces.
  const subtree = new Uint32Array(n).fill(1);
  for (let i = n - 1; i > 0; i--) {
    subtree[tree.parent[i]] += subtree[i];
  }
  for (let i = 0; i < n; i++) {
    const p = tree.parent[i];
    if (keep[i]) {
      newIndex[i] = add(
        p < 0 ? -1 : newIndex[p],
        tree.name[i],
        tree.total[i],
        tree.self[i],
        right ? tree.totalRight![i] : 0,
        right ? tree.selfRight![i] : 0,
        0
      );
    } else if (keep[p]) {
      let o = otherOf[p];
      if (o < 0) {
        o = otherOf[p] = add(newIndex[p], otherName, 0, 0, 0, 0, 0);
      }
      const t = tree.total[i];
      const tr = right ? tree.totalRight![i] : 0;
      total[o] += t;
      self[o] += t;
      totalRight[o] += tr;
      selfRight[o] += tr;
      folded[o] += subtree[i];
    }
  }
  // `other` nodes were appended after their parent but possibly before later kept siblings: still parent < child.
  return {
    ...tree,
    names: [...tree.names, OTHER_LABEL],
    count: parent.length,
    parent: Int32Array.from(parent),
    name: Uint32Array.from(name),
    total: Float64Array.from(total),
    self: Float64Array.from(self),
    totalRight: right ? Float64Array.from(totalRight) : undefined,
    selfRight: right ? Float64Array.from(selfRight) : undefined,
    folded: Uint32Array.from(folded),
  };
}

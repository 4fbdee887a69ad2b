import fc from 'fast-check';

import type { CallTree } from './callTree';
import { heaviestFirst, kthSmallest, pruneCallTree } from './prune';
import { treeFromParents } from './testing/treeFromParents';

describe('kthSmallest (the pruning threshold)', () => {
  it('equals the value at that rank of the sorted array, for any values and rank, with ties', () => {
    fc.assert(
      fc.property(
        // `+ 0` turns -0 into 0: weights are absolute values, and a sort orders -0 before 0 where comparisons cannot.
        fc.array(
          fc.oneof(
            fc.integer({ min: -5, max: 5 }),
            fc.double({ noNaN: true }).map((x) => x + 0)
          ),
          {
            minLength: 1,
            maxLength: 300,
          }
        ),
        fc.nat(),
        (values, r) => {
          const input = Float64Array.from(values);
          const rank = r % input.length;
          const before = input.slice();
          expect(kthSmallest(input, rank)).toBe(input.slice().sort()[rank]);
          expect(input).toEqual(before); // the caller's weights are not reordered
        }
      ),
      { numRuns: 500 }
    );
  });
});

/** The heaviest `k` indices by definition: every index sorted by weight, heaviest first, equal weights by index. */
function heaviestByDefinition(weights: Float64Array, k: number): number[] {
  return [...weights.keys()].sort((a, b) => weights[b] - weights[a] || a - b).slice(0, Math.max(0, k));
}

/** Weights as pruning sees them: non-negative, with many ties, spread over many magnitudes or crowded into one. */
const weightArrays = fc.oneof(
  fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 400 }),
  fc.array(
    fc.oneof(
      fc.integer({ min: 0, max: 3 }).map((x) => x * 1e7),
      fc.double({ min: 0, max: 1e300, noNaN: true }).map((x) => x + 0)
    ),
    { minLength: 1, maxLength: 400 }
  ),
  // One 16-bit bucket (same exponent, same leading mantissa bits): the cut falls among all of them.
  fc.array(
    fc.integer({ min: 0, max: 40 }).map((x) => 1024 + x / 64),
    { minLength: 1, maxLength: 400 }
  )
);

describe('heaviestFirst (the nodes pruning keeps)', () => {
  it('is the first k of all indices sorted by weight, ties by index, for any k', () => {
    fc.assert(
      fc.property(weightArrays, fc.nat(), (values, r) => {
        const weights = Float64Array.from(values);
        const k = r % (weights.length + 2);
        const before = weights.slice();
        expect(Array.from(heaviestFirst(weights, k))).toEqual(heaviestByDefinition(weights, k));
        expect(weights).toEqual(before);
      }),
      { numRuns: 500 }
    );
  });
});

/**
 * Pruning by its definition, the straightforward way: keep the `k` heaviest (sorted) plus the root and ancestors,
 * shrink `k` while kept + others exceeds the budget, fold every pruned child of a kept node into that node's
 * `other`, numbered where its first pruned child was.
 */
function pruneByDefinition(tree: CallTree, maxNodes: number) {
  const n = tree.count;
  if (n <= maxNodes) {
    return tree;
  }
  const weights = Float64Array.from({ length: n }, (_, i) => Math.abs(tree.total[i]));
  const budget = Math.max(2, Math.floor(maxNodes));
  const keepFor = (k: number) => {
    const keep = new Uint8Array(n);
    keep[0] = 1;
    for (const i of heaviestByDefinition(weights, k)) {
      for (let j = i; j >= 0 && !keep[j]; j = tree.parent[j]) {
        keep[j] = 1;
      }
    }
    const withPruned = new Set<number>();
    for (let i = 1; i < n; i++) {
      if (!keep[i] && keep[tree.parent[i]]) {
        withPruned.add(tree.parent[i]);
      }
    }
    return { keep, size: keep.reduce((a, b) => a + b, 0) + withPruned.size, others: withPruned.size };
  };
  let k = budget - 1;
  let chosen = keepFor(k);
  for (let round = 0; round < 16 && chosen.size > budget && k > 1; round++) {
    k = Math.max(1, Math.min(k - 1, budget - chosen.others));
    chosen = keepFor(k);
  }
  const parent: number[] = [];
  const labels: string[] = [];
  const total: number[] = [];
  const self: number[] = [];
  const folded: number[] = [];
  const number = new Map<number, number>();
  const otherOf = new Map<number, number>();
  const ownerOf = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const p = tree.parent[i];
    if (chosen.keep[i]) {
      number.set(i, parent.length);
      parent.push(p < 0 ? -1 : number.get(p)!);
      labels.push(tree.names[tree.name[i]]);
      total.push(tree.total[i]);
      self.push(tree.self[i]);
      folded.push(0);
      continue;
    }
    let o = chosen.keep[p] ? otherOf.get(p) : ownerOf.get(p)!;
    if (o === undefined) {
      o = parent.length;
      otherOf.set(p, o);
      parent.push(number.get(p)!);
      labels.push('other');
      total.push(0);
      self.push(0);
      folded.push(0);
    }
    ownerOf.set(i, o);
    if (chosen.keep[p]) {
      total[o] += tree.total[i];
      self[o] += tree.total[i];
    }
    folded[o]++;
  }
  return { parent, labels, total, self, folded };
}

/** A random tree in node order (parents before children), with totals consistent with its selfs. */
const randomTrees = fc
  .array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 8 })), {
    minLength: 1,
    maxLength: 150,
  })
  .map((rows) => {
    const n = rows.length + 1;
    const parent = new Int32Array(n);
    const name = new Uint32Array(n);
    const self = new Float64Array(n);
    parent[0] = -1;
    rows.forEach(([p, s, label], j) => {
      parent[j + 1] = p % (j + 1);
      self[j + 1] = s * 10;
      name[j + 1] = label;
    });
    return treeFromParents(['total', ...Array.from({ length: 9 }, (_, i) => `f${i}`)], parent, name, self);
  });

/** The same tree numbered as the tree builder numbers it: depth-first pre-order, siblings by label. */
function inPreOrderByName(tree: CallTree): CallTree {
  const label = (i: number) => tree.names[tree.name[i]];
  const children: number[][] = Array.from({ length: tree.count }, () => []);
  for (let i = 1; i < tree.count; i++) {
    children[tree.parent[i]].push(i);
  }
  const order: number[] = [];
  const visit = (i: number) => {
    order.push(i);
    [...children[i]].sort((a, b) => (label(a) < label(b) ? -1 : label(a) > label(b) ? 1 : a - b)).forEach(visit);
  };
  visit(0);
  const numberOf = new Int32Array(tree.count);
  order.forEach((old, i) => (numberOf[old] = i));
  const parent = Int32Array.from(order, (old) => (old === 0 ? -1 : numberOf[tree.parent[old]]));
  const name = Uint32Array.from(order, (old) => tree.name[old]);
  const self = Float64Array.from(order, (old) => tree.self[old]);
  return { ...treeFromParents(tree.names, parent, name, self), layout: 'preOrderByName' };
}

describe('pruneCallTree', () => {
  it.each([
    ['numbered in any order', (tree: CallTree) => tree],
    ['numbered in pre-order (as the tree builder numbers)', inPreOrderByName],
  ])('is pruning by definition on random trees %s and budgets', (_, numbering) => {
    fc.assert(
      fc.property(randomTrees.map(numbering), fc.integer({ min: 1, max: 60 }), (tree, budget) => {
        const pruned = pruneCallTree(tree, budget);
        const expected = pruneByDefinition(tree, budget);
        if (expected === tree) {
          expect(pruned).toBe(tree);
          return;
        }
        expect({
          parent: Array.from(pruned.parent),
          labels: Array.from(pruned.name, (id) => pruned.names[id]),
          total: Array.from(pruned.total),
          self: Array.from(pruned.self),
          folded: Array.from(pruned.folded!),
        }).toEqual(expected);
      }),
      { numRuns: 400 }
    );
  });
});

/**
 * Test support: a readable text rendering of call trees and the tree invariants, shared by analysis tests.
 */
import { CallTree } from '../callTree';

/** Renders a tree as indented `label total/self` lines, children sorted by label: readable expectations. */
export function renderTree(tree: CallTree): string[] {
  const kids = new Map<number, number[]>();
  for (let i = 1; i < tree.count; i++) {
    kids.set(tree.parent[i], [...(kids.get(tree.parent[i]) ?? []), i]);
  }
  const out: string[] = [];
  const walk = (node: number, depth: number) => {
    out.push(`${'  '.repeat(depth)}${tree.names[tree.name[node]]} ${tree.total[node]}/${tree.self[node]}`);
    const children = (kids.get(node) ?? []).sort((a, b) =>
      tree.names[tree.name[a]] < tree.names[tree.name[b]] ? -1 : 1
    );
    children.forEach((c) => walk(c, depth + 1));
  };
  walk(0, 0);
  return out;
}

/** total = self + sum(children) at every node, parents numbered before children. */
export function expectTreeInvariants(tree: CallTree): void {
  const childSum = new Float64Array(tree.count);
  for (let i = 1; i < tree.count; i++) {
    expect(tree.parent[i]).toBeLessThan(i);
    childSum[tree.parent[i]] += tree.total[i];
  }
  for (let i = 0; i < tree.count; i++) {
    expect(tree.total[i]).toBe(tree.self[i] + childSum[i]);
  }
}

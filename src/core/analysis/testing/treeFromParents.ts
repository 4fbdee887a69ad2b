/**
 * A call tree from its parent and name columns and each node's self value (node 0 the root, parents before
 * children), with the totals the tree builder would give it: generated trees for property tests.
 */
import type { CallTree } from '../callTree';

export function treeFromParents(
  names: readonly string[],
  parent: Int32Array,
  name: Uint32Array,
  self: Float64Array
): CallTree {
  const total = self.slice();
  for (let i = parent.length - 1; i > 0; i--) {
    total[parent[i]] += total[i];
  }
  return {
    names,
    count: parent.length,
    parent,
    name,
    total,
    self,
    sampleType: { type: 'cpu', unit: 'nanoseconds' },
    inverted: false,
    sampleCount: 0,
  };
}

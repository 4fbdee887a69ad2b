import { readFileSync } from 'fs';
import { join } from 'path';

import { fixturesRoot } from '../../../../tests/support/fixtures';
import { clusterGoroutines } from './cluster';
import { snapshotFromText } from './fromText';
import { goroutineCallTree } from './stackTree';

const dump = readFileSync(join(fixturesRoot, 'demo/goroutine-leak/goroutine.debug2.txt'), 'utf8');
const headers = dump.split('\n').filter((l) => /^goroutine \d+ .*\[/.test(l)).length;

describe('goroutineCallTree', () => {
  const snapshot = snapshotFromText(dump);

  it('counts every goroutine of the dump once, at the root and in the leaves', () => {
    const tree = goroutineCallTree(snapshot);
    expect(tree.total[0]).toBe(headers);
    expect(tree.self.reduce((a, b) => a + b, 0)).toBe(headers);
    expect(tree.sampleType).toEqual({ type: 'goroutine', unit: 'count' });
  });

  it('puts the largest cluster under its stack, root to leaf (and leaf first when inverted)', () => {
    const largest = clusterGoroutines(snapshot).clusters[0];
    const path = largest.frames.map((f) => f.func);
    const find = (tree: ReturnType<typeof goroutineCallTree>, names: string[]) => {
      let node = 0;
      for (const name of names) {
        const next = tree.parent.findIndex((p, i) => p === node && tree.names[tree.name[i]] === name);
        if (next < 0) {
          return -1;
        }
        node = next;
      }
      return node;
    };
    const topDown = goroutineCallTree(snapshot);
    const leaf = find(topDown, [...path].reverse());
    expect(leaf).toBeGreaterThan(0);
    expect(topDown.total[leaf]).toBeGreaterThanOrEqual(largest.count);
    const inverted = goroutineCallTree(snapshot, { inverted: true });
    expect(inverted.inverted).toBe(true);
    expect(inverted.total[find(inverted, path)]).toBeGreaterThanOrEqual(largest.count);
  });
});

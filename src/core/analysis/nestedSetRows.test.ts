/**
 * The flame frame's rows are computed from subtree sizes and scattered (nestedSet.ts `preOrderRows`); this checks
 * them column for column against the straightforward depth-first walk over the sorted child lists, on real profiles
 * of every kind in the repository's fixtures, in both sibling orders, top-down and inverted, and on diff trees.
 */
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { fixturesRoot } from '../../../tests/support/fixtures';
import { parsePprof } from '../model/parsePprof';
import { Profile } from '../model/profile';
import { buildCallTree, CallTree } from './callTree';
import { alignTrees } from './diff';
import { FlameFrame, toNestedSet } from './nestedSet';
import { pruneCallTree } from './prune';
import { ChildLists, childLists, siblingGroupSort, SiblingOrder } from './siblingOrder';

/** Sorts every node's children in place, one sibling group after another (the reference walk's input). */
function sortSiblings(tree: CallTree, lists: ChildLists, order: SiblingOrder): void {
  const { start } = lists;
  const sortGroup = siblingGroupSort(tree, lists, order);
  for (let i = 0; i < tree.count; i++) {
    if (start[i + 1] - start[i] > 1) {
      sortGroup(start[i], start[i + 1]);
    }
  }
}

/** Depth-first walk with an explicit stack, children in sorted list order: the frame the contract describes. */
function depthFirstFrame(tree: CallTree, order: SiblingOrder): FlameFrame {
  const lists = childLists(tree);
  sortSiblings(tree, lists, order);
  const { start, kids } = lists;
  const n = tree.count;
  const frame: FlameFrame = {
    names: tree.names,
    levels: new Uint32Array(n),
    values: new Float64Array(n),
    selfs: new Float64Array(n),
    labelIds: new Uint32Array(n),
  };
  const right = tree.totalRight && tree.selfRight;
  if (right) {
    frame.valuesRight = new Float64Array(n);
    frame.selfsRight = new Float64Array(n);
  }
  const stack: Array<[number, number]> = [[0, 0]];
  let row = 0;
  while (stack.length > 0) {
    const [node, level] = stack.pop()!;
    frame.levels[row] = level;
    frame.values[row] = tree.total[node];
    frame.selfs[row] = tree.self[node];
    frame.labelIds[row] = tree.name[node];
    if (right) {
      frame.valuesRight![row] = tree.totalRight![node];
      frame.selfsRight![row] = tree.selfRight![node];
    }
    row++;
    for (let k = start[node + 1] - 1; k >= start[node]; k--) {
      stack.push([kids[k], level + 1]);
    }
  }
  return frame;
}

const columns = ['levels', 'values', 'selfs', 'labelIds', 'valuesRight', 'selfsRight'] as const;

function expectSameFrame(actual: FlameFrame, expected: FlameFrame): void {
  expect(actual.names).toBe(expected.names);
  for (const column of columns) {
    const a = actual[column];
    const e = expected[column];
    expect(a === undefined).toBe(e === undefined);
    if (a && e) {
      expect(a.constructor).toBe(e.constructor);
      // Byte for byte: equal lengths and equal contents.
      expect(
        Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(e.buffer, e.byteOffset, e.byteLength))
      ).toBe(true);
    }
  }
}

/** Every pprof capture in fixtures/demo and fixtures/real-world/profiles that parses. */
function fixtureProfiles(): Array<[string, Profile]> {
  const files: string[] = [];
  for (const scenario of readdirSync(join(fixturesRoot, 'demo'), { withFileTypes: true })) {
    if (scenario.isDirectory()) {
      for (const f of readdirSync(join(fixturesRoot, 'demo', scenario.name))) {
        if (f.endsWith('.pb.gz')) {
          files.push(join('demo', scenario.name, f));
        }
      }
    }
  }
  for (const f of readdirSync(join(fixturesRoot, 'real-world', 'profiles'))) {
    files.push(join('real-world', 'profiles', f));
  }
  const out: Array<[string, Profile]> = [];
  for (const file of files) {
    try {
      out.push([file, parsePprof(new Uint8Array(readFileSync(join(fixturesRoot, file))))]);
    } catch {
      // Not a profile this decoder accepts (a legacy text format): nothing to lay out.
    }
  }
  return out;
}

describe('flame frame rows', () => {
  const profiles = fixtureProfiles();

  it('reads enough fixtures to mean something', () => {
    expect(profiles.length).toBeGreaterThanOrEqual(40);
    expect(profiles.some(([, p]) => buildCallTree(p).count > 1000)).toBe(true);
  });

  it('equal the depth-first walk over sorted children on every fixture, both orders, top-down and inverted', () => {
    for (const [file, profile] of profiles) {
      for (const inverted of [false, true]) {
        const tree = buildCallTree(profile, { inverted });
        for (const order of ['name', 'value'] as const) {
          try {
            expectSameFrame(toNestedSet(tree, { order }), depthFirstFrame(tree, order));
          } catch (error) {
            throw new Error(`${file} inverted=${inverted} order=${order}: ${String(error)}`);
          }
        }
      }
    }
  });

  it('equal the depth-first walk on pruned trees and on diff trees', () => {
    const byScenario = profiles.filter(([file]) => file.startsWith('demo') && file.endsWith('cpu.pb.gz'));
    expect(byScenario.length).toBeGreaterThanOrEqual(2);
    for (let i = 0; i + 1 < byScenario.length; i++) {
      const left = buildCallTree(byScenario[i][1]);
      const right = buildCallTree(byScenario[i + 1][1]);
      const diff = alignTrees(left, right);
      expect(diff.totalRight).toBeDefined();
      expectSameFrame(toNestedSet(diff), depthFirstFrame(diff, 'name'));
      const pruned = pruneCallTree(diff, 64);
      expectSameFrame(toNestedSet(pruned, { order: 'value' }), depthFirstFrame(pruned, 'value'));
    }
  });

  it('equal the depth-first walk on a tree of one node', () => {
    const tree = buildCallTree(profiles[0][1], { focus: '^no function is named like this$' });
    expect(tree.count).toBe(1);
    expectSameFrame(toNestedSet(tree), depthFirstFrame(tree, 'name'));
  });
});

import fc from 'fast-check';

import { CallTree } from './callTree';
import { rowLabels } from './flameLabels';
import { FlameFrame, toNestedSet } from './nestedSet';
import { SiblingOrder } from './siblingOrder';
import { treeFromParents } from './testing/treeFromParents';

/** A tree whose nodes hang off a few parents (sibling groups far above the insertion-sort size of 16). */
const wideTreeArb = fc
  .record({
    // Few names: the ranked comparison; many: the string comparison and the large-group radix sort (a surrogate pair
    // sorts before U+FFFF by UTF-16 code units).
    names: fc.array(
      fc.constantFrom('a', 'ab', 'b', 'B', 'é', 'main.f1', 'main.f10', 'main.f2', '\u{1F600}', '\uFFFF', ''),
      {
        minLength: 1,
        maxLength: 400,
      }
    ),
    shape: fc.array(fc.record({ parentPick: fc.nat(), namePick: fc.nat(), value: fc.integer({ min: 0, max: 3 }) }), {
      minLength: 1,
      maxLength: 300,
    }),
    fanIn: fc.integer({ min: 1, max: 6 }),
  })
  .map(({ names, shape, fanIn }): CallTree => {
    const n = shape.length + 1;
    const parent = new Int32Array(n);
    const name = new Uint32Array(n);
    const self = new Float64Array(n);
    parent[0] = -1;
    shape.forEach((s, k) => {
      const i = k + 1;
      parent[i] = s.parentPick % Math.min(i, fanIn);
      name[i] = s.namePick % names.length;
      self[i] = s.value;
    });
    return treeFromParents(names, parent, name, self);
  });

/** Pre-order rows (label and value) with children sorted by the documented rule, written the obvious way. */
function expectedRows(tree: CallTree, order: SiblingOrder): string[] {
  const label = (i: number) => tree.names[tree.name[i]];
  const children: number[][] = Array.from({ length: tree.count }, () => []);
  for (let i = 1; i < tree.count; i++) {
    children[tree.parent[i]].push(i);
  }
  const byName = (a: number, b: number) => (label(a) < label(b) ? -1 : label(a) > label(b) ? 1 : a - b);
  const compare = order === 'value' ? (a: number, b: number) => tree.total[b] - tree.total[a] || byName(a, b) : byName;
  const out: string[] = [];
  const visit = (i: number) => {
    out.push(`${label(i)} ${tree.total[i]}`);
    [...children[i]].sort(compare).forEach(visit);
  };
  visit(0);
  return out;
}

/** Rows as label and value: equal labels in the wrong order show as swapped values. */
function rows(frame: FlameFrame): string[] {
  return rowLabels(frame).map((label, row) => `${label} ${frame.values[row]}`);
}

describe('sibling order', () => {
  it('is alphabetical by UTF-16 code units, ties by node number, in groups of any size (property)', () => {
    fc.assert(
      fc.property(wideTreeArb, fc.constantFrom<SiblingOrder>('name', 'value'), (tree, order) => {
        expect(rows(toNestedSet(tree, { order }))).toEqual(expectedRows(tree, order));
      }),
      { numRuns: 150 }
    );
  });

  it('orders a group of thousands of children like a string sort, names sharing long prefixes', () => {
    const count = 5000;
    const names = Array.from({ length: count }, (_, i) => `main.setFunctions.func${(i * 7919) % count}`);
    names.push('total', 'main.setFunctions.func42');
    // Twice as many names as siblings (as in a CPU profile): labels compare as strings, not ranks.
    names.push(...Array.from({ length: count }, (_, i) => `unused${i}`));
    const parent = new Int32Array(count + 1);
    const name = new Uint32Array(count + 1);
    parent[0] = -1;
    name[0] = count;
    for (let i = 1; i <= count; i++) {
      name[i] = i === count ? count + 1 : i - 1; // the last child repeats a name: it must follow its twin
    }
    const tree: CallTree = {
      names,
      count: count + 1,
      parent,
      name,
      total: Float64Array.from({ length: count + 1 }, (_, i) => (i === 0 ? (count * (count + 1)) / 2 : i)),
      self: Float64Array.from({ length: count + 1 }, (_, i) => (i === 0 ? 0 : i)),
      sampleType: { type: 'cpu', unit: 'nanoseconds' },
      inverted: false,
      sampleCount: 0,
    };
    const frame = toNestedSet(tree);
    expect(rows(frame)).toEqual(expectedRows(tree, 'name'));
    const twins = rowLabels(frame).flatMap((l, row) => (l === 'main.setFunctions.func42' ? [row] : []));
    expect(twins).toHaveLength(2);
    expect(twins[1]).toBe(twins[0] + 1);
    expect(frame.values[twins[1]]).toBe(count);
  });
});

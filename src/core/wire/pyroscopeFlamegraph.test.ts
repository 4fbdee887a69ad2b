import { rowLabels } from '../analysis/flameLabels';
import { decodeFlameGraph, decodeFlameGraphDiff } from './pyroscopeFlamegraph';
import { PyroscopeShapeError } from './pyroscopeJson';

/** A tree to encode the way Pyroscope does (pkg/model/flamegraph.go): children start after the parent's self. */
interface T {
  name: string;
  self: number;
  right?: number; // diff: right self
  children?: T[];
}
const total = (t: T): number => t.self + (t.children ?? []).reduce((s, c) => s + total(c), 0);
const totalRight = (t: T): number => (t.right ?? 0) + (t.children ?? []).reduce((s, c) => s + totalRight(c), 0);

function encode(root: T, diff = false) {
  const names: string[] = [];
  const nameOf = (n: string) => (names.includes(n) ? names.indexOf(n) : names.push(n) - 1);
  const levels: number[][] = [];
  const prevEnd: Array<[number, number]> = [];
  const walk = (t: T, depth: number, xl: number, xr: number) => {
    levels[depth] = levels[depth] ?? [];
    prevEnd[depth] = prevEnd[depth] ?? [0, 0];
    const [pl, pr] = prevEnd[depth];
    const tl = total(t);
    const tr = totalRight(t);
    if (diff) {
      levels[depth].push(xl - pl, tl, t.self, xr - pr, tr, t.right ?? 0, nameOf(t.name));
    } else {
      levels[depth].push(xl - pl, tl, t.self, nameOf(t.name));
    }
    prevEnd[depth] = [xl + tl, xr + tr];
    let cl = xl + t.self;
    let cr = xr + (t.right ?? 0);
    for (const c of t.children ?? []) {
      walk(c, depth + 1, cl, cr);
      cl += total(c);
      cr += totalRight(c);
    }
  };
  nameOf('total');
  walk(root, 0, 0, 0);
  // protojson: int64 as strings
  return {
    names,
    levels: levels.map((values) => ({ values: values.map(String) })),
    total: String(diff ? total(root) + totalRight(root) : total(root)),
    maxSelf: '7',
    ...(diff ? { leftTicks: String(total(root)), rightTicks: String(totalRight(root)) } : {}),
  };
}

const tree: T = {
  name: 'total',
  self: 0,
  children: [
    {
      name: 'main.main',
      self: 1,
      children: [
        { name: 'main.work', self: 7 },
        { name: 'runtime.mallocgc', self: 2 },
      ],
    },
    { name: 'runtime.gcBgMarkWorker', self: 3, children: [{ name: 'runtime.gcDrain', self: 4 }] },
  ],
};

describe('decodeFlameGraph', () => {
  it('turns delta-encoded levels into nested-set rows in depth-first order', () => {
    const rows = decodeFlameGraph(encode(tree));
    expect(rowLabels(rows)).toEqual([
      'total',
      'main.main',
      'main.work',
      'runtime.mallocgc',
      'runtime.gcBgMarkWorker',
      'runtime.gcDrain',
    ]);
    expect([...rows.levels]).toEqual([0, 1, 2, 2, 1, 2]);
    expect([...rows.values]).toEqual([17, 10, 7, 2, 7, 4]);
    expect([...rows.selfs]).toEqual([0, 1, 7, 2, 3, 4]);
    expect(rows.total).toBe(17);
    expect(rows.valuesRight).toBeUndefined();
  });

  it('reads the documented example shape (int64 as strings, zero fields omitted)', () => {
    const rows = decodeFlameGraph({
      names: ['total', 'runtime.systemstack'],
      levels: [{ values: ['0', '11100000000', '0', '0'] }, { values: ['0', '30000000', '30000000', '1'] }],
      total: '11100000000',
      maxSelf: '2520000000',
    });
    expect(rowLabels(rows)).toEqual(['total', 'runtime.systemstack']);
    expect(rows.values[0]).toBe(11100000000);
    expect(rows.maxSelf).toBe(2520000000);
  });

  it('answers zero rows when the flame graph is absent (no data in range)', () => {
    const rows = decodeFlameGraph(undefined);
    expect(rowLabels(rows)).toEqual([]);
    expect(rows.total).toBe(0);
  });

  it('rejects shapes that are not a flame graph, naming the field', () => {
    expect(() => decodeFlameGraph({ names: ['total'], levels: [{ values: ['0', '1', '0'] }] })).toThrow(
      /multiple of 4/
    );
    expect(() => decodeFlameGraph({ names: ['total'], levels: [{ values: ['0', '1', '0', '5'] }] })).toThrow(
      /name index 5/
    );
    expect(() => decodeFlameGraph({ names: 'total' })).toThrow(PyroscopeShapeError);
    expect(() => decodeFlameGraph({ names: ['total'], levels: [{ values: ['0', 'x', '0', '0'] }] })).toThrow(
      /expected an int64/
    );
    expect(() =>
      decodeFlameGraph({
        names: ['total', 'a'],
        levels: [{ values: ['0', '1', '0', '0'] }, { values: ['5', '1', '1', '1'] }],
      })
    ).toThrow(/outside every node/);
  });
});

describe('decodeFlameGraphDiff', () => {
  it('decodes 7-tuples into baseline value/self and comparison valueRight/selfRight', () => {
    const diffTree: T = {
      name: 'total',
      self: 0,
      right: 0,
      children: [
        { name: 'a', self: 5, right: 0 }, // only in the baseline
        { name: 'b', self: 0, right: 6, children: [{ name: 'c', self: 0, right: 4 }] }, // only in the comparison
        { name: 'd', self: 2, right: 3 },
      ],
    };
    const rows = decodeFlameGraphDiff(encode(diffTree, true));
    expect(rowLabels(rows)).toEqual(['total', 'a', 'b', 'c', 'd']);
    expect([...rows.levels]).toEqual([0, 1, 1, 2, 1]);
    expect([...rows.values]).toEqual([7, 5, 0, 0, 2]);
    expect([...rows.valuesRight!]).toEqual([13, 0, 10, 4, 3]);
    expect([...rows.selfsRight!]).toEqual([0, 0, 6, 4, 3]);
    expect(rows.leftTicks).toBe(7);
    expect(rows.rightTicks).toBe(13);
  });
});

describe('flame graphs that are not trees of totals are refused with a typed error', () => {
  const fg = (levels: number[][], names = ['total', 'a', 'b']) => ({
    names,
    levels: levels.map((values) => ({ values: values.map(String) })),
  });

  it('children wider than their parent', () => {
    // Valid: total 10 holds a (6, self 3, one child of 3 placed after its self) and b (4). Invalid: root self 4 too.
    expect(() =>
      decodeFlameGraph(
        fg([
          [0, 10, 0, 0],
          [0, 6, 3, 1, 0, 4, 4, 2],
          [3, 3, 3, 1],
        ])
      )
    ).not.toThrow();
    expect(() =>
      decodeFlameGraph(
        fg([
          [0, 10, 4, 0],
          [0, 6, 6, 1, 0, 4, 4, 2],
        ])
      )
    ).toThrow(/children total 10 plus self 4 exceed the node's total 10/);
  });

  it('a self above its total, or negative', () => {
    expect(() => decodeFlameGraph(fg([[0, 10, 11, 0]]))).toThrow(PyroscopeShapeError);
    expect(() => decodeFlameGraph(fg([[0, 10, -1, 0]]))).toThrow(/self -1 is outside 0..10/);
  });

  it('a diff whose right side breaks the rule names the side', () => {
    const diff = {
      names: ['total', 'a'],
      levels: [{ values: ['0', '5', '0', '0', '5', '0', '0'] }, { values: ['0', '5', '5', '0', '9', '9', '1'] }],
    };
    expect(() => decodeFlameGraphDiff(diff)).toThrow(/right children total 9 plus self 0 exceed the node's total 5/);
  });

  it('200,000 root nodes: a typed error, not a call-stack overflow', () => {
    const values: string[] = [];
    for (let i = 0; i < 200_000; i++) {
      values.push('0', '1', '1', '0');
    }
    expect(() => decodeFlameGraph({ names: ['total'], levels: [{ values }] })).toThrow(
      /200000 root nodes; a flame graph has one/
    );
  });
});

/**
 * @jest-environment jsdom
 */
/**
 * The nested-set frame against Grafana's own reader: our columns are fed to @grafana/flamegraph's
 * FlameGraphDataContainer (the code behind the Flame Graph panel), and the levels it reconstructs must be our tree.
 */
import '../../../tests/support/grafanaModuleShims';

import { createDataFrame, FieldType } from '@grafana/data';
import fc from 'fast-check';
import { readFileSync } from 'fs';
import { join } from 'path';
import { fixturesRoot } from '../../../tests/support/fixtures';
import { encodeProfile, SpecBuilder } from '../wire/testing/pprofEncoder';
import { optionsArb, profileSpecArb } from '../wire/testing/profileArbitraries';
import { parsePprof } from '../model/parsePprof';
import { sampleTotal } from '../model/profile';
import { buildCallTree } from './callTree';
import { rowLabels } from './flameLabels';
import { FlameFrame, toNestedSet } from './nestedSet';
import { pruneCallTree } from './prune';
// Grafana's reader is not exported from the package entry point; load the published file directly.
const grafana = require('../../../node_modules/@grafana/flamegraph/dist/cjs/FlameGraph/dataTransform.cjs');

function toDataFrame(frame: FlameFrame) {
  const fields = [
    { name: 'level', type: FieldType.number, values: Array.from(frame.levels) },
    { name: 'value', type: FieldType.number, values: Array.from(frame.values), config: { unit: 'ns' } },
    { name: 'self', type: FieldType.number, values: Array.from(frame.selfs), config: { unit: 'ns' } },
    { name: 'label', type: FieldType.string, values: rowLabels(frame) },
  ];
  if (frame.valuesRight && frame.selfsRight) {
    fields.push({
      name: 'valueRight',
      type: FieldType.number,
      values: Array.from(frame.valuesRight),
      config: { unit: 'ns' },
    });
    fields.push({
      name: 'selfRight',
      type: FieldType.number,
      values: Array.from(frame.selfsRight),
      config: { unit: 'ns' },
    });
  }
  return createDataFrame({ fields });
}

interface Item {
  start: number;
  value: number;
  itemIndexes: number[];
  children: Item[];
  level: number;
}

/** Checks Grafana's reconstruction: one root, children contiguous from the parent's start, self = value - children. */
function expectGrafanaReads(frame: FlameFrame): void {
  expect(grafana.checkFields(toDataFrame(frame))).toBeUndefined();
  const container = new grafana.FlameGraphDataContainer(toDataFrame(frame), { collapsing: false });
  const levels: Item[][] = container.getLevels();
  expect(levels[0]).toHaveLength(1);
  const visit = (item: Item) => {
    const row = item.itemIndexes[0];
    const right = frame.valuesRight ? frame.valuesRight[row] : 0;
    expect(item.value).toBe(frame.values[row] + right);
    expect(item.level).toBe(frame.levels[row]);
    let x = item.start;
    let childSum = 0;
    for (const child of item.children) {
      expect(child.start).toBe(x);
      x += child.value;
      childSum += child.value;
    }
    const selfRight = frame.selfsRight ? frame.selfsRight[row] : 0;
    expect(item.value - childSum).toBe(frame.selfs[row] + selfRight);
    item.children.forEach(visit);
  };
  visit(levels[0][0]);
}

function small() {
  const b = new SpecBuilder().sampleType('cpu', 'nanoseconds');
  b.sample(['main.main', 'main.b'], [10]);
  b.sample(['main.main', 'main.a'], [5]);
  b.sample(['main.main', 'main.c', 'main.d'], [30]);
  b.sample(['main.main'], [1]);
  return parsePprof(encodeProfile(b.spec));
}

describe('toNestedSet', () => {
  it('lays rows out depth-first from the single root "total", children by name', () => {
    const frame = toNestedSet(buildCallTree(small()));
    expect(rowLabels(frame)).toEqual(['total', 'main.main', 'main.a', 'main.b', 'main.c', 'main.d']);
    expect(Array.from(frame.levels)).toEqual([0, 1, 2, 2, 2, 3]);
    expect(Array.from(frame.values)).toEqual([46, 46, 5, 10, 30, 30]);
    expect(Array.from(frame.selfs)).toEqual([0, 1, 5, 10, 0, 30]);
    expectGrafanaReads(frame);
  });

  it('orders siblings by value for the left-heavy view', () => {
    const frame = toNestedSet(buildCallTree(small()), { order: 'value' });
    expect(rowLabels(frame)).toEqual(['total', 'main.main', 'main.c', 'main.d', 'main.b', 'main.a']);
    expectGrafanaReads(frame);
  });

  it('is read back by Grafana as the same tree for random profiles, both directions and orders (property)', () => {
    fc.assert(
      fc.property(
        profileSpecArb(fc.nat(1e9)),
        optionsArb,
        fc.boolean(),
        fc.boolean(),
        (spec, options, inverted, byValue) => {
          const p = parsePprof(encodeProfile(spec, options));
          const frame = toNestedSet(buildCallTree(p, { inverted }), { order: byValue ? 'value' : 'name' });
          expect(frame.values[0]).toBe(sampleTotal(p, p.defaultSampleTypeIndex));
          expectGrafanaReads(frame);
        }
      ),
      { numRuns: 60 }
    );
  });

  it('carries valuesRight/selfsRight for diff trees', () => {
    const tree = buildCallTree(small());
    const frame = toNestedSet({
      ...tree,
      totalRight: tree.total.map((v) => v * 2),
      selfRight: tree.self.map((v) => v * 2),
    });
    expect(Array.from(frame.valuesRight!)).toEqual([92, 92, 10, 20, 60, 60]);
    expectGrafanaReads(frame);
  });
});

describe('pruneCallTree', () => {
  const file = join(fixturesRoot, 'demo', 'gc-pressure', 'allocs.pb.gz');
  const real = () => parsePprof(new Uint8Array(readFileSync(file)));

  it.each([2, 5, 17, 60])('keeps the exact total and the invariants within a budget of %i nodes', (budget) => {
    const tree = buildCallTree(real(), { sampleType: 'alloc_space' });
    expect(tree.count).toBeGreaterThan(60);
    const pruned = pruneCallTree(tree, budget);
    expect(pruned.count).toBeLessThanOrEqual(budget);
    expect(pruned.total[0]).toBe(tree.total[0]);
    const childSum = new Float64Array(pruned.count);
    for (let i = 1; i < pruned.count; i++) {
      childSum[pruned.parent[i]] += pruned.total[i];
    }
    for (let i = 0; i < pruned.count; i++) {
      expect(pruned.total[i]).toBe(pruned.self[i] + childSum[i]);
    }
    const others = [...Array(pruned.count).keys()].filter((i) => pruned.names[pruned.name[i]] === 'other');
    const keptReal = pruned.count - others.length;
    // Every original node is either kept or counted by exactly one `other` node.
    expect(others.reduce((n, i) => n + pruned.folded![i], 0)).toBe(tree.count - keptReal);
    expectGrafanaReads(toNestedSet(pruned));
  });

  it('keeps the heaviest paths', () => {
    const tree = buildCallTree(real(), { sampleType: 'alloc_space' });
    const pruned = pruneCallTree(tree, 20);
    const heaviest = [...Array(tree.count).keys()]
      .filter((i) => i > 0)
      .sort((a, b) => tree.total[b] - tree.total[a])[0];
    const label = tree.names[tree.name[heaviest]];
    expect(
      [...Array(pruned.count).keys()].some(
        (i) => pruned.names[pruned.name[i]] === label && pruned.total[i] === tree.total[heaviest]
      )
    ).toBe(true);
  });

  it('returns the tree unchanged when it fits', () => {
    const tree = buildCallTree(small());
    expect(pruneCallTree(tree, 100)).toBe(tree);
  });
});

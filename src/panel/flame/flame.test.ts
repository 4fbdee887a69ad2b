import '../../../tests/support/grafanaModuleShims';

import { createDataFrame, FieldType } from '@grafana/data';

import { internLabels, rowLabels } from '../../core/analysis/flameLabels';
import { fromNestedSet, parentRows } from '../../core/analysis/nestedSet';
import { type FlameColumns, fromFlameFrame, isDiffFrame, isFlameFrame, toFlameFrame } from '../../frames/flame';
import { describeFlame, sampleTypeText, sourceText, splitProfileTypeId } from './describeFlame';
import { focusOnRow, matchStack, subtreeEnd } from './focusStack';
import { summarizePruning, transformFlame } from './transform';

// total(10) -> main(10) -> { b(3, self 3), a(7) -> { x(2), y(5) } }   (siblings in name order except b before a)
const columns: FlameColumns = {
  levels: [0, 1, 2, 2, 3, 3],
  values: [10, 10, 3, 7, 2, 5],
  selfs: [0, 0, 3, 0, 2, 5],
  ...internLabels(['total', 'main', 'b', 'a', 'x', 'y']),
};
const frame = () => toFlameFrame(columns, { unit: 'ns', custom: { source: 'pprof', profile: 'cpu', seconds: 10 } });

/** Children of each row as label lists, to compare trees independent of order. */
function shape(c: FlameColumns): Record<string, number> {
  const parent = parentRows(c.levels);
  const out: Record<string, number> = {};
  const labels = rowLabels(c);
  for (let i = 0; i < labels.length; i++) {
    const path: string[] = [];
    for (let k = i; k >= 0; k = parent[k]) {
      path.unshift(labels[k]);
    }
    out[path.join('/')] = (out[path.join('/')] ?? 0) + c.values[i];
  }
  return out;
}

describe('reading nested-set frames', () => {
  it('recognises flame and diff frames and resolves enum labels', () => {
    const f = frame();
    expect(isFlameFrame(f)).toBe(true);
    expect(isDiffFrame(f)).toBe(false);
    expect(rowLabels(fromFlameFrame(f))).toEqual(rowLabels(columns));
    const plain = createDataFrame({
      fields: [
        { name: 'level', type: FieldType.number, values: [0] },
        { name: 'value', type: FieldType.number, values: [1] },
        { name: 'self', type: FieldType.number, values: [1] },
        { name: 'label', type: FieldType.string, values: ['<b>x</b>'] },
      ],
    });
    expect(rowLabels(fromFlameFrame(plain))).toEqual(['<b>x</b>']);
  });

  it("takes an enum field's indexes and text as label ids and names as they are", () => {
    const f = frame();
    const label = f.fields.find((field) => field.name === 'label')!;
    const read = fromFlameFrame(f);
    expect(read.labelIds).toBe(label.values);
    expect(read.names).toBe(label.config.type?.enum?.text);
    // An index outside the text reads as Grafana's display processor shows it: the number itself.
    const odd = createDataFrame({
      fields: [
        { name: 'level', type: FieldType.number, values: [0, 1] },
        { name: 'value', type: FieldType.number, values: [2, 1] },
        { name: 'self', type: FieldType.number, values: [1, 1] },
        { name: 'label', type: FieldType.enum, values: [0, 7], config: { type: { enum: { text: ['total'] } } } },
      ],
    });
    expect(rowLabels(fromFlameFrame(odd))).toEqual(['total', '7']);
  });

  it('finds parents and subtrees', () => {
    expect(Array.from(parentRows(columns.levels))).toEqual([-1, 0, 1, 1, 3, 3]);
    expect(subtreeEnd(columns.levels, 3)).toBe(6);
    expect(subtreeEnd(columns.levels, 2)).toBe(3);
    const tree = fromNestedSet(columns);
    expect(tree.count).toBe(6);
    expect(tree.names[tree.name[4]]).toBe('x');
  });
});

describe('transformFlame', () => {
  it('passes a frame within budget in its own order through untouched', () => {
    const f = frame();
    expect(transformFlame(f, { maxNodes: 100, leftHeavy: false }).frame).toBe(f);
    expect(transformFlame(f, { maxNodes: 0, leftHeavy: false }).frame).toBe(f);
  });

  it('orders siblings heaviest first for left-heavy, keeping every total', () => {
    const out = transformFlame(frame(), { maxNodes: 0, leftHeavy: true });
    expect(rowLabels(out.columns)).toEqual(['total', 'main', 'a', 'y', 'x', 'b']);
    expect(shape(out.columns)).toEqual(shape(columns));
    expect(out.frame.meta?.custom).toMatchObject({ profile: 'cpu' });
    expect(out.frame.fields.find((f) => f.name === 'value')?.config.unit).toBe('ns');
  });

  it('prunes to the budget with exact totals and explains the other nodes', () => {
    const wide = toFlameFrame(
      {
        levels: [0, 1, 2, 2, 2, 2, 2],
        values: [100, 100, 4, 3, 90, 2, 1],
        selfs: [0, 0, 4, 3, 90, 2, 1],
        ...internLabels(['total', 'main', 'c1', 'c2', 'hot', 'c3', 'c4']),
      },
      { unit: 'ns' }
    );
    const out = transformFlame(wide, { maxNodes: 4, leftHeavy: false });
    expect(out.columns.levels.length).toBeLessThanOrEqual(4);
    expect(out.prunedHere).toEqual({ from: 7, to: out.columns.levels.length });
    expect(out.columns.values[0]).toBe(100);
    expect(rowLabels(out.columns)).toContain('hot');
    const summary = summarizePruning(out.columns, 7)!;
    expect(summary).toMatchObject({ otherNodes: 1, otherValue: 10, prunedFrom: 7 });
    expect(summary.otherShare).toBeCloseTo(0.1);
    expect(summarizePruning(columns)).toBeUndefined();
    // Pruned upstream (the data source says so) but no `other` left on screen: still explained.
    expect(summarizePruning(columns, 50)).toMatchObject({ otherNodes: 0, prunedFrom: 50 });
  });

  it('prunes diff frames on both sides', () => {
    const diff = toFlameFrame(
      { ...columns, valuesRight: [20, 20, 1, 19, 9, 10], selfsRight: [0, 0, 1, 0, 9, 10] },
      { unit: 'ns' }
    );
    expect(isDiffFrame(diff)).toBe(true);
    const out = transformFlame(diff, { maxNodes: 3, leftHeavy: true });
    expect(out.columns.valuesRight?.[0]).toBe(20);
    expect(isDiffFrame(out.frame)).toBe(true);
  });
});

describe('focus on an evidence stack', () => {
  it('finds the outermost evidence frame with the longest matching run and focuses on it', () => {
    const m = matchStack(columns, ['y', 'a', 'main'])!; // leaf first
    expect(m).toMatchObject({ row: 1, matched: 3, candidates: 1 });
    const focused = focusOnRow(columns, 3); // on `a`
    expect(rowLabels(focused)).toEqual(['total', 'main', 'a', 'x', 'y']);
    expect(Array.from(focused.values)).toEqual([7, 7, 7, 2, 5]);
    expect(Array.from(focused.selfs)).toEqual([0, 0, 0, 2, 5]);
    expect(Array.from(focused.levels)).toEqual([0, 1, 2, 3, 3]);
  });

  it('skips outer frames the graph lacks, and reports a miss', () => {
    expect(matchStack(columns, ['y', 'a', 'not.in.graph'])).toMatchObject({ row: 3, matched: 2 });
    expect(matchStack(columns, ['nope'])).toBeUndefined();
    expect(matchStack(columns, [])).toBeUndefined();
  });
});

describe('header facts', () => {
  it('says profile, sample type, window and source', () => {
    const d = describeFlame(
      toFlameFrame(columns, {
        unit: 'ns',
        custom: { source: 'pprof', profile: 'cpu', window: { from: 1, to: 2 }, seconds: 10, total: 10 },
      })
    );
    expect(d).toMatchObject({
      profile: 'cpu',
      sampleType: 'cpu',
      unit: 'ns',
      window: { from: 1, to: 2 },
      isDiff: false,
    });
    expect(sampleTypeText(d)).toBe('cpu (time)');
    expect(sourceText(d)).toBe('live pprof capture of 10 s');
    const p = describeFlame(
      toFlameFrame(columns, {
        unit: 'bytes',
        custom: { source: 'pyroscope', profile: 'memory:alloc_space:bytes:space:bytes' },
      })
    );
    expect(p).toMatchObject({ profile: 'memory', sampleType: 'alloc_space' });
    expect(sourceText(p)).toMatch(/Pyroscope/);
    expect(splitProfileTypeId('cpu')).toEqual({ name: 'cpu' });
    const diff = describeFlame(
      toFlameFrame(
        { ...columns, valuesRight: columns.values, selfsRight: columns.selfs },
        {
          unit: 'ns',
          custom: { source: 'pprof', profile: 'cpu', window: { from: 5, to: 10 }, baselineWindow: { from: 0, to: 5 } },
        }
      )
    );
    expect(diff).toMatchObject({ isDiff: true, baselineWindow: { from: 0, to: 5 } });
    expect(sourceText(diff)).toMatch(/back-to-back/);
    expect(sampleTypeText({ profile: 'x', isDiff: false })).toBe('default sample type');
  });
});

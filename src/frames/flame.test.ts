import '../../tests/support/grafanaModuleShims';

import { FieldType } from '@grafana/data';
import { resolve } from 'path';

import { buildCallTree } from '../core/analysis/callTree';
import { internLabels, rowLabels } from '../core/analysis/flameLabels';
import { toNestedSet } from '../core/analysis/nestedSet';
import { pruneCallTree } from '../core/analysis/prune';
import { parsePprof } from '../core/model/parsePprof';
import { encodeProfile, SpecBuilder } from '../core/wire/testing/pprofEncoder';
import { toFlameFrame } from './flame';

// The exact code Grafana's Flame Graph panel runs on a frame (@grafana/flamegraph 13, dataTransform.ts), loaded
// from its CommonJS build without the React half of the package.
const transform = require(
  resolve(__dirname, '../../node_modules/@grafana/flamegraph/dist/cjs/FlameGraph/dataTransform.cjs')
);

const labels = ['total', 'main.main', 'main.work', 'runtime.gcBgMarkWorker'];
const rows = { levels: [0, 1, 2, 1], values: [10, 6, 4, 4], selfs: [0, 2, 4, 4], ...internLabels(labels) };

describe('flame graph frames', () => {
  it("pass Grafana's checkFields and lay out as the nested set says", () => {
    const frame = toFlameFrame(rows, { unit: 'ns', refId: 'A' });
    expect(transform.checkFields(frame)).toBeUndefined();
    expect(frame.meta?.preferredVisualisationType).toBe('flamegraph');
    const label = frame.fields.find((f) => f.name === 'label')!;
    expect(label.type).toBe(FieldType.enum);
    expect(label.config.type?.enum?.text).toEqual(labels);

    const container = new transform.FlameGraphDataContainer(frame, { collapsing: false });
    const levels = container.getLevels();
    expect(levels.map((l: Array<{ start: number; value: number }>) => l.map((i) => [i.start, i.value]))).toEqual([
      [[0, 10]],
      [
        [0, 6],
        [6, 4],
      ],
      [[0, 4]],
    ]);
    expect(container.getLabel(levels[1][1].itemIndexes[0])).toBe('runtime.gcBgMarkWorker');
    expect(container.getUnitTitle()).toBe('Time');
  });

  it('draw a diff as baseline + comparison (value/self left, valueRight/selfRight right)', () => {
    const frame = toFlameFrame(
      { ...rows, valuesRight: [20, 10, 10, 10], selfsRight: [0, 0, 10, 10] },
      { unit: 'bytes' }
    );
    const container = new transform.FlameGraphDataContainer(frame, { collapsing: false });
    expect(container.isDiffFlamegraph()).toBe(true);
    expect(container.getLevels()[0][0].value).toBe(30);
    expect(container.getUnitTitle()).toBe('RAM');
  });

  it('take label ids plus names: the text holds only the names rows use, once each, in order of first use', () => {
    // A pruned tree's dictionary keeps every name of the profile; 'b' twice stands for a repeated name.
    const names = ['unused', 'b', 'total', 'a', 'b'];
    const frame = toFlameFrame(
      { levels: [0, 1, 1, 1], values: [3, 1, 1, 1], selfs: [0, 1, 1, 1], labelIds: [2, 3, 1, 4], names },
      { unit: 'short' }
    );
    const label = frame.fields.find((f) => f.name === 'label')!;
    expect(label.config.type?.enum?.text).toEqual(['total', 'a', 'b']);
    expect(label.values).toEqual([0, 1, 2, 2]);
    const container = new transform.FlameGraphDataContainer(frame, { collapsing: false });
    expect([0, 1, 2, 3].map((i) => container.getLabel(i))).toEqual(['total', 'a', 'b', 'b']);
    expect(container.getUniqueLabels()).toEqual(['total', 'a', 'b']);
  });

  it("carry the core's pruned nested set to Grafana's labels row for row", () => {
    const b = new SpecBuilder().sampleType('cpu', 'nanoseconds');
    ['a', 'b', 'c', 'd', 'e', 'f'].forEach((leaf, i) => b.sample(['main.main', `main.${leaf}`], [i + 1]));
    const nested = toNestedSet(pruneCallTree(buildCallTree(parsePprof(encodeProfile(b.spec))), 5));
    const frame = toFlameFrame(nested, { unit: 'ns' });
    const container = new transform.FlameGraphDataContainer(frame, { collapsing: false });
    const labels = rowLabels(nested);
    expect(labels).toEqual(['total', 'main.main', 'main.e', 'main.f', 'other']);
    expect(labels.map((_, i) => container.getLabel(i))).toEqual(labels);
    expect(container.getUniqueLabels()).toEqual(labels);
  });

  it('keep the four fields for an empty result', () => {
    const frame = toFlameFrame({ levels: [], values: [], selfs: [], labelIds: [], names: [] }, { unit: 'short' });
    expect(frame.length).toBe(0);
    expect(transform.checkFields(frame)).toBeUndefined();
  });
});

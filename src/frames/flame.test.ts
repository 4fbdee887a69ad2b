import '../../tests/support/grafanaModuleShims';

import { FieldType } from '@grafana/data';
import { resolve } from 'path';

import { flameGraphFrame } from './flame';

// The exact code Grafana's Flame Graph panel runs on a frame (@grafana/flamegraph 13, dataTransform.ts), loaded
// from its CommonJS build without the React half of the package.
const transform = require(
  resolve(__dirname, '../../node_modules/@grafana/flamegraph/dist/cjs/FlameGraph/dataTransform.cjs')
);

const rows = {
  levels: [0, 1, 2, 1],
  values: [10, 6, 4, 4],
  selfs: [0, 2, 4, 4],
  labels: ['total', 'main.main', 'main.work', 'runtime.gcBgMarkWorker'],
};

describe('flame graph frames', () => {
  it("pass Grafana's checkFields and lay out as the nested set says", () => {
    const frame = flameGraphFrame(rows, { unit: 'ns', refId: 'A' });
    expect(transform.checkFields(frame)).toBeUndefined();
    expect(frame.meta?.preferredVisualisationType).toBe('flamegraph');
    const label = frame.fields.find((f) => f.name === 'label')!;
    expect(label.type).toBe(FieldType.enum);
    expect(label.config.type?.enum?.text).toEqual(rows.labels);

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
    const frame = flameGraphFrame(
      { ...rows, valuesRight: [20, 10, 10, 10], selfsRight: [0, 0, 10, 10] },
      { unit: 'bytes' }
    );
    const container = new transform.FlameGraphDataContainer(frame, { collapsing: false });
    expect(container.isDiffFlamegraph()).toBe(true);
    expect(container.getLevels()[0][0].value).toBe(30);
    expect(container.getUnitTitle()).toBe('RAM');
  });

  it('keep the four fields for an empty result', () => {
    const frame = flameGraphFrame({ levels: [], values: [], selfs: [], labels: [] }, { unit: 'short' });
    expect(frame.length).toBe(0);
    expect(transform.checkFields(frame)).toBeUndefined();
  });
});

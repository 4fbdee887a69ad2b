import { DataFrameType } from '@grafana/data';

import { pushStateColumn, toStateHeatmapFrame, streamingStateHeatmap } from './heatmap';

const STATES = ['running', 'runnable', 'chan send'];

describe('goroutine state heatmap frames', () => {
  it('are dense heatmap-cells: xMax, ordinal y, count, one full scanline per time', () => {
    const frame = toStateHeatmapFrame(STATES, [
      { time: 1000, counts: [1, 2, 3] },
      { time: 2000, counts: [4, 5, 6] },
    ]);
    expect(frame.meta?.type).toBe(DataFrameType.HeatmapCells);
    expect(frame.meta?.custom?.yOrdinalDisplay).toEqual(STATES);
    expect(frame.fields.map((f) => f.name)).toEqual(['xMax', 'y', 'count']);
    expect(frame.fields[0].values).toEqual([1000, 1000, 1000, 2000, 2000, 2000]);
    expect(frame.fields[1].values).toEqual([0, 1, 2, 0, 1, 2]);
    expect(frame.fields[2].values).toEqual([1, 2, 3, 4, 5, 6]);
    // What Grafana's heatmap infers from a dense frame (fields.ts): y buckets = distance to the next repeat of ys[0].
    const ys = frame.fields[1].values as number[];
    expect(ys.length - ys.lastIndexOf(ys[0])).toBe(STATES.length);
  });

  it('stream: each snapshot appends a scanline, old ones drop past maxColumns', () => {
    const frame = streamingStateHeatmap(STATES, 2);
    [1, 2, 3].forEach((t) => pushStateColumn(frame, STATES, { time: t * 1000, counts: [t, t, t] }));
    expect(frame.length).toBe(2 * STATES.length);
    expect(frame.fields[0].values[0]).toBe(2000);
    expect(frame.meta?.type).toBe(DataFrameType.HeatmapCells);
  });
});

import { alignSeries, toTimeSeriesFrame } from './timeSeries';

describe('wide time series', () => {
  it('aligns sparse series on the union of their timestamps', () => {
    const { times, aligned } = alignSeries([
      { timestamps: [1, 3], values: [10, 30] },
      { timestamps: [2, 3], values: [20, 31] },
    ]);
    expect(times).toEqual([1, 2, 3]);
    expect(aligned).toEqual([
      [10, null, 30],
      [null, 20, 31],
    ]);
    const frame = toTimeSeriesFrame(times, [{ name: 'cpu', values: aligned[0], unit: 'ns', labels: { pod: 'a' } }]);
    expect(frame.meta?.type).toBe('timeseries-wide');
    expect(frame.fields[1].config.unit).toBe('ns');
    expect(frame.fields[1].labels).toEqual({ pod: 'a' });
  });
});

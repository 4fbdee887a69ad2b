import {
  brushWindow,
  cellRect,
  columnAtTime,
  columnSpans,
  nearestColumn,
  rowAt,
  timeTicks,
  timeToX,
  toDevicePixels,
  windowBefore,
  xToTime,
} from './geometry';

const range = { from: 1_000_000, to: 1_060_000 }; // one minute
const plot = { left: 0, top: 0, width: 600, height: 150 };

describe('time <-> x on exactly the dashboard range', () => {
  it('maps the range ends to the plot edges and is linear in between', () => {
    expect(timeToX(range.from, range, plot)).toBe(0);
    expect(timeToX(range.to, range, plot)).toBe(600);
    expect(timeToX(range.from + 15_000, range, plot)).toBe(150);
    expect(timeToX(range.from + 15_000, range, { ...plot, left: 100 })).toBe(250);
  });

  it('round-trips with xToTime', () => {
    for (const t of [range.from, range.from + 1234, range.to - 1, range.to]) {
      expect(xToTime(timeToX(t, range, plot), range, plot)).toBeCloseTo(t, 6);
    }
  });

  it('puts the same time at the same fraction of any plot (crosshair alignment with other panels)', () => {
    const t = range.from + 42_000;
    const narrow = { left: 10, top: 0, width: 300, height: 10 };
    expect((timeToX(t, range, narrow) - narrow.left) / narrow.width).toBeCloseTo(
      timeToX(t, range, plot) / plot.width,
      12
    );
  });

  it('does not divide by zero for an empty range or plot', () => {
    expect(timeToX(5, { from: 5, to: 5 }, plot)).toBe(0);
    expect(xToTime(10, range, { ...plot, width: 0 })).toBe(range.from);
  });
});

describe('column spans', () => {
  it('covers from the previous snapshot to its own (xMax) and tiles irregular polls without gaps', () => {
    const s = columnSpans([10_000, 15_000, 21_000, 25_000], true, 5000);
    expect(Array.from(s.start)).toEqual([5_000, 10_000, 15_000, 21_000]);
    expect(Array.from(s.end)).toEqual([10_000, 15_000, 21_000, 25_000]);
    expect(s.typicalMs).toBe(5000);
  });

  it('keeps a long gap visible: a column after a missed stretch is only the usual width', () => {
    const s = columnSpans([10_000, 15_000, 20_000, 60_000], true, 5000);
    expect(s.start[3]).toBe(55_000);
  });

  it('keeps a gap of exactly twice the usual interval whole, and narrows only a longer one', () => {
    const twice = columnSpans([10_000, 15_000, 20_000, 30_000], true, 5000);
    expect(twice.start[3]).toBe(20_000);
    const longer = columnSpans([10_000, 15_000, 20_000, 30_001], true, 5000);
    expect(longer.start[3]).toBe(25_001);
    const xMin = columnSpans([0, 5_000, 10_000, 20_000], false, 5000);
    expect(xMin.end[2]).toBe(20_000);
  });

  it('uses the fallback width for a single column and the xMin layout when cells start at x', () => {
    expect(Array.from(columnSpans([10_000], true, 2000).start)).toEqual([8_000]);
    const s = columnSpans([0, 10, 20], false, 1);
    expect(Array.from(s.end)).toEqual([10, 20, 30]);
  });

  it('finds the column of a time (start exclusive, end inclusive) and the nearest one', () => {
    const s = columnSpans([10_000, 15_000, 20_000], true, 5000);
    expect(columnAtTime(s, 5_000)).toBe(-1);
    expect(columnAtTime(s, 5_001)).toBe(0);
    expect(columnAtTime(s, 10_000)).toBe(0);
    expect(columnAtTime(s, 10_001)).toBe(1);
    expect(columnAtTime(s, 20_000)).toBe(2);
    expect(columnAtTime(s, 20_001)).toBe(-1);
    expect(nearestColumn(s, 22_000)).toBe(2);
    expect(nearestColumn(s, 40_000, 1000)).toBe(-1);
    expect(columnAtTime(columnSpans([], true, 1000), 5)).toBe(-1);
  });
});

describe('rows, cells, brushes, ticks, device pixels', () => {
  it('hit-tests rows and clips cells to the plot', () => {
    expect(rowAt(0, 15, plot)).toBe(0);
    expect(rowAt(149.9, 15, plot)).toBe(14);
    expect(rowAt(150, 15, plot)).toBe(-1);
    expect(rowAt(-1, 15, plot)).toBe(-1);
    const spans = columnSpans([range.from + 5000, range.from + 10_000], true, 5000);
    expect(cellRect(spans, 1, 2, 15, range, plot)).toEqual({ left: 50, top: 20, width: 50, height: 10 });
    // The first column starts before the range: clipped at the left edge.
    const early = columnSpans([range.from + 2000], true, 5000);
    expect(cellRect(early, 0, 0, 15, range, plot).left).toBe(0);
    expect(cellRect(early, 0, 0, 15, range, plot).width).toBe(20);
  });

  it('turns a brush into an ordered window clamped to the range, and finds the window before it', () => {
    expect(brushWindow(300, 150, range, plot)).toEqual({ from: range.from + 15_000, to: range.from + 30_000 });
    expect(brushWindow(-50, 700, range, plot)).toEqual(range);
    expect(windowBefore({ from: 100, to: 130 })).toEqual({ from: 70, to: 100 });
  });

  it('places ticks at round steps at least minSpacing apart', () => {
    const { stepMs, ticks } = timeTicks(range, plot, 90);
    expect(stepMs).toBe(10_000);
    expect(ticks[0] % stepMs).toBe(0);
    expect(ticks.every((t) => t >= range.from && t <= range.to)).toBe(true);
    expect(timeTicks({ from: 0, to: 86_400_000 * 30 }, plot, 90).stepMs).toBeGreaterThanOrEqual(86_400_000);
    expect(timeTicks(range, { ...plot, width: 0 }).ticks).toEqual([]);
  });

  it('places a tick on each end of the range when the ends fall on the step, the last one included', () => {
    // One minute from 1,000,000 ms to 1,060,000 ms at 10 s steps: 1,000,000 is a multiple of 10,000, so is the end.
    expect(timeTicks(range, plot, 90).ticks).toEqual([
      1_000_000, 1_010_000, 1_020_000, 1_030_000, 1_040_000, 1_050_000, 1_060_000,
    ]);
  });

  it('rounds to whole device pixels without gaps between neighbours', () => {
    const a = toDevicePixels({ left: 0.3, top: 0, width: 10.4, height: 5 }, 1.5);
    const b = toDevicePixels({ left: 10.7, top: 0, width: 3, height: 5 }, 1.5);
    expect(a.left + a.width).toBe(b.left);
    expect(toDevicePixels({ left: 1, top: 2, width: 3, height: 4 }, 2)).toEqual({
      left: 2,
      top: 4,
      width: 6,
      height: 8,
    });
  });
});

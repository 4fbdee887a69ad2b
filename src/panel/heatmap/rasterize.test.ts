import { buildPalette, paletteCss, paletteIndex, PALETTE_SIZE } from './colors';
import { columnSpans } from './geometry';
import type { HeatmapMatrix } from './matrix';
import { rasterizeHeatmap } from './rasterize';

function matrix(times: number[], rows: string[], counts: number[], missing?: number[]): HeatmapMatrix {
  return {
    times: Float64Array.from(times),
    rows,
    counts: Float32Array.from(counts),
    max: Math.max(0, ...counts),
    xIsEnd: true,
    missing: missing ? Uint8Array.from(missing) : undefined,
  };
}

function pixel(buf: { width: number; data: Uint8ClampedArray }, x: number, y: number) {
  const i = (y * buf.width + x) * 4;
  return Array.from(buf.data.slice(i, i + 4));
}

describe('palette', () => {
  it('maps zero to the faint entry and counts logarithmically up to the max', () => {
    expect(paletteIndex(0, 100)).toBe(0);
    expect(paletteIndex(5, 0)).toBe(0);
    expect(paletteIndex(100, 100)).toBe(PALETTE_SIZE - 1);
    expect(paletteIndex(1, 1000)).toBeGreaterThan(1);
    // log scale: 10 of 1000 is a third of the way, far above the linear 1%.
    expect(paletteIndex(10, 1000)).toBeGreaterThan(80);
    expect(paletteIndex(10, 1000)).toBeLessThan(paletteIndex(100, 1000));
  });

  it('runs from dim to bright on a dark theme and pale to dark on a light one', () => {
    const lum = (p: Uint8ClampedArray, i: number) => p[i * 4] + p[i * 4 + 1] + p[i * 4 + 2];
    const dark = buildPalette('oranges', true);
    const light = buildPalette('oranges', false);
    expect(lum(dark, 1)).toBeLessThan(lum(dark, 255));
    expect(lum(light, 1)).toBeGreaterThan(lum(light, 255));
    expect(dark[3]).toBeLessThan(255); // zero-count entry is translucent
    expect(paletteCss(dark, 255)).toMatch(/^rgba\(/);
  });
});

describe('rasterizeHeatmap', () => {
  const palette = buildPalette('blues', true);
  const range = { from: 0, to: 100 };

  it('fills each cell with its count colour, rows top to bottom, at the time -> x position', () => {
    // Two columns covering (0, 50] and (50, 100], two rows.
    const m = matrix([50, 100], ['a', 'b'], [0, 10, 5, 1]);
    const buf = { width: 100, height: 20, data: new Uint8ClampedArray(100 * 20 * 4) };
    rasterizeHeatmap(buf, m, columnSpans(m.times, true, 50), {
      plot: { left: 0, top: 0, width: 100, height: 20 },
      range,
      palette,
      rowGap: 1,
    });
    const colour = (index: number) => Array.from(palette.slice(index * 4, index * 4 + 4));
    expect(pixel(buf, 10, 2)).toEqual(colour(0)); // col 0, row a: zero count
    expect(pixel(buf, 10, 12)).toEqual(colour(paletteIndex(10, 10))); // col 0, row b
    expect(pixel(buf, 60, 2)).toEqual(colour(paletteIndex(5, 10)));
    expect(pixel(buf, 60, 12)).toEqual(colour(paletteIndex(1, 10)));
    expect(pixel(buf, 60, 9)[3]).toBe(0); // the gap between rows
  });

  it('merges sub-pixel columns by their largest count, so a one-bucket spike survives', () => {
    const times = Array.from({ length: 1000 }, (_, i) => (i + 1) / 10); // 1000 columns over 100 ms
    const counts = times.map((_, i) => (i === 503 ? 100 : 1));
    const m = matrix(times, ['a'], counts);
    const buf = { width: 10, height: 4, data: new Uint8ClampedArray(10 * 4 * 4) };
    rasterizeHeatmap(buf, m, columnSpans(m.times, true, 0.1), {
      plot: { left: 0, top: 0, width: 10, height: 4 },
      range,
      palette,
      rowGap: 0,
    });
    const spike = Array.from(palette.slice((PALETTE_SIZE - 1) * 4, PALETTE_SIZE * 4));
    expect(pixel(buf, 5, 1)).toEqual(spike);
    expect(pixel(buf, 2, 1)).not.toEqual(spike);
  });

  it('leaves columns outside the range, missing columns and the area before the first snapshot transparent', () => {
    // Columns (20,40], (40,60], (60,80] (missing), then after a long gap (180,200], outside the range.
    const m = matrix([40, 60, 80, 200], ['a'], [5, 5, 5, 5], [0, 0, 1, 0]);
    const buf = { width: 100, height: 2, data: new Uint8ClampedArray(100 * 2 * 4) };
    rasterizeHeatmap(buf, m, columnSpans(m.times, true, 20), {
      plot: { left: 0, top: 0, width: 100, height: 2 },
      range,
      palette,
      rowGap: 0,
    });
    expect(pixel(buf, 10, 0)[3]).toBe(0);
    expect(pixel(buf, 30, 0)[3]).toBe(255);
    expect(pixel(buf, 50, 0)[3]).toBe(255);
    expect(pixel(buf, 70, 0)[3]).toBe(0);
    expect(pixel(buf, 90, 0)[3]).toBe(0);
  });

  it('paints a column exactly over its pixels: nothing bleeds into the pixel before its start or after its end', () => {
    // Columns (20,40] and (40,60] at one pixel per time unit; (60,80] is missing.
    const m = matrix([40, 60, 80], ['a'], [5, 5, 5], [0, 0, 1]);
    const buf = { width: 100, height: 1, data: new Uint8ClampedArray(100 * 4) };
    rasterizeHeatmap(buf, m, columnSpans(m.times, true, 20), {
      plot: { left: 0, top: 0, width: 100, height: 1 },
      range,
      palette,
      rowGap: 0,
    });
    const painted = Array.from({ length: 100 }, (_, x) => pixel(buf, x, 0)[3] === 255);
    expect(painted.indexOf(true)).toBe(20);
    expect(painted.lastIndexOf(true)).toBe(59);
    expect(painted.slice(20, 60).every(Boolean)).toBe(true);
  });

  it('draws into a plot offset inside the buffer (device pixels) and handles empty input', () => {
    const m = matrix([100], ['a'], [3]);
    const buf = { width: 20, height: 10, data: new Uint8ClampedArray(20 * 10 * 4) };
    rasterizeHeatmap(buf, m, columnSpans(m.times, true, 100), {
      plot: { left: 5, top: 2, width: 10, height: 6 },
      range,
      palette,
      rowGap: 0,
    });
    expect(pixel(buf, 4, 4)[3]).toBe(0);
    expect(pixel(buf, 5, 4)[3]).toBe(255);
    expect(pixel(buf, 14, 7)[3]).toBe(255);
    expect(pixel(buf, 15, 4)[3]).toBe(0);
    expect(pixel(buf, 10, 1)[3]).toBe(0);
    rasterizeHeatmap(buf, matrix([], [], []), columnSpans([], true, 1), {
      plot: { left: 0, top: 0, width: 20, height: 10 },
      range,
      palette,
      rowGap: 0,
    });
    expect(buf.data.every((v) => v === 0)).toBe(true);
  });
});

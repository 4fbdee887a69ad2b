/**
 * Draws the heatmap cells into an RGBA pixel buffer (an ImageData's `data`), in device pixels.
 *
 * Why a pixel buffer rather than fillRect per cell: a day at 15 s resolution is 5,760 columns x 16 states = 92,160
 * cells on a plot a thousand pixels wide. Cells narrower than a pixel are merged per pixel column first (the
 * largest count wins, so a short spike is never averaged away), then every pixel is written once: the cost is
 * O(cells + pixels), independent of how the canvas API batches rectangles. Labels, the crosshair, brushes and focus
 * are DOM overlays, so hovering never redraws this.
 */
import { paletteIndex } from './colors';
import { timeToX, type ColumnSpans, type Rect } from './geometry';
import type { HeatmapMatrix } from './matrix';
import type { TimeWindow } from '../types';

export interface PixelBuffer {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

export interface RasterOptions {
  /** Plot area inside the buffer, device pixels. */
  plot: Rect;
  range: TimeWindow;
  palette: Uint8ClampedArray;
  /** Device pixels left blank between rows (when rows are tall enough to afford it). */
  rowGap: number;
}

export function rasterizeHeatmap(target: PixelBuffer, m: HeatmapMatrix, spans: ColumnSpans, o: RasterOptions): void {
  target.data.fill(0);
  const rows = m.rows.length;
  const plotW = Math.max(0, Math.min(o.plot.width, target.width - o.plot.left));
  if (rows === 0 || plotW === 0 || m.times.length === 0) {
    return;
  }
  // Per pixel column and row: the palette index to paint (-1 = no snapshot covers this pixel).
  const cell = new Int16Array(plotW * rows).fill(-1);
  const local: Rect = { left: 0, top: 0, width: o.plot.width, height: o.plot.height };
  for (let c = 0; c < m.times.length; c++) {
    const x0 = timeToX(spans.start[c], o.range, local);
    const x1 = timeToX(spans.end[c], o.range, local);
    if (x1 <= 0 || x0 >= plotW || m.missing?.[c]) {
      continue;
    }
    const px0 = Math.max(0, Math.floor(x0));
    const px1 = Math.min(plotW, Math.max(px0 + 1, Math.ceil(x1)));
    const base = c * rows;
    for (let r = 0; r < rows; r++) {
      const index = paletteIndex(m.counts[base + r], m.max);
      for (let px = px0; px < px1; px++) {
        const k = px * rows + r;
        if (index > cell[k]) {
          cell[k] = index;
        }
      }
    }
  }

  // Write whole pixels as 32-bit words; the palette is converted once to the platform's byte order.
  const pixels = new Uint32Array(target.data.buffer, target.data.byteOffset, target.width * target.height);
  const words = new Uint32Array(new Uint8ClampedArray(o.palette).buffer);
  const rowH = o.plot.height / rows;
  const gap = rowH >= 6 ? o.rowGap : 0;
  const line = new Uint32Array(plotW);
  for (let r = 0; r < rows; r++) {
    for (let px = 0; px < plotW; px++) {
      const index = cell[px * rows + r];
      line[px] = index < 0 ? 0 : words[index];
    }
    // One scanline per row, copied to each pixel row of it (contiguous memory: a memcpy each).
    const y0 = Math.max(0, o.plot.top + Math.round(r * rowH));
    const y1 = Math.min(target.height, o.plot.top + Math.round((r + 1) * rowH) - gap);
    for (let y = y0; y < y1; y++) {
      pixels.set(line, y * target.width + o.plot.left);
    }
  }
}

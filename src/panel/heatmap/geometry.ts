/**
 * Heatmap geometry, all pure: time <-> x on exactly the dashboard range, column extents, rows, hit testing,
 * brushes and time-axis ticks. CSS pixels unless a name says device pixels; the device pixel ratio is an input,
 * never read from `window`, so the same numbers come out in tests, in the browser and in the benchmark.
 */
import type { TimeWindow } from '../types';

export interface Rect {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** Where time `t` (ms) is on a plot spanning `range`: the same time gives the same fraction of the plot width. */
export function timeToX(t: number, range: TimeWindow, plot: Rect): number {
  const span = range.to - range.from;
  return span > 0 ? plot.left + ((t - range.from) / span) * plot.width : plot.left;
}

export function xToTime(x: number, range: TimeWindow, plot: Rect): number {
  return plot.width > 0 ? range.from + ((x - plot.left) / plot.width) * (range.to - range.from) : range.from;
}

export interface ColumnSpans {
  start: Float64Array;
  end: Float64Array;
  /** The usual distance between snapshots (ms). */
  typicalMs: number;
}

function median(values: number[]): number {
  if (values.length === 0) {
    return 0;
  }
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/**
 * Time extent of every column. A column covers the interval from the previous snapshot to its own (`xIsEnd`, the
 * data source's `xMax`), so irregular polls tile the axis without gaps; after a gap of more than twice the usual
 * interval (a missed poll, a restarted stream) the column is only the usual width wide, so the gap stays visible.
 */
export function columnSpans(times: ArrayLike<number>, xIsEnd: boolean, fallbackMs: number): ColumnSpans {
  const n = times.length;
  const gaps: number[] = [];
  for (let i = 1; i < n; i++) {
    gaps.push(times[i] - times[i - 1]);
  }
  const typicalMs = median(gaps) || fallbackMs;
  const start = new Float64Array(n);
  const end = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (xIsEnd) {
      const gap = i > 0 ? times[i] - times[i - 1] : typicalMs;
      end[i] = times[i];
      start[i] = times[i] - (gap > 2 * typicalMs ? typicalMs : gap);
    } else {
      const gap = i + 1 < n ? times[i + 1] - times[i] : typicalMs;
      start[i] = times[i];
      end[i] = times[i] + (gap > 2 * typicalMs ? typicalMs : gap);
    }
  }
  return { start, end, typicalMs };
}

/** The column whose extent holds time `t` (start exclusive, end inclusive), or -1. */
export function columnAtTime(spans: ColumnSpans, t: number): number {
  const { start, end } = spans;
  let lo = 0;
  let hi = end.length - 1;
  let found = -1;
  // First column whose end is >= t.
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (end[mid] >= t) {
      found = mid;
      hi = mid - 1;
    } else {
      lo = mid + 1;
    }
  }
  return found >= 0 && start[found] < t ? found : -1;
}

/** The column nearest to time `t` within `maxDistanceMs`, for keyboard focus and crosshair snapping. */
export function nearestColumn(spans: ColumnSpans, t: number, maxDistanceMs = Infinity): number {
  const inside = columnAtTime(spans, t);
  if (inside >= 0) {
    return inside;
  }
  let best = -1;
  let distance = maxDistanceMs;
  for (let i = 0; i < spans.end.length; i++) {
    const d = Math.min(Math.abs(spans.start[i] - t), Math.abs(spans.end[i] - t));
    if (d <= distance) {
      best = i;
      distance = d;
    }
  }
  return best;
}

export function rowHeight(rows: number, plot: Rect): number {
  return rows > 0 ? plot.height / rows : plot.height;
}

/** Row under `y`, or -1 outside the plot. */
export function rowAt(y: number, rows: number, plot: Rect): number {
  if (y < plot.top || y >= plot.top + plot.height || rows === 0) {
    return -1;
  }
  return Math.min(rows - 1, Math.floor((y - plot.top) / rowHeight(rows, plot)));
}

/** A column's cell (one row) as a rectangle, clipped to the plot; width 0 when it lies outside the range. */
export function cellRect(spans: ColumnSpans, col: number, row: number, rows: number, range: TimeWindow, plot: Rect) {
  const x0 = Math.max(plot.left, timeToX(spans.start[col], range, plot));
  const x1 = Math.min(plot.left + plot.width, timeToX(spans.end[col], range, plot));
  const h = rowHeight(rows, plot);
  return { left: x0, top: plot.top + row * h, width: Math.max(0, x1 - x0), height: h };
}

/** The time window between two x positions of a brush, ordered and clamped to the range. */
export function brushWindow(x0: number, x1: number, range: TimeWindow, plot: Rect): TimeWindow {
  const a = xToTime(Math.min(x0, x1), range, plot);
  const b = xToTime(Math.max(x0, x1), range, plot);
  return { from: Math.max(range.from, Math.round(a)), to: Math.min(range.to, Math.round(b)) };
}

/** The same-length window just before `w` (the default baseline of a comparison). */
export function windowBefore(w: TimeWindow): TimeWindow {
  return { from: w.from - (w.to - w.from), to: w.from };
}

const TICK_STEPS_MS = [
  1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800,
].map((s) => s * 1000);

/** Time-axis ticks at a round step with at least `minSpacing` px between them, aligned to the step in UTC. */
export function timeTicks(range: TimeWindow, plot: Rect, minSpacing = 90): { stepMs: number; ticks: number[] } {
  const span = range.to - range.from;
  if (span <= 0 || plot.width <= 0) {
    return { stepMs: 0, ticks: [] };
  }
  const wanted = (span * minSpacing) / plot.width;
  const stepMs = TICK_STEPS_MS.find((s) => s >= wanted) ?? Math.ceil(wanted / 86400000) * 86400000;
  const ticks: number[] = [];
  for (let t = Math.ceil(range.from / stepMs) * stepMs; t <= range.to; t += stepMs) {
    ticks.push(t);
  }
  return { stepMs, ticks };
}

/** A CSS-pixel rectangle in whole device pixels (what the rasterizer and canvas size use). */
export function toDevicePixels(r: Rect, dpr: number): Rect {
  const left = Math.round(r.left * dpr);
  const top = Math.round(r.top * dpr);
  return {
    left,
    top,
    width: Math.round((r.left + r.width) * dpr) - left,
    height: Math.round((r.top + r.height) * dpr) - top,
  };
}

/**
 * Pure geometry of the Timeline view: goroutine-group lanes (State timeline frames, src/frames/stateTimeline.ts)
 * and GC / stop-the-world bands (src/frames/traceTables.ts) placed on the dashboard's time axis, so a lane lines up
 * with the CPU and latency panels next to it. No canvas here: the component draws what these functions return.
 */
import type { SpanRow, StateTimeline } from '../../frames';
import type { TimeWindow } from '../types';

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface LaneRect extends Rect {
  lane: number;
  state: string;
}

export interface BandRect extends Rect {
  kind: SpanRow['kind'];
  reason: string;
}

/** x of a time (ms) on a `width`-pixel axis spanning `range`; outside the range it lies beyond 0 or width. */
export function timeToX(t: number, range: TimeWindow, width: number): number {
  const span = range.to - range.from;
  return span > 0 ? ((t - range.from) / span) * width : 0;
}

export function xToTime(x: number, range: TimeWindow, width: number): number {
  return width > 0 ? range.from + (x / width) * (range.to - range.from) : range.from;
}

export interface LaneLayout {
  /** Top of the first lane. */
  top: number;
  laneHeight: number;
  gap: number;
}

/**
 * One rectangle per run of equal states in each lane, clipped to the axis; null states draw nothing. Runs shorter
 * than a pixel are kept (at least 1 px wide) so a brief state is visible rather than lost.
 */
export function laneRects(timeline: StateTimeline, range: TimeWindow, width: number, layout: LaneLayout): LaneRect[] {
  const out: LaneRect[] = [];
  const { times, end } = timeline;
  timeline.lanes.forEach((lane, index) => {
    const y = layout.top + index * (layout.laneHeight + layout.gap);
    let i = 0;
    while (i < times.length) {
      const state = lane.states[i];
      let j = i + 1;
      while (j < times.length && lane.states[j] === state) {
        j++;
      }
      if (state !== null && state !== undefined) {
        const from = times[i];
        const to = j < times.length ? times[j] : end;
        const x0 = Math.max(0, timeToX(from, range, width));
        const x1 = Math.min(width, timeToX(to, range, width));
        if (x1 > 0 && x0 < width && x1 >= x0) {
          out.push({ x: x0, y, w: Math.max(1, x1 - x0), h: layout.laneHeight, lane: index, state });
        }
      }
      i = j;
    }
  });
  return out;
}

/** GC mark phases and stop-the-world pauses as full-height bands, clipped to the axis, at least 1 px wide. */
export function bandRects(spans: readonly SpanRow[], range: TimeWindow, width: number, height: number): BandRect[] {
  const out: BandRect[] = [];
  for (const s of spans) {
    const x0 = Math.max(0, timeToX(s.start, range, width));
    const x1 = Math.min(width, timeToX(s.end, range, width));
    if (x1 < 0 || x0 > width || x1 < x0) {
      continue;
    }
    out.push({ x: x0, y: 0, w: Math.max(1, x1 - x0), h: height, kind: s.kind, reason: s.reason });
  }
  return out;
}

/** The lane under a y coordinate, or -1. */
export function laneAt(y: number, lanes: number, layout: LaneLayout): number {
  const rel = y - layout.top;
  if (rel < 0) {
    return -1;
  }
  const index = Math.floor(rel / (layout.laneHeight + layout.gap));
  const within = rel - index * (layout.laneHeight + layout.gap);
  return index < lanes && within <= layout.laneHeight ? index : -1;
}

/** Lane height that fits `lanes` lanes in `height` pixels, between 8 and 28 px. */
export function fitLaneHeight(lanes: number, height: number, gap: number): number {
  if (lanes <= 0) {
    return 0;
  }
  return Math.max(8, Math.min(28, Math.floor((height - gap * (lanes - 1)) / lanes)));
}

export interface LaneColumns {
  /** Width of the lane-label column at the left; the lanes' time axis starts right of it. */
  labelWidth: number;
  plotLeft: number;
  plotWidth: number;
}

/**
 * Splits the panel width into a label column and the lanes' plot: the column fits the widest label (plus padding)
 * but takes at most `maxShare` of the width, and the plot keeps at least `minPlot` px when the panel allows it, so
 * labels never lie over the lanes or each other however narrow the panel is.
 */
export function laneColumns(
  width: number,
  widestLabel: number,
  { padding = 8, maxShare = 0.35, minPlot = 120, minLabel = 40 } = {}
): LaneColumns {
  const w = Math.max(0, width);
  const cap = Math.max(Math.min(minLabel, w), Math.min(w * maxShare, w - minPlot));
  const labelWidth = Math.floor(Math.max(0, Math.min(widestLabel + padding, cap)));
  return { labelWidth, plotLeft: labelWidth, plotWidth: w - labelWidth };
}

export const ELLIPSIS = '…';

/**
 * `text` fitting `maxWidth` by `measure`: unchanged when it fits, else its longest ending behind an ellipsis (a Go
 * start function's informative part is at its end: `…scenarios.runMutexContention.func1 (8)`), or '' when not even
 * the ellipsis fits.
 */
export function ellipsizeStart(text: string, maxWidth: number, measure: (s: string) => number): string {
  if (measure(text) <= maxWidth) {
    return text;
  }
  if (measure(ELLIPSIS) > maxWidth) {
    return '';
  }
  // The longest suffix that fits: measure grows with the suffix length, so search on it.
  let lo = 0;
  let hi = text.length - 1;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (measure(ELLIPSIS + text.slice(text.length - mid)) <= maxWidth) {
      lo = mid;
    } else {
      hi = mid - 1;
    }
  }
  return ELLIPSIS + text.slice(text.length - lo);
}

/** Top and height of each lane's label box, lined up with the lanes (labels never overlap: one box per lane). */
export function laneLabelBoxes(lanes: number, layout: LaneLayout): Array<{ top: number; height: number }> {
  return Array.from({ length: lanes }, (_, i) => ({
    top: layout.top + i * (layout.laneHeight + layout.gap),
    height: layout.laneHeight,
  }));
}

/**
 * Timeline geometry: lanes of a real demo trace placed on a dashboard axis, runs merged, clipped, at least 1 px;
 * bands for GC and STW; lane hit testing.
 */
import { readFixtureBytes } from '../../../tests/support/fixtures';
import { analyzeTrace } from '../../core/analysis/traceAnalysis';
import { groupLanes, traceBuckets } from '../../core/analysis/traceTimeline';
import type { StateTimeline } from '../../frames/stateTimeline';
import {
  bandRects,
  ELLIPSIS,
  ellipsizeStart,
  fitLaneHeight,
  laneAt,
  laneColumns,
  laneLabelBoxes,
  laneRects,
  timeToX,
  xToTime,
} from './geometry';

const layout = { top: 4, laneHeight: 12, gap: 2 };

function demoTimeline(startMs: number): StateTimeline {
  const a = analyzeTrace(readFixtureBytes('mutex-contention', 'trace.bin'));
  const buckets = traceBuckets(a, 50);
  return {
    times: buckets.edges.slice(0, -1).map((ns) => startMs + ns / 1e6),
    lanes: groupLanes(a, buckets, 4),
    end: startMs + a.end / 1e6,
  };
}

describe('timeline geometry', () => {
  it('maps times to x and back on the dashboard axis', () => {
    const range = { from: 1000, to: 3000 };
    expect(timeToX(2000, range, 400)).toBe(200);
    expect(xToTime(100, range, 400)).toBe(1500);
  });

  it('lays the lanes of a real trace inside the axis, one rect per run of equal states', () => {
    const t = demoTimeline(10_000);
    const range = { from: 10_000, to: 10_000 + (t.end - 10_000) * 2 };
    const rects = laneRects(t, range, 800, layout);
    expect(rects.length).toBeGreaterThan(4);
    for (const r of rects) {
      expect(r.x).toBeGreaterThanOrEqual(0);
      expect(r.x + r.w).toBeLessThanOrEqual(800 + 1);
      expect(r.w).toBeGreaterThanOrEqual(1);
      expect(r.y).toBe(layout.top + r.lane * (layout.laneHeight + layout.gap));
    }
    // Consecutive rects of a lane never share a state (runs are merged) unless a null gap separates them.
    for (let i = 1; i < rects.length; i++) {
      if (rects[i].lane === rects[i - 1].lane && rects[i].state === rects[i - 1].state) {
        expect(rects[i].x).toBeGreaterThan(rects[i - 1].x + rects[i - 1].w - 1e-9);
      }
    }
    // The trace covers the first half of the axis.
    expect(Math.max(...rects.map((r) => r.x + r.w))).toBeCloseTo(400, 0);
  });

  it('draws nothing for a trace outside the axis', () => {
    const t = demoTimeline(10_000);
    expect(laneRects(t, { from: 0, to: 5_000 }, 800, layout)).toEqual([]);
  });

  it('places GC and STW bands, clipped, at least 1 px wide', () => {
    const bands = bandRects(
      [
        { start: 1100, end: 1100.001, kind: 'stw', reason: 'GC mark termination' },
        { start: 900, end: 1500, kind: 'gc', reason: '' },
      ],
      { from: 1000, to: 2000 },
      1000,
      50
    );
    expect(bands).toEqual([
      { x: 100, y: 0, w: 1, h: 50, kind: 'stw', reason: 'GC mark termination' },
      { x: 0, y: 0, w: 500, h: 50, kind: 'gc', reason: '' },
    ]);
  });

  it('finds the lane under the pointer and fits lanes in the height', () => {
    expect(laneAt(4, 3, layout)).toBe(0);
    expect(laneAt(17, 3, layout)).toBe(-1); // in the gap between lanes 0 and 1
    expect(laneAt(18, 3, layout)).toBe(1);
    expect(laneAt(60, 3, layout)).toBe(-1);
    expect(fitLaneHeight(8, 200, 2)).toBe(23);
    expect(fitLaneHeight(100, 200, 2)).toBe(8);
  });
});

describe('timeline lane labels', () => {
  /** A monospace measure: 7 px a character. */
  const mono = (s: string) => s.length * 7;
  const name = 'github.com/seed/goruntime-demo/internal/scenarios.runMutexContention.func1 (8)';

  it('gives labels their own column: the widest label when it fits, at most a share of a wide panel', () => {
    expect(laneColumns(1200, 200)).toEqual({ labelWidth: 208, plotLeft: 208, plotWidth: 992 });
    expect(laneColumns(1200, mono(name))).toEqual({ labelWidth: 420, plotLeft: 420, plotWidth: 780 });
  });

  it('keeps the plot at least 120 px on narrow panels and the label column at least 40 px', () => {
    const narrow = laneColumns(300, mono(name));
    expect(narrow.plotWidth).toBeGreaterThanOrEqual(120);
    expect(narrow.labelWidth + narrow.plotWidth).toBe(300);
    expect(laneColumns(130, mono(name)).labelWidth).toBe(40);
    expect(laneColumns(30, mono(name))).toEqual({ labelWidth: 30, plotLeft: 30, plotWidth: 0 });
  });

  it('ellipsizes a long start function from the left, keeping its function name and count within the width', () => {
    const cut = ellipsizeStart(name, 200, mono);
    expect(cut.startsWith(ELLIPSIS)).toBe(true);
    expect(name.endsWith(cut.slice(1))).toBe(true);
    expect(mono(cut)).toBeLessThanOrEqual(200);
    expect(mono(cut) + 7).toBeGreaterThan(200); // the longest ending that fits
    expect(cut).toBe('…unMutexContention.func1 (8)');
    expect(ellipsizeStart('main.work (2)', 200, mono)).toBe('main.work (2)');
    expect(ellipsizeStart(name, 3, mono)).toBe('');
  });

  it('lines one label box up with each lane, never overlapping', () => {
    const boxes = laneLabelBoxes(3, layout);
    expect(boxes).toEqual([
      { top: 4, height: 12 },
      { top: 18, height: 12 },
      { top: 32, height: 12 },
    ]);
    boxes.forEach((b, i) => expect(laneAt(b.top + b.height / 2, 3, layout)).toBe(i));
  });
});

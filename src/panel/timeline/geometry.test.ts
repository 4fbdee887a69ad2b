/**
 * Timeline geometry: lanes of a real demo trace placed on a dashboard axis, runs merged, clipped, at least 1 px;
 * bands for GC and STW; lane hit testing.
 */
import { readFixtureBytes } from '../../../tests/support/fixtures';
import { analyzeTrace } from '../../core/analysis/traceAnalysis';
import { groupLanes, traceBuckets } from '../../core/analysis/traceTimeline';
import type { StateTimeline } from '../../frames/stateTimeline';
import { bandRects, fitLaneHeight, laneAt, laneRects, timeToX, xToTime } from './geometry';

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

/**
 * Where each view goes in the panel. Stacked: findings (the answer first), then the heatmap (on the dashboard's
 * time axis, like the time series next to it), then the flame graph, which takes what is left because it is the
 * view that benefits from height. Side by side: findings over the heatmap on the left, the flame graph on the right.
 */
import type { PanelLayout, PanelView } from './types';

export interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

export type ViewBoxes = Partial<Record<PanelView, Box>>;

const GAP = 8;
const clamp = (v: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, v));

function column(views: PanelView[], left: number, width: number, height: number, flexible: PanelView): ViewBoxes {
  const fixed: Partial<Record<PanelView, number>> = {
    findings: clamp(Math.round(height * 0.22), 72, 220),
    heatmap: clamp(Math.round(height * 0.34), 140, 340),
    timeline: clamp(Math.round(height * 0.5), 240, 640),
  };
  const out: ViewBoxes = {};
  const gaps = GAP * Math.max(0, views.length - 1);
  const hasFlexible = views.includes(flexible);
  // Without the flexible view, the others share the height in proportion to their fixed sizes.
  const fixedViews = views.filter((v) => v !== flexible);
  const fixedSum = fixedViews.reduce((s, v) => s + (fixed[v] ?? 0), 0);
  const scale = hasFlexible || fixedSum === 0 ? 1 : (height - gaps) / fixedSum;
  let rest = height - gaps - (hasFlexible ? fixedSum : 0);
  if (hasFlexible && rest < 160) {
    // Too short for everything at its size: shrink the fixed views, keep the flame graph usable.
    const shrink = Math.max(0.4, (height - gaps - 160) / Math.max(1, fixedSum));
    fixedViews.forEach((v) => (fixed[v] = Math.round((fixed[v] ?? 0) * shrink)));
    rest = height - gaps - fixedViews.reduce((s, v) => s + (fixed[v] ?? 0), 0);
  }
  let top = 0;
  for (const v of views) {
    const h = v === flexible ? Math.max(0, rest) : Math.round((fixed[v] ?? 0) * scale);
    out[v] = { left, top, width, height: h };
    top += h + GAP;
  }
  return out;
}

export function layoutViews(
  views: readonly PanelView[],
  layout: PanelLayout,
  width: number,
  height: number
): ViewBoxes {
  const order: PanelView[] = (['findings', 'heatmap', 'timeline', 'flamegraph'] as const).filter((v) =>
    views.includes(v)
  );
  if (layout === 'side-by-side' && order.includes('flamegraph') && order.length > 1) {
    const leftWidth = Math.round((width - GAP) * 0.45);
    const left = column(
      order.filter((v) => v !== 'flamegraph'),
      0,
      leftWidth,
      height,
      'heatmap'
    );
    return { ...left, flamegraph: { left: leftWidth + GAP, top: 0, width: width - leftWidth - GAP, height } };
  }
  return column(order, 0, width, height, order.includes('flamegraph') ? 'flamegraph' : 'heatmap');
}

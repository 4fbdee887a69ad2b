import React, { useLayoutEffect, useMemo, useRef } from 'react';

import type { HeatmapColorScheme, TimeWindow } from '../../types';
import { buildPalette } from '../../heatmap/colors';
import type { ColumnSpans } from '../../heatmap/geometry';
import type { HeatmapMatrix } from '../../heatmap/matrix';
import { rasterizeHeatmap } from '../../heatmap/rasterize';

interface Props {
  matrix: HeatmapMatrix;
  spans: ColumnSpans;
  range: TimeWindow;
  /** CSS pixels. */
  width: number;
  height: number;
  devicePixelRatio: number;
  scheme: HeatmapColorScheme;
  isDark: boolean;
}

/**
 * The cells only, drawn once per data/size/range change in a layout effect (so the first paint already shows
 * them). The canvas backing store is width x height device pixels, scaled back down by CSS.
 */
export function HeatmapCanvas({ matrix, spans, range, width, height, devicePixelRatio, scheme, isDark }: Props) {
  const ref = useRef<HTMLCanvasElement>(null);
  const palette = useMemo(() => buildPalette(scheme, isDark), [scheme, isDark]);
  const deviceWidth = Math.max(1, Math.round(width * devicePixelRatio));
  const deviceHeight = Math.max(1, Math.round(height * devicePixelRatio));

  useLayoutEffect(() => {
    const canvas = ref.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) {
      return;
    }
    const image = ctx.createImageData(deviceWidth, deviceHeight);
    rasterizeHeatmap(image, matrix, spans, {
      plot: { left: 0, top: 0, width: deviceWidth, height: deviceHeight },
      range,
      palette,
      rowGap: Math.max(1, Math.round(devicePixelRatio)),
    });
    ctx.putImageData(image, 0, 0);
  }, [matrix, spans, range, palette, deviceWidth, deviceHeight, devicePixelRatio]);

  return (
    <canvas
      ref={ref}
      width={deviceWidth}
      height={deviceHeight}
      style={{ width, height, display: 'block' }}
      data-testid="goruntime-heatmap-canvas"
      aria-hidden
    />
  );
}

/**
 * Colour = goroutine count. Counts span orders of magnitude (a few runtime goroutines next to thousands of leaked
 * senders), so intensity is logarithmic, log(1 + count) / log(1 + max): one goroutine is visible and growth stays
 * visible at any size. Palettes are sequential ramps (the ColorBrewer/viridis stops Grafana's heatmap offers), run
 * from the background colour outwards, so low counts are dim on a dark theme and pale on a light one.
 */
import type { HeatmapColorScheme } from '../types';

const STOPS: Readonly<Record<HeatmapColorScheme, string[]>> = {
  oranges: ['#fff5eb', '#fdd0a2', '#fd8d3c', '#d94801', '#7f2704'],
  blues: ['#f7fbff', '#c6dbef', '#6baed6', '#2171b5', '#08306b'],
  greens: ['#f7fcf5', '#c7e9c0', '#74c476', '#238b45', '#00441b'],
  purples: ['#fcfbfd', '#dadaeb', '#9e9ac8', '#6a51a3', '#3f007d'],
  viridis: ['#440154', '#3b528b', '#21918c', '#5ec962', '#fde725'],
};

/** Viridis already runs dark to light; the ColorBrewer ramps run light to dark and are reversed on dark themes. */
const DARK_TO_LIGHT: ReadonlySet<HeatmapColorScheme> = new Set(['viridis']);

function rgb(hex: string): [number, number, number] {
  const v = parseInt(hex.slice(1), 16);
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
}

export const PALETTE_SIZE = 256;

/**
 * RGBA palette of PALETTE_SIZE entries for intensities 0..1. Entry 0 is for a count of 0 where a snapshot exists:
 * a faint tint (so "no goroutines" differs from "no data", which stays transparent).
 */
export function buildPalette(scheme: HeatmapColorScheme, isDark: boolean): Uint8ClampedArray {
  let stops = (STOPS[scheme] ?? STOPS.oranges).map(rgb);
  if (isDark !== DARK_TO_LIGHT.has(scheme)) {
    stops = [...stops].reverse();
  }
  // On a light theme the palest stop would vanish into the white panel background: start one stop in.
  const ramp = isDark || DARK_TO_LIGHT.has(scheme) ? stops : stops.slice(1);
  const out = new Uint8ClampedArray(PALETTE_SIZE * 4);
  for (let i = 0; i < PALETTE_SIZE; i++) {
    const t = i === 0 ? 0 : (i - 1) / (PALETTE_SIZE - 2);
    const pos = t * (ramp.length - 1);
    const k = Math.min(ramp.length - 2, Math.floor(pos));
    const f = pos - k;
    for (let ch = 0; ch < 3; ch++) {
      out[i * 4 + ch] = Math.round(ramp[k][ch] + (ramp[k + 1][ch] - ramp[k][ch]) * f);
    }
    out[i * 4 + 3] = i === 0 ? 40 : 255;
  }
  return out;
}

/** Palette index of a count: 0 for zero, 1..255 on a log scale up to `max`. */
export function paletteIndex(count: number, max: number): number {
  if (!(count > 0) || !(max > 0)) {
    return 0;
  }
  const t = Math.log1p(count) / Math.log1p(max);
  return 1 + Math.min(PALETTE_SIZE - 2, Math.max(0, Math.round(t * (PALETTE_SIZE - 2))));
}

/** CSS colour of a palette entry (legend, tooltip swatch). */
export function paletteCss(palette: Uint8ClampedArray, index: number): string {
  const i = index * 4;
  return `rgba(${palette[i]}, ${palette[i + 1]}, ${palette[i + 2]}, ${(palette[i + 3] / 255).toFixed(2)})`;
}

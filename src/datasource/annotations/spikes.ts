/**
 * Spike windows in a time series: runs of consecutive points well above the series' typical level.
 *
 * Typical level = median; spread = median absolute deviation (robust to the spike itself, unlike mean/stddev).
 * A point is "high" when it exceeds median + max(3 * 1.4826 * MAD, 0.5 * median): three robust standard deviations
 * and at least 50% above normal, so a flat series with tiny noise does not produce spikes. Runs separated by one
 * normal point are joined.
 */
export interface Spike {
  from: number;
  to: number;
  peak: number;
  /** The median the spike is measured against. */
  typical: number;
}

function median(sorted: readonly number[]): number {
  const n = sorted.length;
  return n === 0 ? 0 : n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

/** `times[i]` is the end of point i's bucket; `stepMs` its width. Null values are gaps (never high). */
export function detectSpikes(times: readonly number[], values: ReadonlyArray<number | null>, stepMs: number): Spike[] {
  const present = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (present.length < 5) {
    return [];
  }
  const sorted = [...present].sort((a, b) => a - b);
  const typical = median(sorted);
  const mad = median(sorted.map((v) => Math.abs(v - typical)).sort((a, b) => a - b));
  const threshold = typical + Math.max(3 * 1.4826 * mad, 0.5 * typical);
  const spikes: Spike[] = [];
  let current: Spike | undefined;
  let gap = 0;
  values.forEach((v, i) => {
    const high = v !== null && v > threshold;
    if (high) {
      if (current && gap <= 1) {
        current.to = times[i];
        current.peak = Math.max(current.peak, v!);
      } else {
        current = { from: times[i] - stepMs, to: times[i], peak: v!, typical };
        spikes.push(current);
      }
      gap = 0;
    } else {
      gap++;
    }
  });
  return spikes;
}

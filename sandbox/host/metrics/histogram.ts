// histogram_quantile as Prometheus computes it: find the bucket holding the q-th observation and interpolate
// linearly inside it (the lowest bucket starts at 0; a quantile in the +Inf bucket is the highest finite bound).

export interface Bucket {
  le: number;
  count: number;
}

export function histogramQuantile(q: number, buckets: Bucket[]): number | null {
  const sorted = [...buckets].sort((a, b) => a.le - b.le);
  if (sorted.length < 2 || sorted[sorted.length - 1].le !== Infinity) {
    return null;
  }
  const total = sorted[sorted.length - 1].count;
  if (!(total > 0)) {
    return null;
  }
  const rank = q * total;
  let index = sorted.findIndex((b) => b.count >= rank);
  if (index === sorted.length - 1) {
    return sorted[sorted.length - 2].le;
  }
  index = Math.max(index, 0);
  const upper = sorted[index];
  const lowerBound = index === 0 ? 0 : sorted[index - 1].le;
  const lowerCount = index === 0 ? 0 : sorted[index - 1].count;
  const inBucket = upper.count - lowerCount;
  if (inBucket <= 0) {
    return upper.le;
  }
  return lowerBound + (upper.le - lowerBound) * ((rank - lowerCount) / inBucket);
}

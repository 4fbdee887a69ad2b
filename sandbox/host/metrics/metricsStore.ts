// The sandbox's stand-in for Prometheus: the page scrapes the demo service's /metrics every few seconds and keeps the
// derived series in memory, computed the way the dashboard's PromQL would:
//   CPU         rate(process_cpu_seconds_total)                                  (cores)
//   latency     histogram_quantile(0.5 | 0.99, sum by (le) (rate(http_request_duration_seconds_bucket)))
//   requests    sum(rate(http_request_duration_seconds_count))
//   goroutines  go_goroutines
// Rates are taken between consecutive scrapes; a counter that went down (the service restarted) gives no point.
import { FieldType, type DataFrame, type FieldConfig, createDataFrame } from '@grafana/data';

import { histogramQuantile } from './histogram';
import type { Sample } from './promText';

export interface MetricPoint {
  time: number;
  cpuCores: number | null;
  latencyP50: number | null;
  latencyP99: number | null;
  requestsPerSecond: number | null;
  goroutines: number | null;
}

interface Counters {
  time: number;
  cpuSeconds?: number;
  requestCount: number;
  buckets: Map<number, number>;
}

const LATENCY_METRIC = 'http_request_duration_seconds';

export class MetricsStore {
  private readonly points: MetricPoint[] = [];
  private previous?: Counters;

  constructor(private readonly maxPoints = 4000) {}

  get size(): number {
    return this.points.length;
  }

  add(time: number, samples: Sample[]): void {
    const current = counters(time, samples);
    const previous = this.previous;
    this.previous = current;
    const goroutines = samples.find((s) => s.name === 'go_goroutines')?.value ?? null;
    const point: MetricPoint = { time, cpuCores: null, latencyP50: null, latencyP99: null, requestsPerSecond: null, goroutines };
    if (previous) {
      const seconds = (time - previous.time) / 1000;
      if (seconds > 0 && current.cpuSeconds !== undefined && previous.cpuSeconds !== undefined && current.cpuSeconds >= previous.cpuSeconds) {
        point.cpuCores = (current.cpuSeconds - previous.cpuSeconds) / seconds;
      }
      const requests = current.requestCount - previous.requestCount;
      if (seconds > 0 && requests >= 0) {
        point.requestsPerSecond = requests / seconds;
        const deltas = [...current.buckets].map(([le, count]) => ({ le, count: count - (previous.buckets.get(le) ?? 0) }));
        if (requests > 0 && deltas.every((b) => b.count >= 0)) {
          point.latencyP50 = histogramQuantile(0.5, deltas);
          point.latencyP99 = histogramQuantile(0.99, deltas);
        }
      }
    }
    this.points.push(point);
    if (this.points.length > this.maxPoints) {
      this.points.splice(0, this.points.length - this.maxPoints);
    }
  }

  /** Points inside [from, to], plus one on each side so lines reach the plot edges. */
  private slice(from: number, to: number): MetricPoint[] {
    const first = Math.max(0, this.points.findIndex((p) => p.time >= from) - 1);
    let last = this.points.length - 1;
    while (last > first && this.points[last - 1].time > to) {
      last--;
    }
    return this.points.slice(first, last + 1);
  }

  frames(from: number, to: number): { cpu: DataFrame; latency: DataFrame; goroutines: DataFrame } {
    const points = this.slice(from, to);
    const time = points.map((p) => p.time);
    const timeField = { name: 'Time', type: FieldType.time, values: time, config: {} };
    const numbers = (name: string, pick: (p: MetricPoint) => number | null, config: FieldConfig) => ({
      name,
      type: FieldType.number,
      values: points.map(pick),
      config: { ...config, custom: { ...LINE_STYLE, ...config.custom } },
    });
    return {
      cpu: createDataFrame({
        refId: 'cpu',
        name: 'rate(process_cpu_seconds_total)',
        fields: [timeField, numbers('CPU', (p) => p.cpuCores, { unit: 'short', min: 0, displayName: 'CPU (cores)', color: fixed('green') })],
      }),
      latency: createDataFrame({
        refId: 'latency',
        name: LATENCY_METRIC,
        fields: [
          timeField,
          numbers('p50', (p) => p.latencyP50, { unit: 's', min: 0, displayName: 'p50', color: fixed('blue') }),
          numbers('p99', (p) => p.latencyP99, { unit: 's', min: 0, displayName: 'p99', color: fixed('orange') }),
        ],
      }),
      goroutines: createDataFrame({
        refId: 'goroutines',
        name: 'go_goroutines',
        fields: [timeField, numbers('goroutines', (p) => p.goroutines, { unit: 'short', min: 0, decimals: 0, displayName: 'goroutines', color: fixed('purple') })],
      }),
    };
  }
}

const LINE_STYLE = {
  drawStyle: 'line',
  lineInterpolation: 'smooth',
  lineWidth: 1,
  fillOpacity: 12,
  gradientMode: 'opacity',
  showPoints: 'never',
  pointSize: 4,
  spanNulls: false,
  axisPlacement: 'auto',
  axisGridShow: true,
};

function fixed(color: string): FieldConfig['color'] {
  return { mode: 'fixed', fixedColor: color } as FieldConfig['color'];
}

function counters(time: number, samples: Sample[]): Counters {
  const buckets = new Map<number, number>();
  let requestCount = 0;
  let cpuSeconds: number | undefined;
  for (const s of samples) {
    if (s.name === 'process_cpu_seconds_total') {
      cpuSeconds = s.value;
    } else if (s.name === `${LATENCY_METRIC}_bucket`) {
      const le = s.labels.le === '+Inf' ? Infinity : Number(s.labels.le);
      buckets.set(le, (buckets.get(le) ?? 0) + s.value); // sum by (le)
    } else if (s.name === `${LATENCY_METRIC}_count`) {
      requestCount += s.value;
    }
  }
  return { time, cpuSeconds, requestCount, buckets };
}

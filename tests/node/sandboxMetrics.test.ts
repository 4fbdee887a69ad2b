/**
 * The sandbox's stand-in for Prometheus must read the demo service's exposition text and compute quantiles the way
 * PromQL's histogram_quantile does, or its latency panel would disagree with the same dashboard in Grafana.
 */
import { histogramQuantile } from '../../sandbox/host/metrics/histogram';
import { parsePromText } from '../../sandbox/host/metrics/promText';

describe('parsePromText', () => {
  it('reads samples with labels, escapes and special values, skipping comments', () => {
    const samples = parsePromText(
      [
        '# HELP http_request_duration_seconds Duration.',
        '# TYPE http_request_duration_seconds histogram',
        'http_request_duration_seconds_bucket{code="200",handler="/work",le="0.005"} 30',
        'http_request_duration_seconds_bucket{code="200",handler="/work",le="+Inf"} 31',
        'weird{path="a\\"b\\\\c\\nd"} NaN',
        'process_cpu_seconds_total 0.05 1700000000000',
        'not a sample line',
        '',
      ].join('\n')
    );
    expect(samples).toHaveLength(4);
    expect(samples[0]).toEqual({
      name: 'http_request_duration_seconds_bucket',
      labels: { code: '200', handler: '/work', le: '0.005' },
      value: 30,
    });
    expect(samples[1].labels.le).toBe('+Inf');
    expect(samples[2].labels.path).toBe('a"b\\c\nd');
    expect(samples[2].value).toBeNaN();
    expect(samples[3]).toEqual({ name: 'process_cpu_seconds_total', labels: {}, value: 0.05 });
  });
});

describe('histogramQuantile', () => {
  const buckets = [
    { le: 0.1, count: 10 },
    { le: 0.2, count: 30 },
    { le: 0.4, count: 40 },
    { le: Infinity, count: 40 },
  ];

  it('interpolates linearly inside the bucket holding the rank', () => {
    expect(histogramQuantile(0.5, buckets)).toBeCloseTo(0.15); // rank 20: halfway through (0.1, 0.2]
    expect(histogramQuantile(0.25, buckets)).toBeCloseTo(0.1); // rank 10: top of the first bucket
    expect(histogramQuantile(0.1, buckets)).toBeCloseTo(0.04); // first bucket starts at 0
  });

  it('answers the highest finite bound for ranks in +Inf and null without observations', () => {
    expect(histogramQuantile(0.99, [...buckets.slice(0, 3), { le: Infinity, count: 50 }])).toBe(0.4);
    expect(
      histogramQuantile(
        0.5,
        buckets.map((b) => ({ ...b, count: 0 }))
      )
    ).toBeNull();
    expect(histogramQuantile(0.5, buckets.slice(0, 3))).toBeNull(); // no +Inf bucket: not a histogram
  });
});

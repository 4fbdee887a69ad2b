import { captureMode, endsNow, HistoryNeedsPyroscopeError, liveSeconds, planCapture } from './capturePlan';

const NOW = 1_800_000_000_000;
const limits = { maxSeconds: 10, timeoutSeconds: 30 };

describe('live capture planning', () => {
  it('derives seconds from a range that ends now, clamped to the maximum and below the proxy timeout', () => {
    expect(liveSeconds({ from: NOW - 5000, to: NOW }, NOW, limits)).toBe(5);
    expect(liveSeconds({ from: NOW - 6 * 3600_000, to: NOW, rawTo: 'now' }, NOW, limits)).toBe(10);
    expect(liveSeconds({ from: NOW - 60_000, to: NOW }, NOW, { maxSeconds: 60, timeoutSeconds: 30 })).toBe(28);
    expect(liveSeconds({ from: NOW - 60_000, to: NOW }, NOW, { ...limits, seconds: 45 })).toBe(28);
    expect(liveSeconds({ from: NOW - 300, to: NOW }, NOW, limits)).toBe(1);
  });

  it('refuses a past range: history needs Pyroscope', () => {
    expect(endsNow({ from: NOW - 7200_000, to: NOW - 3600_000 }, NOW)).toBe(false);
    expect(() => liveSeconds({ from: NOW - 7200_000, to: NOW - 3600_000 }, NOW, limits)).toThrow(
      HistoryNeedsPyroscopeError
    );
    expect(() => liveSeconds({ from: NOW - 7200_000, to: NOW - 3600_000 }, NOW, limits)).toThrow(/range ends 1h ago/);
    // A few seconds of clock skew between browser and range is still "now".
    expect(endsNow({ from: NOW - 60_000, to: NOW - 5000 }, NOW)).toBe(true);
  });

  it('uses seconds= for CPU and cumulative profiles, snapshots for the rest', () => {
    expect(planCapture('cpu', undefined, 7)).toMatchObject({
      endpoint: 'profile',
      params: { seconds: 7 },
      mode: 'cpu',
    });
    expect(planCapture('allocs', undefined, 7)).toMatchObject({
      endpoint: 'allocs',
      params: { seconds: 7 },
      mode: 'delta',
    });
    expect(planCapture('mutex', 'contentions', 7).mode).toBe('delta');
    expect(planCapture('heap', undefined, 7)).toMatchObject({ params: {}, mode: 'snapshot' });
    expect(captureMode('heap', 'alloc_space')).toBe('delta');
    expect(captureMode('goroutine', undefined)).toBe('snapshot');
  });
});

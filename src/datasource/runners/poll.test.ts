import { LoadingState } from '@grafana/data';
import { Observable, of, throwError } from 'rxjs';

import { poll } from './poll';

describe('poll (live streaming)', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('emits Streaming responses with one key, reports a failed sample and keeps polling, stops on unsubscribe', () => {
    let n = 0;
    const sample = (): Observable<number> => (++n === 2 ? throwError(() => new Error('target restarting')) : of(n));
    const seen: Array<{ state?: LoadingState; key?: string; data: unknown[]; errors?: Array<{ message?: string }> }> =
      [];
    const sub = poll({
      key: 'k',
      intervalMs: 1000,
      sample,
      onSample: (v) => [v],
      describeError: (e) => `demo, goroutine dump: ${(e as Error).message}`,
    }).subscribe((r) => seen.push(r));
    jest.advanceTimersByTime(2500);
    expect(n).toBe(3);
    expect(seen.map((r) => r.data)).toEqual([[1], [1], [3]]);
    expect(seen[1].errors?.[0].message).toBe('demo, goroutine dump: target restarting');
    expect(new Set(seen.map((r) => `${r.key}/${r.state}`))).toEqual(new Set([`k/${LoadingState.Streaming}`]));
    sub.unsubscribe();
    jest.advanceTimersByTime(10_000);
    expect(n).toBe(3);
  });
});

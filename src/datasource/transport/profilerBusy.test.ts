import { Observable, lastValueFrom } from 'rxjs';

import { QueryFailure } from './failure';
import { isProfilerBusy, retryWhileProfilerBusy } from './profilerBusy';

const subject = { target: 'Go demo (pprof)', profile: 'cpu profile' };
const busy = () =>
  new QueryFailure(subject, 'HTTP 500: Could not enable CPU profiling: cpu profiling already in use', 500);

/** A capture that fails with `failures` in order, then answers 'profile'; counts its attempts. */
function capture(failures: Error[]) {
  const stats = { attempts: 0 };
  const source = new Observable<string>((subscriber) => {
    const failure = failures[stats.attempts++];
    if (failure) {
      subscriber.error(failure);
    } else {
      subscriber.next('profile');
      subscriber.complete();
    }
  });
  return { source, stats };
}

describe('retryWhileProfilerBusy', () => {
  it('recognises only the Go profiler-busy answer', () => {
    expect(isProfilerBusy(busy())).toBe(true);
    expect(isProfilerBusy(new QueryFailure(subject, 'HTTP 500: boom', 500))).toBe(false);
    expect(isProfilerBusy(new Error('cpu profiling already in use'))).toBe(false);
  });

  it('retries a capture that found the profiler still held, then succeeds', async () => {
    const { source, stats } = capture([busy(), busy()]);
    await expect(lastValueFrom(source.pipe(retryWhileProfilerBusy([1, 1, 1])))).resolves.toBe('profile');
    expect(stats.attempts).toBe(3);
  });

  it('gives up after the last delay with the upstream message', async () => {
    const { source, stats } = capture([busy(), busy(), busy(), busy()]);
    await expect(lastValueFrom(source.pipe(retryWhileProfilerBusy([1, 1, 1])))).rejects.toThrow(/already in use/);
    expect(stats.attempts).toBe(4);
  });

  it('does not retry other failures', async () => {
    const { source, stats } = capture([new QueryFailure(subject, 'HTTP 404: not found', 404)]);
    await expect(lastValueFrom(source.pipe(retryWhileProfilerBusy([1, 1, 1])))).rejects.toThrow(/404/);
    expect(stats.attempts).toBe(1);
  });
});

/**
 * Retrying a CPU capture that found the profiler still held by a capture we just cancelled.
 *
 * Why: when a dashboard's time range changes, the running `profile?seconds=N` is cancelled and a new one starts at
 * once. Go's handler notices the closed connection and calls StopCPUProfile, but that takes a moment (it waits for
 * the profile writer to drain: golang/go:src/runtime/pprof/pprof.go `StopCPUProfile`), and a capture arriving in
 * between is answered HTTP 500 "cpu profiling already in use". Our own lane serialises captures from this page, so
 * the only holder is usually the one we just let go: a few short, growing waits clear it. A profiler held by someone
 * else (another dashboard, `go tool pprof`) still fails after the retries, with the upstream message.
 */
import { MonoTypeOperatorFunction, retry, throwError, timer } from 'rxjs';

import { isQueryFailure } from './failure';

export const PROFILER_BUSY_RETRY_DELAYS_MS = [250, 500, 1000];

export function isProfilerBusy(error: unknown): boolean {
  return isQueryFailure(error) && error.status === 500 && /cpu profiling already in use/i.test(error.message);
}

export function retryWhileProfilerBusy<T>(
  delays: number[] = PROFILER_BUSY_RETRY_DELAYS_MS
): MonoTypeOperatorFunction<T> {
  return retry({
    count: delays.length,
    delay: (error, attempt) => (isProfilerBusy(error) ? timer(delays[attempt - 1]) : throwError(() => error)),
  });
}

/**
 * What a live capture of a Go process asks for, given the dashboard range.
 *
 * A pprof endpoint only knows "now": CPU profiles record the next N seconds (`/debug/pprof/profile?seconds=N`),
 * cumulative profiles (allocs, mutex, block, and heap's alloc_* sample types) give the delta over the next N seconds
 * with `?seconds=N` (net/http/pprof `serveDeltaProfile`), and snapshot profiles (heap in-use, goroutine,
 * threadcreate) describe this instant. So a range that does not end now cannot be served: that history lives in
 * Pyroscope. N is the range length, clamped to the configured maximum and kept below the data proxy's timeout
 * (Grafana waits `timeout` seconds for response headers and pprof writes none until the capture ends,
 * `[dataproxy] timeout` in grafana/grafana:conf/defaults.ini).
 *
 * heap with an in-use sample type is fetched as a snapshot even though net/http/pprof would accept `seconds`:
 * the delta of in-use memory has negative values, which a flame graph cannot draw.
 */
import { formatDuration } from '../query/time';
import { isCumulativeSampleType, pprofProfile } from '../../core';

export class HistoryNeedsPyroscopeError extends Error {
  constructor(endsAgoMs: number) {
    super(
      `history needs Pyroscope: this data source reads a live Go process (pprof mode), which can only capture from now, ` +
        `but the dashboard range ends ${formatDuration(endsAgoMs)} ago. Set the range to end at "now", or query a ` +
        `Pyroscope-mode data source for past ranges.`
    );
    this.name = 'HistoryNeedsPyroscopeError';
  }
}

export interface RangeMs {
  from: number;
  to: number;
  /** The raw `to` of the dashboard picker, `now` for relative ranges. */
  rawTo?: string;
}

export interface LiveLimits {
  /** Configured maximum capture length (jsonData.defaultCpuSeconds). */
  maxSeconds: number;
  /** Data proxy timeout in seconds; captures stay 2 s below it. */
  timeoutSeconds: number;
  /** Explicit capture length from the query, still kept below the timeout. */
  seconds?: number;
}

/** The range ends at now when the picker says `now`, or within max(15 s, 2% of the range) of the clock. */
export function endsNow(range: RangeMs, now: number): boolean {
  if (range.rawTo === 'now') {
    return true;
  }
  const tolerance = Math.max(15_000, 0.02 * (range.to - range.from));
  return Math.abs(now - range.to) <= tolerance;
}

/** Capture length in whole seconds for a live range; throws {@link HistoryNeedsPyroscopeError} for a past one. */
export function liveSeconds(range: RangeMs, now: number, limits: LiveLimits): number {
  if (!endsNow(range, now)) {
    throw new HistoryNeedsPyroscopeError(now - range.to);
  }
  const ceiling = Math.max(1, Math.floor(limits.timeoutSeconds) - 2);
  const wanted = limits.seconds ?? Math.min((range.to - range.from) / 1000, limits.maxSeconds);
  return Math.max(1, Math.min(Math.ceil(wanted), ceiling));
}

export type CaptureMode = 'cpu' | 'delta' | 'snapshot';

export interface CapturePlan {
  /** Profile name as the user knows it (`cpu`, `allocs`...). */
  profile: string;
  /** Endpoint under the pprof path (`profile` for CPU). */
  endpoint: string;
  params: Record<string, string | number>;
  mode: CaptureMode;
  sampleType?: string;
  /** Seconds the capture covers (cpu and delta). */
  seconds?: number;
}

export function captureMode(profile: string, sampleType: string | undefined): CaptureMode {
  if (profile === 'cpu') {
    return 'cpu';
  }
  const info = pprofProfile(profile);
  const st = sampleType ?? info?.defaultSampleType ?? '';
  const deltaCapable = profile === 'heap' || profile === 'allocs' || profile === 'mutex' || profile === 'block';
  return deltaCapable && isCumulativeSampleType(st) ? 'delta' : 'snapshot';
}

/** The request for one capture; `seconds` is used only by cpu and delta captures. */
export function planCapture(profile: string, sampleType: string | undefined, seconds: number): CapturePlan {
  const mode = captureMode(profile, sampleType);
  const endpoint = profile === 'cpu' ? 'profile' : profile;
  const params: Record<string, string | number> = mode === 'snapshot' ? {} : { seconds };
  return { profile, endpoint, params, mode, sampleType, seconds: mode === 'snapshot' ? undefined : seconds };
}

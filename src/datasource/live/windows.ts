/**
 * A window's profiles out of the live store: CPU as the exact merge of the CPU windows that cover it, cumulative
 * kinds (allocs, mutex, block) as the difference of the first and last snapshots inside it, snapshot kinds (heap
 * in-use, goroutines) as the last one inside it, goroutine dumps as every dump inside it.
 */
import { mergeProfiles, type Profile, snapshotFromProfile, type TimedGoroutineSnapshot } from '../../core';
import type { Capture, CaptureStore, ProfileCapture } from './captureStore';
import { cumulativeDelta } from './delta';
import { coverage, Coverage, Span } from './policy';

export interface WindowProfile {
  profile?: Profile;
  /** The captures used, oldest first. */
  captures: Capture[];
  coverage: Coverage;
}

const profilesOf = (captures: Capture[]): ProfileCapture[] =>
  captures.filter((c): c is ProfileCapture => c.type === 'profile');

/** Exact merge of the CPU windows covering `window` (google/pprof Merge semantics, core/analysis/merge.ts). */
export function cpuWindow(store: CaptureStore, window: Span): WindowProfile {
  const captures = profilesOf(store.within('cpu', window));
  const profile =
    captures.length === 0
      ? undefined
      : captures.length === 1
        ? captures[0].profile
        : mergeProfiles(captures.map((c) => c.profile));
  return { profile, captures, coverage: coverage(captures, window) };
}

/** The delta of a cumulative kind between the first and last of its snapshots inside `window`. */
export function cumulativeWindow(store: CaptureStore, kind: string, window: Span): WindowProfile {
  const inside = profilesOf(store.within(kind, window));
  if (inside.length < 2) {
    return { captures: inside, coverage: { coveredMs: 0, fraction: 0 } };
  }
  const first = inside[0];
  const last = inside[inside.length - 1];
  const span = { from: first.to, to: last.to };
  return {
    profile: cumulativeDelta(last.profile, first.profile, span),
    captures: [first, last],
    coverage: coverage([span], window),
  };
}

/** The last snapshot of a kind inside `window` (in-use heap, a goroutine profile, any other snapshot endpoint). */
export function snapshotWindow(store: CaptureStore, kind: string, window: Span): WindowProfile {
  const last = profilesOf(store.within(kind, window)).at(-1);
  return last
    ? { profile: last.profile, captures: [last], coverage: coverage([{ from: last.to, to: last.to }], window) }
    : { captures: [], coverage: { coveredMs: 0, fraction: 0 } };
}

const inferred = new WeakMap<ProfileCapture, TimedGoroutineSnapshot>();

/** Goroutine proto profiles inside `window` as snapshots (states inferred from the stacks), oldest first. */
export function profileSnapshots(store: CaptureStore, window: Span): TimedGoroutineSnapshot[] {
  return profilesOf(store.within('goroutine', window)).map((c) => {
    let s = inferred.get(c);
    if (!s) {
      s = { time: c.to, snapshot: snapshotFromProfile(c.profile, c.to) };
      inferred.set(c, s);
    }
    return s;
  });
}

/**
 * Goroutine snapshots inside `window`, oldest first: every debug=2 dump, and goroutine proto profiles at times no
 * dump is near (within half the profile cadence), so counts have the profile cadence and states the dump's detail.
 */
export function goroutineSnapshots(store: CaptureStore, window: Span, cadenceMs: number): TimedGoroutineSnapshot[] {
  const dumps = dumpSnapshots(store, window);
  const profiles = profileSnapshots(store, window).filter(
    (p) => !dumps.some((d) => Math.abs(d.time - p.time) < cadenceMs / 2)
  );
  return [...dumps, ...profiles].sort((a, b) => a.time - b.time);
}

/** Only the debug=2 dumps inside `window` (wait minutes, exact wait reasons). */
export function dumpSnapshots(store: CaptureStore, window: Span): TimedGoroutineSnapshot[] {
  return store.within('dump', window).flatMap((c) => (c.type === 'dump' ? [{ time: c.to, snapshot: c.snapshot }] : []));
}

/**
 * Snapshots of one source, for what compares them (cluster growth, findings): a dump and a proto profile name the
 * same goroutines differently (inferred reasons, runtime frames), so a series never mixes them. Dumps when they are
 * current; the proto profiles when the newest dump is more than `cadenceMs` older than the newest profile (dumps
 * of a growing process get expensive and are polled less often, and "now" must not wait for the next one).
 */
export function consistentSnapshots(store: CaptureStore, window: Span, cadenceMs: number): TimedGoroutineSnapshot[] {
  const dumps = dumpSnapshots(store, window);
  const profiles = profileSnapshots(store, window);
  const newestDump = dumps.at(-1)?.time ?? -Infinity;
  const newestProfile = profiles.at(-1)?.time ?? -Infinity;
  if (dumps.length === 0 || newestProfile > newestDump + cadenceMs) {
    return profiles.length ? profiles : dumps;
  }
  return dumps;
}

/**
 * Adapter from a decoded pprof `goroutine` or Go 1.26 `goroutineleak` profile (model/profile.ts, column-wise) to the
 * stack list the inference needs. Proto stacks keep the runtime leaf frames (`runtime.gopark` → `runtime.chanrecv`
 * → `runtime.chanrecv1` → user) and never contain `runtime.goexit` (golang/go:src/runtime/pprof/proto.go
 * `allFrames`), which is what makes
 * inference possible. Inlined calls are expanded innermost first, as the location's lines are stored.
 */
import { functionFilename, functionName, sampleStringLabels, sampleTypeIndex, type Profile } from '../../model/profile';
import { snapshotFromStacks, type GoroutineStack, type StackFrameInput, type StacksSnapshot } from './fromStacks';

/** `goroutineleak` when the sample type says so (`goroutineleak/count`, golang/go:src/runtime/pprof/pprof.go). */
export function goroutineProfileKind(profile: Profile): 'goroutine' | 'goroutineleak' | undefined {
  if (sampleTypeIndex(profile, 'goroutineleak') >= 0) {
    return 'goroutineleak';
  }
  if (sampleTypeIndex(profile, 'goroutine') >= 0) {
    return 'goroutine';
  }
  return undefined;
}

export function stacksFromProfile(profile: Profile): GoroutineStack[] {
  const kind = goroutineProfileKind(profile);
  const valueIndex = kind === undefined ? profile.defaultSampleTypeIndex : sampleTypeIndex(profile, kind);
  const stride = profile.sampleTypes.length;
  const { samples, locations } = profile;
  // Frames per location are shared between samples.
  const frameCache = new Map<number, StackFrameInput[]>();
  const framesOf = (loc: number): StackFrameInput[] => {
    let frames = frameCache.get(loc);
    if (frames === undefined) {
      frames = [];
      for (let l = locations.lineStart[loc]; l < locations.lineStart[loc + 1]; l++) {
        const fn = locations.lineFunction[l];
        frames.push({ func: functionName(profile, fn), file: functionFilename(profile, fn), line: locations.lineNumber[l] });
      }
      if (frames.length === 0) {
        frames.push({ func: `0x${loc.toString(16)}`, file: '', line: 0 });
      }
      frameCache.set(loc, frames);
    }
    return frames;
  };
  const stacks: GoroutineStack[] = [];
  for (let i = 0; i < samples.count; i++) {
    const frames: StackFrameInput[] = [];
    for (let k = samples.stackStart[i]; k < samples.stackStart[i + 1]; k++) {
      // A loop, not push(...frames): a location may hold any number of inline lines, and a spread of that many
      // arguments overflows the stack.
      for (const frame of framesOf(samples.stack[k])) {
        frames.push(frame);
      }
    }
    let labels: Record<string, string> | undefined;
    if (samples.labelStart[i] !== samples.labelStart[i + 1]) {
      const map = sampleStringLabels(profile, i);
      if (map.size > 0) {
        labels = {};
        for (const [k, v] of map) {
          labels[k] = v.join(',');
        }
      }
    }
    stacks.push({ frames, count: samples.values[i * stride + valueIndex], labels });
  }
  return stacks;
}

/** Snapshot of a decoded goroutine/goroutineleak profile, states inferred from the stacks. */
export function snapshotFromProfile(profile: Profile, timestamp?: number): StacksSnapshot {
  const kind = goroutineProfileKind(profile) ?? 'goroutine';
  // timeNanos is an exact bigint; millisecond precision is plenty for a time axis.
  const time = timestamp ?? (profile.timeNanos > BigInt(0) ? Number(profile.timeNanos / BigInt(1000000)) : undefined);
  const snapshot = snapshotFromStacks(stacksFromProfile(profile), { source: 'profile', profile: kind, timestamp: time });
  if (goroutineProfileKind(profile) === undefined) {
    snapshot.warnings.push(
      `profile has no goroutine sample type (${profile.sampleTypes.map((t) => t.type).join(', ') || 'none'}); used the default`
    );
  }
  return snapshot;
}

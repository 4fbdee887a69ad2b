/**
 * "How much CPU goes through frames like these, and under which caller": the one measurement most CPU rules make
 * (README "Findings": "CPU share of `time.Now`… under one caller", "`runtime.convT*`… under one caller").
 *
 * A sample counts when any of its frames (inlined frames included, as the flame graph shows them) matches; it counts
 * once however many frames match. Its *caller* is the code that owns the work: the first frame from the leaf that is
 * user or third-party code (so `time.Now -> time.runtimeNow` is charged to the loop that calls `time.Now`), else the
 * first frame outside the runtime (a stdlib caller such as `net/http.(*conn).serve`), else the root frame (scheduler
 * work on g0 ends at `runtime.mcall` or `runtime.mstart`, golang/go:src/runtime/proc.go: it has no Go caller). The
 * same helper
 * measures any sample type: mutex/block `delay`, allocs `alloc_space`.
 */
import { Profile } from '../../model/profile';
import { profileFrameClasses } from '../classify';
import { CLASS_INDEX } from '../classify/profileClasses';
import { frameIndex } from '../frames';
import { selectSamples } from '../selection';

export interface CallerShare {
  caller: string;
  value: number;
  /** Of the profile's total. */
  share: number;
  /** The heaviest matching stack under this caller, leaf first, at most {@link MAX_STACK_FRAMES} frames. */
  stack: string[];
}

export interface StackShare {
  value: number;
  /** Of the profile's total (0 when the total is 0). */
  share: number;
  /** Matching value per caller, largest first. */
  byCaller: CallerShare[];
}

/** The caller of samples whose stack holds nothing but the matched frames. */
export const UNKNOWN_CALLER = '(caller not unwound)';

/** Evidence stacks are cut to the leaf-side frames a reader needs to recognise the code path. */
export const MAX_STACK_FRAMES = 16;

export type FramePredicate = (frameName: string) => boolean;

/** Matches every sample; callers are then found as if nothing matched (allocation sites, lock delay owners). */
export const ANY_STACK: FramePredicate = () => true;

export interface StackShareOptions {
  /** Samples with any frame matching this are left out (for example GC work inside an allocation). */
  exclude?: FramePredicate;
  /** Only samples that also have a frame matching this count (for example "a syscall, and `syscall.write`"). */
  within?: FramePredicate;
  /** Value column by sample type name; default `cpu` when the profile has it, else the default sample type. */
  sampleType?: string;
}

const USER = CLASS_INDEX.user;
const THIRD_PARTY = CLASS_INDEX['third-party'];
const STDLIB = CLASS_INDEX.stdlib;

/** Per profile and sample type, computed once: selected samples, their total, frame classes. */
interface StackIndex {
  typeIndex: number;
  samples: Uint32Array;
  total: number;
  classOf: Uint8Array;
  unnamed: Uint8Array;
}

const indexes = new WeakMap<Profile, Map<string, StackIndex>>();

function stackIndex(profile: Profile, sampleType = 'cpu'): StackIndex {
  let perType = indexes.get(profile);
  if (!perType) {
    perType = new Map();
    indexes.set(profile, perType);
  }
  let index = perType.get(sampleType);
  if (!index) {
    const wanted = profile.sampleTypes.findIndex((t) => t.type === sampleType);
    const selection = selectSamples(profile, { sampleType: wanted >= 0 ? wanted : undefined });
    const stride = profile.sampleTypes.length;
    let total = 0;
    for (const s of selection.samples) {
      total += profile.samples.values[s * stride + selection.typeIndex];
    }
    const { classOf, unnamed } = profileFrameClasses(profile);
    index = { typeIndex: selection.typeIndex, samples: selection.samples, total, classOf, unnamed };
    perType.set(sampleType, index);
  }
  return index;
}

/** Total of a sample type (default `cpu`, else the profile's default type) over all samples. */
export function valueTotal(profile: Profile, sampleType?: string): number {
  return stackIndex(profile, sampleType).total;
}

/** Frame names of one sample, leaf first (inlined callees before their callers). */
export function sampleFrames(profile: Profile, sample: number): string[] {
  const { stackStart, stack } = profile.samples;
  const { frameStart, frames, names } = frameIndex(profile);
  const out: string[] = [];
  for (let k = stackStart[sample]; k < stackStart[sample + 1]; k++) {
    const loc = stack[k];
    for (let f = frameStart[loc + 1] - 1; f >= frameStart[loc]; f--) {
      out.push(names[frames[f]]);
    }
  }
  return out;
}

function flagsFor(names: readonly string[], predicate: FramePredicate): Uint8Array {
  const flags = new Uint8Array(names.length);
  for (let i = 0; i < names.length; i++) {
    flags[i] = predicate(names[i]) ? 1 : 0;
  }
  return flags;
}

/** Frame ids of one sample, leaf first. */
function sampleFrameIds(profile: Profile, sample: number, out: number[]): number[] {
  out.length = 0;
  const { stackStart, stack } = profile.samples;
  const { frameStart, frames } = frameIndex(profile);
  for (let k = stackStart[sample]; k < stackStart[sample + 1]; k++) {
    const loc = stack[k];
    for (let f = frameStart[loc + 1] - 1; f >= frameStart[loc]; f--) {
      out.push(frames[f]);
    }
  }
  return out;
}

/** See the module comment; `matched` frames (the work itself, e.g. `time.now`) are not their own caller. */
function callerOf(ids: readonly number[], index: StackIndex, names: readonly string[], matched: Uint8Array): string {
  let firstStdlib = -1;
  for (const id of ids) {
    if (index.unnamed[id]) {
      continue;
    }
    const c = index.classOf[id];
    if (c === USER || c === THIRD_PARTY) {
      return names[id];
    }
    if (c === STDLIB && firstStdlib < 0 && !matched[id]) {
      firstStdlib = id;
    }
  }
  if (firstStdlib >= 0) {
    return names[firstStdlib];
  }
  const root = ids[ids.length - 1];
  // A stack of nothing but the matched work was not unwound past it (assembly such as `time.now` on the vDSO).
  return root === undefined || matched[root] ? UNKNOWN_CALLER : names[root];
}

/** Share of CPU in samples with a frame matching `predicate`, by caller. See the module comment. */
export function stackShare(profile: Profile, predicate: FramePredicate, options: StackShareOptions = {}): StackShare {
  const index = stackIndex(profile, options.sampleType);
  const { names } = frameIndex(profile);
  const match = flagsFor(names, predicate);
  const matchedForCaller = predicate === ANY_STACK ? new Uint8Array(names.length) : match;
  const exclude = options.exclude ? flagsFor(names, options.exclude) : undefined;
  const within = options.within ? flagsFor(names, options.within) : undefined;
  const stride = profile.sampleTypes.length;
  const callers = new Map<string, { value: number; heaviest: number; sample: number }>();
  const ids: number[] = [];
  let value = 0;
  for (const s of index.samples) {
    sampleFrameIds(profile, s, ids);
    if (
      !ids.some((id) => match[id]) ||
      (exclude && ids.some((id) => exclude[id])) ||
      (within && !ids.some((id) => within[id]))
    ) {
      continue;
    }
    const v = profile.samples.values[s * stride + index.typeIndex];
    value += v;
    const caller = callerOf(ids, index, names, matchedForCaller);
    const entry = callers.get(caller);
    if (!entry) {
      callers.set(caller, { value: v, heaviest: v, sample: s });
    } else {
      entry.value += v;
      if (v > entry.heaviest) {
        entry.heaviest = v;
        entry.sample = s;
      }
    }
  }
  const share = (v: number) => (index.total > 0 ? v / index.total : 0);
  const byCaller = [...callers]
    .map(([caller, e]) => ({
      caller,
      value: e.value,
      share: share(e.value),
      stack: sampleFrames(profile, e.sample).slice(0, MAX_STACK_FRAMES),
    }))
    .sort((a, b) => b.value - a.value || (a.caller < b.caller ? -1 : 1));
  return { value, share: share(value), byCaller };
}

/**
 * CPU split: the fraction of a profile's value per frame class ("where CPU goes", the first layer of the
 * four-layer method, README "Findings"). Works for any sample type; it is meant for `cpu/nanoseconds`.
 *
 * Rule for one sample. Walk its frames from the leaf towards the root, skipping unsymbolized addresses:
 * - If the leaf-most named frame is user, third-party or stdlib code, the sample is charged to that class.
 * - Otherwise the leaf is in runtime-side code. Collect the *runtime stretch*: the consecutive runtime-side frames
 *   (runtime, syscall, cgo classes) from the leaf up to the first user/third-party/stdlib frame (or the root), and
 *   charge the sample by the strongest evidence in it, in this order:
 *   1. any GC/allocator frame -> runtime-gc (so `mallocgc -> gcAssistAlloc -> gcDrainN -> scanobject` under user
 *      code is GC assist, charged to GC, and `gcBgMarkWorker` stacks are GC);
 *   2. any cgo frame -> cgo;
 *   3. any syscall frame -> syscall (`syscall.Syscall6 -> internal/runtime/syscall/linux.Syscall6`, netpoll,
 *      `runtime._VDSO`);
 *   4. any scheduler frame -> runtime-scheduler (`mcall -> park_m -> schedule -> findRunnable -> … futex`);
 *   5. else runtime-other (map and channel internals, memmove, lock spinning under a channel operation...).
 * - A stack of nothing but unsymbolized addresses is external code: cgo.
 * Synthetic frames classify by their table (runtimeFunctions.ts): `_GC` -> GC, `_VDSO` -> syscall,
 * `_ExternalCode` -> cgo, `_System` -> other runtime.
 */
import { Profile } from '../../model/profile';
import { FrameIndex, frameIndex } from '../frames';
import { SampleSelection, selectSamples } from '../selection';
import { FRAME_CLASSES, FrameClass } from './classes';
import { ClassifyOptions } from './frameClass';
import { CLASS_INDEX, profileFrameClasses } from './profileClasses';

export interface CpuSplit {
  /** Fraction of the selected total per class (all classes present; they sum to 1 when the total is nonzero). */
  fractions: Record<FrameClass, number>;
  /** Absolute value per class, in the sample type's unit. */
  values: Record<FrameClass, number>;
  total: number;
  /** Main-module prefixes used for `user` (given or inferred). */
  mainModules: readonly string[];
}

export type CpuSplitOptions = SampleSelection & ClassifyOptions;

const GC = CLASS_INDEX['runtime-gc'];
const CGO = CLASS_INDEX.cgo;
const SYSCALL = CLASS_INDEX.syscall;
const SCHEDULER = CLASS_INDEX['runtime-scheduler'];
const OTHER = CLASS_INDEX['runtime-other'];
/** Bit c set for the classes that end a sample's runtime stretch. */
const USER_SIDE = (1 << CLASS_INDEX.user) | (1 << CLASS_INDEX['third-party']) | (1 << CLASS_INDEX.stdlib);
/** The runtime-side classes by strength of evidence (the rule above). */
const BY_STRENGTH = [GC, CGO, SYSCALL, SCHEDULER];

/** Class index of one sample by the rule above (`index`: the profile's frameIndex, looked up once by a caller). */
export function classifySample(
  profile: Profile,
  sample: number,
  classOf: Uint8Array,
  unnamed: Uint8Array,
  index: FrameIndex = frameIndex(profile)
): number {
  const { stackStart, stack } = profile.samples;
  const { frameStart, frames } = index;
  let seen = 0; // bit i set when class i occurred in the runtime stretch
  let named = false;
  for (let k = stackStart[sample]; k < stackStart[sample + 1]; k++) {
    const loc = stack[k];
    for (let f = frameStart[loc + 1] - 1; f >= frameStart[loc]; f--) {
      const frame = frames[f];
      if (unnamed[frame]) {
        continue;
      }
      const c = classOf[frame];
      if ((USER_SIDE >> c) & 1) {
        return named ? strongest(seen) : c;
      }
      named = true;
      seen |= 1 << c;
    }
  }
  return named ? strongest(seen) : CGO;
}

function strongest(seen: number): number {
  for (const c of BY_STRENGTH) {
    if (seen & (1 << c)) {
      return c;
    }
  }
  return OTHER;
}

export function cpuSplit(profile: Profile, options: CpuSplitOptions = {}): CpuSplit {
  const selection = selectSamples(profile, options);
  const { classOf, unnamed, mainModules } = profileFrameClasses(profile, options);
  const sums = new Float64Array(FRAME_CLASSES.length);
  const stride = profile.sampleTypes.length;
  const index = frameIndex(profile);
  let total = 0;
  const selected = selection.samples;
  for (let s = 0; s < selected.length; s++) {
    const sample = selected[s];
    const value = profile.samples.values[sample * stride + selection.typeIndex];
    total += value;
    sums[classifySample(profile, sample, classOf, unnamed, index)] += value;
  }
  const fractions = {} as Record<FrameClass, number>;
  const values = {} as Record<FrameClass, number>;
  FRAME_CLASSES.forEach((c, i) => {
    values[c] = sums[i];
    fractions[c] = total !== 0 ? sums[i] / total : 0;
  });
  return { fractions, values, total, mainModules };
}

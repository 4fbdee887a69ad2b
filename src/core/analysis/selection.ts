/**
 * Which samples an analysis looks at, and which value column: the options shared by the call tree, the top table,
 * aggregation and the CPU split.
 */
import { Profile, ValueType } from '../model/profile';
import { frameIndex } from './frames';

export interface SampleSelection {
  /** Sample type by name (`cpu`, `alloc_space`...) or index; default: the profile's default sample type. */
  sampleType?: string | number;
  /**
   * Keep only samples whose string labels match: every key listed must be present with one of the given values
   * (pprof `-tagfocus` with exact values).
   */
  labels?: Readonly<Record<string, string | readonly string[]>>;
  /** Keep only samples with at least one frame whose function name matches (pprof `-focus`). */
  focus?: RegExp | string;
  /** Drop samples with any frame whose function name matches (pprof `-ignore`). */
  ignore?: RegExp | string;
}

/** Thrown for analysis options that do not fit the profile (unknown sample type, profiles of different types). */
export class AnalysisOptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AnalysisOptionError';
  }
}

export function resolveSampleType(profile: Profile, sampleType?: string | number): number {
  if (sampleType === undefined) {
    return profile.defaultSampleTypeIndex;
  }
  const index =
    typeof sampleType === 'number' ? sampleType : profile.sampleTypes.findIndex((st) => st.type === sampleType);
  if (!(index >= 0 && index < profile.sampleTypes.length)) {
    const choices = profile.sampleTypes.map((st) => st.type).join(', ');
    throw new AnalysisOptionError(`sample type ${JSON.stringify(sampleType)} must be one of: ${choices || '(none)'}`);
  }
  return index;
}

export interface ResolvedSelection {
  typeIndex: number;
  sampleType: ValueType;
  /** Sample indices selected, in profile order; samples whose value is 0 are left out (they add nothing). */
  samples: Uint32Array;
}

function toRegExp(pattern: RegExp | string): RegExp {
  return typeof pattern === 'string' ? new RegExp(pattern) : pattern;
}

/** Per frame id: 1 when the frame name matches. Each distinct name is tested once, not once per occurrence. */
function matchingFrames(names: readonly string[], pattern: RegExp | string): Uint8Array {
  const re = toRegExp(pattern);
  const out = new Uint8Array(names.length);
  for (let i = 0; i < names.length; i++) {
    re.lastIndex = 0;
    out[i] = re.test(names[i]) ? 1 : 0;
  }
  return out;
}

function stackHasFrame(profile: Profile, sample: number, flags: Uint8Array): boolean {
  const { stackStart, stack } = profile.samples;
  const { frameStart, frames } = frameIndex(profile);
  for (let k = stackStart[sample]; k < stackStart[sample + 1]; k++) {
    const loc = stack[k];
    for (let f = frameStart[loc]; f < frameStart[loc + 1]; f++) {
      if (flags[frames[f]]) {
        return true;
      }
    }
  }
  return false;
}

function labelsMatch(profile: Profile, sample: number, wanted: ReadonlyArray<[string, readonly string[]]>): boolean {
  const s = profile.samples;
  for (const [key, values] of wanted) {
    let found = false;
    for (let l = s.labelStart[sample]; l < s.labelStart[sample + 1] && !found; l++) {
      found =
        s.labelStr[l] !== 0 &&
        profile.strings[s.labelKey[l]] === key &&
        values.includes(profile.strings[s.labelStr[l]]);
    }
    if (!found) {
      return false;
    }
  }
  return true;
}

export function selectSamples(profile: Profile, selection: SampleSelection = {}): ResolvedSelection {
  const typeIndex = resolveSampleType(profile, selection.sampleType);
  const { count, values } = profile.samples;
  const stride = profile.sampleTypes.length;
  const names = frameIndex(profile).names;
  const focus = selection.focus !== undefined ? matchingFrames(names, selection.focus) : undefined;
  const ignore = selection.ignore !== undefined ? matchingFrames(names, selection.ignore) : undefined;
  const wanted = selection.labels
    ? Object.entries(selection.labels).map(([k, v]): [string, readonly string[]] => [
        k,
        typeof v === 'string' ? [v] : v,
      ])
    : undefined;
  const out = new Uint32Array(count);
  let n = 0;
  for (let i = 0; i < count; i++) {
    if (values[i * stride + typeIndex] === 0) {
      continue;
    }
    if (wanted && !labelsMatch(profile, i, wanted)) {
      continue;
    }
    if (focus && !stackHasFrame(profile, i, focus)) {
      continue;
    }
    if (ignore && stackHasFrame(profile, i, ignore)) {
      continue;
    }
    out[n++] = i;
  }
  return { typeIndex, sampleType: profile.sampleTypes[typeIndex], samples: out.subarray(0, n) };
}

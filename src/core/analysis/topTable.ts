/**
 * Flat and cumulative values per function ("top" in `go tool pprof`), and the same per any grouping of frames
 * (package, class).
 *
 * flat(f) is the value of samples whose leaf frame is f; cum(f) is the value of samples in which f appears at
 * least once (recursion is not double-counted). Inlined frames are frames of their own. This is exactly the rule
 * tools/pprofcheck applies with google/pprof's parser, and the cross-check test holds the two to equality.
 */
import { Profile, ValueType } from '../model/profile';
import { frameIndex } from './frames';
import { SampleSelection, selectSamples } from './selection';

export interface FlatCumRow {
  name: string;
  flat: number;
  cum: number;
}

export interface FlatCumTable {
  rows: FlatCumRow[];
  /** Sum of the selected samples' values: the denominator for percentages. */
  total: number;
  sampleType: ValueType;
}

export interface TopOptions extends SampleSelection {
  /** Keep only the first `limit` rows after sorting. */
  limit?: number;
  /** `flat` (default) or `cum`, descending; ties by name. */
  sortBy?: 'flat' | 'cum';
}

/**
 * flat/cum per group, where `groupOf[frameId]` gives each frame's group (-1 to leave a frame out of every group)
 * and `groupNames` names the groups.
 */
export function flatCumByGroup(
  profile: Profile,
  groupOf: Int32Array,
  groupNames: readonly string[],
  options: TopOptions = {}
): FlatCumTable {
  const index = frameIndex(profile);
  const selection = selectSamples(profile, options);
  const { stackStart, stack, values } = profile.samples;
  const { frameStart, frames, leafFrame } = index;
  const stride = profile.sampleTypes.length;
  const flat = new Float64Array(groupNames.length);
  const cum = new Float64Array(groupNames.length);
  const present = new Uint8Array(groupNames.length);
  // stamp[g] = 1 + the sample that last added to cum[g]: counts each group once per sample without clearing.
  const stamp = new Int32Array(groupNames.length);
  let total = 0;
  const selected = selection.samples;
  // Indexed loops, not for-of: a one-shot process runs these before they are optimized, where iterators cost.
  for (let s = 0; s < selected.length; s++) {
    const sample = selected[s];
    const value = values[sample * stride + selection.typeIndex];
    total += value;
    const first = stackStart[sample];
    const last = stackStart[sample + 1];
    if (first === last) {
      continue;
    }
    const leafGroup = groupOf[leafFrame[stack[first]]];
    if (leafGroup >= 0) {
      flat[leafGroup] += value;
    }
    for (let k = first; k < last; k++) {
      const loc = stack[k];
      for (let f = frameStart[loc]; f < frameStart[loc + 1]; f++) {
        const g = groupOf[frames[f]];
        if (g >= 0 && stamp[g] !== sample + 1) {
          stamp[g] = sample + 1;
          cum[g] += value;
          present[g] = 1;
        }
      }
    }
  }
  const key = options.sortBy === 'cum' ? 'cum' : 'flat';
  const threshold = rowThreshold(key === 'cum' ? cum : flat, present, options.limit);
  const rows: FlatCumRow[] = [];
  for (let g = 0; g < groupNames.length; g++) {
    if (present[g] && (key === 'cum' ? cum[g] : flat[g]) >= threshold) {
      rows.push({ name: groupNames[g], flat: flat[g], cum: cum[g] });
    }
  }
  rows.sort((a, b) => b[key] - a[key] || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return {
    rows: options.limit !== undefined ? rows.slice(0, Math.max(0, options.limit)) : rows,
    total,
    sampleType: selection.sampleType,
  };
}

/**
 * The smallest sort key a row among the first `limit` can have: the `limit`-th largest key of the present groups
 * (-Infinity without a limit or with fewer groups, +Infinity for a limit of 0). Rows below it cannot make the table,
 * so only the others become row objects and go through the sort by key and name: a profile has tens of thousands
 * of functions and the table shows ten.
 */
export function rowThreshold(keys: Float64Array, present: Uint8Array, limit: number | undefined): number {
  let count = 0;
  for (let g = 0; g < keys.length; g++) {
    count += present[g];
  }
  if (limit === undefined || limit >= count) {
    return -Infinity;
  }
  if (limit <= 0) {
    return Infinity;
  }
  const presentKeys = new Float64Array(count);
  for (let g = 0, i = 0; g < keys.length; g++) {
    if (present[g]) {
      presentKeys[i++] = keys[g];
    }
  }
  presentKeys.sort(); // numeric, ascending
  return presentKeys[count - limit];
}

/** flat/cum per function. */
export function topFunctions(profile: Profile, options: TopOptions = {}): FlatCumTable {
  const { names } = frameIndex(profile);
  const identity = new Int32Array(names.length);
  for (let i = 0; i < names.length; i++) {
    identity[i] = i;
  }
  return flatCumByGroup(profile, identity, names, options);
}

/** Groups frames by a key function of their name; frames for which `keyOf` returns undefined are left out. */
export function flatCumBy(
  profile: Profile,
  keyOf: (frameName: string, filename: string) => string | undefined,
  options: TopOptions = {}
): FlatCumTable {
  const { names, filenames } = frameIndex(profile);
  const groupOf = new Int32Array(names.length);
  const groups = new Map<string, number>();
  const groupNames: string[] = [];
  for (let i = 0; i < names.length; i++) {
    const key = keyOf(names[i], filenames[i]);
    if (key === undefined) {
      groupOf[i] = -1;
      continue;
    }
    let g = groups.get(key);
    if (g === undefined) {
      g = groupNames.length;
      groups.set(key, g);
      groupNames.push(key);
    }
    groupOf[i] = g;
  }
  return flatCumByGroup(profile, groupOf, groupNames, options);
}

/**
 * Frame naming shared by every analysis: the call tree, the top table, aggregation and the CPU split all see a
 * sample as a sequence of *frames*, one per Line of each Location (inlined calls are frames of their own, as in
 * `go tool pprof` and Grafana's flame graph), named by function name. A location without lines (an unsymbolized
 * address) is one frame named by its mapping, `[binary]`, or `<unknown>` without one, as `go tool pprof -top` prints it.
 *
 * The index interns names once per profile (several Function rows may share a name) and lays out each location's
 * frames root-side first, so walking a stack root -> leaf is a walk over the sample's locations from the last one
 * (profile.proto: location_id[0] is the leaf; Location.line[0] is the innermost inlined callee).
 */
import { Profile, unsymbolizedName } from '../model/profile';
import { ArraySlab } from '../wire/columns';

export interface FrameIndex {
  /** Distinct frame names; a frame id is an index into this list. */
  names: string[];
  /** Location `l`'s frames, caller first: `frames[frameStart[l] .. frameStart[l + 1])`. */
  frameStart: Uint32Array;
  frames: Uint32Array;
  /** For a location, the id of its innermost frame (the one that is the leaf when the location is the leaf). */
  leafFrame: Uint32Array;
  /** Function filename per frame id ('' when unknown); the first function with that name wins. */
  filenames: string[];
  /** The most frames any one location has (1 plus its inlined calls): bounds the frames of a stack. */
  maxFramesPerLocation: number;
}

const cache = new WeakMap<Profile, FrameIndex>();

export function frameIndex(profile: Profile): FrameIndex {
  let index = cache.get(profile);
  if (!index) {
    index = buildFrameIndex(profile);
    cache.set(profile, index);
  }
  return index;
}

function buildFrameIndex(profile: Profile): FrameIndex {
  const { strings, functions, locations } = profile;
  const ids = new Map<string, number>();
  const names: string[] = [];
  const filenames: string[] = [];
  const newFrame = (name: string, filename: string): number => {
    names.push(name);
    filenames.push(filename);
    return names.length - 1;
  };
  const intern = (name: string, filename: string): number => {
    let id = ids.get(name);
    if (id === undefined) {
      id = newFrame(name, filename);
      ids.set(name, id);
    }
    return id;
  };
  const firstEqual = profile.firstEqualString;
  const scratch = new ArraySlab((functions.count + (firstEqual ? strings.length : 0)) * 4);
  const functionFrame = scratch.u32(functions.count);
  if (firstEqual) {
    // Keyed by string index (equal strings share their first index): no string hashing per function.
    const frameOfString = scratch.i32(strings.length).fill(-1);
    for (let f = 0; f < functions.count; f++) {
      const at = firstEqual[functions.name[f]];
      let id = frameOfString[at];
      if (id < 0) {
        const name = strings[at];
        const filename = strings[functions.filename[f]];
        // Only a name that starts like an unsymbolized location's can equal one (see unsymbolizedName): those go
        // through the Map the locations use.
        const c = name.charCodeAt(0);
        id = frameOfString[at] =
          c === 0x5b /* [ */ || c === 0x3c /* < */ ? intern(name, filename) : newFrame(name, filename);
      }
      functionFrame[f] = id;
    }
  } else {
    for (let f = 0; f < functions.count; f++) {
      functionFrame[f] = intern(strings[functions.name[f]], strings[functions.filename[f]]);
    }
  }
  const { lineStart, lineFunction } = locations;
  let total = 0;
  let maxFramesPerLocation = 1;
  for (let l = 0; l < locations.count; l++) {
    const n = Math.max(1, lineStart[l + 1] - lineStart[l]);
    maxFramesPerLocation = Math.max(maxFramesPerLocation, n);
    total += n;
  }
  // The index's three columns in one buffer (see ArraySlab).
  const columns = new ArraySlab((locations.count * 2 + 1 + total) * 4);
  const frameStart = columns.u32(locations.count + 1);
  const frames = columns.u32(total);
  const leafFrame = columns.u32(locations.count);
  total = 0;
  for (let l = 0; l < locations.count; l++) {
    frameStart[l] = total;
    total += Math.max(1, lineStart[l + 1] - lineStart[l]);
  }
  frameStart[locations.count] = total;
  for (let l = 0; l < locations.count; l++) {
    const first = lineStart[l];
    const last = lineStart[l + 1];
    let at = frameStart[l];
    if (first === last) {
      frames[at] = intern(unsymbolizedName(profile, l), '');
    } else {
      for (let j = last - 1; j >= first; j--) {
        frames[at++] = functionFrame[lineFunction[j]];
      }
    }
    leafFrame[l] = frames[frameStart[l + 1] - 1];
  }
  return { names, frameStart, frames, leafFrame, filenames, maxFramesPerLocation };
}

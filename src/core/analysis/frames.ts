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

/**
 * Interns names into ids, with a hash table of its own rather than a `Map<string, number>`: a profile brings tens of
 * thousands of fresh strings, whose hashing and insertion cost a Map about twice this FNV-1a pass over their UTF-16
 * code units plus an open-addressing probe (23k function names of google/pprof's large.cpu). `capacity` bounds the
 * number of distinct names. The hash starts from a random basis per process, so that a profile cannot be crafted
 * with names that all land on one probe chain.
 */
const HASH_BASIS = (0x811c9dc5 ^ Math.floor(Math.random() * 0x100000000)) | 0;

class NameInterner {
  readonly names: string[] = [];
  private readonly slots: Int32Array;
  private readonly mask: number;

  constructor(capacity: number) {
    const size = 1 << Math.ceil(Math.log2(Math.max(16, capacity * 2)));
    this.slots = new Int32Array(size).fill(-1);
    this.mask = size - 1;
  }

  /** The id of `name`; the next unused number when `name` was not seen before. */
  intern(name: string): number {
    let h = HASH_BASIS;
    for (let i = 0; i < name.length; i++) {
      h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
    }
    // FNV's low bits depend only on the low bits of the input: mix the high ones down before masking.
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    const { slots, mask, names } = this;
    for (let at = h & mask; ; at = (at + 1) & mask) {
      const id = slots[at];
      if (id < 0) {
        slots[at] = names.length;
        names.push(name);
        return names.length - 1;
      }
      if (names[id] === name) {
        return id;
      }
    }
  }
}

function buildFrameIndex(profile: Profile): FrameIndex {
  const { strings, functions, locations } = profile;
  // At most one name per function and one per location without lines.
  const interner = new NameInterner(functions.count + locations.count);
  const names = interner.names;
  const filenames: string[] = [];
  const intern = (name: string, filename: string): number => {
    const id = interner.intern(name);
    // A new name gets the next id: its filename is the next one too.
    if (id === filenames.length) {
      filenames.push(filename);
    }
    return id;
  };
  const functionFrame = new Uint32Array(functions.count);
  for (let f = 0; f < functions.count; f++) {
    functionFrame[f] = intern(strings[functions.name[f]], strings[functions.filename[f]]);
  }
  const { lineStart, lineFunction } = locations;
  const frameStart = new Uint32Array(locations.count + 1);
  let total = 0;
  let maxFramesPerLocation = 1;
  for (let l = 0; l < locations.count; l++) {
    frameStart[l] = total;
    const n = Math.max(1, lineStart[l + 1] - lineStart[l]);
    maxFramesPerLocation = Math.max(maxFramesPerLocation, n);
    total += n;
  }
  frameStart[locations.count] = total;
  const frames = new Uint32Array(total);
  const leafFrame = new Uint32Array(locations.count);
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

/**
 * The decoded, validated pprof profile (google/pprof:proto/profile.proto), stored column-wise.
 *
 * Why columns: a heap profile with MemProfileRate=1 has hundreds of thousands of samples and locations; an object
 * per sample/location/line would dominate decode time and memory. Here every table is a set of typed arrays indexed
 * by a dense 0-based row number, and every cross-reference is already resolved from a wire id to a row number
 * (samples -> locations -> lines -> functions, locations -> mappings), so analysis never sees wire ids.
 *
 * Strings: `strings` is the profile's string table, fully decoded; the `*Str`/`name`/`filename` columns hold
 * validated indices into it (index 0 is always ""). Use {@link functionName} and friends for readable access.
 *
 * Numbers follow the 64-bit policy in src/core/README.md ("pprof decoding"): int64 values are JS numbers, exact up to
 * 2^53; `timeNanos` is an exact bigint; addresses are exact hi/lo 32-bit halves; mapping ranges are bigints.
 */
export interface ValueType {
  type: string;
  unit: string;
}

export interface SampleTable {
  count: number;
  /** Row-major values: sample `i`, sample type `t` is `values[i * sampleTypes.length + t]`. */
  values: Float64Array;
  /** Sample `i`'s stack is `stack[stackStart[i] .. stackStart[i + 1])`: location rows, leaf first. */
  stackStart: Uint32Array;
  stack: Uint32Array;
  /**
   * Labels of sample `i` are rows `[labelStart[i] .. labelStart[i + 1])`. A label is a string label when
   * `labelStr` is nonzero, else numeric (`labelNum`, optional `labelUnit`). Labels with neither are dropped, as
   * google/pprof:profile/encode.go `postDecode` does.
   */
  labelStart: Uint32Array;
  labelKey: Uint32Array;
  labelStr: Uint32Array;
  labelNum: Float64Array;
  labelUnit: Uint32Array;
}

export interface LocationTable {
  count: number;
  id: Float64Array;
  /** Mapping row, or -1 when the location has none (mapping_id 0, or an id google/pprof would also leave nil). */
  mapping: Int32Array;
  addressHi: Uint32Array;
  addressLo: Uint32Array;
  isFolded: Uint8Array;
  /** Location `i`'s lines are `[lineStart[i] .. lineStart[i + 1])`; the first is the innermost inlined callee. */
  lineStart: Uint32Array;
  lineFunction: Uint32Array;
  lineNumber: Float64Array;
  lineColumn: Float64Array;
}

export interface FunctionTable {
  count: number;
  id: Float64Array;
  name: Uint32Array;
  systemName: Uint32Array;
  filename: Uint32Array;
  startLine: Float64Array;
}

export interface Mapping {
  id: number;
  memoryStart: bigint;
  memoryLimit: bigint;
  fileOffset: bigint;
  filename: string;
  buildId: string;
  hasFunctions: boolean;
  hasFilenames: boolean;
  hasLineNumbers: boolean;
  hasInlineFrames: boolean;
}

export interface Profile {
  strings: readonly string[];
  /**
   * For string i, the first index whose string is equal to it, when the reader knows it (the pprof decoder does):
   * frames are keyed by name, and this lets them be keyed by string index.
   */
  firstEqualString?: Uint32Array;
  sampleTypes: ValueType[];
  /** default_sample_type as written ('' when unset). */
  defaultSampleType: string;
  /**
   * The sample type to show by default: default_sample_type when it names one of the sample types, else the last
   * one ("clients should default to the last sample value", profile.proto).
   */
  defaultSampleTypeIndex: number;
  periodType: ValueType;
  period: number;
  /** Collection time in ns since the epoch, exact (about 1.7e18, above 2^53). 0 when unset. */
  timeNanos: bigint;
  durationNanos: number;
  comments: string[];
  dropFrames: string;
  keepFrames: string;
  docUrl: string;
  samples: SampleTable;
  locations: LocationTable;
  functions: FunctionTable;
  mappings: Mapping[];
  /** Uncompressed size in bytes. */
  byteLength: number;
}

export function functionName(profile: Profile, fn: number): string {
  return profile.strings[profile.functions.name[fn]];
}

export function functionFilename(profile: Profile, fn: number): string {
  return profile.strings[profile.functions.filename[fn]];
}

/** The location's address as `0x…` hex, exact for all 64 bits. */
export function locationAddressHex(profile: Profile, loc: number): string {
  const hi = profile.locations.addressHi[loc];
  const lo = profile.locations.addressLo[loc];
  return hi === 0 ? `0x${lo.toString(16)}` : `0x${hi.toString(16)}${lo.toString(16).padStart(8, '0')}`;
}

/** The frame name of unsymbolized locations that have no mapping file, as `go tool pprof` prints them. */
export const UNKNOWN_FRAME = '<unknown>';

/**
 * The name of a location without lines (not symbolized), as `go tool pprof -top` shows it at its default function
 * granularity, which leaves addresses out: `[<base name of the mapping's file>]` (every unsymbolized address of
 * one binary is one row), or `<unknown>` for every address without a mapping file
 * (google/pprof:internal/graph NodeInfo.NameComponents).
 */
export function unsymbolizedName(profile: Profile, loc: number): string {
  const mapping = profile.locations.mapping[loc];
  const file = mapping >= 0 ? profile.mappings[mapping].filename : '';
  return file !== '' ? `[${file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1)}]` : UNKNOWN_FRAME;
}

/**
 * The frame name of one line of a location, as `go tool pprof` shows it: the function name, or for a location
 * without lines (not symbolized) its mapping (see {@link unsymbolizedName}). `line` is relative to the location
 * (0 = innermost).
 */
export function frameName(profile: Profile, loc: number, line: number): string {
  const { lineStart, lineFunction } = profile.locations;
  const first = lineStart[loc];
  if (first === lineStart[loc + 1]) {
    return unsymbolizedName(profile, loc);
  }
  return functionName(profile, lineFunction[first + line]);
}

/** Index of the sample type called `type`, or -1. */
export function sampleTypeIndex(profile: Profile, type: string): number {
  return profile.sampleTypes.findIndex((st) => st.type === type);
}

/** Sum of one value column over all samples. */
export function sampleTotal(profile: Profile, typeIndex: number): number {
  const { values, count } = profile.samples;
  const stride = profile.sampleTypes.length;
  let total = 0;
  for (let i = 0; i < count; i++) {
    total += values[i * stride + typeIndex];
  }
  return total;
}

/** String labels of one sample as key -> values. */
export function sampleStringLabels(profile: Profile, sample: number): Map<string, string[]> {
  const s = profile.samples;
  const out = new Map<string, string[]>();
  for (let l = s.labelStart[sample]; l < s.labelStart[sample + 1]; l++) {
    if (s.labelStr[l] !== 0) {
      const key = profile.strings[s.labelKey[l]];
      const list = out.get(key) ?? [];
      list.push(profile.strings[s.labelStr[l]]);
      out.set(key, list);
    }
  }
  return out;
}

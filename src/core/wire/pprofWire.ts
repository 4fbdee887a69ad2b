/**
 * Decoder of the pprof wire format (google/pprof:proto/profile.proto) into column tables that still hold wire
 * references: string-table indices and ids. Resolving and validating them is the model's job
 * (src/core/model/validate.ts), as google/pprof splits `decode` from `postDecode`/`CheckValid`.
 *
 * What the wire allows and this decoder accepts (google/pprof:proto/profile.proto; Go's writer,
 * golang/go:src/runtime/pprof/protobuf.go and proto.go):
 * - fields in any order, and repeated: Go writes locations and functions interleaved before the samples that use
 *   them and the string table last, so nothing is resolved until the whole message is read;
 * - repeated scalars packed (wire type 2) and unpacked (wire type 0, one field per value): Go packs only when a
 *   list has more than 2 values, so CPU sample values `[count, nanos]` are always unpacked;
 * - unknown fields of wire types 0, 1, 2 and 5, skipped;
 * - negative int64 (delta profiles) and int64 > 2^53 (time_nanos), see the 64-bit policy in src/core/README.md;
 * - Line.column (2024) and Function.start_line (Go 1.20+).
 * Like google/pprof:profile/encode.go, a second nonzero time_nanos means two profiles were concatenated.
 *
 * Every table is bounded while it is read (limits.ts): counts per table, values per sample and lines per location,
 * string bytes, and all allocations together through one {@link ByteBudget}; packed lists are sized against the
 * limit before anything is reserved. So a small input that expands into millions of empty entries ends in a
 * LimitExceededError after reading at most the limit's worth, never in an out-of-memory crash.
 */
import { InputError, LimitExceededError, unexpectedFailure } from '../errors';
import { ByteBudget, ArraySlab, F64Column, IdColumn, readPackedInt64, U32Column } from './columns';
import { EqualStrings, fnv1a } from './equalStrings';
import { checkLimit, DecodeLimits } from './limits';
import { MalformedProfileError, NotPprofError } from './pprofErrors';
import { ProtoReader, ProtoSyntaxError, WIRE_LEN as LEN, WIRE_VARINT as VARINT, wireTypeName } from './protoReader';

// Module-level copies: imported bindings compile to property getters under CommonJS bundlers (tsx, swc/jest), and
// these are compared in the innermost loops.
const WIRE_LEN = LEN;
const WIRE_VARINT = VARINT;

/** A (type, unit) pair as string-table indices. */
export interface WireValueType {
  type: number;
  unit: number;
}

/**
 * Samples, column-wise. Sample `i` owns `locationIds[locationStart[i] .. locationStart[i + 1])` (leaf first, as in
 * the proto), `values[valueStart[i] .. valueStart[i + 1])` and the labels `[labelStart[i] .. labelStart[i + 1])`.
 */
export interface WireSamples {
  count: number;
  locationStart: Uint32Array;
  /** Ids as written; a Uint32Array unless some id is 2^32 or more. */
  locationIds: Uint32Array | Float64Array;
  valueStart: Uint32Array;
  values: Float64Array;
  labelStart: Uint32Array;
  labelKey: Float64Array;
  labelStr: Float64Array;
  labelNum: Float64Array;
  labelUnit: Float64Array;
}

/** Locations, column-wise; location `i` owns lines `[lineStart[i] .. lineStart[i + 1])`, line[0] innermost. */
export interface WireLocations {
  count: number;
  id: Float64Array;
  mappingId: Float64Array;
  /** The uint64 address as two exact 32-bit halves (kernel and high addresses exceed 2^53). */
  addressHi: Uint32Array;
  addressLo: Uint32Array;
  isFolded: Uint8Array;
  lineStart: Uint32Array;
  lineFunctionId: Float64Array;
  lineNumber: Float64Array;
  lineColumn: Float64Array;
}

export interface WireFunctions {
  count: number;
  id: Float64Array;
  name: Float64Array;
  systemName: Float64Array;
  filename: Float64Array;
  startLine: Float64Array;
}

export interface WireMapping {
  id: number;
  memoryStart: bigint;
  memoryLimit: bigint;
  fileOffset: bigint;
  filename: number;
  buildId: number;
  hasFunctions: boolean;
  hasFilenames: boolean;
  hasLineNumbers: boolean;
  hasInlineFrames: boolean;
}

export interface PprofWire {
  strings: string[];
  /** For string i, the first index whose string is equal to it (see equalStrings.ts), when the reader knows it. */
  firstEqualString?: Uint32Array;
  sampleTypes: WireValueType[];
  samples: WireSamples;
  locations: WireLocations;
  functions: WireFunctions;
  mappings: WireMapping[];
  dropFrames: number;
  keepFrames: number;
  timeNanos: bigint;
  durationNanos: number;
  periodType?: WireValueType;
  period: number;
  comments: number[];
  defaultSampleType: number;
  docUrl: number;
  /** Bytes decoded (after gunzip). */
  byteLength: number;
}

const UTF8 = new TextDecoder('utf-8', { ignoreBOM: true });
const ZERO = BigInt(0);
/** Budget charge for a small record kept as a JS object (ValueType, Mapping) or a string slot: header plus fields. */
const RECORD_BYTES = 64;
const MAPPING_BYTES = 160;

/** Field names for error context, indexed by Profile field number. */
const PROFILE_FIELDS = [
  '',
  'sample_type',
  'sample',
  'mapping',
  'location',
  'function',
  'string_table',
  'drop_frames',
  'keep_frames',
  'time_nanos',
  'duration_nanos',
  'period_type',
  'period',
  'comment',
  'default_sample_type',
  'doc_url',
];

/**
 * Field paths for error messages, built once: a path built per field read (a template string and an array literal
 * each) was most of what decoding a small profile allocated.
 */
const PROFILE_FIELD_PATHS = PROFILE_FIELDS.map((name) => `Profile.${name}`);
const FUNCTION_FIELD_PATHS = ['', 'id', 'name', 'system_name', 'filename', 'start_line'].map((n) => `Function.${n}`);
const LABEL_FIELD_PATHS = ['', 'key', 'str', 'num', 'num_unit'].map((name) => `Label.${name}`);
const MAPPING_FIELD_PATHS = Array.from({ length: 11 }, (_, field) => `Mapping field ${field}`);

class WireError extends Error {
  constructor(
    message: string,
    readonly offset: number
  ) {
    super(message);
  }
}

function fail(name: keyof DecodeLimits, max: number, actual: number, what: string): never {
  checkLimit(name, max, actual, what);
  throw new LimitExceededError(`${what}: limit ${max} reached`, { name, max, actual }, { format: 'pprof' });
}

function expectWireType(actual: number, expected: number, field: string, offset: number): void {
  if (actual !== expected) {
    throw new WireError(
      `${field} has wire type ${actual} (${wireTypeName(actual)}), expected ${expected} (${wireTypeName(expected)})`,
      offset
    );
  }
}

/** Fails when a sub-message or packed list was not consumed exactly up to its declared end. */
function expectEnd(r: ProtoReader, end: number, what: string): void {
  if (r.pos !== end) {
    throw new WireError(`${what} overruns its declared length`, end);
  }
}

/**
 * A module-level binding: an imported function called once per string goes through the module system's export
 * getter on every call in CommonJS builds (tsx, Jest), a few milliseconds on large profiles.
 */
const hashBytes = fnv1a;

/** How many entries of each table the Profile message holds, as far as a quick pass can tell. */
interface TableCounts {
  sampleTypes: number;
  samples: number;
  locations: number;
  functions: number;
  strings: number;
}

const NO_COUNTS: TableCounts = { sampleTypes: 0, samples: 0, locations: 0, functions: 0, strings: 0 };

/**
 * Counts the top-level Profile fields that start a table entry (sample_type, sample, location, function,
 * string_table), reading only tags and lengths: about 90,000 fields in a millisecond or less. The counts only size
 * the decoder's columns: the pass stops quietly at the first field it cannot step over, leaving the decode to report
 * it, and gives nothing when the columns would take more than `maxHintBytes`, so that a crafted input meets the
 * allocation limit while it is decoded, with the field and offset in the error, as without the pass.
 */
function tableCounts(profileBytes: Uint8Array, maxHintBytes: number): TableCounts {
  const counts = [0, 0, 0, 0, 0, 0, 0];
  const r = new ProtoReader(profileBytes);
  try {
    while (r.pos < r.len) {
      const tag = r.tag();
      r.skipField(tag & 7);
      const field = tag >>> 3;
      if ((tag & 7) === WIRE_LEN && field >= 1 && field <= 6) {
        counts[field]++;
      }
    }
  } catch {
    // A field the pass cannot step over: the decode reports it; the counts so far are hint enough.
  }
  const [, sampleTypes, samples, , locations, functions, strings] = counts;
  // Bytes of the columns sized from these counts (see the Decoder's constructor).
  const bytes = samples * (12 + 8 * Math.max(1, sampleTypes)) + locations * 64 + functions * 40 + strings * 20;
  return bytes > maxHintBytes ? NO_COUNTS : { sampleTypes, samples, locations, functions, strings };
}

/** The most a guessed (uncounted) column may leave unused in the decoder's slabs: as a trimmed column may. */
const SLAB_GUESS_BYTES = 65536;

class Decoder {
  readonly budget: ByteBudget;
  /** The buffer of the columns the profile keeps (see the constructor). */
  private readonly keptSlab: ArraySlab;
  stringBytes = 0;
  readonly strings: string[] = [];
  readonly equalStrings: EqualStrings;
  readonly sampleTypes: WireValueType[] = [];
  readonly mappings: WireMapping[] = [];
  readonly comments: number[] = [];
  periodType?: WireValueType;
  dropFrames = 0;
  keepFrames = 0;
  timeNanos = ZERO;
  durationNanos = 0;
  period = 0;
  defaultSampleType = 0;
  docUrl = 0;

  sampleCount = 0;
  readonly locationStart: U32Column;
  readonly locationIds: IdColumn;
  readonly valueStart: U32Column;
  readonly values: F64Column;
  readonly labelStart: U32Column;
  readonly labelKey: F64Column;
  readonly labelStr: F64Column;
  readonly labelNum: F64Column;
  readonly labelUnit: F64Column;

  locationCount = 0;
  readonly locId: F64Column;
  readonly locMappingId: F64Column;
  readonly locAddressHi: U32Column;
  readonly locAddressLo: U32Column;
  readonly locFolded: U32Column;
  readonly lineStart: U32Column;
  readonly lineFunctionId: F64Column;
  readonly lineNumber: F64Column;
  readonly lineColumn: F64Column;

  functionCount = 0;
  readonly fnId: F64Column;
  readonly fnName: F64Column;
  readonly fnSystemName: F64Column;
  readonly fnFilename: F64Column;
  readonly fnStartLine: F64Column;

  /** Values of the current sample read before a packed list, for the count in a limit error. */
  private packedBefore = 0;
  private readonly tooDeep = (count: number): never =>
    fail('maxStackDepth', this.limits.maxStackDepth, this.packedBefore + count, 'locations in one sample');
  private readonly tooManyValues = (count: number): never =>
    fail('maxSampleTypes', this.limits.maxSampleTypes, this.packedBefore + count, 'values in one sample');

  /** Profile field being decoded, for error context. */
  field = 0;
  /** Whether any Profile field number was seen: tells random bytes from a damaged profile. */
  recognized = false;

  constructor(
    private readonly r: ProtoReader,
    private readonly limits: DecodeLimits
  ) {
    const budget = new ByteBudget(limits.maxAllocatedBytes, (actual) =>
      fail('maxAllocatedBytes', limits.maxAllocatedBytes, actual, 'bytes allocated for the decoded tables')
    );
    this.budget = budget;
    // Tables sized from a first pass over the top-level fields (see tableCounts): 20-odd columns grown by doubling
    // from 256 entries and trimmed at the end allocated about four times their size (10 MB for google/pprof's
    // large.cpu), and every such megabyte of typed arrays brings the next garbage collection closer.
    const counts = tableCounts(r.buf, limits.maxAllocatedBytes >> 2);
    // Exactly the counted size, so that the columns end as views rather than trimmed copies (small profiles
    // decode in a fraction of a millisecond, a copy per column showed), cut from two buffers (see ArraySlab): one for
    // the columns the profile keeps, one for those validation turns into new arrays (string indexes, ids to rows).
    // Tables that were not counted get a first guess from a slab only while it wastes little (SLAB_GUESS_BYTES each
    // at most): labels one per sample (heap profiles carry a `bytes` label on each), inlined lines a quarter more
    // than locations, location ids a quarter of the input. Past that, labels start empty and grow from 256 entries
    // at the first value, and lines grow from the count.
    const { samples, locations, functions } = counts;
    const values = samples * Math.max(1, counts.sampleTypes);
    // A sixteenth of the allocation limit at most, so that guesses alone never reach it.
    const guessBytes = Math.min(SLAB_GUESS_BYTES, limits.maxAllocatedBytes >> 4);
    const labels = samples * 32 <= guessBytes ? samples : 0;
    const lines = locations + ((locations >> 2) * 24 <= guessBytes ? locations >> 2 : 0);
    // Location ids are most of a profile's bytes (a quarter of the input is a good first guess); growing by
    // doubling from a small start cost more than the decode itself on 20 MB heap profiles.
    const ids = Math.max(1024, r.len >> 2);
    const idsInSlab = ids * 4 <= guessBytes;
    const keptBytes =
      (values + locations + lines * 2 + functions * 2) * 8 +
      (samples * 2 + 2 + (idsInSlab ? ids : 0) + locations * 3 + 1 + counts.strings) * 4 +
      locations;
    const transientBytes = (labels * 4 + locations + lines + functions * 3) * 8 + (samples + 1 + locations) * 4;
    budget.charge(keptBytes + transientBytes);
    const kept = new ArraySlab(keptBytes);
    const transient = new ArraySlab(transientBytes);
    this.keptSlab = kept;
    const f64 = (slab: ArraySlab, capacity: number) => new F64Column(0, budget, slab.f64(capacity));
    const u32 = (slab: ArraySlab, capacity: number) => new U32Column(0, budget, slab.u32(capacity));
    // Widest element type first in each slab, so that nothing is padded.
    this.values = f64(kept, values);
    this.locId = f64(kept, locations);
    this.lineNumber = f64(kept, lines);
    this.lineColumn = f64(kept, lines);
    this.fnId = f64(kept, functions);
    this.fnStartLine = f64(kept, functions);
    this.equalStrings = new EqualStrings(this.strings, budget, counts.strings, kept.u32(counts.strings));
    this.locationStart = u32(kept, samples + 1);
    this.locationIds = idsInSlab ? new IdColumn(0, budget, kept.u32(ids)) : new IdColumn(ids, budget);
    this.valueStart = u32(kept, samples + 1);
    this.locAddressHi = u32(kept, locations);
    this.locAddressLo = u32(kept, locations);
    this.lineStart = u32(kept, locations + 1);
    this.labelKey = f64(transient, labels);
    this.labelStr = f64(transient, labels);
    this.labelNum = f64(transient, labels);
    this.labelUnit = f64(transient, labels);
    this.locMappingId = f64(transient, locations);
    this.lineFunctionId = f64(transient, lines);
    this.fnName = f64(transient, functions);
    this.fnSystemName = f64(transient, functions);
    this.fnFilename = f64(transient, functions);
    this.labelStart = u32(transient, samples + 1);
    this.locFolded = u32(transient, locations);
  }

  decode(): void {
    const r = this.r;
    const end = r.len;
    while (r.pos < end) {
      const tagAt = r.pos;
      const tag = r.tag();
      const field = tag >>> 3;
      const wireType = tag & 7;
      this.field = field;
      switch (field) {
        case 1: // repeated ValueType sample_type = 1
          checkLimit('maxSampleTypes', this.limits.maxSampleTypes, this.sampleTypes.length + 1, 'sample types');
          this.budget.charge(RECORD_BYTES);
          this.sampleTypes.push(this.valueType(wireType, tagAt));
          break;
        case 2: // repeated Sample sample = 2
          this.sample(wireType, tagAt);
          break;
        case 3: // repeated Mapping mapping = 3
          this.mapping(wireType, tagAt);
          break;
        case 4: // repeated Location location = 4
          this.location(wireType, tagAt);
          break;
        case 5: // repeated Function function = 5
          this.function(wireType, tagAt);
          break;
        case 6: // repeated string string_table = 6
          this.string(wireType, tagAt);
          break;
        case 7: // int64 drop_frames = 7
          this.dropFrames = this.int64(wireType, tagAt);
          break;
        case 8: // int64 keep_frames = 8
          this.keepFrames = this.int64(wireType, tagAt);
          break;
        case 9: // int64 time_nanos = 9
          expectWireType(wireType, WIRE_VARINT, 'Profile.time_nanos', tagAt);
          if (this.timeNanos !== ZERO) {
            // google/pprof:profile/encode.go: `errConcatProfile`.
            throw new WireError('concatenated profiles detected (a second time_nanos field)', tagAt);
          }
          this.timeNanos = r.int64BigInt();
          break;
        case 10: // int64 duration_nanos = 10
          this.durationNanos = this.int64(wireType, tagAt);
          break;
        case 11: // ValueType period_type = 11
          this.periodType = this.valueType(wireType, tagAt);
          break;
        case 12: // int64 period = 12
          this.period = this.int64(wireType, tagAt);
          break;
        case 13: // repeated int64 comment = 13
          this.comment(wireType, tagAt);
          break;
        case 14: // int64 default_sample_type = 14
          this.defaultSampleType = this.int64(wireType, tagAt);
          break;
        case 15: // int64 doc_url = 15
          this.docUrl = this.int64(wireType, tagAt);
          break;
        default:
          if (field === 0) {
            throw new WireError('invalid field number 0', tagAt);
          }
          r.skipField(wireType);
          continue;
      }
      this.recognized = true;
    }
  }

  /** Byte offset the reader has reached, for error context. */
  position(): number {
    return this.r.pos;
  }

  private int64(wireType: number, at: number): number {
    expectWireType(wireType, WIRE_VARINT, PROFILE_FIELD_PATHS[this.field], at);
    return this.r.int64Number();
  }

  private comment(wireType: number, at: number): void {
    const r = this.r;
    const into = this.comments;
    const add = (value: number) => {
      checkLimit('maxComments', this.limits.maxComments, into.length + 1, 'comments');
      into.push(value);
    };
    if (wireType === WIRE_VARINT) {
      add(r.int64Number());
      return;
    }
    expectWireType(wireType, WIRE_LEN, 'Profile.comment', at);
    const end = r.length() + r.pos;
    while (r.pos < end) {
      add(r.int64Number());
    }
    expectEnd(r, end, 'packed list');
  }

  private messageEnd(wireType: number, at: number, what: string): number {
    expectWireType(wireType, WIRE_LEN, what, at);
    const length = this.r.length();
    return this.r.pos + length;
  }

  private valueType(wireType: number, at: number): WireValueType {
    const r = this.r;
    const end = this.messageEnd(wireType, at, PROFILE_FIELD_PATHS[this.field]);
    const vt: WireValueType = { type: 0, unit: 0 };
    while (r.pos < end) {
      const fieldAt = r.pos;
      const tag = r.tag();
      const wt = tag & 7;
      switch (tag >>> 3) {
        case 1: // int64 type = 1
          expectWireType(wt, WIRE_VARINT, 'ValueType.type', fieldAt);
          vt.type = r.int64Number();
          break;
        case 2: // int64 unit = 2
          expectWireType(wt, WIRE_VARINT, 'ValueType.unit', fieldAt);
          vt.unit = r.int64Number();
          break;
        default:
          r.skipField(wt);
      }
    }
    expectEnd(r, end, 'ValueType');
    return vt;
  }

  private sample(wireType: number, at: number): void {
    const r = this.r;
    const end = this.messageEnd(wireType, at, 'Profile.sample');
    checkLimit('maxSamples', this.limits.maxSamples, this.sampleCount + 1, 'samples');
    const locationIds = this.locationIds;
    const values = this.values;
    const firstLocation = locationIds.length;
    const firstValue = values.length;
    const maxDepth = this.limits.maxStackDepth;
    const maxValues = this.limits.maxSampleTypes;
    this.locationStart.push(firstLocation);
    this.valueStart.push(values.length);
    this.labelStart.push(this.labelKey.length);
    while (r.pos < end) {
      const fieldAt = r.pos;
      const tag = r.tag();
      const wt = tag & 7;
      switch (tag >>> 3) {
        case 1: // repeated uint64 location_id = 1
          if (wt === WIRE_LEN) {
            const stop = r.length() + r.pos;
            this.packedBefore = locationIds.length - firstLocation;
            locationIds.readPacked(r, stop, maxDepth - this.packedBefore, this.tooDeep);
            expectEnd(r, stop, 'Sample.location_id');
          } else {
            expectWireType(wt, WIRE_VARINT, 'Sample.location_id', fieldAt);
            if (locationIds.length - firstLocation >= maxDepth) {
              this.packedBefore = maxDepth;
              this.tooDeep(1);
            }
            locationIds.push(r.uint64Number());
          }
          break;
        case 2: // repeated int64 value = 2
          if (wt === WIRE_LEN) {
            const stop = r.length() + r.pos;
            this.packedBefore = values.length - firstValue;
            readPackedInt64(r, stop, values, maxValues - this.packedBefore, this.tooManyValues);
            expectEnd(r, stop, 'Sample.value');
          } else {
            expectWireType(wt, WIRE_VARINT, 'Sample.value', fieldAt);
            if (values.length - firstValue >= maxValues) {
              this.packedBefore = maxValues;
              this.tooManyValues(1);
            }
            values.push(r.int64Number());
          }
          break;
        case 3: // repeated Label label = 3
          this.label(wt, fieldAt);
          break;
        default:
          r.skipField(wt);
      }
    }
    expectEnd(r, end, 'Sample');
    this.sampleCount++;
  }

  private label(wireType: number, at: number): void {
    const r = this.r;
    const end = this.messageEnd(wireType, at, 'Sample.label');
    checkLimit('maxLabels', this.limits.maxLabels, this.labelKey.length + 1, 'labels');
    let key = 0;
    let str = 0;
    let num = 0;
    let unit = 0;
    while (r.pos < end) {
      const fieldAt = r.pos;
      const tag = r.tag();
      const wt = tag & 7;
      const field = tag >>> 3;
      if (field >= 1 && field <= 4) {
        expectWireType(wt, WIRE_VARINT, LABEL_FIELD_PATHS[field], fieldAt);
        const value = r.int64Number();
        if (field === 1) {
          key = value;
        } else if (field === 2) {
          str = value;
        } else if (field === 3) {
          num = value;
        } else {
          unit = value;
        }
      } else {
        r.skipField(wt);
      }
    }
    expectEnd(r, end, 'Label');
    this.labelKey.push(key);
    this.labelStr.push(str);
    this.labelNum.push(num);
    this.labelUnit.push(unit);
  }

  private mapping(wireType: number, at: number): void {
    const r = this.r;
    const end = this.messageEnd(wireType, at, 'Profile.mapping');
    checkLimit('maxMappings', this.limits.maxMappings, this.mappings.length + 1, 'mappings');
    this.budget.charge(MAPPING_BYTES);
    const m: WireMapping = {
      id: 0,
      memoryStart: ZERO,
      memoryLimit: ZERO,
      fileOffset: ZERO,
      filename: 0,
      buildId: 0,
      hasFunctions: false,
      hasFilenames: false,
      hasLineNumbers: false,
      hasInlineFrames: false,
    };
    while (r.pos < end) {
      const fieldAt = r.pos;
      const tag = r.tag();
      const wt = tag & 7;
      const field = tag >>> 3;
      if (field < 1 || field > 10) {
        r.skipField(wt);
        continue;
      }
      expectWireType(wt, WIRE_VARINT, MAPPING_FIELD_PATHS[field], fieldAt);
      switch (field) {
        case 1: // uint64 id = 1
          m.id = r.uint64Number();
          break;
        case 2: // uint64 memory_start = 2
        case 3: // uint64 memory_limit = 3
        case 4: {
          // uint64 file_offset = 4
          const value = r.uint64BigInt();
          if (field === 2) {
            m.memoryStart = value;
          } else if (field === 3) {
            m.memoryLimit = value;
          } else {
            m.fileOffset = value;
          }
          break;
        }
        case 5: // int64 filename = 5
          m.filename = r.int64Number();
          break;
        case 6: // int64 build_id = 6
          m.buildId = r.int64Number();
          break;
        default: {
          // bool has_functions = 7 ... has_inline_frames = 10
          const flag = r.uint64Number() !== 0;
          if (field === 7) {
            m.hasFunctions = flag;
          } else if (field === 8) {
            m.hasFilenames = flag;
          } else if (field === 9) {
            m.hasLineNumbers = flag;
          } else {
            m.hasInlineFrames = flag;
          }
        }
      }
    }
    expectEnd(r, end, 'Mapping');
    this.mappings.push(m);
  }

  private location(wireType: number, at: number): void {
    const r = this.r;
    const end = this.messageEnd(wireType, at, 'Profile.location');
    checkLimit('maxLocations', this.limits.maxLocations, this.locationCount + 1, 'locations');
    let id = 0;
    let mappingId = 0;
    let hi = 0;
    let lo = 0;
    let folded = 0;
    const firstLine = this.lineFunctionId.length;
    this.lineStart.push(firstLine);
    while (r.pos < end) {
      const fieldAt = r.pos;
      const tag = r.tag();
      const wt = tag & 7;
      switch (tag >>> 3) {
        case 1: // uint64 id = 1
          expectWireType(wt, WIRE_VARINT, 'Location.id', fieldAt);
          id = r.uint64Number();
          break;
        case 2: // uint64 mapping_id = 2
          expectWireType(wt, WIRE_VARINT, 'Location.mapping_id', fieldAt);
          mappingId = r.uint64Number();
          break;
        case 3: // uint64 address = 3
          expectWireType(wt, WIRE_VARINT, 'Location.address', fieldAt);
          r.varint64();
          hi = r.hi;
          lo = r.lo;
          break;
        case 4: // repeated Line line = 4
          checkLimit(
            'maxLinesPerLocation',
            this.limits.maxLinesPerLocation,
            this.lineFunctionId.length - firstLine + 1,
            'lines in one location'
          );
          this.line(wt, fieldAt);
          break;
        case 5: // bool is_folded = 5
          expectWireType(wt, WIRE_VARINT, 'Location.is_folded', fieldAt);
          folded = r.uint64Number() !== 0 ? 1 : 0;
          break;
        default:
          r.skipField(wt);
      }
    }
    expectEnd(r, end, 'Location');
    this.locId.push(id);
    this.locMappingId.push(mappingId);
    this.locAddressHi.push(hi);
    this.locAddressLo.push(lo);
    this.locFolded.push(folded);
    this.locationCount++;
  }

  private line(wireType: number, at: number): void {
    const r = this.r;
    const end = this.messageEnd(wireType, at, 'Location.line');
    let functionId = 0;
    let line = 0;
    let column = 0;
    while (r.pos < end) {
      const fieldAt = r.pos;
      const tag = r.tag();
      const wt = tag & 7;
      switch (tag >>> 3) {
        case 1: // uint64 function_id = 1
          expectWireType(wt, WIRE_VARINT, 'Line.function_id', fieldAt);
          functionId = r.uint64Number();
          break;
        case 2: // int64 line = 2
          expectWireType(wt, WIRE_VARINT, 'Line.line', fieldAt);
          line = r.int64Number();
          break;
        case 3: // int64 column = 3
          expectWireType(wt, WIRE_VARINT, 'Line.column', fieldAt);
          column = r.int64Number();
          break;
        default:
          r.skipField(wt);
      }
    }
    expectEnd(r, end, 'Line');
    this.lineFunctionId.push(functionId);
    this.lineNumber.push(line);
    this.lineColumn.push(column);
  }

  private function(wireType: number, at: number): void {
    const r = this.r;
    const end = this.messageEnd(wireType, at, 'Profile.function');
    checkLimit('maxFunctions', this.limits.maxFunctions, this.functionCount + 1, 'functions');
    let id = 0;
    let name = 0;
    let systemName = 0;
    let filename = 0;
    let startLine = 0;
    while (r.pos < end) {
      const fieldAt = r.pos;
      const tag = r.tag();
      const wt = tag & 7;
      const field = tag >>> 3;
      if (field < 1 || field > 5) {
        r.skipField(wt);
        continue;
      }
      expectWireType(wt, WIRE_VARINT, FUNCTION_FIELD_PATHS[field], fieldAt);
      if (field === 1) {
        id = r.uint64Number(); // uint64 id = 1
      } else if (field === 2) {
        name = r.int64Number(); // int64 name = 2
      } else if (field === 3) {
        systemName = r.int64Number(); // int64 system_name = 3
      } else if (field === 4) {
        filename = r.int64Number(); // int64 filename = 4
      } else {
        startLine = r.int64Number(); // int64 start_line = 5
      }
    }
    expectEnd(r, end, 'Function');
    this.fnId.push(id);
    this.fnName.push(name);
    this.fnSystemName.push(systemName);
    this.fnFilename.push(filename);
    this.fnStartLine.push(startLine);
    this.functionCount++;
  }

  private string(wireType: number, at: number): void {
    const r = this.r;
    expectWireType(wireType, WIRE_LEN, 'Profile.string_table', at);
    checkLimit('maxStrings', this.limits.maxStrings, this.strings.length + 1, 'strings');
    const length = r.length();
    this.stringBytes += length;
    checkLimit('maxStringBytes', this.limits.maxStringBytes, this.stringBytes, 'bytes of strings');
    // A JS string takes up to two bytes per UTF-8 byte, plus a slot in the table.
    this.budget.charge(2 * length + 8);
    const start = r.pos;
    r.pos = start + length;
    this.strings.push(decodeUtf8(r.buf, start, r.pos));
    this.equalStrings.add(this.strings.length - 1, hashBytes(r.buf, start, r.pos));
  }

  /** The is_folded flags as bytes, in the slab of kept columns. */
  private isFolded(): Uint8Array {
    const flags = this.keptSlab.u8(this.locFolded.length);
    flags.set(this.locFolded.finish());
    return flags;
  }

  result(byteLength: number): PprofWire {
    this.locationStart.push(this.locationIds.length);
    this.valueStart.push(this.values.length);
    this.labelStart.push(this.labelKey.length);
    this.lineStart.push(this.lineFunctionId.length);
    return {
      strings: this.strings,
      firstEqualString: this.equalStrings.finish(),
      sampleTypes: this.sampleTypes,
      samples: {
        count: this.sampleCount,
        locationStart: this.locationStart.finish(),
        locationIds: this.locationIds.finish(),
        valueStart: this.valueStart.finish(),
        values: this.values.finish(),
        labelStart: this.labelStart.finish(),
        labelKey: this.labelKey.finish(),
        labelStr: this.labelStr.finish(),
        labelNum: this.labelNum.finish(),
        labelUnit: this.labelUnit.finish(),
      },
      locations: {
        count: this.locationCount,
        id: this.locId.finish(),
        mappingId: this.locMappingId.finish(),
        addressHi: this.locAddressHi.finish(),
        addressLo: this.locAddressLo.finish(),
        isFolded: this.isFolded(),
        lineStart: this.lineStart.finish(),
        lineFunctionId: this.lineFunctionId.finish(),
        lineNumber: this.lineNumber.finish(),
        lineColumn: this.lineColumn.finish(),
      },
      functions: {
        count: this.functionCount,
        id: this.fnId.finish(),
        name: this.fnName.finish(),
        systemName: this.fnSystemName.finish(),
        filename: this.fnFilename.finish(),
        startLine: this.fnStartLine.finish(),
      },
      mappings: this.mappings,
      dropFrames: this.dropFrames,
      keepFrames: this.keepFrames,
      timeNanos: this.timeNanos,
      durationNanos: this.durationNanos,
      periodType: this.periodType,
      period: this.period,
      comments: this.comments,
      defaultSampleType: this.defaultSampleType,
      docUrl: this.docUrl,
      byteLength,
    };
  }
}

/**
 * The code units of the string being decoded, reused: one array per length up to 64, so that no call changes an
 * array's length (setting `length` is a runtime call, about a twentieth of the decode of a small profile).
 */
const asciiCodesByLength: number[][] = Array.from({ length: 65 }, (_, n) => new Array<number>(n).fill(0));

/**
 * Strings are short (function and file names), so pure-ASCII ones are built with `String.fromCharCode`, which is
 * cheaper than a TextDecoder call per string; anything else goes through the one shared TextDecoder (invalid UTF-8
 * becomes U+FFFD, as Go would print it). The bytes are copied into one reused array rather than passed as a
 * subarray: `apply` on a typed array allocates a copy of it, and with the subarray itself that was two short-lived
 * objects per string (about 7 MB of garbage for the 23k strings of google/pprof's large.cpu, 4.3 against 3.3 ms in
 * Node 20 and 3.0 against 2.2 ms in Chromium).
 */
function decodeUtf8(buf: Uint8Array, start: number, end: number): string {
  const length = end - start;
  if (length === 0) {
    return '';
  }
  if (length <= 64) {
    const codes = asciiCodesByLength[length];
    let i = 0;
    for (; i < length; i++) {
      const byte = buf[start + i];
      if (byte >= 0x80) {
        break;
      }
      codes[i] = byte;
    }
    if (i === length) {
      return String.fromCharCode.apply(null, codes);
    }
  }
  return UTF8.decode(buf.subarray(start, end));
}

/**
 * Decodes uncompressed pprof bytes into wire tables. Throws {@link NotPprofError} when nothing in the input is a
 * Profile field, {@link MalformedProfileError} when the input is a damaged profile, and LimitExceededError.
 */
export function decodePprofWire(bytes: Uint8Array, limits: DecodeLimits): PprofWire {
  const decoder = new Decoder(new ProtoReader(bytes), limits);
  try {
    decoder.decode();
  } catch (error) {
    throw wireFailure(error, decoder, bytes);
  }
  return decoder.result(bytes.length);
}

function wireFailure(error: unknown, decoder: Decoder, bytes: Uint8Array): Error {
  const name = PROFILE_FIELDS[decoder.field];
  const index = tableIndex(decoder);
  const field = name ? `Profile.${name}${index !== undefined ? `[${index}]` : ''}` : undefined;
  if (!(error instanceof WireError || error instanceof ProtoSyntaxError)) {
    // Typed errors (limits) get the field being read; anything else is unexpected and reported as such, typed.
    if (error instanceof InputError) {
      error.context.field ??= field;
      error.context.offset ??= decoder.position();
      return error;
    }
    return unexpectedFailure(error, (message) => new MalformedProfileError(message, { field }));
  }
  const offset = error.offset;
  const detail = error.message;
  if (!decoder.recognized) {
    return new NotPprofError(`not a pprof profile: the bytes are not a protobuf Profile message (${detail})`, {
      offset,
    });
  }
  return new MalformedProfileError(`malformed profile: ${detail}`, { offset: offset ?? bytes.length, field });
}

function tableIndex(decoder: Decoder): number | undefined {
  switch (decoder.field) {
    case 1:
      return decoder.sampleTypes.length;
    case 2:
      return decoder.sampleCount;
    case 3:
      return decoder.mappings.length;
    case 4:
      return decoder.locationCount;
    case 5:
      return decoder.functionCount;
    case 6:
      return decoder.strings.length;
    default:
      return undefined;
  }
}

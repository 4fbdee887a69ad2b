/**
 * Resolution and validation of decoded wire tables into a {@link Profile}, with the rules of google/pprof
 * (profile/encode.go `postDecode`, profile/profile.go `CheckValid`), and messages close to theirs so they can be
 * searched for:
 * - string_table[0] must be "", and every string index must be inside the table (`errMalformed`);
 * - ids of mappings, locations and functions are nonzero and unique;
 * - every sample has one value per sample type; a profile with samples has sample types;
 * - every location id a sample references exists, every line references an existing, nonzero function id.
 * One leniency is kept from google/pprof on purpose: a location whose mapping_id names no mapping is treated as
 * unmapped (postDecode leaves it nil and CheckValid accepts that), so we accept every profile Go's tools accept.
 * Ids above 2^53 cannot be represented exactly as JS numbers and are rejected (Go assigns ids sequentially from 1).
 */
import { ArraySlab } from '../wire/columns';
import { MalformedProfileError } from '../wire/pprofErrors';
import { PprofWire, WireValueType } from '../wire/pprofWire';
import { FunctionTable, LocationTable, Mapping, Profile, SampleTable, ValueType } from './profile';

class StringResolver {
  constructor(private readonly strings: string[]) {}

  index(index: number, field: string): number {
    if (!(index >= 0 && index < this.strings.length)) {
      throw new MalformedProfileError(
        `malformed profile: string index ${index} out of range (the string table has ${this.strings.length} entries)`,
        { field }
      );
    }
    return index;
  }

  get(index: number, field: string): string {
    return this.strings[this.index(index, field)];
  }

  /** Checks a whole column at once; the loop stays tight and the message names the first bad row. */
  column(column: Float64Array, out: Uint32Array, field: (row: number) => string): Uint32Array {
    const n = this.strings.length;
    for (let i = 0; i < column.length; i++) {
      const v = column[i];
      if (!(v >= 0 && v < n)) {
        this.index(v, field(i));
      }
      out[i] = v;
    }
    return out;
  }

  valueType(vt: WireValueType, field: string): ValueType {
    return { type: this.get(vt.type, `${field}.type`), unit: this.get(vt.unit, `${field}.unit`) };
  }
}

/**
 * Maps wire ids to row numbers. Go numbers ids 1..n in table order, which is detected and then costs nothing;
 * anything else goes through a Map.
 */
class IdIndex {
  /** True when ids are exactly 1..count in table order (Go's numbering): then row = id - 1. */
  readonly sequential: boolean;
  readonly count: number;
  private readonly map?: Map<number, number>;

  constructor(ids: ArrayLike<number>, table: string) {
    let sequential = true;
    for (let i = 0; i < ids.length; i++) {
      if (ids[i] !== i + 1) {
        sequential = false;
        break;
      }
    }
    this.sequential = sequential;
    if (!sequential) {
      const map = new Map<number, number>();
      for (let i = 0; i < ids.length; i++) {
        const id = ids[i];
        if (id === 0) {
          throw new MalformedProfileError(`malformed profile: found ${table} with reserved id=0`, {
            field: `Profile.${table}[${i}].id`,
          });
        }
        if (id > Number.MAX_SAFE_INTEGER) {
          throw new MalformedProfileError(`malformed profile: ${table} id ${id} exceeds 2^53 and is not supported`, {
            field: `Profile.${table}[${i}].id`,
          });
        }
        if (map.has(id)) {
          throw new MalformedProfileError(`malformed profile: multiple ${table}s with same id: ${id}`, {
            field: `Profile.${table}[${i}].id`,
          });
        }
        map.set(id, i);
      }
      this.map = map;
    }
    this.count = ids.length;
  }

  /** Row of `id`, or -1. */
  row(id: number): number {
    if (this.sequential) {
      // Ids come from varints, so they are integers; only the range needs checking.
      return id >= 1 && id <= this.count ? id - 1 : -1;
    }
    return this.map!.get(id) ?? -1;
  }
}

export function profileFromWire(wire: PprofWire): Profile {
  const strings = wire.strings;
  if (strings.length === 0) {
    throw new MalformedProfileError("malformed profile: the string table is empty (string_table[0] must be '')", {
      field: 'Profile.string_table',
    });
  }
  if (strings[0] !== '') {
    throw new MalformedProfileError("malformed profile: string_table[0] must be ''", {
      field: 'Profile.string_table[0]',
    });
  }
  const s = new StringResolver(strings);
  const slab = new ArraySlab(resolvedBytes(wire));
  const sampleTypes = wire.sampleTypes.map((vt, i) => s.valueType(vt, `Profile.sample_type[${i}]`));
  const mappings = resolveMappings(wire, s);
  const functions = resolveFunctions(wire, s, slab);
  const locations = resolveLocations(wire, mappings, functions, slab);
  const samples = resolveSamples(wire, sampleTypes.length, locations, s, slab);
  const defaultSampleType = s.get(wire.defaultSampleType, 'Profile.default_sample_type');
  const named = defaultSampleType ? sampleTypes.findIndex((st) => st.type === defaultSampleType) : -1;
  return {
    strings,
    firstEqualString: wire.firstEqualString,
    sampleTypes,
    defaultSampleType,
    defaultSampleTypeIndex: named >= 0 ? named : sampleTypes.length - 1,
    periodType: wire.periodType ? s.valueType(wire.periodType, 'Profile.period_type') : { type: '', unit: '' },
    period: wire.period,
    timeNanos: wire.timeNanos,
    durationNanos: wire.durationNanos,
    comments: wire.comments.map((c, i) => s.get(c, `Profile.comment[${i}]`)),
    dropFrames: s.get(wire.dropFrames, 'Profile.drop_frames'),
    keepFrames: s.get(wire.keepFrames, 'Profile.keep_frames'),
    docUrl: s.get(wire.docUrl, 'Profile.doc_url'),
    samples,
    locations: locations.table,
    functions: functions.table,
    mappings: mappings.list,
    byteLength: wire.byteLength,
  };
}

function resolveMappings(wire: PprofWire, s: StringResolver): { list: Mapping[]; index: IdIndex } {
  const list = wire.mappings.map((m, i) => ({
    id: m.id,
    memoryStart: m.memoryStart,
    memoryLimit: m.memoryLimit,
    fileOffset: m.fileOffset,
    filename: s.get(m.filename, `Profile.mapping[${i}].filename`),
    buildId: s.get(m.buildId, `Profile.mapping[${i}].build_id`),
    hasFunctions: m.hasFunctions,
    hasFilenames: m.hasFilenames,
    hasLineNumbers: m.hasLineNumbers,
    hasInlineFrames: m.hasInlineFrames,
  }));
  return {
    list,
    index: new IdIndex(
      list.map((m) => m.id),
      'mapping'
    ),
  };
}

/**
 * Bytes of the arrays validation makes (labels, location mappings and line functions as rows, function string
 * indexes), cut from one ArraySlab: they live as long as the profile.
 */
function resolvedBytes(wire: PprofWire): number {
  const labels = wire.samples.labelKey.length;
  const l = wire.locations;
  return (
    labels * 8 +
    (wire.samples.count + 1 + labels * 3 + l.count + l.lineFunctionId.length) * 4 +
    wire.functions.count * 12 +
    4 // label values are doubles taken after 4-byte arrays: room to align them
  );
}

function resolveFunctions(
  wire: PprofWire,
  s: StringResolver,
  slab: ArraySlab
): { table: FunctionTable; index: IdIndex } {
  const f = wire.functions;
  const table: FunctionTable = {
    count: f.count,
    id: f.id,
    name: s.column(f.name, slab.u32(f.count), (i) => `Profile.function[${i}].name`),
    systemName: s.column(f.systemName, slab.u32(f.count), (i) => `Profile.function[${i}].system_name`),
    filename: s.column(f.filename, slab.u32(f.count), (i) => `Profile.function[${i}].filename`),
    startLine: f.startLine,
  };
  return { table, index: new IdIndex(f.id, 'function') };
}

function resolveLocations(
  wire: PprofWire,
  mappings: { index: IdIndex },
  functions: { index: IdIndex },
  slab: ArraySlab
): { table: LocationTable; index: IdIndex } {
  const l = wire.locations;
  const index = new IdIndex(l.id, 'location');
  const mapping = slab.i32(l.count);
  for (let i = 0; i < l.count; i++) {
    mapping[i] = l.mappingId[i] === 0 ? -1 : mappings.index.row(l.mappingId[i]);
  }
  const lineFunction = slab.u32(l.lineFunctionId.length);
  for (let loc = 0; loc < l.count; loc++) {
    for (let j = l.lineStart[loc]; j < l.lineStart[loc + 1]; j++) {
      const id = l.lineFunctionId[j];
      const row = id === 0 ? -1 : functions.index.row(id);
      if (row < 0) {
        throw new MalformedProfileError(
          id === 0
            ? `malformed profile: location id ${l.id[loc]} has a line with function id 0 (nil function)`
            : `malformed profile: location id ${l.id[loc]} has a line with function id ${id}, which does not exist`,
          { field: `Profile.location[${loc}].line[${j - l.lineStart[loc]}].function_id` }
        );
      }
      lineFunction[j] = row;
    }
  }
  const table: LocationTable = {
    count: l.count,
    id: l.id,
    mapping,
    addressHi: l.addressHi,
    addressLo: l.addressLo,
    isFolded: l.isFolded,
    lineStart: l.lineStart,
    lineFunction,
    lineNumber: l.lineNumber,
    lineColumn: l.lineColumn,
  };
  return { table, index };
}

function resolveSamples(
  wire: PprofWire,
  typeCount: number,
  locations: { index: IdIndex },
  s: StringResolver,
  slab: ArraySlab
): SampleTable {
  const w = wire.samples;
  if (typeCount === 0 && w.count > 0) {
    throw new MalformedProfileError('malformed profile: missing sample type information', {
      field: 'Profile.sample_type',
    });
  }
  for (let i = 0; i < w.count; i++) {
    const n = w.valueStart[i + 1] - w.valueStart[i];
    if (n !== typeCount) {
      throw new MalformedProfileError(`malformed profile: mismatch: sample has ${n} values vs. ${typeCount} types`, {
        field: `Profile.sample[${i}].value`,
      });
    }
  }
  const ids = w.locationIds;
  const index = locations.index;
  const stack = ids instanceof Uint32Array ? ids : new Uint32Array(ids.length); // rows overwrite ids in place
  const unknown = (j: number): never => {
    let i = 0;
    while (w.locationStart[i + 1] <= j) {
      i++;
    }
    throw new MalformedProfileError(
      `malformed profile: sample references location id ${ids[j]}, which does not exist`,
      {
        field: `Profile.sample[${i}].location_id[${j - w.locationStart[i]}]`,
      }
    );
  };
  if (index.sequential) {
    // One flat pass over every stack entry: the hot loop of validation on large profiles.
    const count = index.count;
    for (let j = 0; j < ids.length; j++) {
      const id = ids[j];
      if (!(id >= 1 && id <= count)) {
        unknown(j);
      }
      stack[j] = id - 1;
    }
  } else {
    for (let j = 0; j < ids.length; j++) {
      const row = index.row(ids[j]);
      if (row < 0) {
        unknown(j);
      }
      stack[j] = row;
    }
  }
  return { count: w.count, values: w.values, stackStart: w.locationStart, stack, ...resolveLabels(wire, s, slab) };
}

function resolveLabels(
  wire: PprofWire,
  s: StringResolver,
  slab: ArraySlab
): Pick<SampleTable, 'labelStart' | 'labelKey' | 'labelStr' | 'labelNum' | 'labelUnit'> {
  const w = wire.samples;
  const rows = w.labelKey.length;
  const n = wire.strings.length;
  const labelNum = slab.f64(rows);
  const labelStart = slab.u32(w.count + 1);
  const labelKey = slab.u32(rows);
  const labelStr = slab.u32(rows);
  const labelUnit = slab.u32(rows);
  let kept = 0;
  for (let i = 0; i < w.count; i++) {
    labelStart[i] = kept;
    for (let l = w.labelStart[i]; l < w.labelStart[i + 1]; l++) {
      const key = w.labelKey[l];
      const str = w.labelStr[l];
      const unit = w.labelUnit[l];
      if (!(key >= 0 && key < n && str >= 0 && str < n && unit >= 0 && unit < n)) {
        // Only on failure: build the field path and let the resolver name the bad index (key first, as Go).
        const field = `Profile.sample[${i}].label[${l - w.labelStart[i]}]`;
        s.index(key, `${field}.key`);
        s.index(str, `${field}.str`);
        s.index(unit, `${field}.num_unit`);
      }
      if (str === 0 && w.labelNum[l] === 0 && unit === 0) {
        continue; // dropped, as in postDecode
      }
      labelKey[kept] = key;
      labelStr[kept] = str;
      labelNum[kept] = str !== 0 ? 0 : w.labelNum[l];
      labelUnit[kept] = unit;
      kept++;
    }
  }
  labelStart[w.count] = kept;
  return {
    labelStart,
    labelKey: labelKey.subarray(0, kept),
    labelStr: labelStr.subarray(0, kept),
    labelNum: labelNum.subarray(0, kept),
    labelUnit: labelUnit.subarray(0, kept),
  };
}

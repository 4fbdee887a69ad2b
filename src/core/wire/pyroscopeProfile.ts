/**
 * A pprof profile as Pyroscope sends it in Connect JSON (`SelectMergeProfile` answers a `google.v1.Profile`,
 * grafana/pyroscope:api/google/v1/profile.proto, field for field google/pprof's profile.proto), read into the same
 * wire tables the binary decoder produces ({@link PprofWire}), so the model's validation (`profileFromWire`) and all
 * analysis run unchanged on profiles from Pyroscope.
 *
 * Why JSON and not the binary form: Connect picks the response codec from the request's Content-Type, so binary
 * would need a binary request body, and Grafana's `getBackendSrv().fetch` cannot send one (its `parseBody` passes
 * strings through and turns any other non-JSON body into URLSearchParams; grafana/grafana:public/app/core/utils/
 * fetch.ts). protojson spelling (google.golang.org/protobuf/encoding/protojson): lowerCamelCase names (`sampleType`,
 * `locationId`, `stringTable`), int64/uint64 as strings, zero fields omitted.
 */
import { F64Column, U32Column } from './columns';
import { checkLimit, DecodeLimits, resolveLimits } from './limits';
import { PprofWire, WireMapping, WireValueType } from './pprofWire';
import { JsonObject, PyroscopeShapeError, bool, describe, int64, list, object, strings } from './pyroscopeJson';

// Shifts, not `**`: the plugin build targets es2015, where swc turns `**` into Math.pow, which throws on BigInt.
const TWO_32 = BigInt(1) << BigInt(32);
const U64_MAX = (BigInt(1) << BigInt(64)) - BigInt(1);

function uint64(value: unknown, field: string): bigint {
  if (value === undefined || value === null) {
    return BigInt(0);
  }
  const text = typeof value === 'number' && Number.isInteger(value) ? String(value) : value;
  if (typeof text !== 'string' || !/^\d+$/.test(text) || BigInt(text) > U64_MAX) {
    throw new PyroscopeShapeError(`expected a uint64, got ${describe(value)}`, field);
  }
  return BigInt(text);
}

function valueType(raw: unknown, field: string): WireValueType {
  const vt = object(raw, field);
  return { type: int64(vt.type, `${field}.type`), unit: int64(vt.unit, `${field}.unit`) };
}

/**
 * Reads a protojson Profile (the whole response body of SelectMergeProfile). `byteLength` is the size of the JSON
 * text, reported as the profile's size. Limits are the binary decoder's ({@link DecodeLimits}).
 */
export function pyroscopeProfileToWire(body: unknown, byteLength: number, limits?: Partial<DecodeLimits>): PprofWire {
  const lim = resolveLimits(limits);
  const p = object(body, 'Profile');
  const stringTable = strings(p.stringTable, 'Profile.stringTable');
  checkLimit('maxStrings', lim.maxStrings, stringTable.length, 'strings', 'pyroscope profile');
  return {
    strings: stringTable,
    sampleTypes: list(p.sampleType, 'Profile.sampleType').map((vt, i) => valueType(vt, `Profile.sampleType[${i}]`)),
    samples: readSamples(list(p.sample, 'Profile.sample'), lim),
    locations: readLocations(list(p.location, 'Profile.location'), lim),
    functions: nameUnnamed(readFunctions(list(p.function, 'Profile.function'), lim), stringTable),
    mappings: readMappings(list(p.mapping, 'Profile.mapping'), lim),
    dropFrames: int64(p.dropFrames, 'Profile.dropFrames'),
    keepFrames: int64(p.keepFrames, 'Profile.keepFrames'),
    timeNanos: int64Big(p.timeNanos, 'Profile.timeNanos'),
    durationNanos: int64(p.durationNanos, 'Profile.durationNanos'),
    periodType: p.periodType === undefined ? undefined : valueType(p.periodType, 'Profile.periodType'),
    period: int64(p.period, 'Profile.period'),
    comments: list(p.comment, 'Profile.comment').map((c, i) => int64(c, `Profile.comment[${i}]`)),
    defaultSampleType: int64(p.defaultSampleType, 'Profile.defaultSampleType'),
    docUrl: int64(p.docUrl, 'Profile.docUrl'),
    byteLength,
  };
}

const I64_MIN = -(BigInt(1) << BigInt(63));
const I64_MAX = (BigInt(1) << BigInt(63)) - BigInt(1);

/**
 * time_nanos exceeds 2^53 (about 1.7e18), so it is kept exact as text and made a bigint. A JSON number is taken when
 * it is integral (`1e21` is, as a double), and anything outside int64 is a shape error, not a SyntaxError from
 * BigInt("1e+21").
 */
function int64Big(value: unknown, field: string): bigint {
  if (value === undefined || value === null) {
    return BigInt(0);
  }
  let n: bigint | undefined;
  if (typeof value === 'string' && /^-?\d{1,20}$/.test(value)) {
    n = BigInt(value);
  } else if (typeof value === 'number' && Number.isInteger(value)) {
    n = BigInt(value);
  }
  if (n === undefined || n < I64_MIN || n > I64_MAX) {
    throw new PyroscopeShapeError(`expected an int64, got ${describe(value)}`, field);
  }
  return n;
}

function readSamples(raw: unknown[], lim: DecodeLimits): PprofWire['samples'] {
  checkLimit('maxSamples', lim.maxSamples, raw.length, 'samples', 'pyroscope profile');
  const locationStart = new U32Column(raw.length + 1);
  const locationIds = new F64Column();
  const valueStart = new U32Column(raw.length + 1);
  const values = new F64Column();
  const labelStart = new U32Column(raw.length + 1);
  const [labelKey, labelStr, labelNum, labelUnit] = [
    new F64Column(),
    new F64Column(),
    new F64Column(),
    new F64Column(),
  ];
  raw.forEach((r, i) => {
    const s = object(r, `Profile.sample[${i}]`);
    const field = `Profile.sample[${i}]`;
    locationStart.push(locationIds.length);
    valueStart.push(values.length);
    labelStart.push(labelKey.length);
    const ids = list(s.locationId, `${field}.locationId`);
    checkLimit('maxStackDepth', lim.maxStackDepth, ids.length, 'locations in one sample', 'pyroscope profile');
    ids.forEach((id, j) => locationIds.push(int64(id, `${field}.locationId[${j}]`)));
    list(s.value, `${field}.value`).forEach((v, j) => values.push(int64(v, `${field}.value[${j}]`)));
    list(s.label, `${field}.label`).forEach((l, j) => {
      const label = object(l, `${field}.label[${j}]`);
      const at = `${field}.label[${j}]`;
      labelKey.push(int64(label.key, `${at}.key`));
      labelStr.push(int64(label.str, `${at}.str`));
      labelNum.push(int64(label.num, `${at}.num`));
      labelUnit.push(int64(label.numUnit, `${at}.numUnit`));
    });
  });
  locationStart.push(locationIds.length);
  valueStart.push(values.length);
  labelStart.push(labelKey.length);
  return {
    count: raw.length,
    locationStart: locationStart.finish(),
    locationIds: locationIds.finish(),
    valueStart: valueStart.finish(),
    values: values.finish(),
    labelStart: labelStart.finish(),
    labelKey: labelKey.finish(),
    labelStr: labelStr.finish(),
    labelNum: labelNum.finish(),
    labelUnit: labelUnit.finish(),
  };
}

function readLocations(raw: unknown[], lim: DecodeLimits): PprofWire['locations'] {
  checkLimit('maxLocations', lim.maxLocations, raw.length, 'locations', 'pyroscope profile');
  const n = raw.length;
  const id = new Float64Array(n);
  const mappingId = new Float64Array(n);
  const addressHi = new Uint32Array(n);
  const addressLo = new Uint32Array(n);
  const isFolded = new Uint8Array(n);
  const lineStart = new U32Column(n + 1);
  const [lineFunctionId, lineNumber, lineColumn] = [new F64Column(), new F64Column(), new F64Column()];
  raw.forEach((r, i) => {
    const loc: JsonObject = object(r, `Profile.location[${i}]`);
    const field = `Profile.location[${i}]`;
    id[i] = int64(loc.id, `${field}.id`);
    mappingId[i] = int64(loc.mappingId, `${field}.mappingId`);
    const address = uint64(loc.address, `${field}.address`);
    addressHi[i] = Number(address / TWO_32);
    addressLo[i] = Number(address % TWO_32);
    isFolded[i] = bool(loc.isFolded, `${field}.isFolded`) ? 1 : 0;
    lineStart.push(lineFunctionId.length);
    list(loc.line, `${field}.line`).forEach((l, j) => {
      const line = object(l, `${field}.line[${j}]`);
      lineFunctionId.push(int64(line.functionId, `${field}.line[${j}].functionId`));
      lineNumber.push(int64(line.line, `${field}.line[${j}].line`));
      lineColumn.push(int64(line.column, `${field}.line[${j}].column`));
    });
  });
  lineStart.push(lineFunctionId.length);
  return {
    count: n,
    id,
    mappingId,
    addressHi,
    addressLo,
    isFolded,
    lineStart: lineStart.finish(),
    lineFunctionId: lineFunctionId.finish(),
    lineNumber: lineNumber.finish(),
    lineColumn: lineColumn.finish(),
  };
}

function readFunctions(raw: unknown[], lim: DecodeLimits): PprofWire['functions'] {
  checkLimit('maxFunctions', lim.maxFunctions, raw.length, 'functions', 'pyroscope profile');
  const n = raw.length;
  const out = {
    count: n,
    id: new Float64Array(n),
    name: new Float64Array(n),
    systemName: new Float64Array(n),
    filename: new Float64Array(n),
    startLine: new Float64Array(n),
  };
  raw.forEach((r, i) => {
    const fn = object(r, `Profile.function[${i}]`);
    const field = `Profile.function[${i}]`;
    out.id[i] = int64(fn.id, `${field}.id`);
    out.name[i] = int64(fn.name, `${field}.name`);
    out.systemName[i] = int64(fn.systemName, `${field}.systemName`);
    out.filename[i] = int64(fn.filename, `${field}.filename`);
    out.startLine[i] = int64(fn.startLine, `${field}.startLine`);
  });
  return out;
}

/** pprof's name for a function without one (google/pprof:internal/report); Go's mutex profiles have such frames. */
export const UNKNOWN_FUNCTION = '<unknown>';

/** Functions whose name is the empty string get {@link UNKNOWN_FUNCTION}, added once to the string table. */
function nameUnnamed(functions: PprofWire['functions'], stringTable: string[]): PprofWire['functions'] {
  let unknown = -1;
  for (let i = 0; i < functions.count; i++) {
    if (stringTable[functions.name[i]] === '' || stringTable[functions.name[i]] === undefined) {
      if (unknown < 0) {
        unknown = stringTable.length;
        stringTable.push(UNKNOWN_FUNCTION);
      }
      functions.name[i] = unknown;
    }
  }
  return functions;
}

function readMappings(raw: unknown[], lim: DecodeLimits): WireMapping[] {
  checkLimit('maxMappings', lim.maxMappings, raw.length, 'mappings', 'pyroscope profile');
  return raw.map((r, i) => {
    const m = object(r, `Profile.mapping[${i}]`);
    const field = `Profile.mapping[${i}]`;
    return {
      id: int64(m.id, `${field}.id`),
      memoryStart: uint64(m.memoryStart, `${field}.memoryStart`),
      memoryLimit: uint64(m.memoryLimit, `${field}.memoryLimit`),
      fileOffset: uint64(m.fileOffset, `${field}.fileOffset`),
      filename: int64(m.filename, `${field}.filename`),
      buildId: int64(m.buildId, `${field}.buildId`),
      hasFunctions: bool(m.hasFunctions, `${field}.hasFunctions`),
      hasFilenames: bool(m.hasFilenames, `${field}.hasFilenames`),
      hasLineNumbers: bool(m.hasLineNumbers, `${field}.hasLineNumbers`),
      hasInlineFrames: bool(m.hasInlineFrames, `${field}.hasInlineFrames`),
    };
  });
}

/**
 * Test-only pprof encoder (not used by the product). It writes exactly the wire format of
 * google/pprof:proto/profile.proto with the knobs tests need: packed or unpacked repeated scalars, fields in any order,
 * unknown fields, explicit string indices (so tests can write out-of-range ones), and exact 64-bit values via bigint.
 */

/** int64 / uint64 values: numbers for convenience, bigints for exact values beyond 2^53 and negative uint64. */
export type Int = number | bigint;

export interface SpecValueType {
  type: Int;
  unit: Int;
}

export interface SpecLabel {
  key: Int;
  str?: Int;
  num?: Int;
  numUnit?: Int;
}

export interface SpecSample {
  locationIds: Int[];
  values: Int[];
  labels?: SpecLabel[];
}

export interface SpecLine {
  functionId: Int;
  line?: Int;
  column?: Int;
}

export interface SpecLocation {
  id: Int;
  mappingId?: Int;
  address?: Int;
  lines?: SpecLine[];
  isFolded?: boolean;
}

export interface SpecFunction {
  id: Int;
  name?: Int;
  systemName?: Int;
  filename?: Int;
  startLine?: Int;
}

export interface SpecMapping {
  id: Int;
  memoryStart?: Int;
  memoryLimit?: Int;
  fileOffset?: Int;
  filename?: Int;
  buildId?: Int;
  hasFunctions?: boolean;
  hasFilenames?: boolean;
  hasLineNumbers?: boolean;
  hasInlineFrames?: boolean;
}

/** A profile with wire-level references: every string field is an index into `strings`. */
export interface ProfileSpec {
  strings: string[];
  sampleTypes: SpecValueType[];
  samples: SpecSample[];
  locations: SpecLocation[];
  functions: SpecFunction[];
  mappings: SpecMapping[];
  dropFrames?: Int;
  keepFrames?: Int;
  timeNanos?: Int;
  durationNanos?: Int;
  periodType?: SpecValueType;
  period?: Int;
  comments?: Int[];
  defaultSampleType?: Int;
  docUrl?: Int;
}

export interface EncodeOptions {
  /** `go`: pack repeated scalars only when there are more than 2 (Go's rule); `always`; `never`. */
  packing?: 'go' | 'always' | 'never';
  /** Top-level field order; default Go's: sample types, samples, mappings, locations, functions, strings, rest. */
  order?: Array<'sampleTypes' | 'samples' | 'mappings' | 'locations' | 'functions' | 'strings' | 'scalars'>;
  /** Insert an unknown field (number 100+) into every message. */
  unknownFields?: boolean;
}

const MASK64 = (BigInt(1) << BigInt(64)) - BigInt(1);

export class ByteWriter {
  private bytes: number[] = [];

  varint(value: Int): this {
    let v = BigInt(value) & MASK64; // int64 -> two's complement uint64
    const b128 = BigInt(128);
    const b7 = BigInt(7);
    while (v >= b128) {
      this.bytes.push(Number(v & BigInt(127)) | 0x80);
      v >>= b7;
    }
    this.bytes.push(Number(v));
    return this;
  }

  tag(field: number, wireType: number): this {
    return this.varint((field << 3) | wireType);
  }

  raw(data: ArrayLike<number>): this {
    for (let i = 0; i < data.length; i++) {
      this.bytes.push(data[i]);
    }
    return this;
  }

  lengthDelimited(field: number, data: Uint8Array): this {
    return this.tag(field, 2).varint(data.length).raw(data);
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

function writeInt(w: ByteWriter, field: number, value: Int | undefined, always = false): void {
  if (value === undefined || (!always && BigInt(value) === BigInt(0))) {
    return;
  }
  w.tag(field, 0).varint(value);
}

function writeBool(w: ByteWriter, field: number, value: boolean | undefined): void {
  if (value) {
    w.tag(field, 0).varint(1);
  }
}

function writeRepeated(w: ByteWriter, field: number, values: Int[], options: EncodeOptions): void {
  const packing = options.packing ?? 'go';
  const pack = packing === 'always' || (packing === 'go' && values.length > 2);
  if (pack) {
    const inner = new ByteWriter();
    values.forEach((v) => inner.varint(v));
    w.lengthDelimited(field, inner.finish());
  } else {
    values.forEach((v) => w.tag(field, 0).varint(v));
  }
}

function unknown(w: ByteWriter, options: EncodeOptions): void {
  if (options.unknownFields) {
    w.tag(100, 0).varint(7);
    w.lengthDelimited(101, Uint8Array.from([1, 2, 3]));
    w.tag(102, 5).raw([1, 2, 3, 4]);
    w.tag(103, 1).raw([1, 2, 3, 4, 5, 6, 7, 8]);
  }
}

function message(build: (w: ByteWriter) => void): Uint8Array {
  const w = new ByteWriter();
  build(w);
  return w.finish();
}

function valueType(vt: SpecValueType, options: EncodeOptions): Uint8Array {
  return message((w) => {
    writeInt(w, 1, vt.type);
    writeInt(w, 2, vt.unit);
    unknown(w, options);
  });
}

export function encodeProfile(spec: ProfileSpec, options: EncodeOptions = {}): Uint8Array {
  const w = new ByteWriter();
  const order = options.order ?? ['sampleTypes', 'samples', 'mappings', 'locations', 'functions', 'strings', 'scalars'];
  for (const part of order) {
    switch (part) {
      case 'sampleTypes':
        spec.sampleTypes.forEach((vt) => w.lengthDelimited(1, valueType(vt, options)));
        break;
      case 'samples':
        spec.samples.forEach((s) =>
          w.lengthDelimited(
            2,
            message((m) => {
              writeRepeated(m, 1, s.locationIds, options);
              writeRepeated(m, 2, s.values, options);
              (s.labels ?? []).forEach((l) =>
                m.lengthDelimited(
                  3,
                  message((lw) => {
                    writeInt(lw, 1, l.key);
                    writeInt(lw, 2, l.str);
                    writeInt(lw, 3, l.num);
                    writeInt(lw, 4, l.numUnit);
                  })
                )
              );
              unknown(m, options);
            })
          )
        );
        break;
      case 'mappings':
        spec.mappings.forEach((mp) =>
          w.lengthDelimited(
            3,
            message((m) => {
              writeInt(m, 1, mp.id, true);
              writeInt(m, 2, mp.memoryStart);
              writeInt(m, 3, mp.memoryLimit);
              writeInt(m, 4, mp.fileOffset);
              writeInt(m, 5, mp.filename);
              writeInt(m, 6, mp.buildId);
              writeBool(m, 7, mp.hasFunctions);
              writeBool(m, 8, mp.hasFilenames);
              writeBool(m, 9, mp.hasLineNumbers);
              writeBool(m, 10, mp.hasInlineFrames);
              unknown(m, options);
            })
          )
        );
        break;
      case 'locations':
        spec.locations.forEach((loc) =>
          w.lengthDelimited(
            4,
            message((m) => {
              writeInt(m, 1, loc.id, true);
              writeInt(m, 2, loc.mappingId);
              writeInt(m, 3, loc.address);
              (loc.lines ?? []).forEach((ln) =>
                m.lengthDelimited(
                  4,
                  message((lw) => {
                    writeInt(lw, 1, ln.functionId, true);
                    writeInt(lw, 2, ln.line);
                    writeInt(lw, 3, ln.column);
                    unknown(lw, options);
                  })
                )
              );
              writeBool(m, 5, loc.isFolded);
              unknown(m, options);
            })
          )
        );
        break;
      case 'functions':
        spec.functions.forEach((f) =>
          w.lengthDelimited(
            5,
            message((m) => {
              writeInt(m, 1, f.id, true);
              writeInt(m, 2, f.name);
              writeInt(m, 3, f.systemName);
              writeInt(m, 4, f.filename);
              writeInt(m, 5, f.startLine);
              unknown(m, options);
            })
          )
        );
        break;
      case 'strings':
        spec.strings.forEach((s) => w.lengthDelimited(6, new TextEncoder().encode(s)));
        break;
      case 'scalars':
        writeInt(w, 7, spec.dropFrames);
        writeInt(w, 8, spec.keepFrames);
        writeInt(w, 9, spec.timeNanos);
        writeInt(w, 10, spec.durationNanos);
        if (spec.periodType) {
          w.lengthDelimited(11, valueType(spec.periodType, options));
        }
        writeInt(w, 12, spec.period);
        if (spec.comments?.length) {
          writeRepeated(w, 13, spec.comments, options);
        }
        writeInt(w, 14, spec.defaultSampleType);
        writeInt(w, 15, spec.docUrl);
        unknown(w, options);
        break;
    }
  }
  return w.finish();
}

/** Builds a {@link ProfileSpec} from readable values, interning strings (index 0 is ""). */
export class SpecBuilder {
  readonly spec: ProfileSpec = {
    strings: [''],
    sampleTypes: [],
    samples: [],
    locations: [],
    functions: [],
    mappings: [],
  };
  private readonly ids = new Map<string, number>([['', 0]]);

  str(s: string): number {
    let id = this.ids.get(s);
    if (id === undefined) {
      id = this.spec.strings.length;
      this.ids.set(s, id);
      this.spec.strings.push(s);
    }
    return id;
  }

  sampleType(type: string, unit: string): this {
    this.spec.sampleTypes.push({ type: this.str(type), unit: this.str(unit) });
    return this;
  }

  /** Adds a function and a one-line location for it; returns the location id. */
  frame(name: string, filename = '', line = 1): number {
    let fn = this.spec.functions.find((f) => f.name === this.str(name));
    if (!fn) {
      fn = {
        id: this.spec.functions.length + 1,
        name: this.str(name),
        systemName: this.str(name),
        filename: this.str(filename),
      };
      this.spec.functions.push(fn);
    }
    const id = this.spec.locations.length + 1;
    this.spec.locations.push({ id, address: 0x1000 + id * 16, lines: [{ functionId: fn.id, line }] });
    return id;
  }

  /** Adds a sample whose stack is given root first (readable), stored leaf first (the wire order). */
  sample(rootFirstNames: string[], values: Int[], labels: Record<string, string> = {}): this {
    const locationIds = rootFirstNames.map((n) => this.frameId(n)).reverse();
    this.spec.samples.push({
      locationIds,
      values,
      labels: Object.entries(labels).map(([k, v]) => ({ key: this.str(k), str: this.str(v) })),
    });
    return this;
  }

  private frameId(name: string): number {
    const fn = this.spec.functions.find((f) => f.name === this.str(name));
    const loc = fn && this.spec.locations.find((l) => l.lines?.length === 1 && l.lines[0].functionId === fn.id);
    return loc ? Number(loc.id) : this.frame(name);
  }
}

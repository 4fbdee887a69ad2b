/**
 * Merge of several profiles of the same type into one (the profiles of a time window), as google/pprof's
 * profile/merge.go `Merge` does: functions, mappings and locations are de-duplicated by value, samples with the
 * same stack and labels are summed, time is the earliest start and the duration is the sum of durations.
 *
 * Laid out like merge.go's `profileMerger`: one step per table (`mapFunction`, `mapMapping`, `mapLocation`,
 * `mapSample`), each with its own key, each returning the merged row for a row of the source profile. Source tables
 * are mapped in full and in order, so the merged tables keep the order of first appearance.
 */
import { FunctionTable, LocationTable, Mapping, Profile } from '../model/profile';
import { AnalysisOptionError } from './selection';

export function mergeProfiles(profiles: readonly Profile[]): Profile {
  if (profiles.length === 0) {
    throw new AnalysisOptionError('cannot merge zero profiles');
  }
  const first = profiles[0];
  for (const p of profiles) {
    if (!sameSampleTypes(first, p)) {
      const describe = (x: Profile) => x.sampleTypes.map((st) => `${st.type}/${st.unit}`).join(',');
      throw new AnalysisOptionError(
        `cannot merge profiles of different types: [${describe(first)}] vs [${describe(p)}]`
      );
    }
  }
  const merger = new ProfileMerger(first.sampleTypes.length);
  for (const p of profiles) {
    merger.add(p);
  }
  const times = profiles.map((p) => p.timeNanos).filter((t) => t !== BigInt(0));
  return {
    strings: merger.strings.list,
    sampleTypes: first.sampleTypes.map((st) => ({ ...st })),
    defaultSampleType: first.defaultSampleType,
    defaultSampleTypeIndex: first.defaultSampleTypeIndex,
    periodType: { ...first.periodType },
    period: Math.max(...profiles.map((p) => p.period)),
    timeNanos: times.length ? times.reduce((a, b) => (b < a ? b : a)) : BigInt(0),
    durationNanos: profiles.reduce((sum, p) => sum + p.durationNanos, 0),
    comments: [...new Set(profiles.flatMap((p) => p.comments))],
    dropFrames: first.dropFrames,
    keepFrames: first.keepFrames,
    docUrl: first.docUrl,
    samples: merger.samples.table(),
    locations: merger.locations.table(),
    functions: merger.functions.table(),
    mappings: merger.mappings,
    byteLength: profiles.reduce((sum, p) => sum + p.byteLength, 0),
  };
}

function sameSampleTypes(a: Profile, b: Profile): boolean {
  return (
    a.sampleTypes.length === b.sampleTypes.length &&
    a.sampleTypes.every((st, i) => st.type === b.sampleTypes[i].type && st.unit === b.sampleTypes[i].unit)
  );
}

// ---- Keys: two rows with the same key are the same row of the merged profile -------------------------------------

/** Function: name, system name, file (merged string ids) and start line (merge.go `functionKey`). */
function functionKey(name: number, systemName: number, filename: number, startLine: number): string {
  return `${name}|${systemName}|${filename}|${startLine}`;
}

/** Mapping: the object file and where it was loaded (merge.go `mappingKey`, which also keys by file or build ID). */
function mappingKey(m: Mapping): string {
  return `${m.filename}|${m.buildId}|${m.memoryStart}|${m.memoryLimit}|${m.fileOffset}`;
}

/** Location: merged mapping, address, folding and its lines as merged function ids (merge.go `locationKey`). */
function locationKey(mapping: number, addressHi: number, addressLo: number, folded: number, lines: string): string {
  return `${mapping}|${addressHi}|${addressLo}|${folded}|${lines}`;
}

/**
 * Sample: merged stack and label set, labels in any order (merge.go `sampleKey`). The stack's row ids go into the
 * key as UTF-16 code units, two per id: one short string a sample instead of a string per frame (61k samples of
 * google/pprof's large.cpu, merged three times, made the collector the largest cost with per-frame strings).
 */
function sampleKey(stack: Uint32Array, labels: readonly Label[]): string {
  const units = new Uint16Array(stack.buffer, stack.byteOffset, stack.length * 2);
  // The depth first, so that the stack's part of the key has a known length and no label text can extend it.
  let key = `${stack.length}:`;
  // fromCharCode takes its codes as arguments: a few thousand at a time stays far below any engine's limit.
  for (let at = 0; at < units.length; at += 4096) {
    key += String.fromCharCode.apply(null, units.subarray(at, at + 4096) as unknown as number[]);
  }
  if (labels.length === 0) {
    return key;
  }
  return `${key}|${labels
    .map((l) => l.join(':'))
    .sort()
    .join(';')}`;
}

// ---- The merged profile's tables ---------------------------------------------------------------------------------

/** [key, string value, number value, unit] with merged string ids. */
type Label = [number, number, number, number];

/** String ids of the merged profile; id 0 is '' as in every string table. */
class Interner {
  readonly list: string[] = [''];
  private readonly ids = new Map<string, number>([['', 0]]);

  id(s: string): number {
    let id = this.ids.get(s);
    if (id === undefined) {
      id = this.list.length;
      this.ids.set(s, id);
      this.list.push(s);
    }
    return id;
  }
}

class FunctionRows {
  readonly keys = new Map<string, number>();
  readonly name: number[] = [];
  readonly systemName: number[] = [];
  readonly filename: number[] = [];
  readonly startLine: number[] = [];

  add(name: number, systemName: number, filename: number, startLine: number): number {
    const row = this.name.length;
    this.name.push(name);
    this.systemName.push(systemName);
    this.filename.push(filename);
    this.startLine.push(startLine);
    return row;
  }

  table(): FunctionTable {
    return {
      count: this.name.length,
      id: Float64Array.from(this.name, (_, i) => i + 1),
      name: Uint32Array.from(this.name),
      systemName: Uint32Array.from(this.systemName),
      filename: Uint32Array.from(this.filename),
      startLine: Float64Array.from(this.startLine),
    };
  }
}

class LocationRows {
  readonly keys = new Map<string, number>();
  readonly mapping: number[] = [];
  readonly hi: number[] = [];
  readonly lo: number[] = [];
  readonly folded: number[] = [];
  readonly lineStart: number[] = [0];
  readonly lineFunction: number[] = [];
  readonly lineNumber: number[] = [];
  readonly lineColumn: number[] = [];

  table(): LocationTable {
    return {
      count: this.mapping.length,
      id: Float64Array.from(this.mapping, (_, i) => i + 1),
      mapping: Int32Array.from(this.mapping),
      addressHi: Uint32Array.from(this.hi),
      addressLo: Uint32Array.from(this.lo),
      isFolded: Uint8Array.from(this.folded),
      lineStart: Uint32Array.from(this.lineStart),
      lineFunction: Uint32Array.from(this.lineFunction),
      lineNumber: Float64Array.from(this.lineNumber),
      lineColumn: Float64Array.from(this.lineColumn),
    };
  }
}

class SampleRows {
  readonly keys = new Map<string, number>();
  /** Row `i`'s stack is `stack[stackStart[i] .. stackStart[i + 1])`, as in the profile's own table. */
  readonly stackStart: number[] = [0];
  readonly stack: number[] = [];
  readonly labelStart: number[] = [0];
  readonly labels: Label[] = [];
  /** Row-major, `stride` values a row, summed over the samples merged into it. */
  readonly values: number[] = [];

  constructor(readonly stride: number) {}

  table(): Profile['samples'] {
    const labels = this.labels;
    return {
      count: this.stackStart.length - 1,
      values: Float64Array.from(this.values),
      stackStart: Uint32Array.from(this.stackStart),
      stack: Uint32Array.from(this.stack),
      labelStart: Uint32Array.from(this.labelStart),
      labelKey: Uint32Array.from(labels, (l) => l[0]),
      labelStr: Uint32Array.from(labels, (l) => l[1]),
      labelNum: Float64Array.from(labels, (l) => l[2]),
      labelUnit: Uint32Array.from(labels, (l) => l[3]),
    };
  }
}

// ---- Mapping each source profile onto the merged tables ---------------------------------------------------------

class ProfileMerger {
  readonly strings = new Interner();
  readonly functions = new FunctionRows();
  readonly mappings: Mapping[] = [];
  private readonly mappingKeys = new Map<string, number>();
  readonly locations = new LocationRows();
  readonly samples: SampleRows;

  constructor(stride: number) {
    this.samples = new SampleRows(stride);
  }

  add(p: Profile): void {
    const functionRows = new Int32Array(p.functions.count);
    for (let f = 0; f < p.functions.count; f++) {
      functionRows[f] = this.mapFunction(p, f);
    }
    const mappingRows = p.mappings.map((m) => this.mapMapping(m));
    const locationRows = new Int32Array(p.locations.count);
    for (let l = 0; l < p.locations.count; l++) {
      locationRows[l] = this.mapLocation(p, l, functionRows, mappingRows);
    }
    for (let i = 0; i < p.samples.count; i++) {
      this.mapSample(p, i, locationRows);
    }
  }

  private string(p: Profile, id: number): number {
    return this.strings.id(p.strings[id]);
  }

  private mapFunction(p: Profile, f: number): number {
    const F = p.functions;
    const name = this.string(p, F.name[f]);
    const systemName = this.string(p, F.systemName[f]);
    const filename = this.string(p, F.filename[f]);
    const key = functionKey(name, systemName, filename, F.startLine[f]);
    let row = this.functions.keys.get(key);
    if (row === undefined) {
      row = this.functions.add(name, systemName, filename, F.startLine[f]);
      this.functions.keys.set(key, row);
    }
    return row;
  }

  private mapMapping(m: Mapping): number {
    const key = mappingKey(m);
    let row = this.mappingKeys.get(key);
    if (row === undefined) {
      row = this.mappings.length;
      this.mappingKeys.set(key, row);
      this.mappings.push({ ...m, id: row + 1 });
    }
    return row;
  }

  private mapLocation(p: Profile, l: number, functionRows: Int32Array, mappingRows: number[]): number {
    const L = p.locations;
    const mapping = L.mapping[l] < 0 ? -1 : mappingRows[L.mapping[l]];
    const start = L.lineStart[l];
    const end = L.lineStart[l + 1];
    let lines = '';
    for (let j = start; j < end; j++) {
      lines += `${j > start ? ',' : ''}${functionRows[L.lineFunction[j]]},${L.lineNumber[j]},${L.lineColumn[j]}`;
    }
    const key = locationKey(mapping, L.addressHi[l], L.addressLo[l], L.isFolded[l], lines);
    const merged = this.locations;
    let row = merged.keys.get(key);
    if (row === undefined) {
      row = merged.mapping.length;
      merged.keys.set(key, row);
      merged.mapping.push(mapping);
      merged.hi.push(L.addressHi[l]);
      merged.lo.push(L.addressLo[l]);
      merged.folded.push(L.isFolded[l]);
      for (let j = start; j < end; j++) {
        merged.lineFunction.push(functionRows[L.lineFunction[j]]);
        merged.lineNumber.push(L.lineNumber[j]);
        merged.lineColumn.push(L.lineColumn[j]);
      }
      merged.lineStart.push(merged.lineFunction.length);
    }
    return row;
  }

  private mapSample(p: Profile, i: number, locationRows: Int32Array): void {
    const S = p.samples;
    const depth = S.stackStart[i + 1] - S.stackStart[i];
    const stack = this.stackScratch(depth);
    for (let k = 0; k < depth; k++) {
      stack[k] = locationRows[S.stack[S.stackStart[i] + k]];
    }
    const labels: Label[] = [];
    for (let l = S.labelStart[i]; l < S.labelStart[i + 1]; l++) {
      labels.push([
        this.string(p, S.labelKey[l]),
        this.string(p, S.labelStr[l]),
        S.labelNum[l],
        this.string(p, S.labelUnit[l]),
      ]);
    }
    const merged = this.samples;
    const stride = merged.stride;
    const key = sampleKey(stack, labels);
    let row = merged.keys.get(key);
    if (row === undefined) {
      row = merged.stackStart.length - 1;
      merged.keys.set(key, row);
      for (let k = 0; k < depth; k++) {
        merged.stack.push(stack[k]);
      }
      merged.stackStart.push(merged.stack.length);
      merged.labels.push(...labels);
      merged.labelStart.push(merged.labels.length);
      for (let t = 0; t < stride; t++) {
        merged.values.push(0);
      }
    }
    for (let t = 0; t < stride; t++) {
      merged.values[row * stride + t] += S.values[i * stride + t];
    }
  }

  private scratch = new Uint32Array(64);

  /** A reused array for one stack of merged location rows (a sample's key is made from it, see `sampleKey`). */
  private stackScratch(depth: number): Uint32Array {
    if (this.scratch.length < depth) {
      this.scratch = new Uint32Array(depth * 2);
    }
    return this.scratch.subarray(0, depth);
  }
}

/**
 * Merge of several profiles of the same type into one (the profiles of a time window), as google/pprof's
 * profile/merge.go `Merge` does: functions, mappings and locations are de-duplicated by value, samples with the
 * same stack and labels are summed, time is the earliest start and the duration is the sum of durations.
 */
import { FunctionTable, LocationTable, Mapping, Profile } from '../model/profile';
import { AnalysisOptionError } from './selection';

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

function sameSampleTypes(a: Profile, b: Profile): boolean {
  return (
    a.sampleTypes.length === b.sampleTypes.length &&
    a.sampleTypes.every((st, i) => st.type === b.sampleTypes[i].type && st.unit === b.sampleTypes[i].unit)
  );
}

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
  const strings = new Interner();
  const fnKeys = new Map<string, number>();
  const fn = {
    id: [] as number[],
    name: [] as number[],
    systemName: [] as number[],
    filename: [] as number[],
    startLine: [] as number[],
  };
  const mapKeys = new Map<string, number>();
  const mappings: Mapping[] = [];
  const locKeys = new Map<string, number>();
  const loc = {
    mapping: [] as number[],
    hi: [] as number[],
    lo: [] as number[],
    folded: [] as number[],
    lineStart: [0] as number[],
    lineFunction: [] as number[],
    lineNumber: [] as number[],
    lineColumn: [] as number[],
  };
  const sampleKeys = new Map<string, number>();
  const stride = first.sampleTypes.length;
  const values: number[] = [];
  const stacks: number[][] = [];
  const labels: Array<Array<[number, number, number, number]>> = [];

  for (const p of profiles) {
    const s = (i: number) => strings.id(p.strings[i]);
    const fnMap = new Int32Array(p.functions.count);
    for (let f = 0; f < p.functions.count; f++) {
      const row = [
        s(p.functions.name[f]),
        s(p.functions.systemName[f]),
        s(p.functions.filename[f]),
        p.functions.startLine[f],
      ];
      const key = row.join('|');
      let id = fnKeys.get(key);
      if (id === undefined) {
        id = fn.id.length;
        fnKeys.set(key, id);
        fn.id.push(id + 1);
        fn.name.push(row[0]);
        fn.systemName.push(row[1]);
        fn.filename.push(row[2]);
        fn.startLine.push(row[3]);
      }
      fnMap[f] = id;
    }
    const mapMap = p.mappings.map((m) => {
      const key = [m.filename, m.buildId, m.memoryStart, m.memoryLimit, m.fileOffset].join('|');
      let id = mapKeys.get(key);
      if (id === undefined) {
        id = mappings.length;
        mapKeys.set(key, id);
        mappings.push({ ...m, id: id + 1 });
      }
      return id;
    });
    const locMap = new Int32Array(p.locations.count);
    const L = p.locations;
    for (let l = 0; l < L.count; l++) {
      const lines: number[] = [];
      for (let j = L.lineStart[l]; j < L.lineStart[l + 1]; j++) {
        lines.push(fnMap[L.lineFunction[j]], L.lineNumber[j], L.lineColumn[j]);
      }
      const mapping = L.mapping[l] < 0 ? -1 : mapMap[L.mapping[l]];
      const key = `${mapping}|${L.addressHi[l]}|${L.addressLo[l]}|${L.isFolded[l]}|${lines.join(',')}`;
      let id = locKeys.get(key);
      if (id === undefined) {
        id = loc.mapping.length;
        locKeys.set(key, id);
        loc.mapping.push(mapping);
        loc.hi.push(L.addressHi[l]);
        loc.lo.push(L.addressLo[l]);
        loc.folded.push(L.isFolded[l]);
        for (let j = 0; j < lines.length; j += 3) {
          loc.lineFunction.push(lines[j]);
          loc.lineNumber.push(lines[j + 1]);
          loc.lineColumn.push(lines[j + 2]);
        }
        loc.lineStart.push(loc.lineFunction.length);
      }
      locMap[l] = id;
    }
    const S = p.samples;
    for (let i = 0; i < S.count; i++) {
      const stack: number[] = [];
      for (let k = S.stackStart[i]; k < S.stackStart[i + 1]; k++) {
        stack.push(locMap[S.stack[k]]);
      }
      const sampleLabels: Array<[number, number, number, number]> = [];
      for (let l = S.labelStart[i]; l < S.labelStart[i + 1]; l++) {
        sampleLabels.push([s(S.labelKey[l]), s(S.labelStr[l]), S.labelNum[l], s(S.labelUnit[l])]);
      }
      const key = `${stack.join(',')}|${sampleLabels
        .map((x) => x.join(':'))
        .sort()
        .join(';')}`;
      let row = sampleKeys.get(key);
      if (row === undefined) {
        row = stacks.length;
        sampleKeys.set(key, row);
        stacks.push(stack);
        labels.push(sampleLabels);
        for (let t = 0; t < stride; t++) {
          values.push(0);
        }
      }
      for (let t = 0; t < stride; t++) {
        values[row * stride + t] += S.values[i * stride + t];
      }
    }
  }

  const stackStart = new Uint32Array(stacks.length + 1);
  const labelStart = new Uint32Array(stacks.length + 1);
  for (let i = 0; i < stacks.length; i++) {
    stackStart[i + 1] = stackStart[i] + stacks[i].length;
    labelStart[i + 1] = labelStart[i] + labels[i].length;
  }
  const flatLabels = labels.flat();
  const functions: FunctionTable = {
    count: fn.id.length,
    id: Float64Array.from(fn.id),
    name: Uint32Array.from(fn.name),
    systemName: Uint32Array.from(fn.systemName),
    filename: Uint32Array.from(fn.filename),
    startLine: Float64Array.from(fn.startLine),
  };
  const locations: LocationTable = {
    count: loc.mapping.length,
    id: Float64Array.from(loc.mapping, (_, i) => i + 1),
    mapping: Int32Array.from(loc.mapping),
    addressHi: Uint32Array.from(loc.hi),
    addressLo: Uint32Array.from(loc.lo),
    isFolded: Uint8Array.from(loc.folded),
    lineStart: Uint32Array.from(loc.lineStart),
    lineFunction: Uint32Array.from(loc.lineFunction),
    lineNumber: Float64Array.from(loc.lineNumber),
    lineColumn: Float64Array.from(loc.lineColumn),
  };
  const times = profiles.map((p) => p.timeNanos).filter((t) => t !== BigInt(0));
  return {
    strings: strings.list,
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
    samples: {
      count: stacks.length,
      values: Float64Array.from(values),
      stackStart,
      stack: Uint32Array.from(stacks.flat()),
      labelStart,
      labelKey: Uint32Array.from(flatLabels, (l) => l[0]),
      labelStr: Uint32Array.from(flatLabels, (l) => l[1]),
      labelNum: Float64Array.from(flatLabels, (l) => l[2]),
      labelUnit: Uint32Array.from(flatLabels, (l) => l[3]),
    },
    locations,
    functions,
    mappings,
    byteLength: profiles.reduce((sum, p) => sum + p.byteLength, 0),
  };
}

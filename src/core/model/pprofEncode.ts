/**
 * Writes a decoded profile (model/profile.ts) back to the pprof wire format, gzipped as Go writes it, so a profile
 * seen in Grafana (a single capture or a window merged from several) can be opened with `go tool pprof`.
 *
 * The message layout is google/pprof:proto/profile.proto. What is kept: every sample type and value, stacks,
 * labels, locations with addresses and inlined lines, functions, mappings, period, time, duration, comments,
 * drop/keep frames, default sample type and doc URL. What changes: ids are renumbered densely from 1 (rows + 1),
 * and strings the decoder resolved (sample types, mapping file names, comments) are interned into the string table
 * again, so its order may differ. Repeated scalars are packed, as Go's encoder writes them
 * (google/pprof:profile/encode.go `encodeUint64s`, which packs lists of more than two).
 */
import { gzipSync } from 'fflate';

import { ProtoWriter, WIRE_VARINT } from '../wire/protoWriter';
import type { Profile } from './profile';

/** The profile's string table, extended with the strings the decoder resolved. Index 0 stays "". */
class StringTable {
  readonly strings: string[];
  private readonly index = new Map<string, number>();

  constructor(initial: readonly string[]) {
    this.strings = initial.length > 0 ? [...initial] : [''];
    this.strings.forEach((s, i) => {
      if (!this.index.has(s)) {
        this.index.set(s, i);
      }
    });
  }

  id(s: string): number {
    let i = this.index.get(s);
    if (i === undefined) {
      i = this.strings.length;
      this.strings.push(s);
      this.index.set(s, i);
    }
    return i;
  }
}

function valueType(strings: StringTable, vt: { type: string; unit: string }): ProtoWriter {
  const w = new ProtoWriter();
  w.uint(1, strings.id(vt.type));
  w.uint(2, strings.id(vt.unit));
  return w;
}

/** The profile as uncompressed pprof protobuf bytes. */
export function encodePprof(profile: Profile): Uint8Array {
  const strings = new StringTable(profile.strings);
  const out = new ProtoWriter();
  const inner = new ProtoWriter();
  const line = new ProtoWriter();

  for (const st of profile.sampleTypes) {
    out.message(1, valueType(strings, st));
  }

  const { samples } = profile;
  const stride = profile.sampleTypes.length;
  const locationIds: number[] = [];
  for (let i = 0; i < samples.count; i++) {
    inner.reset();
    locationIds.length = 0;
    for (let k = samples.stackStart[i]; k < samples.stackStart[i + 1]; k++) {
      locationIds.push(samples.stack[k] + 1);
    }
    inner.packed(1, locationIds);
    inner.packed(2, samples.values, i * stride, (i + 1) * stride);
    for (let l = samples.labelStart[i]; l < samples.labelStart[i + 1]; l++) {
      line.reset();
      line.uint(1, samples.labelKey[l]);
      if (samples.labelStr[l] !== 0) {
        line.uint(2, samples.labelStr[l]);
      } else {
        line.uint(3, samples.labelNum[l]);
        line.uint(4, samples.labelUnit[l]);
      }
      inner.message(3, line);
    }
    out.message(2, inner);
  }

  profile.mappings.forEach((m, row) => {
    inner.reset();
    inner.uint(1, row + 1);
    inner.bigint(2, m.memoryStart);
    inner.bigint(3, m.memoryLimit);
    inner.bigint(4, m.fileOffset);
    inner.uint(5, m.filename ? strings.id(m.filename) : 0);
    inner.uint(6, m.buildId ? strings.id(m.buildId) : 0);
    inner.bool(7, m.hasFunctions);
    inner.bool(8, m.hasFilenames);
    inner.bool(9, m.hasLineNumbers);
    inner.bool(10, m.hasInlineFrames);
    out.message(3, inner);
  });

  const loc = profile.locations;
  for (let i = 0; i < loc.count; i++) {
    inner.reset();
    inner.uint(1, i + 1);
    inner.uint(2, loc.mapping[i] + 1);
    if (loc.addressHi[i] !== 0 || loc.addressLo[i] !== 0) {
      inner.tag(3, WIRE_VARINT);
      inner.varintBig((BigInt(loc.addressHi[i]) << BigInt(32)) | BigInt(loc.addressLo[i]));
    }
    for (let l = loc.lineStart[i]; l < loc.lineStart[i + 1]; l++) {
      line.reset();
      line.uint(1, loc.lineFunction[l] + 1);
      line.uint(2, loc.lineNumber[l]);
      line.uint(3, loc.lineColumn[l]);
      inner.message(4, line);
    }
    inner.bool(5, loc.isFolded[i] !== 0);
    out.message(4, inner);
  }

  const fn = profile.functions;
  for (let i = 0; i < fn.count; i++) {
    inner.reset();
    inner.uint(1, i + 1);
    inner.uint(2, fn.name[i]);
    inner.uint(3, fn.systemName[i]);
    inner.uint(4, fn.filename[i]);
    inner.uint(5, fn.startLine[i]);
    out.message(5, inner);
  }

  // Every field that names a string is interned before the table is written.
  const dropFrames = profile.dropFrames ? strings.id(profile.dropFrames) : 0;
  const keepFrames = profile.keepFrames ? strings.id(profile.keepFrames) : 0;
  const periodType = valueType(strings, profile.periodType);
  const comments = profile.comments.map((c) => strings.id(c));
  const defaultSampleType = profile.defaultSampleType ? strings.id(profile.defaultSampleType) : 0;
  const docUrl = profile.docUrl ? strings.id(profile.docUrl) : 0;

  const encoder = new TextEncoder();
  for (const s of strings.strings) {
    out.bytes(6, encoder.encode(s));
  }
  out.uint(7, dropFrames);
  out.uint(8, keepFrames);
  out.bigint(9, profile.timeNanos);
  out.uint(10, profile.durationNanos);
  if (profile.periodType.type || profile.periodType.unit) {
    out.message(11, periodType);
  }
  out.uint(12, profile.period);
  out.packed(13, comments);
  out.uint(14, defaultSampleType);
  out.uint(15, docUrl);
  return out.finish().slice();
}

/** The profile as a gzipped pprof file, the form `go tool pprof` and `/debug/pprof` use. */
export function encodePprofGzip(profile: Profile): Uint8Array {
  return gzipSync(encodePprof(profile), { level: 6 });
}

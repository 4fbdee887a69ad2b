/**
 * Decoder round trip (property-based, test-only encoder), robustness to damaged bytes, and the table of bad inputs,
 * each with its specific message.
 */
import fc from 'fast-check';
import { readFileSync } from 'fs';
import { resolve } from 'path';
import { gzipSync } from 'zlib';
import { InputError, LimitExceededError } from '../errors';
import { encodeProfile, EncodeOptions, Int, ProfileSpec, SpecBuilder } from '../wire/testing/pprofEncoder';
import { optionsArb, specArb } from '../wire/testing/profileArbitraries';
import { MalformedProfileError, NotPprofError, parsePprof } from './parsePprof';
import { locationAddressHex, Profile } from './profile';

const num = (v: Int | undefined) => Number(v ?? 0);
const big = (v: Int | undefined) => BigInt(v ?? 0);

function encode(spec: ProfileSpec, options: EncodeOptions & { gzip?: boolean } = {}): Uint8Array {
  const raw = encodeProfile(spec, options);
  return options.gzip ? new Uint8Array(gzipSync(raw)) : raw;
}

/** The decoded profile, expressed back in wire terms, for comparison with the spec. */
function expectMatches(p: Profile, spec: ProfileSpec): void {
  const s = spec.strings;
  expect(p.strings).toEqual(s);
  expect(p.sampleTypes).toEqual(spec.sampleTypes.map((vt) => ({ type: s[num(vt.type)], unit: s[num(vt.unit)] })));
  expect(p.functions.count).toBe(spec.functions.length);
  spec.functions.forEach((f, i) => {
    expect(p.functions.id[i]).toBe(num(f.id));
    expect(p.strings[p.functions.name[i]]).toBe(s[num(f.name)]);
    expect(p.strings[p.functions.systemName[i]]).toBe(s[num(f.systemName)]);
    expect(p.strings[p.functions.filename[i]]).toBe(s[num(f.filename)]);
    expect(p.functions.startLine[i]).toBe(num(f.startLine));
  });
  expect(
    p.mappings.map((m) => [m.id, m.memoryStart, m.memoryLimit, m.fileOffset, m.filename, m.buildId, m.hasFunctions])
  ).toEqual(
    spec.mappings.map((m) => [
      num(m.id),
      big(m.memoryStart),
      big(m.memoryLimit),
      big(m.fileOffset),
      s[num(m.filename)],
      s[num(m.buildId)],
      !!m.hasFunctions,
    ])
  );
  expect(p.locations.count).toBe(spec.locations.length);
  spec.locations.forEach((loc, i) => {
    expect(p.locations.id[i]).toBe(num(loc.id));
    const mapping = p.locations.mapping[i];
    expect(mapping < 0 ? 0 : p.mappings[mapping].id).toBe(num(loc.mappingId));
    expect(locationAddressHex(p, i)).toBe(`0x${big(loc.address).toString(16)}`);
    expect(p.locations.isFolded[i]).toBe(loc.isFolded ? 1 : 0);
    const lines = [];
    for (let j = p.locations.lineStart[i]; j < p.locations.lineStart[i + 1]; j++) {
      lines.push([p.functions.id[p.locations.lineFunction[j]], p.locations.lineNumber[j], p.locations.lineColumn[j]]);
    }
    expect(lines).toEqual((loc.lines ?? []).map((l) => [num(l.functionId), num(l.line), num(l.column)]));
  });
  expect(p.samples.count).toBe(spec.samples.length);
  const stride = spec.sampleTypes.length;
  spec.samples.forEach((sample, i) => {
    expect(Array.from(p.samples.values.subarray(i * stride, (i + 1) * stride))).toEqual(sample.values.map(num));
    const stack = Array.from(p.samples.stack.subarray(p.samples.stackStart[i], p.samples.stackStart[i + 1]));
    expect(stack.map((row) => p.locations.id[row])).toEqual(sample.locationIds.map(num));
    const labels = [];
    for (let l = p.samples.labelStart[i]; l < p.samples.labelStart[i + 1]; l++) {
      labels.push([
        p.strings[p.samples.labelKey[l]],
        p.strings[p.samples.labelStr[l]],
        p.samples.labelNum[l],
        p.strings[p.samples.labelUnit[l]],
      ]);
    }
    // google/pprof drops labels with neither a string nor a number nor a unit.
    const kept = (sample.labels ?? []).filter((l) => num(l.str) !== 0 || num(l.num) !== 0 || num(l.numUnit) !== 0);
    expect(labels).toEqual(
      kept.map((l) => [s[num(l.key)], s[num(l.str)], num(l.str) !== 0 ? 0 : num(l.num), s[num(l.numUnit)]])
    );
  });
  expect(p.timeNanos).toBe(big(spec.timeNanos));
  expect(p.durationNanos).toBe(num(spec.durationNanos));
  expect(p.period).toBe(num(spec.period));
  expect(p.periodType).toEqual({ type: s[num(spec.periodType?.type)], unit: s[num(spec.periodType?.unit)] });
  expect(p.comments).toEqual((spec.comments ?? []).map((c) => s[num(c)]));
  expect(p.defaultSampleType).toBe(s[num(spec.defaultSampleType)]);
  expect(p.docUrl).toBe(s[num(spec.docUrl)]);
}

describe('parsePprof round trip (property)', () => {
  it('decodes every valid profile exactly, in any field order, packed or not, with unknown fields, gzip or not', () => {
    fc.assert(
      fc.property(specArb, optionsArb, (spec, options) => {
        expectMatches(parsePprof(encode(spec, options)), spec);
      }),
      { numRuns: 200 }
    );
  });
});

describe('parsePprof on damaged bytes (property)', () => {
  // Termination is what the test's own timeout guards; no wall-clock bound (a loaded machine would fail it).
  const typed = (run: () => unknown) => {
    try {
      run();
    } catch (error) {
      if (!(error instanceof InputError)) {
        throw error;
      }
    }
  };

  it('only ever throws typed input errors on truncation, and terminates', () => {
    fc.assert(
      fc.property(specArb, optionsArb, fc.double({ min: 0, max: 1, noNaN: true }), (spec, options, at) => {
        const bytes = encode(spec, options);
        typed(() => parsePprof(bytes.subarray(0, Math.floor(at * bytes.length))));
      }),
      { numRuns: 200 }
    );
  });

  it('only ever throws typed input errors on byte flips, and terminates', () => {
    fc.assert(
      fc.property(
        specArb,
        optionsArb,
        fc.array(
          fc.tuple(fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), fc.integer({ min: 1, max: 255 })),
          {
            minLength: 1,
            maxLength: 4,
          }
        ),
        (spec, options, flips) => {
          const bytes = encode(spec, options).slice();
          for (const [at, mask] of flips) {
            bytes[Math.floor(at * bytes.length)] ^= mask;
          }
          typed(() => parsePprof(bytes));
          typed(() => parsePprof(bytes, { verifyChecksum: false }));
        }
      ),
      { numRuns: 200 }
    );
  });
});

function validSpec(): SpecBuilder {
  return new SpecBuilder()
    .sampleType('samples', 'count')
    .sampleType('cpu', 'nanoseconds')
    .sample(['main.main', 'main.work'], [1, 10000000]);
}

describe('parsePprof bad inputs (the bad-input table)', () => {
  const html = new TextEncoder().encode(
    '<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head><body>upstream error</body></html>'
  );
  const gz = (b: Uint8Array) => new Uint8Array(gzipSync(b));
  const good = encodeProfile(validSpec().spec);

  const withSpec = (edit: (spec: ProfileSpec) => void, options?: EncodeOptions): Uint8Array => {
    const spec = validSpec().spec;
    edit(spec);
    return encodeProfile(spec, options);
  };

  const cases: Array<
    [string, () => Uint8Array, typeof NotPprofError | typeof MalformedProfileError | typeof LimitExceededError, RegExp]
  > = [
    [
      'HTML error page',
      () => html,
      NotPprofError,
      /^an HTML page, not a pprof profile \(page title "502 Bad Gateway"\)$/,
    ],
    ['empty body', () => new Uint8Array(0), NotPprofError, /^empty input \(0 bytes\)$/],
    ['truncated gzip', () => gz(good).subarray(0, 30), MalformedProfileError, /^truncated gzip/],
    [
      'gzip of text',
      () => gz(new TextEncoder().encode('hello, this is not a profile\n')),
      NotPprofError,
      /^gzip-compressed text, not a pprof profile \(starts with "hello, this is not a profile"\)$/,
    ],
    [
      'wrong wire type',
      () => Uint8Array.from([...good, 0x10, 0x05]), // field 2 (sample) as a varint, after valid fields
      MalformedProfileError,
      /Profile\.sample has wire type 0 \(varint\), expected 2 \(length-delimited\)/,
    ],
    [
      'string index out of range',
      () => withSpec((s) => (s.functions[0].name = 57)),
      MalformedProfileError,
      /^malformed profile: string index 57 out of range \(the string table has \d+ entries\)$/,
    ],
    [
      'zero ids',
      () => withSpec((s) => (s.functions[0].id = 0)),
      MalformedProfileError,
      /found function with reserved id=0/,
    ],
    [
      'mismatched value lengths',
      () => withSpec((s) => (s.samples[0].values = [7])),
      MalformedProfileError,
      /mismatch: sample has 1 values vs\. 2 types/,
    ],
    [
      '1 GB declared length',
      () => Uint8Array.from([...good, 0x12, 0x80, 0x80, 0x80, 0x80, 0x04, 0x08, 0x01]), // a sample of 2^30 bytes
      MalformedProfileError,
      /declares 1073741824 bytes but only 2 remain/,
    ],
    [
      'goroutine dump debug=2',
      () => new TextEncoder().encode('goroutine 1 [running]:\nmain.main()\n'),
      NotPprofError,
      /goroutine dump in text form \(debug=2\)/,
    ],
    [
      'goroutine profile debug=1',
      () => new TextEncoder().encode('goroutine profile: total 9\n'),
      NotPprofError,
      /request it with debug=0/,
    ],
    [
      'duplicate ids',
      () => withSpec((s) => (s.locations[1].id = s.locations[0].id)),
      MalformedProfileError,
      /multiple locations with same id: 1/,
    ],
    [
      'unknown location id',
      () => withSpec((s) => (s.samples[0].locationIds = [99])),
      MalformedProfileError,
      /references location id 99, which does not exist/,
    ],
    [
      'line without function',
      () => withSpec((s) => (s.locations[0].lines = [{ functionId: 0 }])),
      MalformedProfileError,
      /has a line with function id 0/,
    ],
    [
      "string_table[0] not ''",
      () => withSpec((s) => (s.strings[0] = 'x')),
      MalformedProfileError,
      /string_table\[0\] must be ''/,
    ],
    [
      'concatenated profiles',
      () => {
        const one = withSpec((s) => (s.timeNanos = 5));
        return Uint8Array.from([...one, ...one]);
      },
      MalformedProfileError,
      /concatenated profiles detected/,
    ],
    ['random binary', () => Uint8Array.from([0xff, 0xfe, 0x00, 0x13, 0x07]), NotPprofError, /^not a pprof profile/],
    [
      'Go execution trace (captured from the demo service)',
      () => new Uint8Array(readFileSync(resolve(__dirname, '../../../fixtures/demo/alloc-conversion/trace.bin'))),
      NotPprofError,
      /^a Go execution trace, not a pprof profile$/,
    ],
    [
      'gzip of a Go execution trace',
      () => gz(readFileSync(resolve(__dirname, '../../../fixtures/demo/alloc-conversion/trace.bin'))),
      NotPprofError,
      /^a gzip-compressed Go execution trace, not a pprof profile$/,
    ],
    [
      'gzip of an HTML page',
      () => gz(html),
      NotPprofError,
      /^a gzip-compressed HTML page, not a pprof profile \(page title "502 Bad Gateway"\)$/,
    ],
    [
      'text that starts like a trace header',
      () => new TextEncoder().encode('go 1.26 release notes\n'),
      NotPprofError,
      /^text, not a pprof profile \(starts with "go 1.26 release notes"\)$/,
    ],
  ];

  it.each(cases)('%s', (_name, bytes, type, message) => {
    let caught: unknown;
    try {
      parsePprof(bytes(), { source: 'http://demo:6060/debug/pprof/profile' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(type);
    expect((caught as Error).message).toMatch(message);
    expect((caught as InputError).context.source).toBe('http://demo:6060/debug/pprof/profile');
    expect((caught as InputError).context.format).toBe('pprof');
  });

  it('enforces configurable limits with a LimitExceededError naming the limit', () => {
    const b = validSpec();
    b.sample(['main.main'], [1, 1]).sample(['main.other'], [1, 1]);
    const bytes = encodeProfile(b.spec);
    expect(() => parsePprof(bytes, { limits: { maxSamples: 2 } })).toThrow(LimitExceededError);
    expect(() => parsePprof(bytes, { limits: { maxSamples: 2 } })).toThrow(
      /samples: 3 exceeds the limit of 2 \(raise limits.maxSamples/
    );
    expect(() => parsePprof(bytes, { limits: { maxInputBytes: 10 } })).toThrow(
      /input size in bytes: \d+ exceeds the limit of 10/
    );
    expect(() => parsePprof(gz(bytes), { limits: { maxDecompressedBytes: 10 } })).toThrow(/decompressed size/);
    expect(parsePprof(bytes, { limits: { maxSamples: 3 } }).samples.count).toBe(3);
  });

  it('describes the error with its context in one line', () => {
    try {
      parsePprof(
        withSpec((s) => (s.functions[0].name = 57)),
        { source: 'cpu from http://x' }
      );
      throw new Error('expected an error');
    } catch (error) {
      expect((error as InputError).describe()).toMatch(
        /^cpu from http:\/\/x: malformed profile: string index 57 .*\(at Profile\.function\[0\]\.name\)$/
      );
    }
  });
});

/**
 * fast-check arbitraries of valid pprof profiles (test support): random string tables, sample types, functions,
 * mappings, locations with inlined lines, samples with string and numeric labels, 64-bit values of every size and
 * sign, ids sequential (as Go writes them) or arbitrary, and random encoder options.
 */
import fc from 'fast-check';
import { EncodeOptions, ProfileSpec, SpecLine } from './pprofEncoder';

const I64_MIN = -(BigInt(1) << BigInt(63));
const I64_MAX = (BigInt(1) << BigInt(63)) - BigInt(1);
const U64_MAX = (BigInt(1) << BigInt(64)) - BigInt(1);
const int64 = fc.oneof(fc.integer({ min: -1000, max: 1000 }), fc.bigInt({ min: I64_MIN, max: I64_MAX }));
const uint64 = fc.oneof(fc.nat(100000), fc.bigInt({ min: BigInt(0), max: U64_MAX }));

/** Unique positive ids, either Go's 1..n or arbitrary ones (exercising the non-sequential path), up to 2^53. */
function ids(n: number, sequential: boolean, seed: number): number[] {
  if (sequential) {
    return Array.from({ length: n }, (_, i) => i + 1);
  }
  const out = new Set<number>();
  let x = (seed % 2147483646) + 1; // Lehmer generator state must stay in 1..2^31-2 (0 is a fixed point)
  while (out.size < n) {
    x = (x * 48271) % 2147483647;
    out.add(out.size % 3 === 0 ? x * 4096 + 1 : x);
  }
  return [...out];
}

/**
 * Random valid profiles. `sampleValues` defaults to any int64; analyses that sum values pass a range within which
 * sums stay exact in doubles (the 64-bit policy: exact up to 2^53).
 */
export function profileSpecArb(sampleValues: fc.Arbitrary<number | bigint> = int64): fc.Arbitrary<ProfileSpec> {
  return fc
    .record({
      strings: fc.uniqueArray(fc.string({ unit: 'binary', maxLength: 12 }), { minLength: 1, maxLength: 20 }),
      nTypes: fc.integer({ min: 1, max: 4 }),
      nFunctions: fc.nat(12),
      nMappings: fc.nat(3),
      nLocations: fc.nat(20),
      sequential: fc.boolean(),
      seed: fc.nat(),
    })
    .chain(({ strings, nTypes, nFunctions, nMappings, nLocations, sequential, seed }) => {
      const table = ['', ...strings.filter((s) => s !== '')];
      const str = fc.nat(table.length - 1);
      const fnIds = ids(nFunctions, sequential, seed);
      const mapIds = ids(nMappings, sequential, seed + 1);
      const locIds = ids(nLocations, sequential, seed + 2);
      const valueType = fc.record({ type: str, unit: str });
      return fc.record({
        strings: fc.constant(table),
        sampleTypes: fc.array(valueType, { minLength: nTypes, maxLength: nTypes }),
        functions: fc.tuple(
          ...fnIds.map((id) =>
            fc.record({ id: fc.constant(id), name: str, systemName: str, filename: str, startLine: int64 })
          )
        ),
        mappings: fc.tuple(
          ...mapIds.map((id) =>
            fc.record({
              id: fc.constant(id),
              memoryStart: uint64,
              memoryLimit: uint64,
              fileOffset: uint64,
              filename: str,
              buildId: str,
              hasFunctions: fc.boolean(),
              hasInlineFrames: fc.boolean(),
            })
          )
        ),
        locations: fc.tuple(
          ...locIds.map((id) =>
            fc.record({
              id: fc.constant(id),
              mappingId: mapIds.length ? fc.constantFrom(0, ...mapIds) : fc.constant(0),
              address: uint64,
              isFolded: fc.boolean(),
              lines: fnIds.length
                ? fc.array(fc.record({ functionId: fc.constantFrom(...fnIds), line: int64, column: int64 }), {
                    maxLength: 3,
                  })
                : fc.constant<SpecLine[]>([]),
            })
          )
        ),
        samples: fc.array(
          fc.record({
            locationIds: locIds.length
              ? fc.array(fc.constantFrom(...locIds), { maxLength: 8 })
              : fc.constant<number[]>([]),
            values: fc.array(sampleValues, { minLength: nTypes, maxLength: nTypes }),
            labels: fc.array(
              fc.oneof(fc.record({ key: str, str }), fc.record({ key: str, num: int64, numUnit: str })),
              { maxLength: 3 }
            ),
          }),
          { maxLength: 25 }
        ),
        timeNanos: int64,
        durationNanos: int64,
        periodType: valueType,
        period: int64,
        comments: fc.array(str, { maxLength: 3 }),
        defaultSampleType: str,
        docUrl: str,
      });
    });
}

export const specArb: fc.Arbitrary<ProfileSpec> = profileSpecArb();

/** Sample values whose sums over a profile stay exact in doubles. */
export const exactSampleValue = fc.integer({ min: -(2 ** 40), max: 2 ** 40 });

export const optionsArb: fc.Arbitrary<EncodeOptions & { gzip: boolean }> = fc.record({
  packing: fc.constantFrom('go' as const, 'always' as const, 'never' as const),
  order: fc.shuffledSubarray(
    ['sampleTypes', 'samples', 'mappings', 'locations', 'functions', 'strings', 'scalars'] as const,
    {
      minLength: 7,
    }
  ) as fc.Arbitrary<EncodeOptions['order']>,
  unknownFields: fc.boolean(),
  gzip: fc.boolean(),
});

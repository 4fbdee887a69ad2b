/**
 * Hostile pprof inputs: a few hundred KB of gzip that expands into millions of cheap wire entries, or a gzip bomb.
 * Each must end in a typed LimitExceededError naming the limit, after reading at most the limit's worth.
 */
import { constants, deflateRawSync, gzipSync } from 'zlib';
import { InputError, LimitExceededError } from '../errors';
import { gzipBomb, hostilePprof, HostilePprofKind } from '../wire/testing/hostilePprof';
import { gunzip } from '../wire/gzip';
import { DEFAULT_DECODE_LIMITS } from './limits';
import { parsePprof } from './parsePprof';

function limitOf(run: () => unknown): LimitExceededError {
  try {
    run();
  } catch (error) {
    if (error instanceof LimitExceededError) {
      return error;
    }
    throw error;
  }
  throw new Error('expected a LimitExceededError');
}

describe('parsePprof on hostile input', () => {
  it('uses a default decompressed limit of at most 256 MiB', () => {
    expect(DEFAULT_DECODE_LIMITS.maxDecompressedBytes).toBeLessThanOrEqual(256 * 1024 * 1024);
  });

  // [input, uncompressed size, limit it must stop at, the value reported, field named in the error]
  const cases: Array<[HostilePprofKind, number, string, number, string]> = [
    ['comments', 4 << 20, 'maxComments', 100_001, 'Profile.comment'],
    ['empty-sample-types', 4 << 20, 'maxSampleTypes', 1001, 'Profile.sample_type[1000]'],
    ['lines-one-location', 4 << 20, 'maxLinesPerLocation', 10_001, 'Profile.location[0]'],
    // One packed list is counted whole before anything is reserved, so the error reports its exact length.
    ['packed-values-one-sample', 4 << 20, 'maxSampleTypes', (4 << 20) - 12, 'Profile.sample[0]'],
  ];
  it.each(cases)('%s: %d bytes gzipped stop at %s while decoding', (kind, size, limit, actual, field) => {
    const gz = new Uint8Array(gzipSync(hostilePprof(kind, size), { level: 9 }));
    expect(gz.length).toBeLessThan(size / 100);
    const error = limitOf(() => parsePprof(gz, { source: 'hostile.pb.gz' }));
    expect(error.limit.name).toBe(limit);
    expect(error.limit.actual).toBe(actual);
    expect(error.context.field).toBe(field);
    expect(error.describe()).toMatch(new RegExp(`^hostile.pb.gz: .* \\(raise limits.${limit} to accept it\\)`));
  });

  it('labels: stop at maxLabels, counted over all samples', () => {
    const error = limitOf(() => parsePprof(hostilePprof('labels', 1 << 20), { limits: { maxLabels: 100_000 } }));
    expect(error.limit).toEqual({ name: 'maxLabels', max: 100_000, actual: 100_001 });
    expect(error.context.field).toBe('Profile.sample[0]');
  });

  it('counts a packed list before reserving room for it: one byte too many is refused, not allocated', () => {
    // 1001 one-byte values in one packed list, against maxSampleTypes = 1000.
    const bytes = hostilePprof('packed-values-one-sample', 1001 + 6 + 6);
    const error = limitOf(() => parsePprof(bytes));
    expect(error.limit).toEqual({ name: 'maxSampleTypes', max: 1000, actual: 1001 });
  });

  it('bounds all decoded tables together (maxAllocatedBytes) when no single table is over its limit', () => {
    for (const kind of ['lines-many-locations', 'packed-values-many-samples', 'empty-strings'] as const) {
      const error = limitOf(() => parsePprof(hostilePprof(kind, 8 << 20), { limits: { maxAllocatedBytes: 16 << 20 } }));
      expect(error.limit.name).toBe('maxAllocatedBytes');
      expect(error.limit.actual).toBeLessThanOrEqual(2 * (16 << 20));
    }
  });

  it('bounds string bytes (maxStringBytes)', () => {
    const strings = new Uint8Array(3 * 1000);
    for (let i = 0; i < 1000; i++) {
      strings.set([(6 << 3) | 2, 1, 0x61], 3 * i);
    }
    const error = limitOf(() => parsePprof(strings, { limits: { maxStringBytes: 999 } }));
    expect(error.limit).toEqual({ name: 'maxStringBytes', max: 999, actual: 1000 });
  });

  it('still decodes a valid profile whose location has many inline lines when the limit allows them', () => {
    const bytes = hostilePprof('inline-lines', 20_000);
    expect(limitOf(() => parsePprof(bytes)).limit.name).toBe('maxLinesPerLocation');
    const profile = parsePprof(bytes, { limits: { maxLinesPerLocation: 20_000 } });
    expect(profile.locations.lineStart[1]).toBe(20_000);
  });
});

describe('gunzip of a gzip bomb', () => {
  const zeroBlock = new Uint8Array(
    deflateRawSync(new Uint8Array(64 << 20), { level: 9, finishFlush: constants.Z_SYNC_FLUSH })
  );
  const finalBlock = new Uint8Array(deflateRawSync(new Uint8Array(0)));

  it('stops inflating at the limit when the trailer declares more than the limit (4 GiB of zeros in ~4 MB)', () => {
    const copies = 64; // 64 x 64 MiB = 4 GiB
    const max = 8 << 20;
    for (const declared of [max + 1, 2 ** 32 - 1]) {
      const bomb = gzipBomb(zeroBlock, finalBlock, copies, declared);
      expect(bomb.length).toBeLessThan(5 << 20);
      const error = limitOf(() => gunzip(bomb, { maxDecompressedBytes: max }));
      expect(error.limit.name).toBe('maxDecompressedBytes');
      // Stopped within one small step past the limit: near deflate's 1032:1 ratio a step is 4 KiB of input.
      expect(error.limit.actual).toBeLessThanOrEqual(max + 1032 * (4 << 10));
    }
  });

  it('stops at the size the trailer declares (4 GiB of zeros whose trailer says 0 bytes, as ISIZE mod 2^32 does)', () => {
    const bomb = gzipBomb(zeroBlock, finalBlock, 64, 0);
    expect(() => gunzip(bomb, { maxDecompressedBytes: 256 << 20 })).toThrow(
      /^corrupt gzip: the data inflates to more than the 0 bytes its trailer declares/
    );
  });

  it('reports the bomb through parsePprof as a typed limit error', () => {
    const bomb = gzipBomb(zeroBlock, finalBlock, 2, 2 ** 32 - 1);
    const error = limitOf(() => parsePprof(bomb, { limits: { maxDecompressedBytes: 1 << 20 }, source: 'bomb.gz' }));
    expect(error).toBeInstanceOf(InputError);
    expect(error.describe()).toMatch(/^bomb.gz: decompressed size: \d+ exceeds the limit of 1048576/);
  });
});

import { gzipSync } from 'zlib';
import { LimitExceededError, MalformedInputError } from '../errors';
import { crc32 } from './crc32';
import { gunzip, isGzip } from './gzip';

const text = new TextEncoder().encode('hello pprof '.repeat(5000));
const limits = { maxDecompressedBytes: 1 << 20 };

describe('gzip', () => {
  it('detects gzip by magic bytes only', () => {
    expect(isGzip(Uint8Array.from([0x1f, 0x8b, 8]))).toBe(true);
    expect(isGzip(Uint8Array.from([0x1f]))).toBe(false);
    expect(isGzip(new TextEncoder().encode('<html>'))).toBe(false);
  });

  it('inflates what Node zlib compresses, at every level, with the CRC checked', () => {
    for (const level of [1, 6, 9]) {
      const out = gunzip(new Uint8Array(gzipSync(text, { level })), limits);
      expect(Buffer.from(out).equals(Buffer.from(text))).toBe(true);
    }
  });

  it('computes the IEEE CRC-32 (check value of "123456789" is 0xCBF43926)', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
  });

  it('accepts header extras (FNAME, FCOMMENT, FEXTRA, FHCRC)', () => {
    const plain = new Uint8Array(gzipSync(text));
    const name = new TextEncoder().encode('profile\0');
    const comment = new TextEncoder().encode('a comment\0');
    const extra = Uint8Array.from([4, 0, 1, 2, 3, 4]);
    const header = Uint8Array.from([...plain.subarray(0, 10)]);
    header[3] = 4 | 8 | 16 | 2;
    const withExtras = Buffer.concat([header, extra, name, comment, Uint8Array.from([0, 0]), plain.subarray(10)]);
    expect(Buffer.from(gunzip(new Uint8Array(withExtras), limits)).equals(Buffer.from(text))).toBe(true);
  });

  it('reports truncation, at every cut point, as a malformed "truncated gzip"', () => {
    const gz = new Uint8Array(gzipSync(text));
    for (const cut of [1, 5, 10, 11, 20, gz.length >> 1, gz.length - 9, gz.length - 4, gz.length - 1]) {
      expect(() => gunzip(gz.subarray(0, cut), limits)).toThrow(MalformedInputError);
      expect(() => gunzip(gz.subarray(0, cut), limits)).toThrow(/truncated gzip|corrupt gzip/);
    }
    expect(() => gunzip(gz.subarray(0, gz.length >> 1), limits)).toThrow(/^truncated gzip/);
  });

  it('tells a truncated input whose "trailer" claims a huge size from a really too large one', () => {
    const gz = new Uint8Array(gzipSync(text));
    const cut = gz.slice(0, gz.length >> 1);
    cut.set([0xff, 0xff, 0xff, 0x7f], cut.length - 4); // a garbage ISIZE of 2 GiB
    expect(() => gunzip(cut, limits)).toThrow(/^truncated gzip/);
    expect(() => gunzip(gz, { maxDecompressedBytes: 1000 })).toThrow(LimitExceededError);
    expect(() => gunzip(gz, { maxDecompressedBytes: 1000 })).toThrow(/decompressed size: .* exceeds the limit of 1000/);
  });

  it('rejects a corrupted CRC and a wrong declared size', () => {
    const gz = new Uint8Array(gzipSync(text));
    const badCrc = gz.slice();
    badCrc[badCrc.length - 8] ^= 0xff;
    expect(() => gunzip(badCrc, limits)).toThrow(/CRC-32 .* does not match/);
    const badSize = gz.slice();
    badSize[badSize.length - 4] ^= 0x01;
    expect(() => gunzip(badSize, limits)).toThrow(/corrupt gzip/);
  });

  it('rejects an unknown compression method', () => {
    const gz = new Uint8Array(gzipSync(text));
    gz[2] = 7;
    expect(() => gunzip(gz, limits)).toThrow(/unsupported gzip compression method 7/);
  });
});

import { randomBytes } from 'crypto';
import { readFileSync } from 'fs';
import { gzipSync } from 'zlib';
import { fixturePath, hasFixture } from '../../tests/support/fixtures';
import { LimitExceededError } from '../core/errors';
import { MalformedProfileError, parsePprof } from '../core/model/parsePprof';
import { topFunctions } from '../core/analysis/topTable';
import { nativeGunzip } from './nativeGunzip';

describe('nativeGunzip as the core gunzip', () => {
  (hasFixture('gc-pressure', 'cpu.pb.gz') ? it : it.skip)('decodes exactly what the built-in gunzip decodes', () => {
    const bytes = new Uint8Array(readFileSync(fixturePath('gc-pressure', 'cpu.pb.gz')));
    expect(topFunctions(parsePprof(bytes, { gunzip: nativeGunzip }))).toEqual(topFunctions(parsePprof(bytes)));
  });

  it('maps truncation, corruption and the size limit to the core errors', () => {
    const gz = new Uint8Array(gzipSync(randomBytes(20000)));
    expect(() => parsePprof(gz.subarray(0, 5000), { gunzip: nativeGunzip })).toThrow(MalformedProfileError);
    expect(() => parsePprof(gz.subarray(0, 5000), { gunzip: nativeGunzip })).toThrow(/^truncated gzip/);
    const corrupt = gz.slice();
    corrupt[corrupt.length - 6] ^= 0xff; // CRC
    expect(() => parsePprof(corrupt, { gunzip: nativeGunzip })).toThrow(/^corrupt gzip/);
    expect(() => parsePprof(gz, { gunzip: nativeGunzip, limits: { maxDecompressedBytes: 1000 } })).toThrow(
      LimitExceededError
    );
  });

  it('decodes the same bytes whatever size the gzip trailer declares: exact, several members, a wrong size', () => {
    const data = randomBytes(300_000);
    const whole = new Uint8Array(gzipSync(data));
    expect(Buffer.from(nativeGunzip(whole, 1e9)).equals(data)).toBe(true);
    // Two members: the trailer at the end declares only the second one's size.
    const twoMembers = new Uint8Array(
      Buffer.concat([gzipSync(data.subarray(0, 290_000)), gzipSync(data.subarray(290_000))])
    );
    expect(Buffer.from(nativeGunzip(twoMembers, 1e9)).equals(data)).toBe(true);
    // A trailer that lies about the size fails zlib's own length check, as before.
    const lying = whole.slice();
    lying[lying.length - 1] ^= 0x01;
    expect(() => nativeGunzip(lying, 1e9)).toThrow(/^corrupt gzip/);
    expect(() => nativeGunzip(whole, 1000)).toThrow(LimitExceededError);
  });
});

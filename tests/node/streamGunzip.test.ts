/**
 * The data source's gunzip on the platform's DecompressionStream (Node has the same WHATWG API as browsers): same
 * output as the core's, same limit, and on damaged input it hands over to the core for the precise typed error.
 */
import { readFileSync } from 'fs';
import { constants, deflateRawSync, gunzipSync } from 'zlib';

import { LimitExceededError } from '../../src/core/errors';
import { parsePprof } from '../../src/core/model/parsePprof';
import { gzipBomb } from '../../src/core/wire/testing/hostilePprof';
import { hasDecompressionStream, streamGunzip } from '../../src/datasource/transport/streamGunzip';
import { fixturePath } from '../support/fixtures';

describe('streamGunzip (DecompressionStream)', () => {
  const gz = new Uint8Array(readFileSync(fixturePath('normal-load', 'heap.pb.gz')));

  it('is available here, as in browsers', () => {
    expect(hasDecompressionStream()).toBe(true);
  });

  it('inflates a real profile to the same bytes as zlib, and passes non-gzip bytes through', async () => {
    const out = await streamGunzip(gz, 1 << 20);
    expect(Buffer.from(out!).equals(gunzipSync(gz))).toBe(true);
    const plain = new Uint8Array(gunzipSync(gz));
    expect(await streamGunzip(plain, 10)).toBe(plain);
    expect(parsePprof(out!).samples.count).toBe(parsePprof(gz).samples.count);
  });

  it('stops a 1 GiB gzip bomb at the limit with a typed error', async () => {
    const zero = new Uint8Array(
      deflateRawSync(new Uint8Array(64 << 20), { level: 9, finishFlush: constants.Z_SYNC_FLUSH })
    );
    const bomb = gzipBomb(zero, new Uint8Array(deflateRawSync(new Uint8Array(0))), 16, 0);
    const max = 8 << 20;
    let caught: unknown;
    try {
      await streamGunzip(bomb, max);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(LimitExceededError);
    expect((caught as LimitExceededError).limit.actual).toBeLessThan(max + (1 << 20));
  });

  it('leaves truncated or corrupt gzip to the core (undefined), whose error names it', async () => {
    const truncated = gz.subarray(0, gz.length >> 1);
    expect(await streamGunzip(truncated, 1 << 20)).toBeUndefined();
    expect(() => parsePprof(truncated)).toThrow(/truncated gzip/);
    const corrupt = gz.slice();
    corrupt[gz.length - 8] ^= 0xff; // CRC
    expect(await streamGunzip(corrupt, 1 << 20)).toBeUndefined();
    expect(() => parsePprof(corrupt)).toThrow(/CRC-32/);
  });
});

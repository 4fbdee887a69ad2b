import { gzipSync } from 'zlib';
import { parsePprof } from '../../model/parsePprof';
import { hostilePprof } from '../../wire/testing/hostilePprof';
import { snapshotFromProfile, stacksFromProfile } from './fromProfile';

describe('goroutine profile with a location of 150,000 inline lines', () => {
  it('is about 700 bytes gzipped and refused by the default lines-per-location limit', () => {
    const gz = new Uint8Array(gzipSync(hostilePprof('inline-lines', 150_000), { level: 9 }));
    expect(gz.length).toBeLessThan(2000);
    expect(() => parsePprof(gz)).toThrow(/lines in one location: 10001 exceeds the limit of 10000/);
  });

  it('expands into one stack of 150,000 frames, without overflowing the call stack, when the limit allows it', () => {
    const profile = parsePprof(hostilePprof('inline-lines', 150_000), { limits: { maxLinesPerLocation: 150_000 } });
    const stacks = stacksFromProfile(profile);
    expect(stacks).toHaveLength(1);
    expect(stacks[0].frames).toHaveLength(150_000);
    expect(stacks[0].frames[0]).toEqual({ func: 'main.deep', file: 'main.go', line: 7 });
    expect(snapshotFromProfile(profile).total).toBe(1);
  });
});

import { readFileSync } from 'fs';
import { join } from 'path';

import { fixturesRoot, loadManifest } from '../../../tests/support/fixtures';
import {
  contentionKindFromStacks,
  inferProfileKind,
  parseProfileTypeId,
  pprofFor,
  pprofProfile,
  PPROF_PROFILES,
  pyroscopeIdFor,
} from './goProfiles';
import { parsePprof } from './parsePprof';

const pprofCaptures = loadManifest().captures.filter((c) => c.format === 'pprof');

describe('Go profile facts', () => {
  it('tell every real pprof capture of the demo service by its content', () => {
    expect(pprofCaptures.length).toBeGreaterThan(50);
    for (const capture of pprofCaptures) {
      const profile = parsePprof(readFileSync(join(fixturesRoot, capture.file)));
      const kind = inferProfileKind(profile);
      if (capture.profile === 'mutex' || capture.profile === 'block') {
        // Identical sample types: without a hint it is only "contention"; the request's name decides.
        expect([capture.file, kind]).toEqual([capture.file, 'contention']);
        expect(inferProfileKind(profile, capture.profile)).toBe(capture.profile);
      } else {
        expect([capture.file, kind]).toEqual([capture.file, capture.profile]);
      }
    }
  });

  it('tell a mutex profile from a block profile by its stacks (mutex stacks end at an Unlock)', () => {
    const read = (scenario: string, file: string) =>
      parsePprof(readFileSync(join(fixturesRoot, 'demo', scenario, file)));
    expect(contentionKindFromStacks(read('mutex-contention', 'mutex.pb.gz'))).toBe('mutex');
    expect(contentionKindFromStacks(read('mutex-contention', 'block.pb.gz'))).toBe('block');
  });

  it('name the default sample type of each profile as Go writes it', () => {
    for (const capture of pprofCaptures.filter((c) => pprofProfile(c.profile))) {
      const profile = parsePprof(readFileSync(join(fixturesRoot, capture.file)));
      const info = pprofProfile(capture.profile)!;
      expect(profile.sampleTypes.map((t) => t.type).sort()).toEqual(
        capture.profile === 'goroutineleak' ? ['goroutineleak'] : [...info.sampleTypes].sort()
      );
    }
  });

  it('parse Pyroscope profile type IDs, with the optional delta part, and reject anything else', () => {
    expect(parseProfileTypeId('process_cpu:cpu:nanoseconds:cpu:nanoseconds')).toEqual({
      id: 'process_cpu:cpu:nanoseconds:cpu:nanoseconds',
      name: 'process_cpu',
      sampleType: 'cpu',
      sampleUnit: 'nanoseconds',
      periodType: 'cpu',
      periodUnit: 'nanoseconds',
    });
    expect(parseProfileTypeId('memory:alloc_space:bytes:space:bytes:delta')?.sampleType).toBe('alloc_space');
    for (const bad of ['cpu', 'a:b:c:d', 'a:b:c:d:e:f:g', 'a::c:d:e', 'a:b c:c:d:e']) {
      expect(parseProfileTypeId(bad)).toBeUndefined();
    }
  });

  it('map every pprof profile with a Pyroscope ID to that ID and back', () => {
    for (const info of PPROF_PROFILES) {
      for (const sampleType of info.sampleTypes) {
        const id = pyroscopeIdFor(info.name, sampleType);
        if (info.name === 'threadcreate') {
          expect(id).toBeUndefined();
          continue;
        }
        // One memory ID family serves heap and allocs: the sample type decides; goroutineleak has no ID of its own.
        const expected =
          info.name === 'heap' || info.name === 'allocs'
            ? sampleType.startsWith('alloc_')
              ? 'allocs'
              : 'heap'
            : info.name === 'goroutineleak'
              ? 'goroutine'
              : info.name;
        const back = pprofFor(id!);
        expect(back?.profile).toBe(expected);
        expect(back?.sampleType).toBe(sampleType);
      }
    }
    // Alloy names goroutines `goroutine`, the SDK `goroutines`: both are the goroutine profile.
    expect(pprofFor('goroutine:goroutine:count:goroutine:count')).toEqual({
      profile: 'goroutine',
      sampleType: 'goroutine',
    });
  });
});

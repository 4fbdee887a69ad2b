import { readFileSync } from 'fs';
import { join } from 'path';

import { buildCallTree, mergeProfiles, parsePprof, type Profile, snapshotFromText } from '../../core';
// Test helpers and table accessors the core's entry does not export.
// eslint-disable-next-line no-restricted-imports
import { renderTree } from '../../core/analysis/testing/treeText';
// eslint-disable-next-line no-restricted-imports
import { sampleTotal, sampleTypeIndex } from '../../core/model/profile';
import { fixturesRoot } from '../../../tests/support/fixtures';
import { CaptureStore } from './captureStore';
import { cumulativeDelta } from './delta';
import {
  consistentSnapshots,
  cpuWindow,
  cumulativeWindow,
  dumpSnapshots,
  goroutineSnapshots,
  snapshotWindow,
} from './windows';

const T = 1_800_000_000_000;
const fixture = (scenario: string, file: string) => readFileSync(join(fixturesRoot, 'demo', scenario, file));
const profile = (scenario: string, file: string): Profile => parsePprof(new Uint8Array(fixture(scenario, file)));
const tree = (p: Profile, sampleType?: string) => renderTree(buildCallTree(p, { sampleType }));
const limits = { maxAgeMs: 30 * 60_000, maxBytes: 64 * 1024 * 1024, maxCaptures: 4000 };

function cpuStore(scenarios: string[]): { store: CaptureStore; profiles: Profile[] } {
  const store = new CaptureStore(limits);
  const profiles = scenarios.map((s) => profile(s, 'cpu.pb.gz'));
  profiles.forEach((p, i) =>
    store.add(
      { type: 'profile', kind: 'cpu', from: T + i * 10_000, to: T + (i + 1) * 10_000, bytes: 1, costMs: 0, profile: p },
      T + 40_000
    )
  );
  return { store, profiles };
}

describe('CPU windows of a window', () => {
  it('merge exactly like merging the same captures with the core directly', () => {
    const { store, profiles } = cpuStore(['busy-select', 'clock-hot-path', 'gc-pressure']);
    const wp = cpuWindow(store, { from: T + 10_000, to: T + 30_000 });
    expect(wp.captures.map((c) => c.from - T)).toEqual([10_000, 20_000]);
    const direct = mergeProfiles([profiles[1], profiles[2]]);
    expect(tree(wp.profile!, 'cpu')).toEqual(tree(direct, 'cpu'));
    const cpu = sampleTypeIndex(direct, 'cpu');
    expect(sampleTotal(wp.profile!, cpu)).toBe(sampleTotal(profiles[1], cpu) + sampleTotal(profiles[2], cpu));
    expect(wp.coverage).toEqual({ coveredMs: 20_000, fraction: 1, span: { from: T + 10_000, to: T + 30_000 } });
  });

  it('a single covering capture is returned as it is, and an uncovered window has no profile', () => {
    const { store, profiles } = cpuStore(['busy-select', 'clock-hot-path']);
    expect(cpuWindow(store, { from: T, to: T + 10_000 }).profile).toBe(profiles[0]);
    const none = cpuWindow(store, { from: T + 60_000, to: T + 70_000 });
    expect(none.profile).toBeUndefined();
    expect(none.coverage.fraction).toBe(0);
  });
});

describe('cumulative profiles', () => {
  it('the difference of two reads is what was added between them (net/http/pprof delta semantics)', () => {
    // A cumulative profile that grows from `first` by `added` between two reads.
    const first = profile('idle', 'allocs.pb.gz');
    const added = profile('alloc-conversion', 'allocs.pb.gz');
    const later = mergeProfiles([first, added]);
    const delta = cumulativeDelta(later, first, { from: T, to: T + 30_000 });
    expect(tree(delta, 'alloc_space')).toEqual(tree(added, 'alloc_space'));
    expect(delta.durationNanos).toBe(30_000 * 1e6);
    expect(cumulativeDelta(first, first, { from: T, to: T + 1 }).samples.count).toBe(0);
  });

  it('a window is read as the difference of its first and last read', () => {
    const store = new CaptureStore(limits);
    const a = profile('idle', 'mutex.pb.gz');
    const b = mergeProfiles([a, profile('mutex-contention', 'mutex.pb.gz')]);
    const c = mergeProfiles([b, profile('rwmutex-churn', 'mutex.pb.gz')]);
    [a, b, c].forEach((p, i) =>
      store.add(
        { type: 'profile', kind: 'mutex', from: T + i * 30_000, to: T + i * 30_000, bytes: 1, costMs: 3, profile: p },
        T + 60_000
      )
    );
    const wp = cumulativeWindow(store, 'mutex', { from: T + 20_000, to: T + 70_000 });
    expect(wp.captures.map((x) => x.to - T)).toEqual([30_000, 60_000]);
    expect(tree(wp.profile!, 'delay')).toEqual(tree(profile('rwmutex-churn', 'mutex.pb.gz'), 'delay'));
    expect(cumulativeWindow(store, 'mutex', { from: T + 50_000, to: T + 70_000 }).profile).toBeUndefined();
    expect(snapshotWindow(store, 'mutex', { from: T, to: T + 40_000 }).profile).toBe(b);
  });
});

describe('goroutine snapshots', () => {
  it('gives every dump in the window and proto profiles only where no dump is near', () => {
    const store = new CaptureStore(limits);
    const dump = (t: number, file: string) => {
      const text = fixture('goroutine-leak', file).toString('utf8');
      store.add(
        { type: 'dump', kind: 'dump', from: t, to: t, bytes: text.length, costMs: 4, snapshot: snapshotFromText(text) },
        T + 60_000
      );
    };
    dump(T, 'goroutine.debug2.txt');
    dump(T + 30_000, 'goroutine.later.debug2.txt');
    for (const t of [0, 5, 10, 15, 20, 25, 30]) {
      store.add(
        {
          type: 'profile',
          kind: 'goroutine',
          from: T + t * 1000,
          to: T + t * 1000,
          bytes: 1,
          costMs: 1,
          profile: profile('goroutine-leak', 'goroutine.pb.gz'),
        },
        T + 60_000
      );
    }
    const snaps = goroutineSnapshots(store, { from: T, to: T + 30_000 }, 5000);
    expect(snaps.map((s) => [(s.time - T) / 1000, s.snapshot.source])).toEqual([
      [0, 'debug=2'],
      [5, 'profile'],
      [10, 'profile'],
      [15, 'profile'],
      [20, 'profile'],
      [25, 'profile'],
      [30, 'debug=2'],
    ]);
    expect(dumpSnapshots(store, { from: T + 1, to: T + 30_000 })).toHaveLength(1);
    expect(snaps[6].snapshot.total).toBeGreaterThan(snaps[0].snapshot.total);
    // Growth and findings read one source: the dumps while they are current, the proto profiles once the newest dump
    // is more than a count interval older than the newest profile.
    expect(consistentSnapshots(store, { from: T, to: T + 30_000 }, 5000).map((x) => x.snapshot.source)).toEqual([
      'debug=2',
      'debug=2',
    ]);
    store.add(
      {
        type: 'profile',
        kind: 'goroutine',
        from: T + 40_000,
        to: T + 40_000,
        bytes: 1,
        costMs: 1,
        profile: profile('goroutine-leak', 'goroutine.later.pb.gz'),
      },
      T + 60_000
    );
    const current = consistentSnapshots(store, { from: T, to: T + 40_000 }, 5000);
    expect(new Set(current.map((x) => x.snapshot.source))).toEqual(new Set(['profile']));
    expect(current).toHaveLength(8);
  });
});

describe('bounds', () => {
  it('evicts the oldest captures beyond the age limit and counts what it holds', () => {
    const store = new CaptureStore({ ...limits, maxAgeMs: 25_000 });
    const { profiles } = cpuStore(['idle']);
    for (let i = 0; i < 5; i++) {
      store.add(
        {
          type: 'profile',
          kind: 'cpu',
          from: T + i * 10_000,
          to: T + (i + 1) * 10_000,
          bytes: 400,
          costMs: 0,
          profile: profiles[0],
        },
        T + (i + 1) * 10_000
      );
    }
    const stats = store.stats();
    expect(stats.captures).toBe(3);
    expect(store.evicted).toBe(2);
    expect(stats.oldest).toBe(T + 20_000);
    expect(stats.heldBytes).toBeGreaterThan(3 * profiles[0].samples.values.byteLength);
  });
});

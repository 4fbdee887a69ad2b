/**
 * Goroutine analysis on the real captures of the demo service (fixtures/, `npm run fixtures`): every scenario, every
 * goroutine format (debug=2, debug=1, proto).
 */
import {
  fixtureScenarios,
  hasFixture,
  loadManifest,
  readFixtureBytes,
  readFixtureText,
} from '../../../../tests/support/fixtures';
import { parsePprof } from '../../model/parsePprof';
import { GOROUTINE_STATES } from '../../model/goroutineState';
import { unbuiltDumpRecords, validateSnapshot, type GoroutineSnapshot } from '../../model/goroutineSnapshot';
import { parseGoroutineDump } from '../../wire/goroutineDump';
import { clusterGoroutines } from './cluster';
import { snapshotFromProfile } from './fromProfile';
import { snapshotFromText } from './fromText';
import { countByState } from './series';

const LEAK_FUNCTION = 'github.com/seed/goruntime-demo/internal/scenarios.leakedResultSender';

function snapshotOf(scenario: string, file: string): GoroutineSnapshot {
  return file.endsWith('.pb.gz')
    ? snapshotFromProfile(parsePprof(readFixtureBytes(scenario, file)))
    : snapshotFromText(readFixtureText(scenario, file));
}

function goroutineFiles(scenario: string): string[] {
  return loadManifest()
    .captures.filter((c) => c.scenario === scenario && c.profile === 'goroutine')
    .map((c) => c.file.split('/').pop()!);
}

const scenarios = fixtureScenarios();

describe('goroutine snapshots of every demo scenario', () => {
  it('has the fixtures', () => {
    expect(scenarios).toEqual(expect.arrayContaining(['idle', 'goroutine-leak', 'mutex-contention', 'syscall-heavy']));
  });

  describe.each(scenarios)('%s', (scenario) => {
    it('parses every goroutine capture; states sum to the total; clusters sum to the total', () => {
      const files = goroutineFiles(scenario);
      expect(files.length).toBeGreaterThanOrEqual(2);
      for (const file of files) {
        const s = snapshotOf(scenario, file);
        expect(validateSnapshot(s)).toEqual([]);
        expect(s.total).toBeGreaterThan(0);
        const byState = countByState(s);
        expect(GOROUTINE_STATES.reduce((n, st) => n + byState[st], 0)).toBe(s.total);
        const clusters = clusterGoroutines(s).clusters;
        expect(clusters.reduce((n, c) => n + c.count, 0)).toBe(s.total);
        expect(s.truncated).toBe(false);
        expect(s.warnings).toEqual([]);
        if (file.endsWith('debug2.txt')) {
          // Exact states from the headers: nothing unknown, nothing skipped, one record per header.
          const text = readFixtureText(scenario, file);
          expect(s.total).toBe(text.match(/^goroutine \d+ \[/gm)!.length);
          expect(s.skippedLines).toBe(0);
          expect(byState.other).toBe(0);
          expect(s.unclassified).toBe(0);
        }
        if (file.endsWith('.pb.gz')) {
          // Inference from proto stacks: at most the odd stack nobody could name (one caught between two waits
          // inside user code, say), never a whole group. Empty stacks, of goroutines that have not run yet, cannot be
          // named at all: runnable-backlog's capture holds 16, spawned in a burst and still queued.
          const unclassified = s.records.filter((r) => r.basis === 'unclassified');
          expect(unclassified.reduce((n, r) => n + r.count, 0)).toBe(s.unclassified);
          const named = unclassified.filter((r) => r.frames.length > 0);
          expect(named.reduce((n, r) => n + r.count, 0)).toBeLessThanOrEqual(2);
          expect(s.unclassified).toBeLessThan(s.total / 4);
          expect(byState.running).toBe(1);
        }
      }
    });
  });
});

describe('debug=2 snapshots cluster the same whether their records were built or not', () => {
  const dumps = loadManifest().captures.filter((c) => c.file.endsWith('debug2.txt'));

  it.each(dumps.map((c) => [c.scenario, c.file.split('/').pop()!]))('%s %s', (scenario, file) => {
    const text = readFixtureText(scenario, file);
    const unread = snapshotFromText(text);
    expect(unbuiltDumpRecords(unread)).toBeDefined();
    // Clustering reads the goroutines and leaves the records unbuilt.
    const fromGoroutines = clusterGoroutines(unread);
    expect(unbuiltDumpRecords(unread)).toBeDefined();
    const read = snapshotFromText(text);
    const records = read.records;
    expect(unbuiltDumpRecords(read)).toBeUndefined();
    expect(read.records).toBe(records);
    const fromRecords = clusterGoroutines(read);
    expect(fromGoroutines).toEqual(fromRecords);
    // Built late, the records are what they would have been, and serialise in the same place among the keys.
    expect(JSON.stringify(unread)).toBe(JSON.stringify(read));
    expect(Object.keys(unread)).toEqual(Object.keys(read));
  });
});

describe('goroutine-leak scenario', () => {
  const leakCaptures = () =>
    loadManifest().captures.filter(
      (c) => c.scenario === 'goroutine-leak' && c.profile === 'goroutine' && c.spawned !== undefined
    );

  it("the leak cluster's count equals what the service reports it spawned, in every format and capture", () => {
    const captures = leakCaptures();
    expect(captures.map((c) => c.file.split('/').pop())).toEqual(
      expect.arrayContaining(['goroutine.debug2.txt', 'goroutine.later.debug2.txt', 'goroutine.pb.gz'])
    );
    for (const c of captures) {
      const file = c.file.split('/').pop()!;
      const s = snapshotOf('goroutine-leak', file);
      const clusters = clusterGoroutines(s).clusters.filter((k) => k.function === LEAK_FUNCTION);
      expect({ file, clusters: clusters.length }).toEqual({ file, clusters: 1 });
      const leak = clusters[0];
      expect({ file, count: leak.count }).toEqual({ file, count: c.spawned });
      if (!file.endsWith('debug1.txt')) {
        // (debug=1 hides the runtime frames that tell a channel send: it stays unclassified, tested below.)
        expect(leak.state).toBe('chan-send');
        expect(leak.reason).toBe('chan send');
      }
      // Other goroutines exist too (HTTP server, scenario runner): the leak is one cluster among several.
      expect(s.total).toBeGreaterThan(leak.count);
      if (file.endsWith('debug2.txt')) {
        expect(leak.createdBy).toBe('github.com/seed/goruntime-demo/internal/scenarios.fetchWithAbandonedResult');
        // It is the largest cluster and its creation site is the largest group.
        const all = clusterGoroutines(s);
        expect(all.clusters[0].function).toBe(LEAK_FUNCTION);
        expect(all.byCreationSite[0].createdBy).toBe(leak.createdBy);
      }
    }
  });
});

describe('mutex scenarios', () => {
  it('mutex-contention: goroutines waiting in sync.Mutex.Lock land in the mutex state', () => {
    const dump = parseGoroutineDump(readFixtureText('mutex-contention', 'goroutine.debug2.txt'));
    const s = snapshotFromText(readFixtureText('mutex-contention', 'goroutine.debug2.txt'));
    // Waiters: parked in Lock (header `sync.Mutex.Lock`) or woken from its semaphore and not yet run (header
    // `runnable`, leaf `runtime_SemacquireMutex`); both are contending for the lock.
    const waiters = s.records.filter(
      (r) => r.frames.some((f) => f.func === 'sync.(*Mutex).Lock') && /SemacquireMutex$/.test(r.frames[0].func)
    );
    expect(waiters.length).toBeGreaterThanOrEqual(8);
    expect(waiters.every((r) => r.state === 'mutex')).toBe(true);
    expect(waiters.every((r) => r.reason === 'sync.Mutex.Lock' || r.reason === 'runnable')).toBe(true);
    expect(countByState(s).mutex).toBe(waiters.length);
    expect(countByState(s).mutex).toBeGreaterThanOrEqual(
      dump.goroutines.filter((g) => g.header.status === 'sync.Mutex.Lock').length
    );
    const top = clusterGoroutines(s).clusters.find((c) => c.state === 'mutex')!;
    expect(top.function).toBe('github.com/seed/goruntime-demo/internal/scenarios.lockedLedgerUpdate');

    // The proto profile of the same scenario, with states inferred from runtime frames.
    const p = snapshotFromProfile(parsePprof(readFixtureBytes('mutex-contention', 'goroutine.pb.gz')));
    const inferred = p.records.filter((r) => r.frames.some((f) => f.func === 'sync.(*Mutex).Lock'));
    expect(inferred.length).toBeGreaterThan(0);
    expect(inferred.every((r) => r.state === 'mutex' && r.basis === 'frames')).toBe(true);
  });

  it('rwmutex-churn: readers queued in RLock land in the mutex state', () => {
    for (const file of ['goroutine.debug2.txt', 'goroutine.pb.gz']) {
      const s = snapshotOf('rwmutex-churn', file);
      const readers = s.records.filter((r) => r.frames.some((f) => f.func === 'sync.(*RWMutex).RLock'));
      expect(readers.length).toBeGreaterThan(0);
      expect(readers.every((r) => r.state === 'mutex' && r.reason === 'sync.RWMutex.RLock')).toBe(true);
    }
  });
});

describe('other scenarios show their signature state', () => {
  it('syscall-heavy: the byte writers sit in syscall', () => {
    for (const file of ['goroutine.debug2.txt', 'goroutine.pb.gz']) {
      const s = snapshotOf('syscall-heavy', file);
      const writers = s.records.filter((r) => r.frames.some((f) => f.func.endsWith('scenarios.unbufferedByteWriter')));
      expect(writers.reduce((n, r) => n + r.count, 0)).toBeGreaterThanOrEqual(2);
      expect(countByState(s).syscall).toBeGreaterThanOrEqual(2);
    }
  });

  it('runnable-backlog: most goroutines are runnable', () => {
    for (const file of ['goroutine.debug2.txt', 'goroutine.pb.gz']) {
      const s = snapshotOf('runnable-backlog', file);
      expect(countByState(s).runnable).toBeGreaterThan(s.total / 2);
    }
  });

  it('debug=1 text agrees with itself and marks hidden-runtime stacks unclassified rather than guessing', () => {
    if (!hasFixture('goroutine-leak', 'goroutine.debug1.txt')) {
      return;
    }
    const s = snapshotOf('goroutine-leak', 'goroutine.debug1.txt');
    const leak = s.records.filter((r) => r.frames[0]?.func === LEAK_FUNCTION);
    expect(leak).toHaveLength(1);
    // chan send parks in hidden runtime frames: debug=1 cannot tell the state.
    expect(leak[0].basis).toBe('unclassified');
  });
});

describe('Go 1.26 goroutineleak profile (demo built with GOEXPERIMENT=goroutineleakprofile)', () => {
  const scenario = 'goroutine-leak-goexperiment';
  const captures = () =>
    loadManifest().captures.filter((c) => c.scenario === scenario && c.profile === 'goroutineleak');

  it('marks exactly the leaked goroutines, in every format', () => {
    const found = captures();
    expect(found.map((c) => c.file.split('/').pop()).sort()).toEqual([
      'goroutineleak.debug1.txt',
      'goroutineleak.debug2.txt',
      'goroutineleak.pb.gz',
    ]);
    for (const c of found) {
      const file = c.file.split('/').pop()!;
      const s = snapshotOf(scenario, file);
      expect(s.profile).toBe('goroutineleak');
      const leak = clusterGoroutines(s).clusters.find((k) => k.function === LEAK_FUNCTION)!;
      expect({ file, count: leak.count, leaked: leak.leaked }).toEqual({ file, count: c.spawned, leaked: c.spawned });
      if (file.endsWith('debug2.txt')) {
        // debug=2 of goroutineleak is the full dump; only the leaked ones carry "(leaked)".
        expect(s.total).toBeGreaterThan(c.spawned!);
        expect(s.records.filter((r) => r.leaked).length).toBe(c.spawned);
        expect(leak.state).toBe('chan-send');
      } else {
        // debug=0/1 list only the leaked goroutines.
        expect(s.total).toBe(c.spawned);
      }
    }
  });
});

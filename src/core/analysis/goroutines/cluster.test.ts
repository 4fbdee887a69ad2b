import { parseGoroutineDump } from '../../wire/goroutineDump';
import { snapshotFromDump } from '../../model/goroutineSnapshot';
import { clusterGoroutines, clusterName } from './cluster';
import { snapshotFromStacks } from './fromStacks';

const frame = (func: string, site = 0) => ({ func, file: '/x.go', line: 1, site });

describe('clusterName', () => {
  it('names a cluster by the first frame outside the runtime and the standard library', () => {
    expect(clusterName([frame('sync.runtime_SemacquireMutex'), frame('sync.(*Mutex).Lock'), frame('github.com/a/b.Worker'), frame('main.main')])).toBe(
      'github.com/a/b.Worker'
    );
    expect(clusterName([frame('panic'), frame('gopkg.in/yaml%2ev3.(*parser).parse'), frame('main.f')])).toBe('gopkg.in/yaml%2ev3.(*parser).parse');
  });

  it('falls back to the first non-runtime frame, then the leaf', () => {
    expect(clusterName([frame('internal/poll.runtime_pollWait'), frame('net/http.(*conn).serve')])).toBe('internal/poll.runtime_pollWait');
    expect(clusterName([frame('runtime.gopark'), frame('runtime.forcegchelper')])).toBe('runtime.gopark');
    expect(clusterName([])).toBe('(no frames)');
  });
});

const DUMP = [
  'goroutine 10 [chan send, 3 minutes]:',
  'main.leak(0xc000010000, 0x1)',
  '\t/app/main.go:10 +0x1d',
  'created by main.spawn in goroutine 1',
  '\t/app/main.go:20 +0x2e',
  '',
  'goroutine 11 [chan send, 7 minutes]:',
  'main.leak(0xc000010100, 0x2)',
  '\t/app/main.go:10 +0x1d',
  'created by main.spawn in goroutine 1',
  '\t/app/main.go:20 +0x2e',
  '',
  'goroutine 12 [chan send]:',
  'main.leak(0xc000010200, 0x3)',
  '\t/app/main.go:10 +0x1d',
  'created by main.spawn in goroutine 1',
  '\t/app/main.go:21 +0x3e',
  '',
  'goroutine 13 [chan receive]:',
  'main.leak(0xc000010200, 0x3)',
  '\t/app/main.go:10 +0x1d',
  'created by main.spawn in goroutine 1',
  '\t/app/main.go:20 +0x2e',
  '',
  'goroutine 14 [chan send (leaked), locked to thread]:',
  'main.leak(0xc000010300, 0x4)',
  '\t/app/main.go:10 +0x1d',
  'created by main.spawn in goroutine 1',
  '\t/app/main.go:20 +0x2e',
  '',
].join('\n');

describe('clusterGoroutines', () => {
  it('groups by reason, stack and creation site, ignoring argument values; deterministic order', () => {
    const result = clusterGoroutines(snapshotFromDump(parseGoroutineDump(DUMP)));
    expect(result.total).toBe(5);
    expect(result.clusters.map((c) => [c.count, c.reason, c.creationSite, c.sampleIds])).toEqual([
      [3, 'chan send', 'main.spawn /app/main.go:20', [10, 11, 14]],
      [1, 'chan receive', 'main.spawn /app/main.go:20', [13]],
      [1, 'chan send', 'main.spawn /app/main.go:21', [12]],
    ]);
    const top = result.clusters[0];
    expect(top).toMatchObject({ state: 'chan-send', function: 'main.leak', createdBy: 'main.spawn', waitMinutes: { min: 0, max: 7 }, leaked: 1, lockedToThread: 1 });
    expect(result.byCreationSite.map((g) => [g.creationSite, g.count, g.clusters.length])).toEqual([
      ['main.spawn /app/main.go:20', 4, 2],
      ['main.spawn /app/main.go:21', 1, 1],
    ]);
  });

  it('keeps neighbours with the same frames apart when only the elision differs', () => {
    const goroutine = (id: number, elided: boolean) =>
      [
        `goroutine ${id} [chan send]:`,
        'main.leak(0xc000010000, 0x1)',
        '\t/app/main.go:10 +0x1d',
        ...(elided ? ['...additional frames elided...'] : []),
        'created by main.spawn in goroutine 1',
        '\t/app/main.go:20 +0x2e',
        '',
      ].join('\n');
    const text = [goroutine(20, false), goroutine(21, true), goroutine(22, true), goroutine(23, false)].join('\n');
    const snapshot = snapshotFromDump(parseGoroutineDump(text));
    // The same frames array for all four (one stack in the parser's trie): only the elision tells them apart.
    expect(snapshot.records[0].frames).toBe(snapshot.records[1].frames);
    const fresh = snapshotFromDump(parseGoroutineDump(text));
    for (const s of [snapshot, fresh]) {
      expect(clusterGoroutines(s).clusters.map((c) => [c.count, c.sampleIds, c.key.endsWith('...\ncreated by main.spawn /app/main.go:20')])).toEqual([
        [2, [21, 22], true],
        [2, [20, 23], false],
      ]);
    }
  });

  it('keeps the smallest member ids as samples', () => {
    const reversed = DUMP.split('\n\n').reverse().join('\n\n');
    const snapshot = snapshotFromDump(parseGoroutineDump(reversed));
    expect(clusterGoroutines(snapshot, { sampleIds: 2 }).clusters[0].sampleIds).toEqual([10, 11]);
    expect(clusterGoroutines(snapshot, { sampleIds: 0 }).clusters[0].sampleIds).toEqual([]);
  });

  it('gives the same keys for the same code in another snapshot', () => {
    const a = clusterGoroutines(snapshotFromDump(parseGoroutineDump(DUMP)));
    const b = clusterGoroutines(snapshotFromDump(parseGoroutineDump(DUMP.split('\n\n').reverse().join('\n\n'))));
    expect(b.clusters.map((c) => c.key).sort()).toEqual(a.clusters.map((c) => c.key).sort());
    expect(b.clusters.map((c) => c.key)).toEqual(a.clusters.map((c) => c.key));
  });

  it('clusters aggregated stacks by their counts', () => {
    const s = snapshotFromStacks(
      [
        { frames: [{ func: 'runtime.gopark' }, { func: 'runtime.chansend1' }, { func: 'main.leak' }], count: 40 },
        { frames: [{ func: 'runtime.gopark' }, { func: 'runtime.chansend1' }, { func: 'main.leak' }], count: 2 },
        { frames: [{ func: 'runtime.gopark' }, { func: 'runtime.selectgo' }, { func: 'main.loop' }], count: 3 },
      ],
      { source: 'profile' }
    );
    expect(clusterGoroutines(s).clusters.map((c) => [c.count, c.reason, c.function])).toEqual([
      [42, 'chan send', 'main.leak'],
      [3, 'select', 'main.loop'],
    ]);
  });

  it('keeps clusters apart on hash collisions (many distinct stacks)', () => {
    const stacks = Array.from({ length: 5000 }, (_, i) => ({ frames: [{ func: `main.f${i % 2500}` }, { func: `main.g${i % 7}` }], count: 1 }));
    const result = clusterGoroutines(snapshotFromStacks(stacks, { source: 'profile' }));
    const distinct = new Set(stacks.map((s) => s.frames.map((f) => f.func).join('|'))).size;
    expect(result.clusters).toHaveLength(distinct);
    expect(result.clusters.reduce((n, c) => n + c.count, 0)).toBe(5000);
  });
});

import { readFixtureBytes, readFixtureText } from '../../../../tests/support/fixtures';
import { parsePprof } from '../../model/parsePprof';
import type { Profile } from '../../model/profile';
import { gatherFromPprof, gatherFromStore, type PprofFetcher, type StoredProfileKind } from './gather';
import type { TimeWindow } from './types';

const encoder = new TextEncoder();
const INDEX = readFixtureText('.', 'pprof-index.html');
const LEAK_ROW = "<tr><td>0</td><td><a href='goroutineleak?debug=1'>goroutineleak</a></td></tr>\n";

/** A target serving the goroutine-leak fixtures; every request advances the clock by 1 s. */
function fakeTarget(options: { index?: string; failing?: string[] } = {}) {
  const calls: string[] = [];
  let clock = 1_000_000;
  const bodies: Record<string, () => Uint8Array> = {
    '': () => encoder.encode(options.index ?? INDEX),
    goroutine: () => encoder.encode(readFixtureText('goroutine-leak', 'goroutine.debug2.txt')),
    goroutineleak: () => encoder.encode(readFixtureText('goroutine-leak-goexperiment', 'goroutineleak.debug2.txt')),
    profile: () => readFixtureBytes('goroutine-leak', 'cpu.pb.gz'),
    allocs: () => readFixtureBytes('goroutine-leak', 'allocs.pb.gz'),
    mutex: () => readFixtureBytes('goroutine-leak', 'mutex.pb.gz'),
    block: () => readFixtureBytes('goroutine-leak', 'block.pb.gz'),
    heap: () => readFixtureBytes('goroutine-leak', 'heap.pb.gz'),
  };
  const fetcher: PprofFetcher = {
    now: () => (clock += 1000),
    async get(path) {
      calls.push(path);
      const name = path.split('?')[0];
      if (options.failing?.includes(name)) {
        throw new Error('HTTP 404 (profile not found)');
      }
      return bodies[name]();
    },
  };
  return { fetcher, calls };
}

describe('gatherFromPprof', () => {
  it('reads a dump, then the CPU profile and the deltas over the window in parallel, then a dump and the heap', async () => {
    const { fetcher, calls } = fakeTarget();
    const { profiles, missing } = await gatherFromPprof(fetcher, { seconds: 3 });
    expect(missing).toEqual([]);
    expect(calls).toEqual([
      '',
      'goroutine?debug=2',
      'profile?seconds=3',
      'allocs?seconds=3',
      'mutex?seconds=3',
      'block?seconds=3',
      'goroutine?debug=2',
      'heap',
    ]);
    expect(profiles.cpu?.sampleTypes.map((t) => t.type)).toEqual(['samples', 'cpu']);
    expect(profiles.goroutines).toHaveLength(2);
    expect(profiles.goroutines![0].snapshot.source).toBe('debug=2');
    expect(profiles.window!.to).toBeGreaterThan(profiles.window!.from);
  });

  it('reads the end dump from goroutineleak when the target offers it (Go 1.26 experiment)', async () => {
    const { fetcher, calls } = fakeTarget({ index: INDEX.replace('<tr>', `${LEAK_ROW}<tr>`) });
    const { profiles } = await gatherFromPprof(fetcher, { seconds: 2 });
    expect(calls).toContain('goroutineleak?debug=2');
    const last = profiles.goroutines![1].snapshot;
    expect(last.profile).toBe('goroutineleak');
    expect(last.records.some((r) => r.leaked)).toBe(true);
  });

  it('names what it could not read and keeps the rest', async () => {
    const { fetcher } = fakeTarget({ failing: ['block', 'heap', ''] });
    const { profiles, missing } = await gatherFromPprof(fetcher, {
      seconds: 2,
      source: 'http://svc:6060/debug/pprof/',
    });
    expect(missing).toEqual(['block: HTTP 404 (profile not found)', 'heap: HTTP 404 (profile not found)']);
    expect(profiles.block).toBeUndefined();
    expect(profiles.cpu).toBeDefined();
  });

  it("reports bytes that are not a profile as missing with the decoder's reason", async () => {
    const { fetcher } = fakeTarget();
    const get = fetcher.get;
    fetcher.get = async (path) => (path.startsWith('mutex') ? encoder.encode('<html>login</html>') : get(path));
    const { missing } = await gatherFromPprof(fetcher, { seconds: 1, source: 'http://svc/debug/pprof' });
    expect(missing).toHaveLength(1);
    expect(missing[0]).toMatch(/^mutex: .*HTML/);
  });
});

describe('gatherFromStore', () => {
  it('merges each profile type over the window and reads goroutines from short slices spread over it', async () => {
    const asked: Array<[StoredProfileKind, TimeWindow]> = [];
    const profile = (file: string): Profile => parsePprof(readFixtureBytes('goroutine-leak', file));
    const source = {
      async merged(kind: StoredProfileKind, window: TimeWindow) {
        asked.push([kind, window]);
        if (kind === 'block') {
          throw new Error('no block profiles stored');
        }
        return kind === 'goroutine'
          ? profile('goroutine.pb.gz')
          : kind === 'mutex'
            ? undefined
            : profile(`${kind === 'allocs' ? 'allocs' : kind}.pb.gz`);
      },
    };
    const window = { from: 0, to: 600_000 };
    const { profiles, missing } = await gatherFromStore(source, window);
    expect(missing).toEqual(['block: no block profiles stored']);
    expect(asked.filter(([k]) => k !== 'goroutine').every(([, w]) => w === window)).toBe(true);
    expect(asked.filter(([k]) => k === 'goroutine').map(([, w]) => w)).toEqual([
      { from: 135_000, to: 150_000 },
      { from: 285_000, to: 300_000 },
      { from: 435_000, to: 450_000 },
      { from: 585_000, to: 600_000 },
    ]);
    expect(profiles.goroutines!.map((g) => g.time)).toEqual([150_000, 300_000, 450_000, 600_000]);
    expect(profiles.mutex).toBeUndefined();
    expect(profiles.cpu).toBeDefined();
  });
});

import { readFileSync } from 'fs';
import { join } from 'path';

import { fixturesRoot } from '../../../../tests/support/fixtures';
import { snapshotFromText } from '../goroutines/fromText';
import { diagnose } from './runner';
import { snapshot, type DumpGroup } from './testing/builders';
import { THRESHOLDS } from './thresholds';
import type { DiagnosisInputs, Finding } from './types';

const stuck = (inputs: DiagnosisInputs) => diagnose(inputs, { only: ['stuck-lock'] });
const contention = (inputs: DiagnosisInputs) => diagnose(inputs, { only: ['mutex-contention'] });

const LOCK_FRAMES = [
  'internal/sync.runtime_SemacquireMutex',
  'internal/sync.(*Mutex).lockSlow',
  'internal/sync.(*Mutex).Lock',
  'sync.(*Mutex).Lock',
];
const WAITERS: DumpGroup = {
  count: 12,
  reason: 'sync.Mutex.Lock',
  frames: [...LOCK_FRAMES, 'main.apply', 'main.serve'],
  createdBy: 'main.start',
};
/** Inside main.apply at another line than its Lock call (the builder numbers lines by depth): past the lock. */
const HOLDER: DumpGroup = {
  count: 1,
  reason: 'chan receive',
  frames: ['main.awaitReply', 'main.apply', 'main.serve'],
  createdBy: 'main.start',
};

describe('stuck-lock thresholds', () => {
  const fires = THRESHOLDS.stuckLockMinutes.value;
  const critical = THRESHOLDS.stuckLockCriticalMinutes.value;
  const dump = (minutes: number) => ({
    goroutines: [
      snapshot([
        { ...WAITERS, minutes },
        { ...HOLDER, minutes },
      ]),
    ],
  });

  it('fires at stuckLockMinutes of waiting at one lock, critical at stuckLockCriticalMinutes', () => {
    expect(stuck(dump(fires - 1))).toEqual([]);
    expect(stuck(dump(fires))).toMatchObject([{ id: 'stuck-lock', layer: 2, severity: 'warning' }]);
    expect(stuck(dump(critical - 1))).toMatchObject([{ severity: 'warning' }]);
    expect(stuck(dump(critical))).toMatchObject([{ severity: 'critical' }]);
  });

  it('takes the waiters from mutex-contention: below the threshold they are a queue, from it a stuck lock', () => {
    expect(contention(dump(fires - 1))).toMatchObject([
      { id: 'mutex-contention', title: 'Lock contention in main.apply' },
    ]);
    expect(contention(dump(fires))).toEqual([]);
  });

  it('names the goroutine past the Lock call in the same function as the likely holder', () => {
    const [f] = stuck(dump(critical));
    expect(f.summary).toContain(
      `12 goroutines wait at the sync.Mutex.Lock in main.apply (main.go:14), the longest for ${critical} minutes`
    );
    expect(f.summary).toMatch(/Goroutine 13 \[chan receive, \d+ minutes\] is inside main\.apply at main\.go:11/);
    expect(f.evidence.stacks?.[1]).toEqual(HOLDER.frames);
  });

  it('gives waiters at different locks (call sites) a finding each, also two locks in one function', () => {
    /** Waiters per stuck-lock finding when WAITERS and `other` have waited `fires` minutes. */
    const waitersBeside = (other: DumpGroup) =>
      stuck({
        goroutines: [
          snapshot([
            { ...WAITERS, minutes: fires },
            { ...other, minutes: fires },
          ]),
        ],
      })
        .map((f) => f.evidence.numbers[0].value)
        .sort((a, b) => a - b);
    expect(waitersBeside({ ...WAITERS, count: 3, frames: [...LOCK_FRAMES, 'main.flush', 'main.serve'] })).toEqual([
      3, 12,
    ]);
    // The same function taking a second lock at another line (the builder numbers lines by stack depth).
    expect(
      waitersBeside({ ...WAITERS, count: 3, frames: [...LOCK_FRAMES.slice(1), 'main.apply', 'main.serve'] })
    ).toEqual([3, 12]);
  });

  it('does not call a long lock wait a goroutine leak', () => {
    const pile = { ...WAITERS, count: THRESHOLDS.leakPileMin.value, minutes: THRESHOLDS.leakLongWaitMinutes.value };
    const found = diagnose({ goroutines: [snapshot([pile])] });
    expect(found.map((f) => f.id)).toEqual(['stuck-lock']);
  });
});

/**
 * fixtures/stuck-lock/stuck-lock.txt: the goroutine dump of fixtures/stuck-lock/stuck-lock.go after 16 minutes
 * (see the README there). Three locks are stuck, one (counter.mu) is only contended.
 */
describe('stuck-lock on a real dump after 16 minutes', () => {
  const text = readFileSync(join(fixturesRoot, 'stuck-lock', 'stuck-lock.txt'), 'utf8');
  const inputs: DiagnosisInputs = { goroutines: [{ time: 0, snapshot: snapshotFromText(text) }] };
  const found = diagnose(inputs);
  const at = (func: string): Finding => {
    const f = found.find((x) => x.id === 'stuck-lock' && x.title.endsWith(` in ${func}`));
    expect(f).toBeDefined();
    return f!;
  };

  it('finds each stuck lock once: ledger (apply), cache (refresh), config readers (get)', () => {
    expect(found.filter((f) => f.id === 'stuck-lock').map((f) => f.title.replace(/\d+ minutes/, 'N minutes'))).toEqual(
      expect.arrayContaining([
        'Lock not released for N minutes in main.apply',
        'Lock not released for N minutes in main.refresh',
        'Lock not released for N minutes in main.get',
      ])
    );
    expect(found.filter((f) => f.id === 'stuck-lock')).toHaveLength(3);
  });

  it('shows the ledger holder waiting for its confirmation inside apply', () => {
    const f = at('main.apply');
    expect(f.severity).toBe('critical');
    // 20 apply() calls, and the refresh() that holds the cache lock.
    expect(f.evidence.numbers[0]).toMatchObject({ label: 'goroutines waiting at the lock', value: 21 });
    expect(f.summary).toMatch(
      /the sync\.Mutex\.Lock in main\.apply \(stuck-lock\.go:36\), the longest for 1[5-7] minutes/
    );
    expect(f.summary).toMatch(/\[chan receive, 1[5-7] minutes\] is inside main\.apply at stuck-lock\.go:38/);
  });

  it('shows the cache holder waiting at the ledger lock: a chain of stuck locks', () => {
    const f = at('main.refresh');
    expect(f.evidence.numbers[0].value).toBe(6);
    expect(f.summary).toMatch(/\[sync\.Mutex\.Lock, 1[5-7] minutes\] is inside main\.refresh at stuck-lock\.go:52/);
    expect(f.summary).toContain(
      'It waits itself at the lock in main.apply (stuck-lock.go:36): a chain of stuck locks.'
    );
  });

  it('says when the holder is not in the dump (the writer of config took the lock in reload)', () => {
    const f = at('main.get');
    expect(f.severity).toBe('warning');
    expect(f.evidence.numbers[0].value).toBe(12);
    expect(f.summary).toMatch(
      /12 goroutines wait at the sync\.RWMutex\.RLock in main\.get \(stuck-lock\.go:68\), the longest for [89] minutes/
    );
    expect(f.summary).toContain('No goroutine in the dump is inside main.get past the lock');
  });

  it('leaves the contended counter lock to mutex-contention, which counts none of the stuck waiters', () => {
    const m = found.filter((f) => f.id === 'mutex-contention');
    expect(m).toHaveLength(1);
    expect(m[0].title).toBe('Lock contention in main.count');
    expect(m[0].evidence.clusters?.map((c) => c.function)).toEqual(['main.count']);
    expect(found.filter((f) => f.id === 'goroutine-leak-suspect')).toEqual([]);
  });
});

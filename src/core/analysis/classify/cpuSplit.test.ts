import { readFileSync } from 'fs';
import { join } from 'path';
import { fixturesRoot } from '../../../../tests/support/fixtures';
import { encodeProfile, SpecBuilder } from '../../wire/testing/pprofEncoder';
import { parsePprof } from '../../model/parsePprof';
import { Profile } from '../../model/profile';
import { topFunctions } from '../topTable';
import { FRAME_CLASSES, FrameClass } from './classes';
import { cpuSplit } from './cpuSplit';
import { inferMainModules } from './mainModule';

/** One-sample profile per stack (root first), to test the attribution rule stack by stack. */
function classOf(rootFirst: string[]): FrameClass {
  const b = new SpecBuilder().sampleType('cpu', 'nanoseconds');
  b.sample(rootFirst, [10]);
  const split = cpuSplit(parsePprof(encodeProfile(b.spec)));
  const hit = FRAME_CLASSES.filter((c) => split.fractions[c] === 1);
  expect(hit).toHaveLength(1);
  return hit[0];
}

describe('cpuSplit attribution rule', () => {
  const cases: Array<[string, string[], FrameClass]> = [
    ['user leaf', ['main.main', 'main.work'], 'user'],
    ['stdlib leaf under user', ['main.main', 'strings.Index'], 'stdlib'],
    ['third-party leaf', ['main.main', 'github.com/acme/lib.Parse'], 'third-party'],
    [
      'GC assist inside an allocation',
      [
        'main.main',
        'main.build',
        'runtime.mallocgc',
        'runtime.deductAssistCredit',
        'runtime.gcAssistAlloc',
        'runtime.systemstack',
        'runtime.gcAssistAlloc.func1',
        'runtime.gcAssistAlloc1',
        'runtime.gcDrainN',
        'runtime.scanobject',
        'runtime.memmove',
      ],
      'runtime-gc',
    ],
    [
      'allocation fast path',
      ['main.main', 'main.build', 'runtime.newobject', 'runtime.mallocgc', 'runtime.nextFreeFast'],
      'runtime-gc',
    ],
    [
      'background mark worker',
      [
        'runtime.gcBgMarkWorker',
        'runtime.systemstack',
        'runtime.gcBgMarkWorker.func2',
        'runtime.gcDrain',
        'runtime.markroot',
        'runtime.memclrNoHeapPointers',
      ],
      'runtime-gc',
    ],
    ['GC synthetic frame', ['runtime._GC', 'runtime.lock2'], 'runtime-gc'],
    [
      'raw syscall under os.File.Write',
      [
        'main.main',
        'os.(*File).Write',
        'internal/poll.(*FD).Write',
        'syscall.Write',
        'syscall.write',
        'syscall.Syscall',
        'syscall.RawSyscall6',
        'internal/runtime/syscall/linux.Syscall6',
      ],
      'syscall',
    ],
    [
      'after the syscall returns',
      ['main.main', 'syscall.Write', 'syscall.Syscall', 'runtime.exitsyscall', 'runtime.exitsyscallfast'],
      'syscall',
    ],
    [
      'netpoll in the scheduler',
      [
        'runtime.mcall',
        'runtime.park_m',
        'runtime.schedule',
        'runtime.findRunnable',
        'runtime.netpoll',
        'internal/runtime/syscall/linux.EpollWait',
        'internal/runtime/syscall/linux.Syscall6',
      ],
      'syscall',
    ],
    ['vDSO', ['runtime._System', 'runtime._VDSO'], 'syscall'],
    [
      'Gosched from a busy loop',
      [
        'main.poll',
        'runtime.Gosched',
        'runtime.mcall',
        'runtime.gosched_m',
        'runtime.goschedImpl',
        'runtime.schedule',
        'runtime.findRunnable',
        'runtime.lock2',
      ],
      'runtime-scheduler',
    ],
    [
      'idle M sleeping in futex',
      [
        'runtime.mstart',
        'runtime.mstart0',
        'runtime.mstart1',
        'runtime.schedule',
        'runtime.findRunnable',
        'runtime.stopm',
        'runtime.mPark',
        'runtime.notesleep',
        'runtime.futexsleep',
        'runtime.futex',
      ],
      'runtime-scheduler',
    ],
    [
      'runtime lock spinning under a channel op',
      ['main.consume', 'runtime.chanrecv1', 'runtime.chanrecv', 'runtime.lock2', 'runtime.procyield'],
      'runtime-other',
    ],
    ['map internals', ['main.count', 'runtime.mapassign_faststr', 'aeshashbody'], 'runtime-other'],
    [
      'cgo call',
      ['main.query', 'main._Cfunc_sqlite3_step', 'runtime.cgocall', 'runtime.asmcgocall', 'sqlite3_step'],
      'cgo',
    ],
    ['external code', ['runtime._System', 'runtime._ExternalCode'], 'cgo'],
    ['only system frames', ['runtime._System', 'runtime.futex'], 'runtime-other'],
  ];

  it.each(cases)('%s', (_name, stack, expected) => {
    expect(classOf(stack)).toBe(expected);
  });

  it('skips unsymbolized frames to the leaf-most named one; all-unsymbolized stacks are external', () => {
    const b = new SpecBuilder().sampleType('cpu', 'nanoseconds');
    const main = b.frame('main.work');
    b.spec.locations.push({ id: 99, address: 0xdead00 });
    b.spec.samples.push({ locationIds: [99, main], values: [3] }, { locationIds: [99], values: [1] });
    const split = cpuSplit(parsePprof(encodeProfile(b.spec)));
    expect(split.values.user).toBe(3);
    expect(split.values.cgo).toBe(1);
  });
});

const scenarios = (() => {
  try {
    return readFileSync(join(fixturesRoot, 'manifest.json')) && true;
  } catch {
    return false;
  }
})();

/**
 * Real captures of the demo service: the scenario's hot user function is in the top 5 functions by cum (for
 * runnable-backlog, whose CPU by design is the scheduler's on g0 stacks, in the top 5 user functions), and the
 * expected class is the largest in the CPU split.
 */
const expectations: Array<[string, string, 'all' | 'user', FrameClass]> = [
  // Polling in channel code (selectnbrecv, chanrecv: runtime-other, 52%) outweighs the scheduling round of its
  // Gosched (runtime-scheduler, 42%) in this capture.
  ['busy-select', 'scenarios.busySelectLoop', 'all', 'runtime-other'],
  ['mutex-contention', 'scenarios.lockedLedgerUpdate', 'all', 'stdlib'],
  ['rwmutex-churn', 'scenarios.readThroughConfigCache', 'all', 'stdlib'],
  ['gc-pressure', 'scenarios.allocationStorm', 'all', 'runtime-gc'],
  ['clock-hot-path', 'scenarios.timestampEveryEvent', 'all', 'stdlib'],
  ['alloc-conversion', 'scenarios.encodeFieldsAsAny', 'all', 'runtime-gc'],
  ['map-hot', 'scenarios.mapHeavyIndexing', 'all', 'runtime-other'],
  ['runnable-backlog', 'scenarios.shortLivedTask', 'user', 'runtime-scheduler'],
  ['syscall-heavy', 'scenarios.unbufferedByteWriter', 'all', 'syscall'],
];

(scenarios ? describe : describe.skip)('cpuSplit and top functions on the demo captures', () => {
  const load = (scenario: string): Profile =>
    parsePprof(new Uint8Array(readFileSync(join(fixturesRoot, 'demo', scenario, 'cpu.pb.gz'))));

  it('infers the demo module as the main module from file names', () => {
    expect(inferMainModules(load('gc-pressure'))).toEqual([
      'github.com/seed/goruntime-demo/internal/scenarios',
      'github.com/seed/goruntime-demo/internal/workload',
    ]);
  });

  it.each(expectations)('%s: %s in the top 5, %s largest class %s', (scenario, fn, among, dominant) => {
    const p = load(scenario);
    const split = cpuSplit(p);
    const rows = topFunctions(p, { sortBy: 'cum' }).rows.filter(
      (r) => among === 'all' || r.name.startsWith('github.com/seed/goruntime-demo/')
    );
    expect(rows.slice(0, 5).map((r) => r.name)).toContain(`github.com/seed/goruntime-demo/internal/${fn}`);
    const sorted = [...FRAME_CLASSES].sort((a, b) => split.fractions[b] - split.fractions[a]);
    expect(sorted[0]).toBe(dominant);
    expect(FRAME_CLASSES.reduce((s, c) => s + split.fractions[c], 0)).toBeCloseTo(1, 12);
    expect(split.total).toBe(topFunctions(p).total);
  });

  it('GC pressure is mostly GC, syscall-heavy mostly syscalls, runnable-backlog mostly scheduler', () => {
    expect(cpuSplit(load('gc-pressure')).fractions['runtime-gc']).toBeGreaterThan(0.6);
    expect(cpuSplit(load('syscall-heavy')).fractions.syscall).toBeGreaterThan(0.5);
    expect(cpuSplit(load('runnable-backlog')).fractions['runtime-scheduler']).toBeGreaterThan(0.6);
    expect(cpuSplit(load('map-hot')).fractions['runtime-other']).toBeGreaterThan(0.5);
  });
});

import { ALL_SCENARIOS, scenarioInputs } from '../../../../tests/support/findingsFixtures';
import { diagnose } from './runner';
import { cpuShare, snapshot } from './testing/builders';
import { THRESHOLDS } from './thresholds';
import type { DiagnosisInputs } from './types';

const sys = (inputs: DiagnosisInputs) => diagnose(inputs, { only: ['syscall-heavy'] });
const WRITE = [
  'main.main',
  'main.logByte',
  'os.(*File).Write',
  'syscall.write',
  'syscall.Syscall',
  'internal/runtime/syscall/linux.Syscall6',
];
const NETPOLL = [
  'runtime.mcall',
  'runtime.park_m',
  'runtime.schedule',
  'runtime.findRunnable',
  'runtime.netpoll',
  'internal/runtime/syscall/linux.EpollWait',
];
const TOTAL = 200;

describe('syscall-heavy on the demo fixtures', () => {
  it('fires on syscall-heavy under unbufferedByteWriter (capture: 91% cum, syscall.write 91%, 5 goroutines in [syscall])', () => {
    const [f] = sys(scenarioInputs('syscall-heavy'));
    expect(f).toMatchObject({ id: 'syscall-heavy', layer: 4, severity: 'critical' });
    expect(f.title).toMatch(/most in scenarios\.unbufferedByteWriter$/);
    expect(f.summary).toMatch(/syscall\.write 9\d%/);
    expect(f.summary).toMatch(/[45] goroutines are in the syscall state/);
  });

  it.each(ALL_SCENARIOS.filter((s) => s !== 'syscall-heavy'))('stays quiet on %s', (scenario) => {
    expect(sys(scenarioInputs(scenario))).toEqual([]);
  });
});

describe('syscall-heavy thresholds', () => {
  it('fires from syscallShare, critical from syscallCritical', () => {
    const at = THRESHOLDS.syscallShare.value * TOTAL;
    expect(sys({ cpu: cpuShare(WRITE, at, TOTAL) })).toMatchObject([{ severity: 'warning' }]);
    expect(sys({ cpu: cpuShare(WRITE, at - 1, TOTAL) })).toEqual([]);
    expect(sys({ cpu: cpuShare(WRITE, THRESHOLDS.syscallCritical.value * TOTAL, TOTAL) })).toMatchObject([
      { severity: 'critical' },
    ]);
  });

  it('leaves out netpoll: the idle scheduler waiting for the network', () => {
    expect(sys({ cpu: cpuShare(NETPOLL, 0.8 * TOTAL, TOTAL) })).toEqual([]);
  });

  it('knows the raw syscall leaf of every Go version (1.19-1.22, 1.23-1.25, 1.26)', () => {
    for (const leaf of [
      'runtime/internal/syscall.Syscall6',
      'internal/runtime/syscall.Syscall6',
      'internal/runtime/syscall/linux.Syscall6',
    ]) {
      expect(sys({ cpu: cpuShare(['main.main', 'main.read', leaf], 0.5 * TOTAL, TOTAL) })).toHaveLength(1);
    }
  });

  it('fires from syscallGoroutines goroutines in the syscall state, without CPU', () => {
    const inSyscall = (n: number) => ({
      goroutines: [
        snapshot([
          { count: n, reason: 'syscall', frames: ['syscall.Syscall', 'main.readDisk'], createdBy: 'main.start' },
        ]),
      ],
    });
    const [f] = sys(inSyscall(THRESHOLDS.syscallGoroutines.value));
    expect(f).toMatchObject({ severity: 'warning', title: '16 goroutines are in system calls' });
    expect(sys(inSyscall(THRESHOLDS.syscallGoroutines.value - 1))).toEqual([]);
  });
});

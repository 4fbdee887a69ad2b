import { ALL_SCENARIOS, scenarioInputs } from '../../../../tests/support/findingsFixtures';
import { diagnose } from './runner';
import { cpuProfile, cpuShare, FILLER } from './testing/builders';
import { THRESHOLDS } from './thresholds';
import type { DiagnosisInputs } from './types';

const gc = (inputs: DiagnosisInputs) => diagnose(inputs, { only: ['gc-pressure'] });
const value = (f: { evidence: { numbers: Array<{ label: string; value: number }> } }, label: string) =>
  f.evidence.numbers.find((n) => n.label === label)?.value;

const MARK = ['runtime.gcBgMarkWorker', 'runtime.gcBgMarkWorker.func2', 'runtime.gcDrain', 'runtime.scanObject'];
const ASSIST = [
  'main.main',
  'main.decode',
  'runtime.mallocgc',
  'runtime.gcAssistAlloc',
  'runtime.gcAssistAlloc1',
  'runtime.gcDrainN',
];
const BARRIER = ['main.main', 'main.fill', 'gcWriteBarrier2', 'runtime.wbBufFlush', 'runtime.wbBufFlush1'];
// 200 samples = 2 s of CPU in a 2 s window: one sample is half a percent.
const TOTAL = 200;

describe('gc-pressure on the demo fixtures', () => {
  it('fires on gc-pressure with the split of the capture (57% GC: 15% marking, 28% assist, 13% sweeping)', () => {
    const [f] = gc(scenarioInputs('gc-pressure'));
    expect(f).toMatchObject({ id: 'gc-pressure', layer: 3, severity: 'critical' });
    expect(value(f, 'GC work')).toBeGreaterThan(0.5);
    expect(value(f, 'background marking')).toBeCloseTo(0.15, 1);
    expect(value(f, 'mark assist')).toBeCloseTo(0.28, 1);
    expect(value(f, 'sweeping')).toBeCloseTo(0.13, 1);
    expect(f.summary).toContain('scenarios.allocationStorm');
    expect(f.evidence.stacks?.[0]).toContain('runtime.gcAssistAlloc');
  });

  it.each(ALL_SCENARIOS.filter((s) => s !== 'gc-pressure'))('stays quiet on %s', (scenario) => {
    expect(gc(scenarioInputs(scenario))).toEqual([]);
  });
});

describe('gc-pressure thresholds', () => {
  const at = THRESHOLDS.gcCollectorShare.value * TOTAL;

  it('fires at exactly gcCollectorShare of CPU, not one sample under', () => {
    expect(gc({ cpu: cpuShare(MARK, at, TOTAL) })).toMatchObject([{ severity: 'warning' }]);
    expect(gc({ cpu: cpuShare(MARK, at - 1, TOTAL) })).toEqual([]);
  });

  it('is critical from gcCritical', () => {
    const critical = THRESHOLDS.gcCritical.value * TOTAL;
    expect(gc({ cpu: cpuShare(MARK, critical, TOTAL) })).toMatchObject([{ severity: 'critical' }]);
    expect(gc({ cpu: cpuShare(MARK, critical - 1, TOTAL) })).toMatchObject([{ severity: 'warning' }]);
  });

  it('fires on mark assist alone from gcAssistShare, naming the allocating caller', () => {
    const assist = THRESHOLDS.gcAssistShare.value * TOTAL;
    const [f] = gc({ cpu: cpuShare(ASSIST, assist, TOTAL) });
    expect(f.severity).toBe('warning');
    expect(f.summary).toContain('most under main.decode');
    expect(gc({ cpu: cpuShare(ASSIST, assist - 1, TOTAL) })).toEqual([]);
  });

  it('does not count write barriers, which run inside the code that stores pointers', () => {
    const f = gc({ cpu: cpuShare(BARRIER, 0.4 * TOTAL, TOTAL) });
    expect(f).toEqual([]);
  });

  it('needs cpuMinEvidenceSeconds of GC behind the share', () => {
    // 30 samples pass the 0.25 s gate; 9 of them (30%) are 0.09 s of GC: too little to say anything.
    const evidence = THRESHOLDS.cpuMinEvidenceSeconds.value * 100;
    expect(gc({ cpu: cpuShare(MARK, evidence - 1, 30) })).toEqual([]);
    expect(gc({ cpu: cpuShare(MARK, evidence, 30) })).toHaveLength(1);
  });

  it('stays silent below the CPU gate (cpuMinSeconds) and the cores gate (cpuMinCores)', () => {
    const samples = THRESHOLDS.cpuMinSeconds.value * 100;
    expect(gc({ cpu: cpuShare(MARK, samples - 1, samples - 1) })).toEqual([]);
    expect(gc({ cpu: cpuShare(MARK, samples, samples) })).toHaveLength(1);
    // The same 25 samples spread over a long window are under 5% of a core.
    const longWindow = samples / 100 / THRESHOLDS.cpuMinCores.value;
    expect(gc({ cpu: cpuShare(MARK, samples, samples, longWindow * 1.01) })).toEqual([]);
    expect(gc({ cpu: cpuShare(MARK, samples, samples, longWindow) })).toHaveLength(1);
  });

  it('says how the share changed against the baseline', () => {
    const cpu = cpuShare(MARK, 62, TOTAL);
    const [rose] = gc({ cpu, baseline: { cpu: cpuShare(MARK, 8, TOTAL) } });
    expect(rose.summary).toContain('GC share rose from 4.0% to 31% against the baseline.');
    expect(value(rose, 'GC share in the baseline')).toBeCloseTo(0.04);
    const [same] = gc({ cpu, baseline: { cpu: cpuShare(MARK, 60, TOTAL) } });
    expect(same.summary).toContain('was already 30% in the baseline: not new in this window');
  });

  it('compares with a quiet baseline too, saying how little CPU it had', () => {
    const [f] = gc({ cpu: cpuShare(MARK, 62, TOTAL), baseline: { cpu: cpuProfile([[FILLER, 5]]) } });
    expect(f.summary).toContain('rose from 0% to 31%');
    expect(f.summary).toContain('The baseline holds only 0.05 s of CPU.');
  });
});

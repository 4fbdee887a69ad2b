import { ALL_SCENARIOS, scenarioInputs } from '../../../../tests/support/findingsFixtures';
import { diagnose } from './runner';
import { cpuProfile, cpuShare, FILLER } from './testing/builders';
import { THRESHOLDS } from './thresholds';
import type { DiagnosisInputs } from './types';

const alloc = (inputs: DiagnosisInputs) => diagnose(inputs, { only: ['alloc-hot-conversion'] });
const CONVERT = ['main.main', 'main.encodeFields', 'runtime.convTstring', 'runtime.mallocgc', 'runtime.mallocgcTiny'];
const CHURN = ['main.main', 'main.buildEvents', 'runtime.newobject', 'runtime.mallocgc', 'runtime.mallocgcSmallNoscan'];
const ASSIST_IN_ALLOC = [...CHURN, 'runtime.gcAssistAlloc', 'runtime.gcDrainN'];
const TOTAL = 200;

describe('alloc-hot-conversion on the demo fixtures', () => {
  it('fires on alloc-conversion, naming encodeFieldsAsAny and the convT* functions (capture: 23% convTstring, 18% convTnoptr, 9.3% convT64)', () => {
    const [f] = alloc(scenarioInputs('alloc-conversion'));
    expect(f).toMatchObject({ id: 'alloc-hot-conversion', layer: 3 });
    expect(f.title).toBe('Interface conversions allocate in scenarios.encodeFieldsAsAny');
    expect(f.summary).toMatch(/runtime\.convTstring 2\d%/);
    expect(f.summary).toMatch(/runtime\.convTnoptr 1\d%/);
    expect(f.summary).toMatch(/runtime\.convT64 \d\.\d%/);
    expect(
      f.evidence.numbers.find((n) => n.label === 'conversions to interfaces (runtime.convT*)')!.value
    ).toBeGreaterThan(0.4);
  });

  it.each(ALL_SCENARIOS.filter((s) => s !== 'alloc-conversion'))('stays quiet on %s', (scenario) => {
    expect(alloc(scenarioInputs(scenario))).toEqual([]);
  });
});

describe('alloc-hot-conversion thresholds', () => {
  it('fires on conversions under one caller from allocConversionShare', () => {
    const at = THRESHOLDS.allocConversionShare.value * TOTAL;
    expect(alloc({ cpu: cpuShare(CONVERT, at, TOTAL) })).toMatchObject([{ severity: 'warning' }]);
    expect(alloc({ cpu: cpuShare(CONVERT, at - 1, TOTAL) })).toEqual([]);
  });

  it('fires on plain allocation churn under one caller from allocCallerShare, critical from allocCritical', () => {
    const at = THRESHOLDS.allocCallerShare.value * TOTAL;
    const [f] = alloc({ cpu: cpuShare(CHURN, at, TOTAL) });
    expect(f).toMatchObject({ severity: 'warning', title: 'Small-object allocation churn in main.buildEvents' });
    expect(alloc({ cpu: cpuShare(CHURN, at - 1, TOTAL) })).toEqual([]);
    expect(alloc({ cpu: cpuShare(CHURN, THRESHOLDS.allocCritical.value * TOTAL, TOTAL) })).toMatchObject([
      { severity: 'critical' },
    ]);
  });

  it('leaves GC work inside the allocator (mark assist) to gc-pressure', () => {
    expect(alloc({ cpu: cpuShare(ASSIST_IN_ALLOC, 0.6 * TOTAL, TOTAL) })).toEqual([]);
  });

  it('measures one caller, not the sum of several', () => {
    const half = THRESHOLDS.allocCallerShare.value * TOTAL - 1;
    const other = ['main.main', 'main.other', 'runtime.newobject', 'runtime.mallocgc'];
    const cpu = cpuProfile([
      [CHURN, half],
      [other, half],
      [FILLER, TOTAL - 2 * half],
    ]);
    expect(alloc({ cpu })).toEqual([]);
  });

  it('compares the caller with the baseline', () => {
    const [f] = alloc({ cpu: cpuShare(CONVERT, 60, TOTAL), baseline: { cpu: cpuShare(CONVERT, 10, TOTAL) } });
    expect(f.summary).toContain('Allocation under main.encodeFields rose from 5.0% to 30% against the baseline.');
  });
});

import { ALL_SCENARIOS, scenarioInputs } from '../../../../tests/support/findingsFixtures';
import { diagnose } from './runner';
import { cpuShare } from './testing/builders';
import { THRESHOLDS } from './thresholds';
import type { DiagnosisInputs } from './types';

const map = (inputs: DiagnosisInputs) => diagnose(inputs, { only: ['map-hot'] });
const LOOKUP = ['main.main', 'main.index', 'runtime.mapaccess1_faststr', 'aeshashbody'];
const GROWTH = ['main.main', 'main.index', 'runtime.mapassign_faststr', 'internal/runtime/maps.(*table).rehash'];
const TOTAL = 200;

describe('map-hot on the demo fixtures', () => {
  it('fires on map-hot under mapHeavyIndexing (capture: 80% map work, inserts 49%, lookups 31%, hashing 18%)', () => {
    const [f] = map(scenarioInputs('map-hot'));
    expect(f).toMatchObject({ id: 'map-hot', layer: 1, severity: 'critical' });
    expect(f.title).toMatch(/^Map operations take 8\d% of CPU in scenarios\.mapHeavyIndexing$/);
    expect(f.summary).toMatch(/lookups 3\d%, inserts 4\d%, growth 2\d%, hashing 1\d%/);
    expect(f.summary).toContain('Growth shows up');
  });

  it.each(ALL_SCENARIOS.filter((s) => s !== 'map-hot'))('stays quiet on %s', (scenario) => {
    expect(map(scenarioInputs(scenario))).toEqual([]);
  });
});

describe('map-hot thresholds', () => {
  it('fires from mapCallerShare under one caller, critical from mapCritical', () => {
    const at = THRESHOLDS.mapCallerShare.value * TOTAL;
    expect(map({ cpu: cpuShare(LOOKUP, at, TOTAL) })).toMatchObject([{ severity: 'warning' }]);
    expect(map({ cpu: cpuShare(LOOKUP, at - 1, TOTAL) })).toEqual([]);
    expect(map({ cpu: cpuShare(LOOKUP, THRESHOLDS.mapCritical.value * TOTAL, TOTAL) })).toMatchObject([
      { severity: 'critical' },
    ]);
  });

  it('counts Swiss-table growth (Go 1.24+) and says so', () => {
    const [f] = map({ cpu: cpuShare(GROWTH, 0.3 * TOTAL, TOTAL) });
    expect(f.summary).toContain('growth 30%');
  });

  it('compares with the baseline', () => {
    const [f] = map({ cpu: cpuShare(LOOKUP, 50, TOTAL), baseline: { cpu: cpuShare(LOOKUP, 48, TOTAL) } });
    expect(f.summary).toContain('was already 24% in the baseline');
  });
});

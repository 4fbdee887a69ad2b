import { scenarioInputs } from '../../../../tests/support/findingsFixtures';
import { ProfileSetView } from './context';
import { compareShare } from './format';

// The baseline window of these comparisons: the busy-select capture (enough CPU that no "thin baseline" note is added).
const baseline = () => new ProfileSetView(scenarioInputs('busy-select'), 'pprof', 'baseline');

describe('comparing a CPU share with the baseline', () => {
  it.each([
    // [before, now, verdict]: "rose" needs both 5 points more and half as much again (thresholds.ts baseline*).
    [0.1, 0.16, 'rose from 10% to 16% against the baseline'],
    [0.04, 0.1, 'rose from 4.0% to 10% against the baseline'],
    [0.1, 0.14, 'was already 10% in the baseline'],
    [0.4, 0.46, 'was already 40% in the baseline'],
    [0.16, 0.1, 'fell from 16% in the baseline to 10%'],
    [0.14, 0.1, 'was already 14% in the baseline'],
    [0.46, 0.4, 'was already 46% in the baseline'],
  ])('from %p to %p: %s', (before, now, verdict) => {
    const { text, numbers } = compareShare('GC share', now, before, baseline());
    expect(text).toBe(`GC share ${verdict}${verdict.startsWith('was') ? ': not new in this window' : ''}.`);
    expect(numbers).toEqual([{ label: 'GC share in the baseline', value: before, unit: 'percentunit' }]);
  });

  it('says nothing without a baseline, and says when the baseline has no CPU profile', () => {
    expect(compareShare('GC share', 0.3, 0.1, undefined).text).toBe('');
    const noCpu = new ProfileSetView({ ...scenarioInputs('busy-select'), cpu: undefined }, 'pprof', 'baseline');
    expect(compareShare('GC share', 0.3, undefined, noCpu).text).toBe('');
    expect(compareShare('GC share', 0.3, undefined, baseline()).text).toBe(
      'The baseline has no CPU samples to compare with.'
    );
  });
});

import { labelSelectorProblem, validateQuery } from './validate';
import { GoRuntimeQuery } from '../types';

const q = (patch: Partial<GoRuntimeQuery>): GoRuntimeQuery => ({ refId: 'A', ...patch });
const fields = (query: GoRuntimeQuery, mode: 'pprof' | 'pyroscope' = 'pprof') =>
  validateQuery(query, mode).map((p) => `${p.field}: ${p.message}`);

describe('validateQuery', () => {
  it('accepts the defaults of both modes', () => {
    expect(fields(q({ queryType: 'flamegraph', profileType: 'cpu' }))).toEqual([]);
    expect(
      fields(
        q({ queryType: 'flamegraph', profileType: 'process_cpu:cpu:nanoseconds:cpu:nanoseconds', labelSelector: '{}' }),
        'pyroscope'
      )
    ).toEqual([]);
  });

  it('names the field and the rule for each problem', () => {
    expect(
      fields(q({ queryType: 'flamegraph', profileType: 'heap', sampleType: 'bytes', maxNodes: 0, focus: '(' }))
    ).toEqual([
      'sampleType: the heap profile has sample types inuse_space, inuse_objects, alloc_space, alloc_objects',
      'maxNodes: must be a whole number from 1 to 1048576',
      'focus: not a regular expression: Invalid regular expression: /(/: Unterminated group',
    ]);
    expect(fields(q({ queryType: 'series' }))).toEqual([
      'queryType: series needs a Pyroscope-mode data source (SelectSeries reads stored history)',
    ]);
    expect(fields(q({ profileType: 'cpu:x' }), 'pyroscope')).toEqual([
      'profileType: "cpu:x" is not a Pyroscope profile type ID (name:sample_type:unit:period_type:period_unit)',
    ]);
    expect(fields(q({ queryType: 'diff', baseline: { kind: 'range', from: 'now-1h', to: 'now-2h' } }))).toEqual([
      'baseline: the baseline range must start before it ends',
    ]);
    expect(fields(q({ queryType: 'diff', baseline: { kind: 'offset', offset: 'yesterday' } }))).toEqual([
      'baseline: baseline offset "yesterday" is not a duration like 1h or 30m',
    ]);
    expect(fields(q({ queryType: 'goroutineStates', interval: '500ms' }))).toEqual([
      'interval: the interval must be at least 1s',
    ]);
  });

  it('leaves values with template variables to be checked after interpolation', () => {
    expect(
      fields(
        q({
          profileType: '$profile',
          focus: '${fn:regex}(',
          labelSelector: '{service_name="$svc"}',
          interval: '$__interval',
        }),
        'pyroscope'
      )
    ).toEqual([]);
  });

  it('checks label selector syntax', () => {
    expect(labelSelectorProblem('{service_name="a", pod=~"b-.*"}')).toBeUndefined();
    expect(labelSelectorProblem('{}')).toBeUndefined();
    expect(labelSelectorProblem('service_name="a"')).toMatch(/written in braces/);
    expect(labelSelectorProblem('{service_name=a}')).toMatch(/cannot read matcher "service_name=a"/);
  });
});

import { templateSrv } from '../../../tests/support/templateSrvStub';
import { interpolateQuery, interpolateSelector } from './interpolate';

describe('interpolation', () => {
  const srv = templateSrv({
    svc: ['checkout', 'cart.v2'],
    one: 'checkout',
    fn: 'main.handle',
    pod: 'pod-1',
    groups: ['pod', 'region'],
  });

  it('puts multi-values into =~ matchers as an escaped alternation, single values as they are', () => {
    expect(interpolateSelector('{service_name=~"$svc", env="prod"}', {}, srv)).toBe(
      '{service_name=~"(checkout|cart\\\\.v2)", env="prod"}'
    );
    expect(interpolateSelector('{service_name="$one"}', {}, srv)).toBe('{service_name="checkout"}');
  });

  it('interpolates every text field, with the regex format for focus/ignore', () => {
    const out = interpolateQuery(
      {
        refId: 'A',
        profileType: 'cpu',
        focus: '^$fn$',
        instance: '$pod',
        groupBy: ['$groups'],
        baseline: { kind: 'offset', offset: '$off' },
      },
      { off: { text: '1h', value: '1h' } },
      srv
    );
    expect(out.focus).toBe('^main\\.handle$');
    expect(out.instance).toBe('pod-1');
    expect(out.groupBy).toEqual(['pod', 'region']);
    expect(out.baseline).toEqual({ kind: 'offset', offset: '1h' });
  });
});

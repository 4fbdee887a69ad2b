import { templateSrv } from '../../../tests/support/templateSrvStub';
import { interpolateQuery, interpolateSelector } from './interpolate';
import { parseMatchers } from './labelSelector';

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
      '{service_name=~"checkout|cart\\\\.v2", env="prod"}'
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

  describe('multi-value and "All" variables in label selectors', () => {
    const vars = templateSrv(
      { svc: ['checkout', 'cart.v2'], env: '$__all', region: ['eu"west'], pods: ['a-1', 'b(2)'], one: 'checkout' },
      { env: ['prod', 'staging'] }
    );
    const selector = (text: string, scoped = {}) => interpolateSelector(text, scoped, vars);

    it('turns = with several values into =~ with an escaped alternation (Grafana alone would give {a,b})', () => {
      expect(selector('{service_name="$svc"}')).toBe('{service_name=~"checkout|cart\\\\.v2"}');
      expect(selector('{service_name="${svc}"}')).toBe('{service_name=~"checkout|cart\\\\.v2"}');
    });

    it('turns != with several values into !~', () => {
      expect(selector('{service_name!="$svc"}')).toBe('{service_name!~"checkout|cart\\\\.v2"}');
    });

    it('drops a = or =~ matcher whose variable is set to All, keeping the other matchers well formed', () => {
      expect(selector('{env="$env"}')).toBe('{}');
      expect(selector('{env="$env", service_name="$one"}')).toBe('{service_name="checkout"}');
      expect(selector('{service_name="$one", env=~"$env"}')).toBe('{service_name="checkout"}');
      expect(selector('{service_name="$one", env="$env", pod="x"}')).toBe('{service_name="checkout", pod="x"}');
    });

    it('keeps a negative matcher on All as Grafana expands it (every option)', () => {
      expect(selector('{env!="$env"}')).toBe('{env!~"(prod|staging)"}');
    });

    it('escapes regex metacharacters and quotes of each value', () => {
      expect(selector('{pod="$pods"}')).toBe('{pod=~"a-1|b\\\\(2\\\\)"}');
      expect(selector('{region="$region"}')).toBe('{region="eu\\"west"}');
    });

    it('groups several values inside longer text and escapes the literal part of a former = matcher', () => {
      expect(selector('{pod="$pods.x"}')).toBe('{pod=~"(a-1|b\\\\(2\\\\))\\\\.x"}');
      expect(selector('{pod=~"$pods-.*"}')).toBe('{pod=~"(a-1|b\\\\(2\\\\))-.*"}');
    });

    it('uses the scoped value of a repeated panel, not the dashboard selection', () => {
      expect(selector('{service_name="$svc"}', { svc: { text: 'cart.v2', value: 'cart.v2' } })).toBe(
        '{service_name="cart.v2"}'
      );
    });

    it('leaves selectors without variables and unknown variables alone', () => {
      expect(selector('{service_name="checkout", pod=~"a\\\\.b"}')).toBe('{service_name="checkout", pod=~"a\\\\.b"}');
      expect(selector('{service_name="$nosuch"}')).toBe('{service_name="$nosuch"}');
    });

    it('always yields a selector the label-selector reader parses back to the intended values', () => {
      const matchers = parseMatchers(selector('{service_name="$svc", region="$region", env="$env"}'));
      expect(matchers).toEqual([
        { name: 'service_name', op: '=~', value: 'checkout|cart\\.v2' },
        { name: 'region', op: '=', value: 'eu"west' },
      ]);
    });
  });
});

import { proxyTimeoutSeconds, resolveOptions } from './types';

describe('proxyTimeoutSeconds reads jsonData.timeout as Grafana does', () => {
  it.each([
    [60, 60],
    ['60', 60],
    ['+45', 45],
    [12.9, 12],
  ])('%p → %p seconds', (value, seconds) => {
    expect(proxyTimeoutSeconds(value)).toBe(seconds);
  });

  it.each([[undefined], [0], [-5], ['-5'], ['60s'], ['60.5'], [' 60'], [''], [null], [Number.NaN], [{}]])(
    '%p → the 30 s default',
    (value) => {
      expect(proxyTimeoutSeconds(value)).toBe(30);
    }
  );

  it('resolveOptions keeps a provisioned string timeout instead of falling back to 30 s', () => {
    expect(resolveOptions({ mode: 'pprof', timeout: '60' }).timeout).toBe(60);
  });
});

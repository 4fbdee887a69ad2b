import { expandPrefix, safePath, safeSegment, UnsafePathError } from './paths';

describe('path safety', () => {
  it('normalises ordinary paths', () => {
    expect(safePath('pprof path', '/debug/pprof')).toBe('/debug/pprof');
    expect(safePath('pprof path', 'debug/pprof/')).toBe('/debug/pprof');
    expect(safePath('path prefix', '')).toBe('');
    expect(expandPrefix('/pods/${instance}/', '10.0.0.7:6060')).toBe('/pods/10.0.0.7%3A6060');
  });

  it.each([
    ['/../admin', /leave the configured base/],
    ['/a/%2e%2e/b', /leave the configured base/],
    ['/a/./b', /leave the configured base/],
    ['http://evil.example/x', /absolute URLs/],
    ['//evil.example/x', /absolute URLs/],
    ['javascript:alert(1)', /absolute URLs/],
    ['/a\\b', /backslash/],
    ['/a?x=1', /"\?"/],
    ['/a#frag', /"#"/],
    ['/a/%2F/b', /encoded/],
    ['/a/%zz', /broken percent-encoding/],
  ])('refuses %s', (value, why) => {
    expect(() => safePath('path prefix', value)).toThrow(UnsafePathError);
    expect(() => safePath('path prefix', value)).toThrow(why);
  });

  it('refuses instance values that would add or remove segments', () => {
    expect(() => expandPrefix('/pods/${instance}', '..')).toThrow(/instance ".." is not allowed/);
    expect(() => expandPrefix('/pods/${instance}', 'a/../../b')).toThrow(/encoded "\/"/);
    expect(() => expandPrefix('/pods/${instance}', undefined)).toThrow(/sets no instance/);
    expect(() => safeSegment('profile', 'heap\n')).toThrow(/control characters/);
  });
});

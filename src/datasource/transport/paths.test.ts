import { expandPrefix, safeEndpoint, safePath, safeSegment, UnsafePathError } from './paths';

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
    ['/a/..;/admin', /leave the configured base/],
    ['/a/%2e%2e;x/b', /leave the configured base/],
    ['/a/%252e%252e/b', /double percent-encoding/],
    ['/a/%252F/b', /double percent-encoding/],
    ['/pods/$instance/x', /variable that did not resolve/],
    ['/pods/${pod}/x', /variable that did not resolve/],
    ['/pods/[[pod]]/x', /variable that did not resolve/],
  ])('refuses %s', (value, why) => {
    expect(() => safePath('path prefix', value)).toThrow(UnsafePathError);
    expect(() => safePath('path prefix', value)).toThrow(why);
  });

  it('refuses instance values that would add or remove segments', () => {
    expect(() => expandPrefix('/pods/${instance}', '..')).toThrow(/instance ".." is not allowed/);
    expect(() => expandPrefix('/pods/${instance}', 'a/../../b')).toThrow(/contains "\/"/);
    expect(() => expandPrefix('/pods/${instance}', undefined)).toThrow(/sets no instance/);
    expect(() => safeSegment('profile', 'heap\n')).toThrow(/control characters/);
  });

  it('refuses instance values holding "/", "\\", "..", "%" or an unresolved variable', () => {
    for (const value of ['a/b', 'a\\b', '..;', 'x..y', '%2e%2e', '%252e%252e', '$pod', '${pod}']) {
      expect(() => expandPrefix('/pods/${instance}', value)).toThrow(UnsafePathError);
    }
  });

  it('accepts only lower-case endpoint names for profiles, whatever a variable interpolated to', () => {
    expect(safeEndpoint('goroutineleak')).toBe('goroutineleak');
    expect(safeEndpoint('threadcreate')).toBe('threadcreate');
    for (const value of [
      '../../api/admin/users',
      '..%2F..%2Fapi',
      '$profile',
      '${profile}',
      'Heap',
      'heap?debug=1',
      '',
    ]) {
      expect(() => safeEndpoint(value)).toThrow(UnsafePathError);
    }
    expect(() => safeEndpoint('$profile')).toThrow(/variable that did not resolve/);
  });
});

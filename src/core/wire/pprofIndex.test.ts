import { NotThisFormatError } from '../errors';
import { parsePprofIndex } from './pprofIndex';
import { readFixtureText } from '../../../tests/support/fixtures';

describe('parsePprofIndex', () => {
  it('lists the profiles and counts of a real Go 1.26 index page', () => {
    const entries = parsePprofIndex(readFixtureText('.', 'pprof-index.html'));
    const byName = Object.fromEntries(entries.map((e) => [e.name, e.count]));
    expect(Object.keys(byName)).toEqual(
      expect.arrayContaining(['allocs', 'block', 'goroutine', 'heap', 'mutex', 'threadcreate', 'profile', 'trace'])
    );
    expect(byName.goroutine).toBeGreaterThan(0);
    expect(byName.profile).toBeUndefined();
  });

  it('rejects pages that are not a pprof index as "not this format"', () => {
    expect(() => parsePprofIndex('<html><body>404 page not found</body></html>')).toThrow(NotThisFormatError);
    expect(() => parsePprofIndex('')).toThrow(/not a Go net\/http\/pprof index/);
  });
});

/**
 * Cross-check against Go itself: for every pprof capture of the demo service (and every sample type), the
 * per-function flat/cum values, totals and table sizes computed by our decoder and top table must equal those of
 * google/pprof's `profile` package (tools/pprofcheck) exactly.
 */
import { existsSync, readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { fixturesRoot, loadManifest } from '../../../tests/support/fixtures';
import { goFlatCum, GoFileReport } from '../../../tools/pprofcheck/runner';
import { parsePprof } from '../model/parsePprof';
import { Profile, sampleTotal } from '../model/profile';
import { topFunctions } from './topTable';

const haveFixtures = existsSync(join(fixturesRoot, 'manifest.json'));
const captures = haveFixtures ? loadManifest().captures : [];
/** Every capture the manifest marks as pprof (gzip protobuf), whatever its profile type. */
const pprofFiles = captures
  .filter((c) => (c as { format?: string }).format === 'pprof')
  .map((c) => join(fixturesRoot, c.file));

/** Go's own test corpus, also real Go output (20k samples), when the module cache has it. */
function goLargeCpu(): string[] {
  const root = join(process.env.HOME ?? '/root', 'go', 'pkg', 'mod', 'github.com', 'google');
  if (!existsSync(root)) {
    return [];
  }
  return readdirSync(root)
    .filter((d) => d.startsWith('pprof@'))
    .map((d) => join(root, d, 'internal', 'proftest', 'testdata', 'large.cpu'))
    .filter((f) => existsSync(f))
    .slice(0, 1);
}

function ours(profile: Profile, sampleType: string) {
  return topFunctions(profile, { sampleType })
    .rows.map((r) => ({ name: r.name, flat: r.flat, cum: r.cum }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

describe('Go cross-check (google/pprof profile package)', () => {
  if (!haveFixtures) {
    it.skip('needs fixtures/manifest.json (npm run fixtures)', () => undefined);
    return;
  }
  const files = [...pprofFiles, ...goLargeCpu()];
  let reports: GoFileReport[] = [];

  beforeAll(() => {
    reports = goFlatCum(files);
  }, 180_000);

  it('covers every pprof fixture of the manifest', () => {
    expect(pprofFiles.length).toBeGreaterThan(80);
    expect(pprofFiles.length).toBe(captures.filter((c) => c.file.endsWith('.pb.gz')).length);
    expect(reports.map((r) => r.file)).toEqual(files);
  });

  it.each(files.map((f) => [f.replace(`${fixturesRoot}/`, '')]))(
    '%s: flat/cum per function, totals and sizes equal Go',
    (name) => {
      const file = files.find((f) => f.endsWith(name))!;
      const go = reports.find((r) => r.file === file)!;
      const profile = parsePprof(new Uint8Array(readFileSync(file)));
      expect(profile.sampleTypes.map((st) => `${st.type}/${st.unit}`)).toEqual(go.sampleTypes);
      expect([
        profile.samples.count,
        profile.locations.count,
        profile.functions.count,
        profile.mappings.length,
      ]).toEqual([go.samples, go.locations, go.functions, go.mappings]);
      expect(Number(profile.timeNanos)).toBe(go.timeNanos);
      expect([profile.durationNanos, profile.period]).toEqual([go.durationNanos, go.period]);
      for (const report of go.reports) {
        const typeIndex = profile.sampleTypes.findIndex((st) => st.type === report.sampleType);
        expect(sampleTotal(profile, typeIndex)).toBe(report.total);
        expect(ours(profile, report.sampleType)).toEqual(report.functions.filter((r) => r.flat !== 0 || r.cum !== 0));
      }
    }
  );
});

/**
 * The pprof writer: every pprof capture of the demo service, decoded and written again, decodes to the same
 * profile (sample types, totals, flat/cum per function, labels, mappings, times), and Go's own parser
 * (google/pprof's `profile` package, tools/pprofcheck) and `go tool pprof -top` read the written files with the
 * same numbers as the originals.
 */
import { execFileSync } from 'child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { basename, join } from 'path';

import { fixturesRoot, loadManifest } from '../../../tests/support/fixtures';
import { goCommand, goFlatCum } from '../../../tools/pprofcheck/runner';
import { mergeProfiles } from '../analysis/merge';
import { topFunctions } from '../analysis/topTable';
import { isGzip } from '../wire/gzip';
import { parsePprof } from './parsePprof';
import { encodePprof, encodePprofGzip } from './pprofEncode';
import { sampleTotal, type Profile } from './profile';

const pprofFiles = loadManifest()
  .captures.filter((c) => c.format === 'pprof')
  .map((c) => c.file);

function read(file: string): Profile {
  return parsePprof(new Uint8Array(readFileSync(join(fixturesRoot, file))));
}

function summary(p: Profile) {
  return {
    sampleTypes: p.sampleTypes,
    defaultSampleType: p.defaultSampleType,
    periodType: p.periodType,
    period: p.period,
    timeNanos: p.timeNanos,
    durationNanos: p.durationNanos,
    comments: p.comments,
    dropFrames: p.dropFrames,
    keepFrames: p.keepFrames,
    counts: [p.samples.count, p.locations.count, p.functions.count, p.mappings.length, p.samples.labelKey.length],
    totals: p.sampleTypes.map((_, t) => sampleTotal(p, t)),
    mappings: p.mappings.map(({ id: _id, ...rest }) => rest),
  };
}

function flatCum(p: Profile) {
  return p.sampleTypes.map((st) => topFunctions(p, { sampleType: st.type }).rows);
}

describe('encodePprof', () => {
  it('covers the pprof captures of the demo service', () => {
    expect(pprofFiles.length).toBeGreaterThan(50);
  });

  it.each(pprofFiles.map((f) => [f]))('%s decodes to the same profile after writing', (file) => {
    const original = read(file);
    const written = encodePprofGzip(original);
    expect(isGzip(written)).toBe(true);
    const again = parsePprof(written);
    expect(summary(again)).toEqual(summary(original));
    expect(flatCum(again)).toEqual(flatCum(original));
  });

  it('writes negative values and addresses above 2^32 exactly', () => {
    const original = read('demo/mutex-contention/cpu.pb.gz');
    // A delta profile (comparison minus baseline) has negative values; they must survive as int64.
    const negated = { ...original, samples: { ...original.samples, values: original.samples.values.map((v) => -v) } };
    expect(sampleTotal(parsePprof(encodePprof(negated)), 0)).toBe(-sampleTotal(original, 0));
    // Shared libraries and PIE binaries are mapped above 4 GiB on 64-bit systems.
    const addressHi = Uint32Array.from(original.locations.addressHi, (_, i) => (i % 2 ? 0x7f12 : 0xffffffff));
    const high = { ...original, locations: { ...original.locations, addressHi } };
    const back = parsePprof(encodePprof(high));
    expect(Array.from(back.locations.addressHi)).toEqual(Array.from(addressHi));
    expect(Array.from(back.locations.addressLo)).toEqual(Array.from(original.locations.addressLo));
  });

  it('keeps sample labels (string and numeric)', () => {
    const original = read('demo/mutex-contention/cpu.pb.gz');
    const key = original.strings.indexOf('goroutine-kind') > 0 ? original.strings.indexOf('goroutine-kind') : 1;
    const labelled = {
      ...original,
      samples: {
        ...original.samples,
        labelStart: Uint32Array.from(original.samples.labelStart, (_, i) => Math.min(i, 2)),
        labelKey: Uint32Array.of(key, key),
        labelStr: Uint32Array.of(2, 0),
        labelNum: Float64Array.of(0, -42),
        labelUnit: Uint32Array.of(0, 3),
      },
    };
    const back = parsePprof(encodePprof(labelled));
    expect(Array.from(back.samples.labelStart.slice(0, 4))).toEqual([0, 1, 2, 2]);
    expect(Array.from(back.samples.labelKey, (k) => back.strings[k])).toEqual([original.strings[key], original.strings[key]]);
    expect(back.strings[back.samples.labelStr[0]]).toBe(original.strings[2]);
    expect(back.samples.labelNum[1]).toBe(-42);
    expect(back.strings[back.samples.labelUnit[1]]).toBe(original.strings[3]);
  });
});

describe('encodePprof read by Go', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pprof-encode-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  // A single capture of each kind and a merged window: the file a download gives.
  const picks = ['cpu', 'heap', 'allocs', 'goroutine', 'mutex', 'block'].map((k) => `demo/mutex-contention/${k}.pb.gz`);

  it('google/pprof parses every written file with the same flat/cum per function and totals', () => {
    const written = picks.map((file) => {
      const out = join(dir, basename(file));
      writeFileSync(out, encodePprofGzip(read(file)));
      return out;
    });
    const merged = mergeProfiles([read('demo/normal-load/cpu.pb.gz'), read('demo/mutex-contention/cpu.pb.gz')]);
    const mergedFile = join(dir, 'merged-cpu.pb.gz');
    writeFileSync(mergedFile, encodePprofGzip(merged));
    const reports = goFlatCum([...written, mergedFile]);
    const originals = [...picks.map(read), merged];
    reports.forEach((go, i) => {
      const ours = originals[i];
      expect(go.samples).toBe(ours.samples.count);
      for (const report of go.reports) {
        const t = ours.sampleTypes.findIndex((st) => st.type === report.sampleType);
        expect(report.total).toBe(sampleTotal(ours, t));
        const rows = topFunctions(ours, { sampleType: t })
          .rows.map((r) => ({ name: r.name, flat: r.flat, cum: r.cum }))
          .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
        expect(report.functions.filter((r) => r.flat !== 0 || r.cum !== 0)).toEqual(rows);
      }
    });
  }, 180_000);

  it('`go tool pprof -top` reads a written CPU profile and shows its heaviest function', () => {
    const profile = read('demo/mutex-contention/cpu.pb.gz');
    const file = join(dir, 'cpu-top.pb.gz');
    writeFileSync(file, encodePprofGzip(profile));
    const out = execFileSync(goCommand(), ['tool', 'pprof', '-top', '-nodecount=5', file], { encoding: 'utf8' });
    const top = topFunctions(profile, { limit: 1 }).rows[0];
    expect(out).toMatch(/Type: cpu/);
    expect(out).toContain(top.name);
  }, 180_000);
});

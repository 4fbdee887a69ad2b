/**
 * The real-world corpus (fixtures/real-world/SOURCES.md): each dump against counts made without our parser, each
 * profile against google/pprof's parser (tools/pprofcheck). Needs Go for the profile half, like the Go cross-check.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { buildReport } from '../../src/cli/report';
import { parsePprof } from '../../src/core/model/parsePprof';
import { goFlatCum } from '../../tools/pprofcheck/runner';
import { CORPUS, dumpRows, profileRows } from '../support/realWorldCorpus';

describe('real-world corpus', () => {
  it.each(dumpRows().map((r) => [r.file, r]))(
    '%s: goroutines, states and race goroutines as counted independently',
    (_file, row) => {
      expect(row.verdict).toMatch(/^ok/);
    }
  );

  it('every profile: totals and top rows as google/pprof computes them; legacy formats named', () => {
    const rows = profileRows();
    expect(rows.length).toBeGreaterThanOrEqual(14);
    expect(rows.filter((r) => !r.verdict.startsWith('ok')).map((r) => `${r.file}: ${r.verdict}`)).toEqual([]);
    expect(rows.filter((r) => r.verdict.includes('legacy format named')).length).toBe(2);
    // Unsymbolized C++ addresses are one row per binary, as `go tool pprof -top` shows them.
    expect(rows.find((r) => r.file.endsWith('cppbench.cpu.converted.pb.gz'))!.ours).toMatch(
      /top \[cppbench_server_main\]/
    );
  });

  it("a delta profile with negative samples: net total, and pprof's percentage base beside it", () => {
    const path = join(CORPUS, 'profiles', 'golang-pgo-devirt-minus-inline-hot.delta.pb.gz');
    const report = buildReport(parsePprof(new Uint8Array(readFileSync(path))), { source: path, top: 5, maxNodes: 100 });
    const go = goFlatCum([path], '')[0].reports[0];
    expect(report.profile.total).toBe(go.total);
    expect(report.profile.absoluteTotal).toBe(go.pprofTotal);
    expect(go.pprofTotal).toBeGreaterThan(go.total);
  });
});

/**
 * The real-world corpus (fixtures/real-world/SOURCES.md): each dump against counts made without our parser, each
 * profile against google/pprof's parser (tools/pprofcheck) and `go tool pprof -top` itself. Needs Go for the
 * profile half, like the Go cross-check.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { buildReport } from '../../src/cli/report';
import { parsePprof } from '../../src/core/model/parsePprof';
import { goFlatCum, goToolPprof, pprofcheckBinary } from '../../tools/pprofcheck/runner';
import { CORPUS, dumpRows, profileFiles, profileRow, sources } from '../support/realWorldCorpus';

describe('real-world corpus', () => {
  // Both Go tools are built on first use (pprof by the go command, about a minute of CPU on a cold build cache):
  // once here, outside the per-file time limit.
  beforeAll(() => {
    pprofcheckBinary();
    goToolPprof();
  }, 600_000);

  it.each(dumpRows().map((r) => [r.file, r]))(
    '%s: goroutines, states and race goroutines as counted independently',
    (_file, row) => {
      expect(row.verdict).toMatch(/^ok/);
    }
  );

  it.each(profileFiles())(
    '%s: per sample type, total and function rows as google/pprof and go tool pprof -top give them',
    (file) => {
      const row = profileRow(file);
      expect(`${row.verdict} | ours: ${row.ours} | pprof: ${row.independent}`).toMatch(/^ok/);
    }
  );

  it('holds profiles of Go, Node.js, Python, Ruby, Rust, Java, .NET and C++ producers, each with its source', () => {
    const described = readFileSync(join(CORPUS, 'SOURCES.md'), 'utf8');
    const names = sources();
    expect(profileFiles().filter((f) => !names.has(f))).toEqual([]);
    for (const producer of ['Go ', 'Node.js', 'Python', 'Ruby', 'Rust', 'Java', '.NET', 'C++']) {
      const rows = described.split('\n').filter((l) => /^\| `[^`]+` \|/.test(l) && l.includes(producer));
      const profiles = rows.filter((l) => profileFiles().some((f) => l.startsWith(`| \`${f}\``)));
      expect([producer, profiles.length > 0]).toEqual([producer, true]);
    }
  });

  it('names the legacy binary formats and refuses what google/pprof refuses, with the reason', () => {
    for (const file of ['google-pprof-cppbench.legacy.cpu', 'google-pprof-java.legacy.cpu']) {
      expect(profileRow(file).verdict).toBe('ok (legacy format named, conversion given)');
    }
    const broken = profileRow('pyroscope-dotnet-function-id-0.pb.gz');
    expect(broken.verdict).toBe('ok (refused, as google/pprof refuses it)');
    expect(broken.ours).toMatch(/function with reserved id=0/);
    expect(broken.independent).toMatch(/function with reserved ID=0/);
  });

  it('names unsymbolized addresses per mapping, or <unknown> without one, as go tool pprof -top does', () => {
    expect(profileRow('google-pprof-cppbench.cpu.converted.pb.gz').ours).toMatch(/top \[cppbench_server_main\]/);
    expect(profileRow('pyroscope-rust-server-system-wide.cpu.pb.gz').ours).toMatch(/top \[\[vdso\]\]/);
    const heap = profileRow('google-pprof-gobench.heap.converted.pb.gz');
    expect(heap.ours).toMatch(/top <unknown>$/);
    expect(heap.independent).toMatch(/top <unknown>$/);
  });

  it("a delta profile with negative samples: net total, and pprof's percentage base beside it", () => {
    const path = join(CORPUS, 'profiles', 'golang-pgo-devirt-minus-inline-hot.delta.pb.gz');
    const report = buildReport(parsePprof(new Uint8Array(readFileSync(path))), { source: path, top: 5, maxNodes: 100 });
    const go = goFlatCum([path], '')[0].reports[0];
    expect(report.profile.total).toBe(go.total);
    expect(report.profile.absoluteTotal).toBe(go.pprofTotal);
    expect(go.pprofTotal).toBeGreaterThan(go.total);
    expect(profileRow('golang-pgo-devirt-minus-inline-hot.delta.pb.gz').verdict).toMatch(/^ok \(delta with negative/);
  });
});

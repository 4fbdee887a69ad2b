/**
 * The benchmark's "same work in Go" (tools/pprofcheck/frame.go: profile.Parse, the top-down call tree of the
 * default sample type and its nested-set rows, written in plain Go) must build exactly the flame frame our decode +
 * buildCallTree + toNestedSet build, or bench/pprofCpu.ts would compare different work. Row by row on profiles that
 * have inlined frames and unsymbolized locations, and by row count and digest on every demo CPU and heap capture
 * and every protobuf profile of the real-world corpus.
 */
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { buildCallTree } from '../../src/core/analysis/callTree';
import { toNestedSet } from '../../src/core/analysis/nestedSet';
import { parsePprof } from '../../src/core/model/parsePprof';
import { Profile } from '../../src/core/model/profile';
import { goCommand, goFlameFrame, nestedSetDigest, pprofcheckBinary } from '../../tools/pprofcheck/runner';
import { DEMO_FIXTURE_SCENARIOS, fixturePath } from '../support/fixtures';
import { CORPUS } from '../support/realWorldCorpus';

function goMissing(): string | undefined {
  try {
    goCommand();
    return undefined;
  } catch (error) {
    return String((error as Error).message);
  }
}

const corpusProfile = (name: string) => join(CORPUS, 'profiles', name);

/** Small profiles compared row by row: Go CPU and heap, inlined calls (PGO), lines missing (unsymbolized). */
const rowByRow = [
  fixturePath('busy-select', 'cpu.pb.gz'),
  fixturePath('gc-pressure', 'heap.pb.gz'),
  corpusProfile('golang-pgo-inline-hot.pprof'),
  corpusProfile('pyroscope-python-kernel.no-addr-no-line.pb.gz'),
  corpusProfile('pyroscope-rust-server-system-wide.cpu.pb.gz'),
];

/** Protobuf profiles our decoder accepts (the corpus also holds legacy text profiles and a malformed one). */
function decodable(file: string): boolean {
  try {
    parsePprof(new Uint8Array(readFileSync(file)));
    return true;
  } catch {
    return false;
  }
}

const byDigest = [
  ...DEMO_FIXTURE_SCENARIOS.flatMap((s) => [fixturePath(s, 'cpu.pb.gz'), fixturePath(s, 'heap.pb.gz')]),
  ...readdirSync(join(CORPUS, 'profiles')).map(corpusProfile).filter(decodable),
];

function oursFrame(file: string) {
  const profile = parsePprof(new Uint8Array(readFileSync(file)));
  return { profile, frame: toNestedSet(buildCallTree(profile)) };
}

/** Locations with more than one line (inlined calls) and with none (unsymbolized), over the given profiles. */
function lineShapes(profiles: Profile[]): { inlined: number; unsymbolized: number } {
  let inlined = 0;
  let unsymbolized = 0;
  for (const { locations } of profiles) {
    for (let l = 0; l < locations.count; l++) {
      const lines = locations.lineStart[l + 1] - locations.lineStart[l];
      inlined += lines > 1 ? 1 : 0;
      unsymbolized += lines === 0 ? 1 : 0;
    }
  }
  return { inlined, unsymbolized };
}

const missing = goMissing();

describe('the Go flame frame the benchmark compares with (tools/pprofcheck -frame)', () => {
  if (missing) {
    it.skip(`needs the Go toolchain: ${missing}`, () => undefined);
    return;
  }

  beforeAll(() => {
    // A cold Go build cache takes a while.
    pprofcheckBinary();
  }, 300_000);

  it('has the same rows as toNestedSet, row by row, on CPU, heap, inlined and unsymbolized profiles', () => {
    const go = goFlameFrame(rowByRow, true);
    const ours = rowByRow.map(oursFrame);
    const shapes = lineShapes(ours.map((o) => o.profile));
    expect(shapes.inlined).toBeGreaterThan(0);
    expect(shapes.unsymbolized).toBeGreaterThan(0);
    ours.forEach(({ frame }, i) => {
      const rows = {
        labels: Array.from(frame.labelIds, (id) => frame.names[id]),
        levels: Array.from(frame.levels),
        values: Array.from(frame.values),
        selfs: Array.from(frame.selfs),
      };
      expect({
        file: go[i].file,
        labels: go[i].labels,
        levels: go[i].levels,
        values: go[i].values,
        selfs: go[i].selfs,
      }).toEqual({ file: rowByRow[i], ...rows });
      expect(go[i].digest).toBe(nestedSetDigest(frame));
    });
  });

  it('has the same row count and row digest as toNestedSet on every demo CPU and heap capture and corpus profile', () => {
    expect(byDigest.length).toBeGreaterThan(2 * DEMO_FIXTURE_SCENARIOS.length + 25);
    const go = goFlameFrame(byDigest);
    const ours = byDigest.map((file) => {
      const { frame } = oursFrame(file);
      return { file, rows: frame.levels.length, digest: nestedSetDigest(frame) };
    });
    expect(go.map(({ file, rows, digest }) => ({ file, rows, digest }))).toEqual(ours);
  });
});

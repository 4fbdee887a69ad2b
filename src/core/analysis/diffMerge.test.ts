import { readFileSync } from 'fs';
import { join } from 'path';
import { fixturesRoot } from '../../../tests/support/fixtures';
import { encodeProfile, SpecBuilder } from '../wire/testing/pprofEncoder';
import { parsePprof } from '../model/parsePprof';
import { Profile, sampleTotal } from '../model/profile';
import { buildCallTree } from './callTree';
import { renderTree } from './testing/treeText';
import { diffProfiles } from './diff';
import { mergeProfiles } from './merge';
import { rowLabels } from './flameLabels';
import { toNestedSet } from './nestedSet';
import { AnalysisOptionError } from './selection';
import { topFunctions } from './topTable';

function cpu(durationNanos: number, stacks: Array<[string[], number]>): Profile {
  const b = new SpecBuilder().sampleType('samples', 'count').sampleType('cpu', 'nanoseconds');
  stacks.forEach(([s, v]) => b.sample(s, [v / 10, v]));
  b.spec.durationNanos = durationNanos;
  b.spec.timeNanos = BigInt('1795270908160634905') + BigInt(durationNanos);
  return parsePprof(encodeProfile(b.spec));
}
const fixture = (scenario: string, file = 'cpu.pb.gz') =>
  parsePprof(new Uint8Array(readFileSync(join(fixturesRoot, 'demo', scenario, file))));

describe('diffProfiles', () => {
  const baseline = cpu(10e9, [
    [['main.main', 'main.a'], 100],
    [['main.main', 'main.b'], 50],
  ]);
  const spike = cpu(20e9, [
    [['main.main', 'main.a'], 200],
    [['main.main', 'main.c'], 400],
  ]);

  it('aligns both trees by path and normalises the baseline to the comparison duration', () => {
    const diff = diffProfiles(baseline, spike);
    expect(diff.baselineScale).toBe(2);
    const t = diff.tree;
    const rows = [...Array(t.count).keys()].map(
      (i) => `${t.names[t.name[i]]} ${t.total[i]}/${t.totalRight![i]} self ${t.self[i]}/${t.selfRight![i]}`
    );
    expect(rows.sort()).toEqual([
      'main.a 200/200 self 200/200',
      'main.b 100/0 self 100/0',
      'main.c 0/400 self 0/400',
      'main.main 300/600 self 0/0',
      'total 300/600 self 0/0',
    ]);
    const frame = toNestedSet(t);
    expect(rowLabels(frame)).toEqual(['total', 'main.main', 'main.a', 'main.b', 'main.c']);
    expect(Array.from(frame.valuesRight!)).toEqual([600, 600, 200, 0, 400]);
  });

  it('compares raw values when a side has no duration', () => {
    const heapLike = cpu(0, [[['main.main', 'main.a'], 100]]);
    expect(diffProfiles(heapLike, spike).baselineScale).toBe(1);
    expect(diffProfiles(baseline, spike, { normalize: false }).tree.total[0]).toBe(150);
  });

  it('refuses profiles of different types', () => {
    expect(() => diffProfiles(fixture('gc-pressure', 'heap.pb.gz'), spike, { sampleType: 'alloc_space' })).toThrow(
      AnalysisOptionError
    );
    expect(() => diffProfiles(fixture('gc-pressure', 'heap.pb.gz'), spike, { sampleType: 'alloc_space' })).toThrow(
      'cannot compare profiles of different types: the comparison has no alloc_space/bytes samples'
    );
  });

  it('diffs two real CPU captures: each side keeps its own total', () => {
    const before = fixture('normal-load');
    const after = fixture('gc-pressure');
    const diff = diffProfiles(before, after);
    expect(diff.tree.totalRight![0]).toBe(sampleTotal(after, 1));
    expect(diff.tree.total[0]).toBeCloseTo(sampleTotal(before, 1) * (after.durationNanos / before.durationNanos), 3);
  });
});

describe('mergeProfiles', () => {
  it('merging one profile changes nothing; merging it twice doubles every value and sums durations', () => {
    const p = fixture('mutex-contention');
    const once = mergeProfiles([p]);
    expect(topFunctions(once).rows).toEqual(topFunctions(p).rows);
    const twice = mergeProfiles([p, p]);
    expect(twice.samples.count).toBe(p.samples.count);
    expect(twice.durationNanos).toBe(2 * p.durationNanos);
    expect(topFunctions(twice).rows).toEqual(
      topFunctions(p).rows.map((r) => ({ ...r, flat: 2 * r.flat, cum: 2 * r.cum }))
    );
  });

  it('merges different captures: per-function values add up and the tree root is the sum', () => {
    const a = fixture('map-hot');
    const b = fixture('gc-pressure');
    const merged = mergeProfiles([a, b]);
    expect(merged.timeNanos).toBe(a.timeNanos < b.timeNanos ? a.timeNanos : b.timeNanos);
    expect(buildCallTree(merged).total[0]).toBe(sampleTotal(a, 1) + sampleTotal(b, 1));
    const flat = (p: Profile, name: string) => topFunctions(p).rows.find((r) => r.name === name)?.flat ?? 0;
    for (const name of ['runtime.findObject', 'aeshashbody', 'runtime.mapassign_faststr']) {
      expect(flat(merged, name)).toBe(flat(a, name) + flat(b, name));
    }
  });

  it('refuses to merge profiles of different types', () => {
    expect(() => mergeProfiles([fixture('idle', 'heap.pb.gz'), fixture('idle')])).toThrow(
      /cannot merge profiles of different types/
    );
    expect(() => mergeProfiles([])).toThrow(AnalysisOptionError);
  });

  it('keeps labels apart when merging', () => {
    const b = new SpecBuilder().sampleType('cpu', 'nanoseconds');
    b.sample(['main.main'], [1], { tenant: 'a' }).sample(['main.main'], [2], { tenant: 'b' });
    const p = parsePprof(encodeProfile(b.spec));
    const merged = mergeProfiles([p, p]);
    expect(merged.samples.count).toBe(2);
    expect(buildCallTree(merged, { labels: { tenant: 'b' } }).total[0]).toBe(4);
    expect(renderTree(buildCallTree(merged))).toEqual(['total 6/0', '  main.main 6/6']);
  });
});

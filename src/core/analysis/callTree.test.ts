import fc from 'fast-check';
import { readFileSync } from 'fs';
import { join } from 'path';
import { fixturesRoot, loadManifest } from '../../../tests/support/fixtures';
import { encodeProfile, SpecBuilder } from '../wire/testing/pprofEncoder';
import { exactSampleValue, optionsArb, profileSpecArb } from '../wire/testing/profileArbitraries';
import { parsePprof } from '../model/parsePprof';
import { Profile, sampleTotal } from '../model/profile';
import { buildCallTree, CallTree, CallTreeBuilder, ROOT_LABEL } from './callTree';
import { frameIndex } from './frames';
import { parentRows, toNestedSet } from './nestedSet';
import { pruneCallTree } from './prune';
import { expectTreeInvariants, renderTree } from './testing/treeText';
import { AnalysisOptionError, selectSamples } from './selection';

function sample(): Profile {
  const b = new SpecBuilder().sampleType('samples', 'count').sampleType('cpu', 'nanoseconds');
  b.sample(['main.main', 'main.handle', 'main.parse'], [3, 30], { handler: 'api' });
  b.sample(['main.main', 'main.handle', 'main.render'], [1, 10], { handler: 'ui' });
  b.sample(['main.main', 'main.handle'], [2, 20], { handler: 'api' });
  b.sample(['main.main', 'main.walk', 'main.walk', 'main.walk'], [4, 40]);
  b.sample(['runtime.mcall', 'runtime.park_m', 'runtime.schedule'], [5, 50]);
  b.sample(['main.main', 'main.idle'], [7, 0]); // zero for cpu: contributes nothing to the cpu tree
  return parsePprof(encodeProfile(b.spec));
}

describe('buildCallTree', () => {
  it('builds the top-down tree with cumulative and self values (default sample type = last)', () => {
    expect(renderTree(buildCallTree(sample()))).toEqual([
      'total 150/0',
      '  main.main 100/0',
      '    main.handle 60/20',
      '      main.parse 30/30',
      '      main.render 10/10',
      '    main.walk 40/0',
      '      main.walk 40/0',
      '        main.walk 40/40',
      '  runtime.mcall 50/0',
      '    runtime.park_m 50/0',
      '      runtime.schedule 50/50',
    ]);
  });

  it('builds the inverted (bottom-up) tree from the leaves', () => {
    expect(renderTree(buildCallTree(sample(), { inverted: true, sampleType: 'samples' }))).toEqual([
      'total 22/0',
      '  main.handle 2/0',
      '    main.main 2/2',
      '  main.idle 7/0',
      '    main.main 7/7',
      '  main.parse 3/0',
      '    main.handle 3/0',
      '      main.main 3/3',
      '  main.render 1/0',
      '    main.handle 1/0',
      '      main.main 1/1',
      '  main.walk 4/0',
      '    main.walk 4/0',
      '      main.walk 4/0',
      '        main.main 4/4',
      '  runtime.schedule 5/0',
      '    runtime.park_m 5/0',
      '      runtime.mcall 5/5',
    ]);
  });

  it('filters by label, focus and ignore regexes', () => {
    const p = sample();
    expect(buildCallTree(p, { labels: { handler: 'api' } }).total[0]).toBe(50);
    expect(buildCallTree(p, { labels: { handler: ['api', 'ui'] } }).total[0]).toBe(60);
    expect(buildCallTree(p, { focus: /^main\.walk$/ }).total[0]).toBe(40);
    expect(buildCallTree(p, { ignore: '^runtime\\.' }).total[0]).toBe(100);
    expect(buildCallTree(p, { focus: 'handle', ignore: 'render' }).total[0]).toBe(50);
  });

  it('expands inlined frames, innermost last, as frames of their own', () => {
    const b = new SpecBuilder().sampleType('cpu', 'nanoseconds');
    b.frame('main.main');
    const spec = b.spec;
    spec.functions.push({ id: 2, name: b.str('main.outer') }, { id: 3, name: b.str('main.inlined') });
    spec.locations.push({
      id: 2,
      lines: [
        { functionId: 3, line: 9 },
        { functionId: 2, line: 4 },
      ],
    });
    spec.samples.push({ locationIds: [2, 1], values: [7] });
    expect(renderTree(buildCallTree(parsePprof(encodeProfile(spec))))).toEqual([
      'total 7/0',
      '  main.main 7/0',
      '    main.outer 7/0',
      '      main.inlined 7/7',
    ]);
  });

  it('names unsymbolized locations without a mapping <unknown>, as pprof -top, and keeps empty stacks as root self', () => {
    const b = new SpecBuilder().sampleType('threadcreate', 'count');
    b.spec.locations.push({ id: 1, address: 0x4b885a });
    b.spec.samples.push({ locationIds: [1], values: [2] }, { locationIds: [], values: [5] });
    expect(renderTree(buildCallTree(parsePprof(encodeProfile(b.spec))))).toEqual(['total 7/5', '  <unknown> 2/2']);
  });

  it('merges frames of functions that share a name, even when the string table repeats the name', () => {
    const b = new SpecBuilder().sampleType('cpu', 'nanoseconds');
    b.frame('main.main');
    const spec = b.spec;
    // A second Function row named by a second copy of the same string, and one named by the first copy.
    spec.strings.push('main.work', 'main.work');
    const [first, second] = [spec.strings.length - 2, spec.strings.length - 1];
    spec.functions.push({ id: 2, name: first }, { id: 3, name: second }, { id: 4, name: first });
    spec.locations.push(
      { id: 2, lines: [{ functionId: 2, line: 1 }] },
      { id: 3, lines: [{ functionId: 3, line: 2 }] },
      { id: 4, lines: [{ functionId: 4, line: 3 }] }
    );
    spec.samples.push(
      { locationIds: [2, 1], values: [1] },
      { locationIds: [3, 1], values: [2] },
      { locationIds: [4, 1], values: [4] }
    );
    const tree = buildCallTree(parsePprof(encodeProfile(spec)));
    expect(renderTree(tree)).toEqual(['total 7/0', '  main.main 7/0', '    main.work 7/7']);
    expect(tree.names.filter((n) => n === 'main.work')).toHaveLength(1);
  });

  it('merges an unsymbolized location with a function of the same name ([binary]), as one frame', () => {
    const b = new SpecBuilder().sampleType('cpu', 'nanoseconds');
    b.frame('main.main');
    const spec = b.spec;
    spec.strings.push('/usr/bin/server', '[server]');
    spec.mappings.push({ id: 1, memoryStart: 0x400000, memoryLimit: 0x800000, filename: spec.strings.length - 2 });
    spec.functions.push({ id: 2, name: spec.strings.length - 1 });
    spec.locations.push({ id: 2, lines: [{ functionId: 2, line: 1 }] }, { id: 3, mappingId: 1, address: 0x401000 });
    spec.samples.push({ locationIds: [2, 1], values: [1] }, { locationIds: [3, 1], values: [2] });
    const tree = buildCallTree(parsePprof(encodeProfile(spec)));
    expect(renderTree(tree)).toEqual(['total 3/0', '  main.main 3/0', '    [server] 3/3']);
  });

  it('rejects an unknown sample type, listing the choices', () => {
    expect(() => buildCallTree(sample(), { sampleType: 'alloc_space' })).toThrow(AnalysisOptionError);
    expect(() => buildCallTree(sample(), { sampleType: 'alloc_space' })).toThrow(
      'sample type "alloc_space" must be one of: samples, cpu'
    );
  });

  it('keeps total = sum of values and total = self + children everywhere (property)', () => {
    fc.assert(
      fc.property(profileSpecArb(exactSampleValue), optionsArb, fc.boolean(), (spec, options, inverted) => {
        const p = parsePprof(encodeProfile(spec, options));
        for (let t = 0; t < p.sampleTypes.length; t++) {
          const tree = buildCallTree(p, { sampleType: t, inverted });
          expect(tree.total[0]).toBe(sampleTotal(p, t));
          expectTreeInvariants(tree);
        }
      }),
      { numRuns: 100 }
    );
  });
});

/** The tree built the direct way: every sample walks its frames from the root, looking each child up. */
function treeByChildLookup(p: Profile, inverted: boolean): CallTree {
  const index = frameIndex(p);
  const selection = selectSamples(p, {});
  const builder = new CallTreeBuilder(index.names.length);
  const { stackStart, stack, values } = p.samples;
  for (const sample of selection.samples) {
    const frames: number[] = [];
    for (let k = stackStart[sample]; k < stackStart[sample + 1]; k++) {
      const loc = stack[k];
      // Leaf location first, each location's frames innermost last: reversed, that is root first.
      frames.push(...Array.from(index.frames.subarray(index.frameStart[loc], index.frameStart[loc + 1])).reverse());
    }
    if (!inverted) {
      frames.reverse();
    }
    const value = values[sample * p.sampleTypes.length + selection.typeIndex];
    let node = 0;
    builder.total[0] += value;
    for (const frame of frames) {
      builder.reserve(1);
      node = builder.child(node, frame);
      builder.total[node] += value;
    }
    builder.self[node] += value;
  }
  return {
    names: [...index.names, ROOT_LABEL],
    ...builder.columns(),
    sampleType: selection.sampleType,
    inverted,
    sampleCount: selection.samples.length,
  };
}

describe('buildCallTree numbers nodes as the flame graph lays out its rows', () => {
  it('gives the rows of the tree built by child lookup and then ordered, both directions (property)', () => {
    fc.assert(
      fc.property(profileSpecArb(exactSampleValue), optionsArb, fc.boolean(), (spec, options, inverted) => {
        const p = parsePprof(encodeProfile(spec, options));
        const tree = buildCallTree(p, { inverted });
        expect(tree.layout).toBe('preOrderByName');
        const rows = toNestedSet(tree);
        const expected = toNestedSet(treeByChildLookup(p, inverted));
        expect(Array.from(rows.levels)).toEqual(Array.from(expected.levels));
        expect(Array.from(rows.values)).toEqual(Array.from(expected.values));
        expect(Array.from(rows.selfs)).toEqual(Array.from(expected.selfs));
        expect(Array.from(rows.labelIds, (id) => rows.names[id])).toEqual(
          Array.from(expected.labelIds, (id) => expected.names[id])
        );
      }),
      { numRuns: 150 }
    );
  });

  it('is not claimed by a pruned tree, whose `other` nodes are laid out among their siblings by label', () => {
    const pruned = pruneCallTree(buildCallTree(sample()), 6);
    expect(pruned.layout).toBeUndefined();
    const rows = toNestedSet(pruned);
    const labels = Array.from(rows.labelIds, (id) => rows.names[id]);
    expect(labels).toContain('other');
    const parents = parentRows(rows.levels);
    const lastChildOf = new Map<number, number>();
    for (let i = 1; i < labels.length; i++) {
      const before = lastChildOf.get(parents[i]);
      if (before !== undefined) {
        expect(labels[before] < labels[i]).toBe(true);
      }
      lastChildOf.set(parents[i], i);
    }
  });
});

describe('buildCallTree on every real fixture', () => {
  const manifest = join(fixturesRoot, 'manifest.json');
  const files = (() => {
    try {
      return loadManifest()
        .captures.filter((c) => c.file.endsWith('.pb.gz'))
        .map((c) => c.file);
    } catch {
      return [];
    }
  })();
  if (files.length === 0) {
    it.skip(`needs ${manifest}`, () => undefined);
    return;
  }
  it.each(files)('%s: the root equals the sum of samples for every sample type, both directions', (file) => {
    const p = parsePprof(new Uint8Array(readFileSync(join(fixturesRoot, file))));
    for (let t = 0; t < p.sampleTypes.length; t++) {
      for (const inverted of [false, true]) {
        const tree = buildCallTree(p, { sampleType: t, inverted });
        expect(tree.total[0]).toBe(sampleTotal(p, t));
        expectTreeInvariants(tree);
      }
    }
  });
});

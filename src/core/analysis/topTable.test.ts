import { readFileSync } from 'fs';
import { join } from 'path';
import { fixturesRoot } from '../../../tests/support/fixtures';
import { encodeProfile, SpecBuilder } from '../wire/testing/pprofEncoder';
import { parsePprof } from '../model/parsePprof';
import { aggregateByClass, aggregateByPackage, framePackage } from './aggregate';
import { rowThreshold, topFunctions } from './topTable';

function profile() {
  const b = new SpecBuilder().sampleType('cpu', 'nanoseconds');
  b.sample(['main.main', 'main.walk', 'main.walk', 'strings.Index'], [40]);
  b.sample(['main.main', 'main.walk'], [10]);
  b.sample(['main.main', 'encoding/json.Marshal', 'reflect.Value.Field'], [25]);
  b.sample(['main.main', 'github.com/acme/lib.(*Client).Do', 'runtime.mallocgc'], [25]);
  return parsePprof(encodeProfile(b.spec));
}

describe('topFunctions', () => {
  it('computes flat (leaf) and cum (once per sample, recursion not double-counted), sorted by flat', () => {
    const top = topFunctions(profile());
    expect(top.total).toBe(100);
    expect(top.sampleType).toEqual({ type: 'cpu', unit: 'nanoseconds' });
    expect(top.rows).toEqual([
      { name: 'strings.Index', flat: 40, cum: 40 },
      { name: 'reflect.Value.Field', flat: 25, cum: 25 },
      { name: 'runtime.mallocgc', flat: 25, cum: 25 },
      { name: 'main.walk', flat: 10, cum: 50 },
      { name: 'encoding/json.Marshal', flat: 0, cum: 25 },
      { name: 'github.com/acme/lib.(*Client).Do', flat: 0, cum: 25 },
      { name: 'main.main', flat: 0, cum: 100 },
    ]);
  });

  it('sorts by cum and limits', () => {
    expect(topFunctions(profile(), { sortBy: 'cum', limit: 2 }).rows.map((r) => r.name)).toEqual([
      'main.main',
      'main.walk',
    ]);
  });
});

describe('topFunctions with a limit', () => {
  const demo = parsePprof(new Uint8Array(readFileSync(join(fixturesRoot, 'demo', 'gc-pressure', 'cpu.pb.gz'))));

  it.each(['flat', 'cum'] as const)(
    'is the first rows of the whole table sorted by %s, ties at the cut included by name',
    (sortBy) => {
      const all = topFunctions(demo, { sortBy }).rows;
      // Many functions have no flat value: the cut falls among ties for most limits.
      expect(all.filter((r) => r.flat === 0).length).toBeGreaterThan(10);
      for (const limit of [0, 1, 2, 3, 10, 25, all.length - 1, all.length, all.length + 5, -1]) {
        expect(topFunctions(demo, { sortBy, limit }).rows).toEqual(all.slice(0, Math.max(0, limit)));
      }
    }
  );

  it('keeps ties at the cut on synthetic values with many equal keys', () => {
    const b = new SpecBuilder().sampleType('cpu', 'nanoseconds');
    for (let i = 0; i < 60; i++) {
      b.sample(['main.main', `main.f${(i * 7) % 60}`], [10 * (i % 4)]);
    }
    const p = parsePprof(encodeProfile(b.spec));
    const all = topFunctions(p).rows;
    for (let limit = 0; limit <= all.length + 1; limit++) {
      expect(topFunctions(p, { limit }).rows).toEqual(all.slice(0, limit));
    }
  });
});

describe('rowThreshold', () => {
  it('is the limit-th largest key among the present groups', () => {
    const keys = new Float64Array([5, 9, 1, 9, 7, 3, 0]);
    const present = new Uint8Array([1, 1, 1, 1, 0, 1, 1]);
    expect(rowThreshold(keys, present, 1)).toBe(9);
    expect(rowThreshold(keys, present, 2)).toBe(9);
    expect(rowThreshold(keys, present, 3)).toBe(5);
    expect(rowThreshold(keys, present, 5)).toBe(1);
    expect(rowThreshold(keys, present, 6)).toBe(-Infinity);
    expect(rowThreshold(keys, present, undefined)).toBe(-Infinity);
    expect(rowThreshold(keys, present, 0)).toBe(Infinity);
    expect(rowThreshold(new Float64Array([-4, -1, -9]), new Uint8Array([1, 1, 1]), 2)).toBe(-4);
  });
});

describe('aggregation', () => {
  it('groups by package, counting a package once per sample', () => {
    const rows = aggregateByPackage(profile()).rows;
    expect(rows).toContainEqual({ name: 'main', flat: 10, cum: 100 });
    expect(rows).toContainEqual({ name: 'strings', flat: 40, cum: 40 });
    expect(rows).toContainEqual({ name: 'github.com/acme/lib', flat: 0, cum: 25 });
    expect(framePackage('gopkg.in/yaml%2ev3.(*parser).parse')).toBe('gopkg.in/yaml.v3');
    expect(framePackage('0x4b885a')).toBe('(unsymbolized)');
    expect(framePackage('<unknown>')).toBe('(unsymbolized)');
  });

  it('groups by frame class', () => {
    const rows = aggregateByClass(profile()).rows;
    expect(rows).toEqual([
      { name: 'stdlib', flat: 65, cum: 65 },
      { name: 'runtime-gc', flat: 25, cum: 25 },
      { name: 'user', flat: 10, cum: 100 },
      { name: 'third-party', flat: 0, cum: 25 },
    ]);
  });

  it('treats the demo service as user code by its file names (module path has a dot)', () => {
    const p = parsePprof(new Uint8Array(readFileSync(join(fixturesRoot, 'demo', 'map-hot', 'cpu.pb.gz'))));
    const user = aggregateByClass(p).rows.find((r) => r.name === 'user')!;
    const total = topFunctions(p).total;
    expect(user.cum / total).toBeGreaterThan(0.9);
    expect(aggregateByPackage(p).rows.map((r) => r.name)).toContain(
      'github.com/seed/goruntime-demo/internal/scenarios'
    );
  });
});

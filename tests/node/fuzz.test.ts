/**
 * The bounded fuzz run of CI (the long one is `npm run fuzz -- --long`, tests/fuzz/run.ts): a fixed set of seeded
 * cases per parser, plus the hostile inputs that once crashed or exhausted the process. Every case must end in
 * success or one of the core's typed errors, within 2 s of CPU time for an input under 1 MB (CPU time, not wall
 * time: other processes on the machine do not count), without the process growing past 1.5 GiB.
 */
import { gzipSync } from 'zlib';

import { hostilePprof } from '../../src/core/wire/testing/hostilePprof';
import {
  CASE_CPU_LIMIT_MS,
  caseInput,
  decodePyroscope,
  emptyStats,
  FuzzInput,
  fuzzTarget,
  runCases,
  runInput,
  TargetName,
} from '../fuzz/targets';

const MEMORY_LIMIT_BYTES = 1.5 * 2 ** 30;
const CASES: Record<TargetName, number> = {
  pprof: 1500,
  'goroutine-debug2': 600,
  'goroutine-debug1': 800,
  pyroscope: 800,
};

describe('fuzz (bounded)', () => {
  it.each(Object.entries(CASES) as Array<[TargetName, number]>)(
    '%s: %d seeded cases end in success or a typed error, each within the CPU bound',
    (name, count) => {
      const stats = runCases(fuzzTarget(name), 1, 0, count, emptyStats(name));
      expect(stats.untyped).toEqual([]);
      expect(stats.slow).toEqual([]);
      expect(stats.maxRssBytes).toBeLessThan(MEMORY_LIMIT_BYTES);
      expect(stats.ok + stats.typed).toBe(count);
      // The cases exercise both outcomes, so neither the parser nor the mutator is trivially passing.
      expect(stats.ok).toBeGreaterThan(0);
      expect(stats.typed).toBeGreaterThan(0);
    },
    180_000
  );
});

describe('fuzz regressions: inputs that once crashed or exhausted the process', () => {
  function expectTyped(name: TargetName, input: FuzzInput): void {
    const outcome = runInput(
      name === 'pyroscope' ? { name, generate: () => input, run: (i) => runPyroscope(i as string) } : fuzzTarget(name),
      input
    );
    expect({ result: outcome.result, error: outcome.error }).toEqual({ result: 'typed', error: undefined });
    expect(outcome.cpuMs).toBeLessThan(CASE_CPU_LIMIT_MS * 5);
  }
  const runPyroscope = (text: string) => {
    const nl = text.indexOf('\n');
    decodePyroscope(text.slice(0, nl) as Parameters<typeof decodePyroscope>[0], text.slice(nl + 1));
  };
  const gz = (bytes: Uint8Array) => new Uint8Array(gzipSync(bytes, { level: 9 }));

  it.each([
    ['repeated comment fields', () => gz(hostilePprof('comments', 2 << 20))],
    ['empty sample_type fields', () => gz(hostilePprof('empty-sample-types', 2 << 20))],
    ['empty labels', () => gz(hostilePprof('labels', 2 << 20))],
    ['empty lines in one location', () => gz(hostilePprof('lines-one-location', 2 << 20))],
    ['one huge packed value list', () => gz(hostilePprof('packed-values-one-sample', 2 << 20))],
    ['a location with 150,000 inline lines', () => gz(hostilePprof('inline-lines', 150_000))],
  ])('pprof: %s', (_what, input) => expectTyped('pprof', input()), 60_000);

  it('goroutine debug=2: the same header pasted 9,185 times (long-run case 16315) splits into snapshots within the CPU bound', () => {
    // Every repeat starts a new snapshot; the ids seen were once tracked in a fresh bitmap per snapshot.
    const target = fuzzTarget('goroutine-debug2');
    const outcome = runInput(target, caseInput(target, 1, 16315));
    expect(outcome.result).not.toBe('untyped');
    expect(outcome.cpuMs).toBeLessThan(CASE_CPU_LIMIT_MS);
  });

  it('goroutine debug=1: a label with a \\U escape beyond Unicode (93 bytes) does not crash', () => {
    const text =
      'goroutine profile: total 1\n1 @ 0x1\n# labels: {"\\U0000ffffffff":"x"}\n#\t0x1\tmain.main+0x1\t/m.go:1\n';
    expect(runInput(fuzzTarget('goroutine-debug1'), text).result).not.toBe('untyped');
  });

  const deep = (levels: number) => `${'['.repeat(levels)}1${']'.repeat(levels)}`;
  it.each([
    ['a deeply nested value where names belong', `flamegraph\n{"flamegraph":{"names":${deep(200_000)}}}`],
    ['timeNanos 1e21', `profile\n{"stringTable":[""],"timeNanos":1e21}`],
    ['a deeply nested wrong-typed series', `series\n{"series":${deep(200_000)}}`],
  ])('pyroscope: %s', (_what, text) => expectTyped('pyroscope', text), 60_000);

  it('pyroscope: a flame graph of 200,000 root-level nodes and a series of 150,000 points decode or fail typed', () => {
    const level = new Array<number>(200_000).fill(0).flatMap(() => [0, 1, 1, 0]);
    const flame = `flamegraph\n${JSON.stringify({ flamegraph: { names: ['total'], levels: [{ values: level.map(String) }], total: '200000', maxSelf: '1' } })}`;
    const points = new Array(150_000).fill(0).map((_, i) => ({ value: 1, timestamp: String(1e12 + i * 1000) }));
    const series = `series\n${JSON.stringify({ series: [{ labels: [], points }] })}`;
    for (const input of [flame, series]) {
      const outcome = runInput(
        { name: 'pyroscope', generate: () => input, run: (i) => runPyroscope(i as string) },
        input
      );
      expect(outcome.result).not.toBe('untyped');
    }
  }, 60_000);
});

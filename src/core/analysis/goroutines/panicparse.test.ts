/**
 * Equivalence with panicparse (Debian package `panicparse`, maruel/panicparse v2) on the real demo captures: the same
 * number of goroutines and the same bucket sizes.
 *
 * panicparse's default similarity (`AnyPointer`, maruel/panicparse:stack/bucket.go) splits buckets where a
 * non-pointer argument value differs (a value counts as a pointer when 512 KiB < v < 2^63), and v2.3.0 (the Debian
 * version) keeps ` in goroutine N` in the created-by function name, so goroutines made by different parents split
 * too. Our clusters deliberately ignore argument values; to compare like with like, the test adds panicparse's
 * argument key and parent id as a split key (`ClusterOptions.splitBy`). Without arguments, our default clustering
 * is checked against `panicparse -aggressive` (`AnyValue`).
 */
import { execFileSync } from 'child_process';
import { existsSync, readFileSync } from 'fs';
import { join } from 'path';
import { fixtureScenarios, fixturePath, hasFixture } from '../../../../tests/support/fixtures';
import { snapshotFromDump } from '../../model/goroutineSnapshot';
import { parseGoroutineDump } from '../../wire/goroutineDump';
import type { DumpGoroutine } from '../../wire/goroutineDumpTypes';
import { clusterGoroutines } from './cluster';

const PANICPARSE = ['/usr/bin/panicparse', '/usr/local/bin/panicparse', '/usr/bin/pp'].find((p) => existsSync(p));

const POINTER_FLOOR = BigInt(512 * 1024);
const POINTER_CEILING = (BigInt(1) << BigInt(63)) - BigInt(1);

/** panicparse's view of one argument list under AnyPointer (maruel/panicparse:stack/context.go parseArgs). */
function panicparseArgsKey(args: string | undefined): string {
  if (args === undefined || args === '') {
    return '';
  }
  let out = '';
  for (const item of args.split(', ')) {
    let s = item;
    let open = 0;
    let close = 0;
    while (s.startsWith('{')) {
      open++;
      s = s.slice(1);
    }
    while (s.endsWith('}')) {
      close++;
      s = s.slice(0, -1);
    }
    out += '{'.repeat(open);
    if (s === '...') {
      out += 'E';
    } else if (s === '_') {
      out += 'O,';
    } else if (s !== '') {
      const v = BigInt(s.endsWith('?') ? s.slice(0, -1) : s);
      out += v > POINTER_FLOOR && v < POINTER_CEILING ? 'P,' : `V${v},`;
    }
    out += '}'.repeat(close);
  }
  return out;
}

function panicparseBuckets(file: string, aggressive: boolean): number[] {
  const flags = ['-no-color', '-parse=false', '-rebase=false', ...(aggressive ? ['-aggressive'] : [])];
  const out = execFileSync(PANICPARSE!, [...flags, file], { encoding: 'utf8', maxBuffer: 64 << 20 });
  return out
    .split('\n')
    .map((l) => /^(\d+): /.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]));
}

function ourBuckets(text: string, withArguments: boolean): number[] {
  const dump = parseGoroutineDump(text);
  const snapshot = snapshotFromDump(dump);
  const g = (i: number): DumpGoroutine => dump.goroutines[i];
  const splitBy = (i: number) => {
    const h = g(i).header;
    // panicparse keeps the raw status text (with "(leaked)"...) and, in v2.3.0, the creator id in CreatedBy.
    let key = `${h.leaked}${h.scan}${h.durable}|${g(i).creatorId}`;
    if (withArguments) {
      key += `|${g(i).args!.map(panicparseArgsKey).join(';')}`;
    }
    return key;
  };
  return clusterGoroutines(snapshot, { splitBy }).clusters.map((c) => c.count);
}

const sorted = (xs: number[]) => [...xs].sort((a, b) => b - a);

function captures(): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const scenario of fixtureScenarios()) {
    for (const file of ['goroutine.debug2.txt', 'goroutine.later.debug2.txt', 'goroutineleak.debug2.txt']) {
      if (hasFixture(scenario, file)) {
        out.push([scenario, file]);
      }
    }
  }
  return out;
}

const describeIfPanicparse = PANICPARSE ? describe : describe.skip;
if (!PANICPARSE) {
  console.warn('panicparse not installed (apt-get install -y panicparse): equivalence tests skipped');
}

describeIfPanicparse('equivalence with panicparse on the demo captures', () => {
  const cases = captures();

  it('covers every scenario', () => {
    expect(cases.length).toBeGreaterThanOrEqual(fixtureScenarios().length);
  });

  it.each(cases)('%s/%s: same goroutine count and bucket sizes (default similarity)', (scenario, file) => {
    const path = fixturePath(scenario, file);
    const text = readFileSync(path, 'utf8');
    // panicparse 2.3.0 stops a snapshot at Go 1.21's "...N frames elided..." line (it knows only the old form).
    expect(text).not.toMatch(/^\.\.\.\d+ frames elided\.\.\.$/m);
    const theirs = panicparseBuckets(path, false);
    const ours = ourBuckets(text, true);
    expect(ours.reduce((a, b) => a + b, 0)).toBe(theirs.reduce((a, b) => a + b, 0));
    expect(sorted(ours)).toEqual(sorted(theirs));
  });

  it.each(cases)('%s/%s: our argument-blind clusters equal panicparse -aggressive', (scenario, file) => {
    const path = fixturePath(scenario, file);
    expect(sorted(ourBuckets(readFileSync(path, 'utf8'), false))).toEqual(sorted(panicparseBuckets(path, true)));
  });

  it('agrees on real Go 1.26 dumps with generics, cgo, synctest and escaped paths', () => {
    for (const name of ['cgo.txt', 'synctest.txt', 'deadlock.txt']) {
      const path = join(__dirname, '..', '..', 'wire', '__testdata__', 'go1.26', name);
      expect({ name, sizes: sorted(ourBuckets(readFileSync(path, 'utf8'), true)) }).toEqual({ name, sizes: sorted(panicparseBuckets(path, false)) });
    }
  });
});

describe('panicparseArgsKey', () => {
  it('follows panicparse: pointers are values in (512 KiB, 2^63), aggregates nest, "..." and "_" are flags', () => {
    expect(panicparseArgsKey('0xc000010000, 0x5')).toBe('P,V5,');
    expect(panicparseArgsKey('0x80000?, 0x80001')).toBe('V524288,P,');
    expect(panicparseArgsKey('{0x1, {0xc000010000}}, _, ...')).toBe('{V1,{P,}}O,E');
    expect(panicparseArgsKey('0xffffffffffffffff')).toBe('V18446744073709551615,');
    expect(panicparseArgsKey(undefined)).toBe('');
  });
});

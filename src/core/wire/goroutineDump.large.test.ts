/**
 * `writeGoroutineStacks` stops growing its buffer at 64 MB and then cuts the dump silently, possibly mid-frame
 * (golang/go:src/runtime/pprof/pprof.go). A 64 MB dump made of a real capture repeated, cut inside a function line,
 * must parse.
 */
import { hasFixture, readFixtureText } from '../../../tests/support/fixtures';
import { readFileSync } from 'fs';
import { join } from 'path';
import { parseGoroutineDump } from './goroutineDump';

const LIMIT = 64 << 20;

function source(): string {
  if (hasFixture('goroutine-leak', 'goroutine.later.debug2.txt')) {
    return readFixtureText('goroutine-leak', 'goroutine.later.debug2.txt');
  }
  return readFileSync(join(__dirname, '__testdata__', 'go1.26', 'debug2.txt'), 'utf8');
}

describe('a 64 MB dump cut by the runtime', () => {
  it('parses up to the cut and reports the last goroutine truncated', () => {
    const unit = source().replace(/\n*$/, '\n\n');
    const big = unit.repeat(Math.ceil(LIMIT / unit.length));
    // Cut inside the argument list of the first function line after the 64 MB mark.
    let cut = big.indexOf('(', LIMIT);
    cut = big.lastIndexOf('\n', cut) + 1;
    while (big[cut] === '\t' || big[cut] === '\n' || big.startsWith('goroutine ', cut) || big.startsWith('created by', cut)) {
      cut = big.indexOf('\n', cut) + 1;
    }
    const paren = big.indexOf('(', cut);
    const text = big.slice(0, paren + 3);
    expect(text.length).toBeGreaterThan(LIMIT);

    const dump = parseGoroutineDump(text, { keepArguments: false });
    const headers = text.match(/^goroutine \d+ \[/gm)!.length;
    expect(dump.goroutines).toHaveLength(headers);
    expect(dump.truncated).toBe(true);
    const last = dump.goroutines[dump.goroutines.length - 1];
    expect(last.truncated).toBe(true);
    expect(last.frames[last.frames.length - 1].func).toBe(big.slice(cut, paren));
    expect(dump.goroutines.slice(0, -1).every((g) => !g.truncated)).toBe(true);
    expect(dump.skippedLines).toBe(0);
  });
});

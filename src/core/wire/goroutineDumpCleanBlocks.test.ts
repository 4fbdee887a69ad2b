/**
 * Goroutine blocks read from bytes (goroutineDumpCleanBlocks.ts) must give exactly what the text parser gives for the
 * decoded text, whether the block is read from bytes or handed to the text parser, and frames or headers whose byte
 * hashes collide must stay distinct.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { fixturesRoot } from '../../../tests/support/fixtures';
import {
  parseGoroutineDump,
  parseGoroutineDumpBytes,
  parseGoroutineDumpText,
  type GoroutineDump,
} from './goroutineDump';
import { frameHash, hashBytes } from './goroutineDumpCleanBlocks';

const utf8 = (text: string) => new TextEncoder().encode(text);
const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const NO_ARGUMENTS = { keepArguments: false };

/** Reads `bytes` both ways; returns the byte reading and how many characters it decoded for the text parser. */
function readBothWays(bytes: Uint8Array): { fromBytes: GoroutineDump; decodedChars: number } {
  let decodedChars = 0;
  const fromBytes = parseGoroutineDumpBytes(bytes, NO_ARGUMENTS, (piece) => {
    decodedChars += piece.length;
    return false;
  })!;
  expect(fromBytes).toEqual(parseGoroutineDumpText(decode(bytes), NO_ARGUMENTS));
  expect(parseGoroutineDump(decode(bytes), NO_ARGUMENTS)).toEqual(fromBytes);
  return { fromBytes, decodedChars };
}

/** The result of a reading, or the class and message of what it threw. */
function outcome(read: () => GoroutineDump | undefined): GoroutineDump | string | undefined {
  try {
    return read();
  } catch (error) {
    return `${(error as Error).name}: ${(error as Error).message}`;
  }
}

/** A real capture of the demo service (one dump, Go 1.26, traceback level 1), ending in a blank line. */
const capture = readFileSync(join(fixturesRoot, 'demo', 'mutex-contention', 'goroutine.debug2.txt'), 'utf8').replace(
  /\n*$/,
  '\n\n'
);
/** The capture's goroutines renumbered from `first` on, so that copies of it form one dump. */
const renumbered = (first: number) => capture.replace(/^goroutine \d+/gm, () => `goroutine ${first++}`);

describe('goroutine blocks read from bytes', () => {
  it('read the clean blocks of a real capture from bytes, decoding only the last (cut) block', () => {
    const text = `${renumbered(1)}${renumbered(10_000)}`;
    const { fromBytes, decodedChars } = readBothWays(utf8(text));
    expect(fromBytes.goroutines.length).toBe(text.match(/^goroutine \d+ \[/gm)!.length);
    expect(decodedChars).toBeLessThan(text.length / 10);
  });

  it('read a capture with CRLF line ends through the text parser, with the same result', () => {
    const text = renumbered(1).replace(/\n/g, '\r\n');
    const { fromBytes, decodedChars } = readBothWays(utf8(text));
    expect(decodedChars).toBe(text.length);
    expect(fromBytes.goroutines.length).toBeGreaterThan(5);
  });

  it('hand non-ASCII and invalid UTF-8 blocks to the text parser, reading the blocks around them from bytes', () => {
    const nonAscii = utf8(
      'goroutine 900 [select]:\nmain.wörk(0x1)\n\t/src/ünï/main.go:12 +0x1d\n' +
        'created by main.main in goroutine 1\n\t/src/ünï/main.go:9 +0x25\n\n'
    );
    const invalid = utf8('goroutine 901 [chan receive]:\nmain.Xbad(0x2)\n\t/src/main.go:30 +0x1\n\n');
    invalid[invalid.indexOf(0x58 /* X */)] = 0xc3; // a lead byte without its continuation: U+FFFD when decoded
    const bytes = new Uint8Array([...utf8(renumbered(1)), ...nonAscii, ...invalid, ...utf8(renumbered(1000))]);
    const { fromBytes, decodedChars } = readBothWays(bytes);
    expect(decodedChars).toBeLessThan(bytes.length / 4);
    const funcs = fromBytes.goroutines.flatMap((g) => g.frames.map((f) => f.func));
    expect(funcs).toContain('main.wörk');
    expect(funcs).toContain('main.\ufffdbad');
    expect(fromBytes.goroutines.find((g) => g.id === 900)!.frames[0].file).toBe('/src/ünï/main.go');
    const last = fromBytes.goroutines[fromBytes.goroutines.length - 1];
    expect(decode(bytes).startsWith(`goroutine ${last.id} [`, last.offset)).toBe(true);
  });

  // Each block below breaks one rule of the clean grammar; it sits between clean blocks, which are read from bytes.
  it.each([
    [
      'elided frames',
      'goroutine 50 [select]:\nmain.f(...)\n\t/a.go:1\n...3 frames elided...\nmain.g()\n\t/a.go:2 +0x1\n',
    ],
    ['old elision', 'goroutine 50 [select]:\nmain.f()\n\t/a.go:1 +0x1\n...additional frames elided...\n'],
    [
      'ancestors',
      'goroutine 50 [select]:\nmain.f()\n\t/a.go:1 +0x1\ncreated by main.g in goroutine 1\n\t/a.go:2 +0x1\n[originating from goroutine 1]:\nmain.h()\n\t/a.go:3 +0x1\n',
    ],
    [
      'level-2 header and frames',
      'goroutine 50 gp=0xc000 m=nil [select]:\nmain.f()\n\t/a.go:1 +0x1 fp=0x1 sp=0x2 pc=0x3\n',
    ],
    ['level-2 frames only', 'goroutine 50 [select]:\nmain.f()\n\t/a.go:1 +0x1 fp=0x1 sp=0x2 pc=0x3\n'],
    [
      'cgo frame without symbolizer',
      'goroutine 50 [syscall]:\nnon-Go function at pc=0x1234\nmain.f()\n\t/a.go:1 +0x1\n',
    ],
    ['cgo symbolizer name', 'goroutine 50 [syscall]:\nC.sleep\n\t/c.c:1 pc=0x1234\nmain.f()\n\t/a.go:1 +0x1\n'],
    [
      'created by without a goroutine id',
      'goroutine 50 [select]:\nmain.f()\n\t/a.go:1 +0x1\ncreated by main.g\n\t/a.go:2 +0x1\n',
    ],
    [
      'created by with other words',
      'goroutine 50 [select]:\nmain.f()\n\t/a.go:1 +0x1\ncreated by main.g in thread 3\n\t/a.go:2 +0x1\n',
    ],
    ['a function line without its file line', 'goroutine 50 [select]:\nmain.f()\nmain.g()\n\t/a.go:1 +0x1\n'],
    ['a file line indented by spaces', 'goroutine 50 [select]:\nmain.f()\n        /a.go:1 +0x1\n'],
    ['a tab then spaces', 'goroutine 50 [select]:\nmain.f()\n\t  /a.go:1 +0x1\n'],
    ['an empty bracket', 'goroutine 50 []:\nmain.f()\n\t/a.go:1 +0x1\n'],
    ['a bracket holding ]', 'goroutine 50 [a]b]:\nmain.f()\n\t/a.go:1 +0x1\n'],
    ['an id of 16 digits', 'goroutine 1234567890123456 [select]:\nmain.f()\n\t/a.go:1 +0x1\n'],
    ['a header without frames', 'goroutine 50 [select]:\n'],
    ['a stack unavailable', 'goroutine 50 [running]:\n\tgoroutine running on other thread; stack unavailable\n'],
    [
      'a header right after a frame',
      'goroutine 50 [select]:\nmain.f()\n\t/a.go:1 +0x1\ngoroutine 51 [select]:\nmain.f()\n\t/a.go:1 +0x1\n',
    ],
    ['a function named like a header', 'goroutine 50 [select]:\ngoroutine 7 [x]:(0x1)\n\t/a.go:1 +0x1\n'],
    ['a tab inside the arguments', 'goroutine 50 [select]:\nmain.f(0x1,\t0x2)\n\t/a.go:1 +0x1\n'],
    ['a panic message', 'panic: boom\n\ngoroutine 50 [running]:\nmain.f()\n\t/a.go:1 +0x1\n'],
    [
      'a race report',
      '==================\nWARNING: DATA RACE\n\nRead at 0x1 by goroutine 7:\n  main.f()\n      /a.go:1 +0x1\n==================\n',
    ],
    ['blank lines between blocks', '\n\n\ngoroutine 50 [select]:\nmain.f()\n\t/a.go:1 +0x1\n\n\n'],
    [
      'a function name with a space',
      'goroutine 50 [select]:\nmain.f g(0x1)\n\t/a.go:1 +0x1\ncreated by main.f g in goroutine 1\n\t/a.go:2 +0x1\n',
    ],
  ])('same result as the text parser for %s', (_what, block) => {
    const text = `${renumbered(1)}${block}\n${renumbered(2000)}`;
    const { fromBytes } = readBothWays(utf8(text));
    expect(fromBytes.goroutines.length).toBeGreaterThan(10);
  });

  it('keep frames longer than the store holds at first (names and file lines of odd lengths)', () => {
    const long = (n: number) =>
      `goroutine ${n} [select]:\nmain.${'f'.repeat(40_000 + n)}(0x1)\n\t/${'d'.repeat(90_000 + n)}.go:1 +0x1\n\n`;
    const { fromBytes, decodedChars } = readBothWays(utf8(`${long(1)}${long(2)}${long(3)}${long(2)}`));
    expect(decodedChars).toBe(0);
    expect(fromBytes.distinctFrames).toBe(3);
  });

  it.each([
    ['a blank line', `\n${capture}`],
    ['a bracket holding ]', capture.replace(/^(goroutine \d+) \[/, '$1 [x]y')],
    ['a BOM', `\ufeff${capture}`],
  ])('leave a first line starting with %s to the text parser', (_what, text) => {
    let first: string | undefined;
    parseGoroutineDumpBytes(utf8(text), NO_ARGUMENTS, (piece, atInputStart) => {
      first ??= atInputStart ? piece : '';
      return false;
    });
    expect(first).toBe(text.replace(/^\ufeff/, '').slice(0, first!.length));
    readBothWays(utf8(text));
  });

  it('cut at any byte of its first blocks or of a later one, same result or error as the text parser', () => {
    const head = renumbered(1).slice(0, 1200);
    const later = `goroutine 7000 [select]:\nmain.f(0x1)\n\t/a.go:1 +0x1\ncreated by main.main in goroutine 1\n\t/a.go:9 +0x25\n\n`;
    const texts = [
      ...Array.from({ length: head.length }, (_, end) => head.slice(0, end + 1)),
      ...Array.from(
        { length: later.length },
        (_, end) => `${head.slice(0, head.lastIndexOf('\n\n') + 2)}${later.slice(0, end + 1)}`
      ),
    ];
    for (const text of texts) {
      const bytes = utf8(text);
      expect(outcome(() => parseGoroutineDumpBytes(bytes, NO_ARGUMENTS))).toEqual(
        outcome(() => parseGoroutineDumpText(text, NO_ARGUMENTS))
      );
    }
  });
});

describe('a string without arguments kept', () => {
  it.each([
    ['a leading BOM', `\ufeff${capture}`],
    ['a BOM inside', capture.replace('\n\ngoroutine', '\n\n\ufeffgoroutine')],
    ['non-ASCII names', capture.replace(/^main\./gm, 'mäin.')],
    ['a lone surrogate (not read from bytes: its UTF-8 would be U+FFFD)', capture.replace(/^main\./m, '\ud800main.')],
    [
      'astral characters and blocks longer than a piece',
      `${renumbered(1).replace(/^main\./gm, 'm😀in.')}${'ü'.repeat(70_000)}\n${'😀'.repeat(40_000)}\n\n${renumbered(500).repeat(8)}`,
    ],
    ['no goroutine at all', 'hello\n\nworld\n'.repeat(2000)],
  ])('with %s, reads as the text parser reads it', (_what, text) => {
    expect(outcome(() => parseGoroutineDump(text, NO_ARGUMENTS))).toEqual(
      outcome(() => parseGoroutineDumpText(text, NO_ARGUMENTS))
    );
  });
});

/** Two strings from `make(i)` whose `hash` values are equal (a birthday search over 30-bit hashes). */
function collision(make: (i: number) => string, hash: (s: string) => number): [string, string] {
  const seen = new Map<number, string>();
  for (let i = 0; ; i++) {
    const s = make(i);
    const h = hash(s);
    const other = seen.get(h);
    if (other !== undefined) {
      return [other, s];
    }
    seen.set(h, s);
  }
}

describe('byte hashes that collide', () => {
  it('keep two frames of the same file line apart', () => {
    const fileLine = '/src/app/worker.go:42 +0x1d';
    const [a, b] = collision(
      (i) => `main.handler${i}`,
      (name) => {
        const bytes = utf8(`${name}${fileLine}`);
        return frameHash(bytes, 0, name.length, name.length, bytes.length, false);
      }
    );
    const block = (id: number, name: string) =>
      `goroutine ${id} [select]:\n${name}(0x1)\n\t${fileLine}\ncreated by main.main in goroutine 1\n\t/src/app/main.go:9 +0x25\n\n`;
    const text = `${block(2, a)}${block(3, b)}${block(4, a)}${block(5, b)}`;
    const { fromBytes, decodedChars } = readBothWays(utf8(text));
    expect(decodedChars).toBe(0);
    expect(fromBytes.goroutines.map((g) => g.frames[0].func)).toEqual([a, b, a, b]);
    expect(fromBytes.goroutines[0].frames[0]).not.toBe(fromBytes.goroutines[1].frames[0]);
    expect(fromBytes.goroutines[0].frames[0]).toBe(fromBytes.goroutines[2].frames[0]);
    expect(fromBytes.distinctFrames).toBe(3);
  });

  it('keep two header brackets apart', () => {
    const [a, b] = collision(
      (i) => `chan receive ${i}`,
      (bracket) => hashBytes(utf8(bracket), 0, bracket.length, 0)
    );
    const block = (id: number, bracket: string) => `goroutine ${id} [${bracket}]:\nmain.f()\n\t/a.go:1 +0x1\n\n`;
    const { fromBytes, decodedChars } = readBothWays(utf8(`${block(2, a)}${block(3, b)}${block(4, a)}`));
    expect(decodedChars).toBe(0);
    expect(fromBytes.goroutines.map((g) => g.header.status)).toEqual([a, b, a]);
  });
});

/**
 * Reading goroutine text from its bytes (piece by piece, without one string of the whole text) must give exactly
 * what reading the decoded string gives: same goroutines, frames, offsets, skipped lines, truncation and parts.
 */
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'fs';
import { join, relative } from 'path';
import { fixturesRoot, repoRoot } from '../../../tests/support/fixtures';
import { parseGoroutineDump, parseGoroutineDumpBytes, parseGoroutineDumpText, type ByteStream } from './goroutineDump';
import { recogniseGoroutineText, type GoroutineByteStream } from './goroutineText';

const utf8 = (text: string) => new TextEncoder().encode(text);
const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

function filesIn(dir: string, pick: (name: string) => boolean): string[] {
  return readdirSync(dir)
    .filter(pick)
    .map((name) => join(dir, name));
}

/** Every goroutine text in the repository: demo captures, real-world excerpts, Go 1.26 crash and dump outputs. */
const CAPTURES = [
  ...readdirSync(join(fixturesRoot, 'demo'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((entry) => filesIn(join(fixturesRoot, 'demo', entry.name), (n) => n.endsWith('.debug2.txt'))),
  ...filesIn(join(fixturesRoot, 'real-world', 'dumps'), (n) => n.endsWith('.txt')),
  ...filesIn(join(__dirname, '__testdata__', 'go1.26'), (n) => n.endsWith('.txt')),
  join(fixturesRoot, 'crash', 'leak-deadlock.txt'),
];

/**
 * The demo captures joined into one dump of about 1 MB (many pieces), goroutine ids renumbered so that the text
 * holds one dump rather than several.
 */
function largeDump(): string {
  const demo = CAPTURES.filter((p) => p.startsWith(join(fixturesRoot, 'demo')) && p.endsWith('goroutine.debug2.txt'));
  const unit = demo.map((p) => readFileSync(p, 'utf8').replace(/\n*$/, '\n\n')).join('');
  let id = 0;
  return unit.repeat(8).replace(/^goroutine \d+/gm, () => `goroutine ${++id}`);
}

/** `bytes` as a stream that hands out at most `step` bytes per read (a file read in odd amounts). */
function streamOf(bytes: Uint8Array, step: number): GoroutineByteStream & { reads: number } {
  let at = 0;
  return {
    reads: 0,
    read(buffer, offset) {
      this.reads++;
      const n = Math.min(step, buffer.length - offset, bytes.length - at);
      buffer.set(bytes.subarray(at, at + n), offset);
      at += n;
      return n;
    },
    all: () => bytes,
  };
}

function parsedBoth(bytes: Uint8Array) {
  let pieces = 0;
  const fromBytes = parseGoroutineDumpBytes(bytes, {}, () => {
    pieces++;
    return false;
  });
  // Without arguments kept, the common goroutine blocks are read from the bytes themselves.
  expect(parseGoroutineDumpBytes(bytes, { keepArguments: false })).toEqual(
    parseGoroutineDumpText(decode(bytes), { keepArguments: false })
  );
  return { fromBytes, fromText: parseGoroutineDump(decode(bytes)), pieces };
}

describe('parseGoroutineDumpBytes reads the dump as parseGoroutineDump reads the decoded text', () => {
  const large = largeDump();

  it('on a 1 MB dump of real captures, read in many pieces', () => {
    const { fromBytes, fromText, pieces } = parsedBoth(utf8(large));
    expect(pieces).toBeGreaterThan(10);
    expect(fromBytes).toEqual(fromText);
    expect(fromBytes!.goroutines.length).toBe(large.match(/^goroutine \d+ \[/gm)!.length);
    const last = fromBytes!.goroutines[fromBytes!.goroutines.length - 1];
    expect(large.startsWith(`goroutine ${last.id} [`, last.offset)).toBe(true);
  });

  it('with CRLF line ends, a BOM, non-ASCII names, invalid UTF-8 and unknown lines in later pieces', () => {
    const marked = large
      .replace(/^main\.main\(\)$/gm, 'main.mäin()')
      .replace(/^created by net\/http\.\(\*Server\)\.Serve/m, 'not a frame line\ncreated by net/http.(*Server).Serve');
    const last = marked.lastIndexOf('main.mäin(');
    const withMark = `${marked.slice(0, last)}main.Xäin(${marked.slice(last + 'main.mäin('.length)}`;
    const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...utf8(withMark.replace(/\n/g, '\r\n'))]);
    // A lone continuation byte inside the last main.main frame's name, far into the text: both read it as U+FFFD.
    const x = bom.lastIndexOf(0x58); // 'X'
    expect(decode(bom.subarray(x - 5, x + 1))).toBe('main.X');
    expect(x).toBeGreaterThan(bom.length - 20_000);
    bom[x] = 0x80;
    const { fromBytes, fromText, pieces } = parsedBoth(bom);
    expect(pieces).toBeGreaterThan(10);
    expect(fromBytes).toEqual(fromText);
    expect(fromBytes!.skippedLines).toBeGreaterThan(0);
    expect(fromBytes!.goroutines.some((g) => g.frames.some((f) => f.func === 'main.mäin'))).toBe(true);
    expect(fromBytes!.goroutines.some((g) => g.frames.some((f) => f.func === 'main.\ufffdäin'))).toBe(true);
  });

  it('when the text is cut inside a goroutine, as the runtime cuts dumps over 64 MB', () => {
    const cut = large.slice(0, large.indexOf('(', large.length - 3000) + 3);
    const { fromBytes, fromText } = parsedBoth(utf8(cut));
    expect(fromBytes).toEqual(fromText);
    expect(fromBytes!.truncated).toBe(true);
  });

  it('from a stream read in odd amounts, a block longer than the read buffer included', () => {
    // A foreign block of 200 KB without a blank line: the reader must grow its buffer to find a piece's end.
    const log = Array.from({ length: 4000 }, (_, i) => `log line ${i} ${'x'.repeat(40)}`).join('\n');
    const text = `${large}${log}\n\n${large.replace(/^goroutine (\d+)/gm, (_m, id) => `goroutine ${Number(id) + 1e6}`)}`;
    const bytes = utf8(text);
    for (const step of [1000, 4096 + 7, 1 << 20]) {
      const stream: ByteStream & { reads: number } = streamOf(bytes, step);
      expect(parseGoroutineDumpBytes(stream)).toEqual(parseGoroutineDump(text));
      expect(parseGoroutineDumpBytes(streamOf(bytes, step), { keepArguments: false })).toEqual(
        parseGoroutineDumpText(text, { keepArguments: false })
      );
      expect(stream.reads).toBeGreaterThan(bytes.length / Math.max(step, 64 << 10));
    }
  });

  it('on empty input, with the same typed error', () => {
    expect(() => parseGoroutineDumpBytes(new Uint8Array(0))).toThrow(/not a goroutine dump: the input is empty/);
  });
});

describe('recogniseGoroutineText gives the same result from bytes as from the decoded string', () => {
  it.each(CAPTURES.map((p) => [relative(repoRoot, p)]))('%s', (path) => {
    const bytes = new Uint8Array(readFileSync(join(repoRoot, path)));
    expect(recogniseGoroutineText(bytes)).toEqual(recogniseGoroutineText(decode(bytes)));
  });

  it.each([
    ['one clean dump', (t: string) => t],
    [
      'terminal colour codes in a later piece',
      (t: string) => t.replace(/^main\.main\(\)$/m, '\u001b[31mmain.main()\u001b[0m'),
    ],
    ['a second dump (goroutine ids repeat)', (t: string) => `${t}\n${t}`],
    ['a line-number prefix on every line', (t: string) => t.replace(/^/gm, '12: ')],
  ])('%s', (_what, change) => {
    const bytes = utf8(change(largeDump()));
    const fromText = recogniseGoroutineText(decode(bytes));
    expect(recogniseGoroutineText(bytes)).toEqual(fromText);
    expect(recogniseGoroutineText(streamOf(bytes, 5000))).toEqual(fromText);
  });
});

/** The outcome of a reading: its result, or the class and message of what it threw. */
function outcome<T>(read: () => T): T | { threw: string } {
  try {
    return read();
  } catch (error) {
    return { threw: `${(error as Error).name}: ${(error as Error).message}` };
  }
}

describe('bytes and decoded string agree on any text made of real dump lines', () => {
  // Lines of real Go 1.26 outputs (crashes, dumps, race reports) plus the damage pasted text shows.
  const pool = [
    ...new Set(
      filesIn(join(__dirname, '__testdata__', 'go1.26'), (n) => n.endsWith('.txt')).flatMap((p) =>
        readFileSync(p, 'utf8').split('\n')
      )
    ),
    '',
    '',
    '\r',
    'goroutine 7 [chan rec',
    '\u001b[31mpanic: boom\u001b[0m',
    'main.wörk(0x1)',
    '\ufeffgoroutine 1 [running]:',
  ];
  const text = fc
    .record({
      lines: fc.array(fc.nat(pool.length - 1), { minLength: 1, maxLength: 5000, size: 'max' }),
      header: fc.boolean(),
      crlf: fc.boolean(),
      finalNewline: fc.boolean(),
      bom: fc.boolean(),
    })
    .map(({ lines, header, crlf, finalNewline, bom }) => {
      // Half the texts start like a clean dump, the case read piece by piece to the end.
      const joined = [...(header ? ['goroutine 1 [running]:'] : []), ...lines.map((i) => pool[i])].join(
        crlf ? '\r\n' : '\n'
      );
      return `${bom ? '\ufeff' : ''}${joined}${finalNewline ? '\n' : ''}`;
    });

  it('same result or same error, from bytes and from a stream read in odd amounts', () => {
    fc.assert(
      fc.property(text, fc.integer({ min: 1, max: 70_000 }), (t, step) => {
        const bytes = utf8(t);
        const decoded = decode(bytes);
        const expected = outcome(() => recogniseGoroutineText(decoded));
        expect(outcome(() => recogniseGoroutineText(bytes))).toEqual(expected);
        expect(outcome(() => recogniseGoroutineText(streamOf(bytes, step)))).toEqual(expected);
        expect(outcome(() => parseGoroutineDumpBytes(streamOf(bytes, step)))).toEqual(
          outcome(() => parseGoroutineDump(decoded))
        );
        expect(outcome(() => parseGoroutineDumpBytes(streamOf(bytes, step), { keepArguments: false }))).toEqual(
          outcome(() => parseGoroutineDumpText(decoded, { keepArguments: false }))
        );
      }),
      { numRuns: 40, seed: 18 }
    );
  });
});

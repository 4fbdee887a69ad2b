import { readFileSync } from 'fs';
import { join } from 'path';
import { NotGoroutineDumpError } from './goroutineDump';
import type { GoroutineDump } from './goroutineDumpTypes';
import { recogniseGoroutineText, type GoroutineText } from './goroutineText';

/** Real Go 1.26 outputs made by tools/stackbench/testdata.sh. */
function real(name: string): string {
  return readFileSync(join(__dirname, '__testdata__', 'go1.26', name), 'utf8');
}

/** Goroutine header lines, counted by a regular expression independent of the parser. */
function headerIds(text: string): number[] {
  return [...text.matchAll(/^goroutine (\d+) (?:gp=\S+ m=\S+ (?:mp=\S+ )?)?\[[^\]]*\]:$/gm)].map((m) => Number(m[1]));
}

function dumps(found: GoroutineText): GoroutineDump[] {
  return found.parts.map((p) => {
    if (p.format !== 'debug=2') {
      throw new Error(`expected debug=2, got ${p.format}`);
    }
    return p.dump;
  });
}

function only(found: GoroutineText): GoroutineDump {
  const all = dumps(found);
  expect(all).toHaveLength(1);
  return all[0];
}

function prefixLines(text: string, prefix: (i: number) => string): string {
  return text
    .split('\n')
    .map((line, i) => prefix(i) + line)
    .join('\n');
}

describe('recogniseGoroutineText on clean dumps', () => {
  it('reads a debug=2 body as one dump with no prefix, notes or cause', () => {
    const text = real('debug2.txt');
    const found = recogniseGoroutineText(text);
    const dump = only(found);
    expect(dump.goroutines.map((g) => g.id)).toEqual(headerIds(text));
    expect(found.prefix).toBeUndefined();
    expect(found.notes).toEqual([]);
    expect(dump.cause).toBeUndefined();
  });

  it('reads debug=1 text as a debug=1 part', () => {
    const found = recogniseGoroutineText(real('debug1.txt'));
    expect(found.parts).toHaveLength(1);
    expect(found.parts[0].format).toBe('debug=1');
  });
});

describe('recogniseGoroutineText on crash output', () => {
  it.each([
    ['panic.txt', 'panic', 'panic: boom: 42', undefined],
    ['deadlock.txt', 'fatal-error', 'fatal error: all goroutines are asleep - deadlock!', undefined],
    ['mapwrite.txt', 'fatal-error', 'fatal error: concurrent map writes', undefined],
    ['sigquit.txt', 'signal', 'SIGQUIT: quit', 'SIGQUIT'],
    ['cgo-segv.txt', 'signal', 'SIGSEGV: segmentation violation', 'SIGSEGV'],
    ['testtimeout.txt', 'test-timeout', 'panic: test timed out after 2s', undefined],
  ])('%s: every goroutine, and the reason as the cause (%s)', (file, kind, message, signal) => {
    const text = real(file);
    const dump = only(recogniseGoroutineText(text));
    expect(dump.goroutines.map((g) => g.id)).toEqual(headerIds(text));
    expect(dump.cause).toMatchObject({ kind, message, signal });
  });

  it('keeps the signal header lines (PC=… m=… sigcode=…) in the cause', () => {
    const dump = only(recogniseGoroutineText(real('sigquit.txt')));
    expect(dump.cause!.lines[1]).toMatch(/^PC=0x[0-9a-f]+ m=0 sigcode=0$/);
    expect(dump.goroutines[0].gp).toMatch(/^0x/);
  });

  it('names the running tests of a go test timeout', () => {
    const dump = only(recogniseGoroutineText(real('testtimeout.txt')));
    expect(dump.cause).toMatchObject({
      testTimeout: '2s',
      runningTests: [{ name: 'TestHangsForever', elapsed: '2s' }],
    });
  });

  it('reads GOTRACEBACK=crash output (one section per M, "-----" between them) as one dump', () => {
    const text = real('sigquit-crash.txt');
    const dump = only(recogniseGoroutineText(text));
    expect(dump.goroutines.map((g) => g.id)).toEqual(headerIds(text));
    expect(dump.goroutines.filter((g) => g.id === 0).length).toBeGreaterThan(1);
  });
});

describe('recogniseGoroutineText on dumps inside logs', () => {
  const base = real('testtimeout.txt');
  const ids = headerIds(base);

  it('removes GitHub Actions timestamps and dates the dump by them', () => {
    const start = Date.parse('2024-05-01T10:00:00Z');
    const stamped = prefixLines(base, (i) => `${new Date(start + i * 10).toISOString().replace('Z', '1234Z')} `);
    const found = recogniseGoroutineText(`2024-05-01T09:59:59.0000000Z ##[group]Run go test ./...\n${stamped}`);
    expect(only(found).goroutines.map((g) => g.id)).toEqual(ids);
    expect(found.prefix).toMatchObject({ kind: 'timestamp' });
    expect(found.prefix!.lines).toBe(base.split('\n').length + 1);
    expect(found.notes[0]).toMatch(/removed a timestamp prefix .* from \d+ lines/);
    expect(found.parts[0].time).toBe(start);
    expect(only(found).cause).toMatchObject({ kind: 'test-timeout' });
    expect(only(found).skippedLines).toBe(only(recogniseGoroutineText(base)).skippedLines);
  });

  it.each([
    ['line numbers', (i: number) => `${String(i + 1).padStart(4)} | `, 'line-number'],
    ['line numbers and a tab', (i: number) => `${i + 1}\t`, 'line-number'],
    ['uniform indentation', () => '    ', 'indentation'],
    ['a literal log prefix', () => '[pod/api-7d9f] ', 'text'],
  ])('removes %s', (_name, prefix, kind) => {
    const found = recogniseGoroutineText(prefixLines(base, prefix));
    const dump = only(found);
    expect(dump.goroutines.map((g) => g.id)).toEqual(ids);
    expect(dump.goroutines.map((g) => g.frames.length)).toEqual(
      only(recogniseGoroutineText(base)).goroutines.map((g) => g.frames.length)
    );
    expect(found.prefix!.kind).toBe(kind);
  });

  it('finds a dump after unrelated log lines', () => {
    const text = `starting server on :8080\nlevel=info msg="ready"\n${real('deadlock.txt')}exit status 2\n`;
    const dump = only(recogniseGoroutineText(text));
    expect(dump.goroutines.map((g) => g.id)).toEqual(headerIds(text));
    expect(dump.cause!.message).toBe('fatal error: all goroutines are asleep - deadlock!');
  });
});

describe('recogniseGoroutineText with several dumps in one text', () => {
  it("splits two debug=2 bodies at the second body's running goroutine", () => {
    const text = real('twice.txt');
    const found = recogniseGoroutineText(text);
    const parts = dumps(found);
    expect(parts).toHaveLength(2);
    const firstLen = parts[0].goroutines.length;
    expect([...parts[0].goroutines, ...parts[1].goroutines].map((g) => g.id)).toEqual(headerIds(text));
    expect(parts[1].goroutines.length - firstLen).toBe(5);
    expect(parts[1].goroutines[0].header.status).toBe('running');
    expect(found.notes.join(' ')).toMatch(/2 goroutine dumps/);
  });

  it('splits two crashes pasted together, each with its own cause', () => {
    const a = real('deadlock.txt');
    const b = real('sigquit.txt');
    const parts = dumps(recogniseGoroutineText(`${a}\n${b}`));
    expect(parts.map((p) => p.cause?.message)).toEqual([
      'fatal error: all goroutines are asleep - deadlock!',
      'SIGQUIT: quit',
    ]);
    expect(parts.map((p) => p.goroutines.length)).toEqual([headerIds(a).length, headerIds(b).length]);
  });
});

describe('recogniseGoroutineText on race reports and non-dumps', () => {
  it('reads the goroutines a race report names, with their stacks', () => {
    const race = real('race.txt');
    const reportOnly = race.slice(0, race.indexOf('panic: '));
    const found = recogniseGoroutineText(reportOnly);
    expect(found.parts).toEqual([]);
    expect(found.races).toHaveLength(1);
    const [read, write] = found.races[0].accesses;
    expect(read).toMatchObject({ goroutine: 8, what: expect.stringMatching(/^Read at 0x[0-9a-f]+ by goroutine 8$/) });
    expect(read.frames.map((f) => f.func)).toEqual(['main.bump', 'main.main.func1']);
    expect(read.frames[0]).toMatchObject({ file: expect.stringMatching(/main\.go$/), line: 14 });
    expect(write).toMatchObject({
      goroutine: 1,
      what: expect.stringMatching(/^Previous write at .* by main goroutine$/),
    });
    expect(found.races[0].goroutines).toEqual([
      { id: 8, status: 'running', createdAt: [expect.objectContaining({ func: 'main.main', line: 18 })] },
    ]);
  });

  it('keeps race reports beside the dump that follows them', () => {
    const found = recogniseGoroutineText(real('race.txt'));
    expect(found.races).toHaveLength(1);
    expect(only(found).cause).toMatchObject({ kind: 'panic', message: 'panic: after race, counter=2' });
  });

  it.each([
    ['', /the input is empty/],
    ['<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head></html>', /HTML page \("502 Bad Gateway"\)/],
    [
      'panic: runtime error: index out of range [3] with length 3\n',
      /crash output .*index out of range.* no goroutine stacks/,
    ],
    ['=== RUN   TestA\n--- FAIL: TestA (0.00s)\nFAIL\n', /Go test output without a goroutine dump/],
    ['main.main()\n\t/app/main.go:12 +0x1d\n', /stack frames without a "goroutine N \[state\]:" header/],
    ['hello\nworld\n', /2 lines of text with no "goroutine N \[state\]:" header \(first line "hello"\)/],
  ])('says what %j looked like', (text, message) => {
    let error: unknown;
    try {
      recogniseGoroutineText(text, { source: 'paste' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(NotGoroutineDumpError);
    expect((error as NotGoroutineDumpError).describe()).toMatch(/^paste: not a goroutine dump: /);
    expect((error as Error).message).toMatch(message);
  });
});

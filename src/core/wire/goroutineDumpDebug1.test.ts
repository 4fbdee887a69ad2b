import { readFileSync } from 'fs';
import { join } from 'path';
import { NotGoroutineDumpError } from './goroutineDump';
import { MalformedGoroutineTextError, parseDebug1Labels, parseDebug1Profile } from './goroutineDumpDebug1';
import { InputError } from '../errors';

const real = (name: string) => readFileSync(join(__dirname, '__testdata__', 'go1.26', name), 'utf8');

describe('parseDebug1Profile', () => {
  it('reads a real Go 1.26 debug=1 goroutine profile: counts sum to the total, labels, frames', () => {
    const p = parseDebug1Profile(real('debug1.txt'));
    expect(p.profile).toBe('goroutine');
    expect(p.skippedLines).toBe(0);
    expect(p.records.reduce((n, r) => n + r.count, 0)).toBe(p.total);
    const labelled = p.records.find((r) => r.labels !== undefined)!;
    expect(labelled.labels).toEqual({ handler: 'api', tenant: 't1' });
    const worker = p.records.find((r) => r.frames[0]?.func === 'main.worker')!;
    expect(worker.count).toBe(3);
    expect(worker.frames[0]).toMatchObject({ file: expect.stringMatching(/main\.go$/), line: expect.any(Number) });
    expect(worker.frames[0].offset).toBeGreaterThan(0);
    // The @ line has every PC, including the runtime frames the # lines hide.
    expect(worker.pcs.length).toBeGreaterThan(worker.frames.length);
  });

  it('handles unknown PCs, runs of tabs, CRLF and junk lines', () => {
    const p = parseDebug1Profile(
      'goroutineleak profile: total 4\r\n3 @ 0x1 0x2 0x3\r\n#\t0x1\r\n#\t0x2\t\tmain.f+0x1a\t\t\t/a/b.go:29\r\njunk\r\n\r\n1 @ 0x9\r\n# labels: {"k":"v\\"q", "x":"\\u00e9"}\r\n'
    );
    expect(p.profile).toBe('goroutineleak');
    expect(p.records).toHaveLength(2);
    expect(p.records[0].frames).toEqual([
      { pc: '1', func: '', offset: -1, file: '', line: 0 },
      { pc: '2', func: 'main.f', offset: 0x1a, file: '/a/b.go', line: 29 },
    ]);
    expect(p.skippedLines).toBe(1);
    expect(p.records[1].labels).toEqual({ k: 'v"q', x: 'é' });
  });

  it('says truncated for every cut of a real profile, and not for the whole text', () => {
    const text = real('debug1.txt');
    expect(parseDebug1Profile(text)).toMatchObject({ truncated: false });
    const untruncated: number[] = [];
    const firstNewline = text.indexOf('\n');
    for (let cut = firstNewline; cut < text.length; cut += text[cut] === '\n' ? 1 : 7) {
      const p = parseDebug1Profile(text.slice(0, cut));
      if (!p.truncated) {
        untruncated.push(cut);
      }
    }
    expect(untruncated).toEqual([]);
    const cutAtRecord = text.slice(0, text.indexOf('\n\n') + 2);
    expect(parseDebug1Profile(cutAtRecord).truncation).toMatch(/^the records add up to \d+ of the header's total \d+$/);
    expect(parseDebug1Profile(text.slice(0, -1)).truncation).toMatch(/does not end with the blank line/);
  });

  it('rejects an escape no Go printer writes with a typed error, not a RangeError', () => {
    // 93 bytes: a \U escape beyond U+10FFFF (String.fromCodePoint throws RangeError on it).
    const text =
      'goroutine profile: total 1\n1 @ 0x4a1b2c 0x43d0e1\n# labels: {"k":"\\Uffffffff"}\n#\t0x4a1b2b\tmain.f+0x1\n\n';
    let error: unknown;
    try {
      parseDebug1Profile(text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MalformedGoroutineTextError);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toBe('invalid \\U escape "\\Uffffffff" in a label');
    expect(() => parseDebug1Labels('{"k":"\\u12"}')).toThrow(MalformedGoroutineTextError);
    expect(parseDebug1Labels('{"k":"\\U0001F600"}')).toEqual({ k: '😀' });
  });

  it('rejects text that is not debug=1 with a typed error', () => {
    expect(() => parseDebug1Profile('goroutine 1 [running]:\n')).toThrow(NotGoroutineDumpError);
    expect(parseDebug1Labels('no braces')).toBeUndefined();
  });
});

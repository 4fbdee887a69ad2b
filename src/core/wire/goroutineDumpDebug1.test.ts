import { readFileSync } from 'fs';
import { join } from 'path';
import { NotGoroutineDumpError } from './goroutineDump';
import { parseDebug1Labels, parseDebug1Profile } from './goroutineDumpDebug1';

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

  it('rejects text that is not debug=1 with a typed error', () => {
    expect(() => parseDebug1Profile('goroutine 1 [running]:\n')).toThrow(NotGoroutineDumpError);
    expect(parseDebug1Labels('no braces')).toBeUndefined();
  });
});

import { readFileSync } from 'fs';
import { join } from 'path';
import { InputError } from '../errors';
import { NotGoroutineDumpError, parseGoroutineDump } from './goroutineDump';
import type { DumpGoroutine, GoroutineDump } from './goroutineDumpTypes';

/** Real Go 1.26 outputs made by tools/stackbench/testdata.sh. */
function real(name: string): string {
  return readFileSync(join(__dirname, '__testdata__', 'go1.26', name), 'utf8');
}

function byId(dump: GoroutineDump, id: number): DumpGoroutine {
  const g = dump.goroutines.find((x) => x.id === id);
  if (!g) {
    throw new Error(`no goroutine ${id}`);
  }
  return g;
}

function funcs(g: DumpGoroutine): string[] {
  return g.frames.map((f) => f.func);
}

function countHeaders(text: string): number {
  return text.split('\n').filter((l) => /^goroutine \d+ .*\]:$/.test(l)).length;
}

describe('parseGoroutineDump on real Go 1.26 dumps', () => {
  it('reads every goroutine, frame and creation site of a debug=2 dump', () => {
    const text = real('debug2.txt');
    const dump = parseGoroutineDump(text);
    expect(dump.goroutines).toHaveLength(countHeaders(text));
    expect(dump.skippedLines).toBe(0);
    expect(dump.foreign).toEqual([]);
    expect(dump.truncated).toBe(false);
    expect(dump.systemLevel).toBe(false);
    // Every frame line pairs with a file line: frames + createdBy + elision lines + headers + blanks = all lines.
    const lines = text.split('\n').filter((l) => l !== '');
    let accounted = 0;
    for (const g of dump.goroutines) {
      accounted += 1 + 2 * g.frames.length + (g.createdBy ? 2 : 0) + (g.elidedFrames !== 0 ? 1 : 0);
    }
    expect(accounted).toBe(lines.length);
    const states = new Set(dump.goroutines.map((g) => g.header.status));
    for (const s of [
      'running',
      'runnable',
      'chan receive',
      'chan send',
      'select',
      'select (no cases)',
      'chan receive (nil chan)',
      'sync.Mutex.Lock',
      'sync.RWMutex.RLock',
      'sync.WaitGroup.Wait',
      'sync.Cond.Wait',
      'sleep',
      'IO wait',
    ]) {
      expect(states).toContain(s);
    }
  });

  it('keeps arguments, inlined frames, generics, escaped paths, closures and Go 1.21 created-by', () => {
    const dump = parseGoroutineDump(real('debug2.txt'));
    const all = dump.goroutines.flatMap((g) => g.frames.map((f, i) => ({ f, args: g.args![i], g })));
    const generic = all.find((x) => x.f.func === 'main.(*box[...]).wait');
    expect(generic).toBeDefined();
    const escaped = all.find((x) => x.f.func.endsWith('dotted%2ev2.Park'));
    expect(escaped?.f.func).toBe('goprof/tools/stackbench/internal/dotted%2ev2.Park');
    expect(all.some((x) => x.f.func === 'main.start.func1.1')).toBe(true);
    const inlined = all.find((x) => x.f.inlined);
    expect(inlined?.args).toBe('...');
    expect(inlined?.f.pcOffset).toBe(-1);
    const withOffset = all.find((x) => !x.f.inlined)!;
    expect(withOffset.f.pcOffset).toBeGreaterThan(0);
    expect(withOffset.f.file).toMatch(/\.go$/);
    expect(withOffset.f.line).toBeGreaterThan(0);
    const worker = dump.goroutines.find((g) => g.frames[0]?.func === 'main.worker')!;
    expect(worker.args![0]).toMatch(/^0x[0-9a-f]+\??, 0x[0-9a-f]+\??$/);
    expect(worker.createdBy?.func).toBe('main.start');
    expect(worker.creatorId).toBe(1);
    const locked = dump.goroutines.find((g) => g.header.lockedToThread);
    expect(locked?.header.status).toBe('chan receive');
  });

  it('interns frames: the same call site is one object across goroutines', () => {
    const dump = parseGoroutineDump(real('debug2.txt'));
    const workers = dump.goroutines.filter((g) => g.frames[0]?.func === 'main.worker');
    expect(workers.length).toBe(3);
    expect(workers[1].frames[0]).toBe(workers[0].frames[0]);
    expect(workers[1].createdBy).toBe(workers[0].createdBy);
    expect(dump.distinctFrames).toBeLessThan(dump.goroutines.reduce((n, g) => n + g.frames.length, 0));
  });

  it('reads the Go 1.21+ elision line of deep stacks (50 inner + 50 outer frames)', () => {
    const dump = parseGoroutineDump(real('debug2.txt'));
    const deep = dump.goroutines.find((g) => g.elidedFrames > 0)!;
    expect(deep.frames).toHaveLength(100);
    expect(deep.elidedAt).toBe(50);
    expect(deep.elidedFrames).toBeGreaterThan(0);
    expect(deep.createdBy?.func).toBe('main.start.func1');
  });

  it('reads ancestor sections (GODEBUG=tracebackancestors)', () => {
    const text = real('ancestors.txt');
    const dump = parseGoroutineDump(text);
    expect(dump.skippedLines).toBe(0);
    expect(dump.goroutines).toHaveLength(countHeaders(text));
    const withAncestors = dump.goroutines.filter((g) => g.ancestors !== undefined);
    expect(withAncestors.length).toBe(text.split('[originating from goroutine').length - 1);
    const a = withAncestors[0].ancestors![0];
    expect(a.id).toBe(1);
    expect(a.frames.length).toBeGreaterThan(0);
    // The goroutine's own frames stay its own.
    expect(withAncestors[0].frames.length).toBeGreaterThan(0);
  });

  it('reads (leaked) headers of the Go 1.26 goroutineleak profile', () => {
    const dump = parseGoroutineDump(real('leaked.txt'));
    const leaked = dump.goroutines.filter((g) => g.header.leaked);
    // The three leaker() senders, plus the parked goroutines whose primitives nothing reachable can release.
    const senders = leaked.filter((g) => g.frames[0].func === 'main.leaker.func1');
    expect(senders).toHaveLength(3);
    expect(senders.every((g) => g.header.status === 'chan send')).toBe(true);
    expect(leaked.every((g) => /^(chan |select|sync\.)/.test(g.header.status))).toBe(true);
    expect(dump.goroutines.filter((g) => !g.header.leaked).length).toBeGreaterThan(5);
  });

  it('reads synctest bubbles and (durable) (Go 1.25+)', () => {
    const dump = parseGoroutineDump(real('synctest.txt'));
    const inBubble = dump.goroutines.filter((g) => g.header.synctestBubble !== undefined);
    expect(inBubble.length).toBeGreaterThan(3);
    expect(inBubble.every((g) => g.header.synctestBubble === '1')).toBe(true);
    const run = dump.goroutines.find((g) => g.header.status === 'synctest.Run')!;
    expect(run.header.durable).toBe(true);
    const recv = dump.goroutines.find((g) => g.header.status === 'chan receive (durable)')!;
    expect(recv.header.durable).toBe(true);
    expect(dump.skippedLines).toBe(0);
  });

  it('reads panic output: panic message as a foreign block, then goroutines', () => {
    const text = real('panic.txt');
    const dump = parseGoroutineDump(text);
    expect(dump.foreign[0]).toMatchObject({ kind: 'panic', lines: ['panic: boom: 42'] });
    expect(dump.goroutines).toHaveLength(countHeaders(text));
    expect(dump.goroutines[0].header.status).toBe('running');
    expect(dump.skippedLines).toBe(0);
  });

  it('reads GOTRACEBACK=system crashes: gp= m= mp= headers, fp= sp= pc= suffixes, runtime frames', () => {
    const text = real('panic-system.txt');
    const dump = parseGoroutineDump(text);
    expect(dump.systemLevel).toBe(true);
    expect(dump.skippedLines).toBe(0);
    const g1 = byId(dump, 1);
    expect(g1.gp).toMatch(/^0x[0-9a-f]+$/);
    expect(g1.m).toMatch(/^\d+$/);
    expect(g1.mp).toMatch(/^0x[0-9a-f]+$/);
    expect(funcs(g1)).toEqual(['panic', 'main.main', 'runtime.main', 'runtime.goexit']);
    expect(g1.frames[1].file).toMatch(/main\.go$/);
    const system = dump.goroutines.find((g) => g.header.status === 'force gc (idle)')!;
    expect(system.m).toBe('nil');
    expect(system.mp).toBeUndefined();
    // fp/sp differ per goroutine but the frame is the same call site.
    const goexits = dump.goroutines
      .map((g) => g.frames[g.frames.length - 1])
      .filter((f) => f.func === 'runtime.goexit');
    expect(new Set(goexits).size).toBe(1);
  });

  it('reads fatal errors, signal crashes in cgo, cgo frames and race reports', () => {
    const deadlock = parseGoroutineDump(real('deadlock.txt'));
    expect(deadlock.foreign[0]).toMatchObject({ kind: 'fatal-error' });
    expect(deadlock.goroutines.length).toBe(3);

    const segv = parseGoroutineDump(real('cgo-segv.txt'));
    expect(segv.foreign[0].kind).toBe('signal');
    expect(segv.foreign[0].lines[0]).toBe('SIGSEGV: segmentation violation');
    // The register dump after the last goroutine is foreign text, not frames.
    expect(segv.foreign.some((b) => b.lines.some((l) => l.startsWith('rip ')))).toBe(true);
    expect(segv.goroutines.every((g) => g.frames.length > 0)).toBe(true);

    const cgo = parseGoroutineDump(real('cgo.txt'));
    const inC = cgo.goroutines.find((g) => g.header.status === 'syscall')!;
    expect(inC.frames[0]).toMatchObject({ func: 'main._Cfunc_block_in_c', file: '_cgo_gotypes.go' });

    const race = parseGoroutineDump(real('race.txt'));
    expect(race.foreign[0].kind).toBe('race');
    expect(race.foreign[0].lines).toContain('WARNING: DATA RACE');
    expect(race.foreign[0].lines[race.foreign[0].lines.length - 1]).toBe('==================');
    expect(race.foreign[1]).toMatchObject({ kind: 'panic' });
    expect(race.goroutines).toHaveLength(2);
    expect(race.skippedLines).toBe(0);
  });
});

describe('parseGoroutineDump on formats Go 1.26 cannot produce (written from runtime/traceback.go)', () => {
  it('Go 1.19: semacquire for a mutex wait, created by without goroutine id', () => {
    const dump = parseGoroutineDump(
      [
        'goroutine 22 [semacquire]:',
        'sync.runtime_SemacquireMutex(0x0?, 0x0?, 0x0?)',
        '\t/usr/local/go/src/runtime/sema.go:77 +0x25',
        'sync.(*Mutex).lockSlow(0x5c18b0)',
        '\t/usr/local/go/src/sync/mutex.go:171 +0x165',
        'sync.(*Mutex).Lock(...)',
        '\t/usr/local/go/src/sync/mutex.go:90',
        'main.mutexWaiter()',
        '\t/home/u/app/main.go:36 +0x39',
        'created by main.main',
        '\t/home/u/app/main.go:52 +0x18b',
        '',
      ].join('\n')
    );
    const g = dump.goroutines[0];
    expect(g.header.status).toBe('semacquire');
    expect(funcs(g)).toEqual([
      'sync.runtime_SemacquireMutex',
      'sync.(*Mutex).lockSlow',
      'sync.(*Mutex).Lock',
      'main.mutexWaiter',
    ]);
    expect(g.createdBy?.func).toBe('main.main');
    expect(g.creatorId).toBe(-1);
    expect(g.frames[2].inlined).toBe(true);
  });

  it('Go ≤1.20: "...additional frames elided..."; ancestors without goroutine ids', () => {
    const dump = parseGoroutineDump(
      [
        'goroutine 9 [chan receive, 12 minutes]:',
        'main.spawn.func1()',
        '\t/home/u/app2/main.go:19 +0x1f',
        '...additional frames elided...',
        'created by main.spawn',
        '\t/home/u/app2/main.go:19 +0x65',
        '[originating from goroutine 8]:',
        'main.spawn(...)',
        '\t/home/u/app2/main.go:20 +0x65',
        '...additional frames elided...',
        'created by main.spawn',
        '\t/home/u/app2/main.go:22 +0xc5',
        '[originating from goroutine 1]:',
        'main.main(...)',
        '\t/home/u/app2/main.go:30 +0x11',
      ].join('\n')
    );
    const g = dump.goroutines[0];
    expect(g.header.waitMinutes).toBe(12);
    expect(g.elidedFrames).toBe(-1);
    expect(g.elidedAt).toBe(1);
    expect(g.createdBy?.func).toBe('main.spawn');
    expect(g.ancestors).toHaveLength(2);
    expect(g.ancestors![0]).toMatchObject({ id: 8, elided: true });
    expect(g.ancestors![0].createdBy?.line).toBe(22);
    expect(g.ancestors![1].frames.map((f) => f.func)).toEqual(['main.main']);
    // No final newline: the last file line is kept whole (it ends in its PC offset), but Go ends every dump with a
    // newline, so the dump says it may have been cut there.
    expect(g.truncated).toBe(false);
    expect(g.ancestors![1].frames[0].line).toBe(30);
    expect(dump.truncated).toBe(true);
    expect(dump.truncation).toMatch(/does not end with a newline/);
  });

  it('Go 1.24 synctest group, 1.26 leaked + scan + locked, big ids, unknown header items', () => {
    const dump = parseGoroutineDump(
      [
        'goroutine 7 [chan receive (synctest), synctest group 5]:',
        'main.f()',
        '\t/a.go:1 +0x1',
        '',
        'goroutine 4611686018427387903 [sync.Cond.Wait (leaked) (scan), locked to thread, future item]:',
        'main.g()',
        '\t/a.go:2 +0x1',
        '',
        'goroutine 8 [sync.Mutex.Lock (durable), synctest bubble 12]:',
        'main.h()',
        '\t/a.go:3 +0x1',
      ].join('\n')
    );
    const [a, b, c] = dump.goroutines;
    expect(a.header).toMatchObject({ status: 'chan receive (synctest)', durable: true, synctestBubble: '5' });
    expect(b.id).toBe(4611686018427387903);
    expect(b.header).toMatchObject({
      status: 'sync.Cond.Wait',
      leaked: true,
      scan: true,
      lockedToThread: true,
      extra: ['future item'],
    });
    expect(c.header).toMatchObject({ status: 'sync.Mutex.Lock', durable: true, synctestBubble: '12' });
  });

  it('stack unavailable, cgo "non-Go function" lines, cgo symbolizer frames', () => {
    const dump = parseGoroutineDump(
      [
        'goroutine 5 [running]:',
        '\tgoroutine running on other thread; stack unavailable',
        'created by main.main in goroutine 1',
        '\t/a/main.go:10 +0x2a',
        '',
        'goroutine 6 [syscall]:',
        'non-Go function at pc=0x7f2a1b2c3d4e',
        'non-Go function at pc=0x7f2a1b2c3d00',
        'runtime.cgocall(0x4a1b20, 0xc000051f50)',
        '\t/usr/local/go/src/runtime/cgocall.go:157 +0x4b',
        '',
        'goroutine 7 [syscall]:',
        'myCFunction',
        '\t/src/lib.c:42 pc=0x7f2a1b2c3d4e',
        'runtime.cgocall(0x4a1b20, 0xc000051f50)',
        '\t/usr/local/go/src/runtime/cgocall.go:157 +0x4b',
      ].join('\n')
    );
    expect(dump.skippedLines).toBe(0);
    const [unavailable, nonGo, symbolized] = dump.goroutines;
    expect(unavailable.stackUnavailable).toBe(true);
    expect(unavailable.frames).toEqual([]);
    expect(unavailable.createdBy?.func).toBe('main.main');
    expect(funcs(nonGo)).toEqual(['non-Go function', 'non-Go function', 'runtime.cgocall']);
    expect(nonGo.frames[0].file).toBe('');
    expect(symbolized.frames[0]).toMatchObject({
      func: 'myCFunction',
      file: '/src/lib.c',
      line: 42,
      pcOffset: -1,
      inlined: false,
    });
    expect(symbolized.args![0]).toBeUndefined();
  });

  it('CRLF line ends and space-indented file lines (copy/paste)', () => {
    const text =
      'goroutine 1 [running]:\r\nmain.main()\r\n    /a/main.go:5 +0x1d\r\n\r\ngoroutine 2 [sleep]:\r\ntime.Sleep(0x1)\r\n\t/t.go:3 +0x1\r\n';
    const dump = parseGoroutineDump(text);
    expect(dump.goroutines.map((g) => g.header.status)).toEqual(['running', 'sleep']);
    expect(dump.goroutines[0].frames[0]).toMatchObject({
      func: 'main.main',
      file: '/a/main.go',
      line: 5,
      pcOffset: 0x1d,
    });
    expect(dump.skippedLines).toBe(0);
  });
});

describe('parseGoroutineDump robustness', () => {
  it('skips and counts lines that fit no rule inside goroutines, never fails', () => {
    const dump = parseGoroutineDump(
      [
        'goroutine 1 [running]:',
        'main.main()',
        '\t/a/main.go:5 +0x1d',
        'FAILED to get stack of goroutine 2',
        'main.orphan()',
        '',
        'goroutine 2 [chan receive]:',
        '\tstray indented text',
        'main.f()',
        '\t/a/f.go:1 +0x1',
      ].join('\n')
    );
    expect(dump.goroutines).toHaveLength(2);
    expect(funcs(dump.goroutines[0])).toEqual(['main.main']);
    expect(dump.skippedLines).toBe(3);
    expect(dump.skippedSamples.map((s) => s.text)).toEqual([
      'FAILED to get stack of goroutine 2',
      'main.orphan()',
      '\tstray indented text',
    ]);
    expect(funcs(dump.goroutines[1])).toEqual(['main.f']);
  });

  it('marks input cut mid-frame as truncated and keeps what is certain', () => {
    const full =
      'goroutine 1 [running]:\nmain.main()\n\t/a/main.go:5 +0x1d\n\ngoroutine 2 [chan receive]:\nmain.worker(0xc000010000, 0x5)\n\t/a/w.go:12 +0x2f\ncreated by main.main in goroutine 1\n\t/a/main.go:4 +0x25\n';
    const cutAfterFunc = full.slice(0, full.indexOf('\t/a/w.go'));
    const d1 = parseGoroutineDump(cutAfterFunc);
    expect(d1.truncated).toBe(true);
    expect(d1.goroutines[1].truncated).toBe(true);
    expect(d1.goroutines[1].frames.map((f) => [f.func, f.file, f.line])).toEqual([['main.worker', '', 0]]);

    const cutInFile = full.slice(0, full.indexOf('w.go:12') + 5);
    const d2 = parseGoroutineDump(cutInFile);
    expect(d2.truncated).toBe(true);
    expect(d2.goroutines[1].frames.map((f) => [f.func, f.file])).toEqual([['main.worker', '']]);

    const cutInFunc = full.slice(0, full.indexOf('(0xc0000') + 4);
    const d3 = parseGoroutineDump(cutInFunc);
    expect(d3.goroutines[1].frames.map((f) => f.func)).toEqual(['main.worker']);
    expect(d3.goroutines[1].truncated).toBe(true);

    // Cut inside the next header: the goroutine is lost, and the dump says it was cut.
    for (const cut of ['[chan', 'goroutine 2 ', 'goroutine 2 '.slice(0, 3)]) {
      const d4 = parseGoroutineDump(
        full.slice(0, full.indexOf('goroutine 2 ') + (cut.startsWith('[') ? 16 : cut.length))
      );
      expect(d4.goroutines).toHaveLength(1);
      expect(d4.truncated).toBe(true);
    }

    // Cut at a line boundary before `created by`: the stack stops short of its origin.
    const cutBeforeCreatedBy = full.slice(0, full.indexOf('created by'));
    expect(parseGoroutineDump(cutBeforeCreatedBy).truncated).toBe(true);
    const cutBeforeGoroutine2 = full.slice(0, full.indexOf('goroutine 2 '));
    expect(parseGoroutineDump(cutBeforeGoroutine2).truncated).toBe(false);

    expect(parseGoroutineDump(full).truncated).toBe(false);
  });

  it('every cut of a real dump that loses part of it says truncated, except a cut exactly between goroutines', () => {
    // The first goroutines of a real dump (every cut of the whole 17 KB takes too long for a unit test).
    const whole = real('debug2.txt');
    const text = whole.slice(0, whole.indexOf('\n\ngoroutine ', 4000) + 1);
    const full = parseGoroutineDump(text).goroutines.length;
    expect(full).toBeGreaterThan(4);
    // Offsets just after a goroutine's last line (before or after the blank line): what remains is a whole dump.
    const between = new Set<number>();
    for (const m of text.matchAll(/\n\ngoroutine /g)) {
      between.add(m.index + 1).add(m.index + 2);
    }
    const silent: number[] = [];
    for (let cut = 1; cut < text.length; cut++) {
      let dump: GoroutineDump;
      try {
        dump = parseGoroutineDump(text.slice(0, cut));
      } catch (error) {
        expect(error).toBeInstanceOf(NotGoroutineDumpError);
        continue;
      }
      if (dump.goroutines.length < full && !dump.truncated && !between.has(cut)) {
        silent.push(cut);
      }
    }
    expect(silent).toEqual([]);
  });

  it('rejects input that holds no goroutine with a typed error naming what it is', () => {
    const cases: Array<[string, RegExp]> = [
      ['', /empty/],
      ['<!DOCTYPE html><html><body>404 page not found</body></html>', /HTML/],
      ['goroutine profile: total 3\n3 @ 0x1 0x2\n', /debug=1/],
      ['\x1f\x8b\x08\x00binary', /gzip/],
      ['hello world\n', /no "goroutine N \[state\]:" header/],
    ];
    for (const [text, message] of cases) {
      let error: unknown;
      try {
        parseGoroutineDump(text, { source: 'http://x/debug/pprof/goroutine?debug=2' });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(NotGoroutineDumpError);
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).kind).toBe('not-this-format');
      expect((error as Error).message).toMatch(message);
      expect((error as InputError).describe()).toContain('http://x/debug/pprof/goroutine?debug=2');
    }
  });

  it('accepts crash output without goroutines (GOTRACEBACK=none)', () => {
    const dump = parseGoroutineDump(
      'panic: boom\n\n[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x4a]\n'
    );
    expect(dump.goroutines).toEqual([]);
    expect(dump.foreign.map((b) => b.kind)).toEqual(['panic', 'signal']);
  });

  it('can drop argument text', () => {
    const dump = parseGoroutineDump(real('debug2.txt'), { keepArguments: false });
    expect(dump.goroutines.every((g) => g.args === undefined)).toBe(true);
  });
});

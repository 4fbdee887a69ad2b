/**
 * Property tests: dumps generated from the grammar (golang/go:src/runtime/traceback.go) parse back to what generated
 * them, and nothing
 * (random text, grammar fragments, damaged real dumps) makes the parser throw anything but its typed error.
 */
import fc from 'fast-check';
import { readFileSync } from 'fs';
import { join } from 'path';
import { NotGoroutineDumpError, parseGoroutineDump } from './goroutineDump';
import { formatHeaderBracket } from './goroutineDumpHeader';
import type { DumpHeaderState } from './goroutineDumpTypes';

interface GenFrame {
  func: string;
  args: string;
  file: string;
  line: number;
  /** -1: inlined (args print as `...`, no offset). */
  pc: number;
}

interface GenCreatedBy {
  func: string;
  creator: number;
  file: string;
  line: number;
  pc: number;
}

interface GenAncestor {
  id: number;
  frames: GenFrame[];
  elided: boolean;
  createdBy: GenCreatedBy | undefined;
}

interface GenGoroutine {
  id: number;
  header: DumpHeaderState;
  system: { gp: string; m: string; mp: string | undefined } | undefined;
  frames: GenFrame[];
  /** [count, position] of an elision line; count -1 prints the ≤1.20 form. */
  elision: [number, number] | undefined;
  unavailable: boolean;
  createdBy: GenCreatedBy | undefined;
  ancestors: GenAncestor[];
}

const ident = fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]{0,8}$/);
const pkgPath = fc
  .tuple(
    fc.array(fc.stringMatching(/^[a-z][a-z0-9.-]{0,8}$/), { minLength: 0, maxLength: 3 }),
    fc.stringMatching(/^[a-z][a-z0-9]{0,6}(%2ev[0-9])?$/)
  )
  .map(([dirs, last]) => [...dirs, last].join('/'));
const funcName = fc
  .tuple(
    pkgPath,
    fc.option(fc.tuple(fc.boolean(), ident, fc.boolean()), { nil: undefined }),
    ident,
    fc.boolean(),
    fc.array(fc.constantFrom('.func1', '.func2', '.1', '.gowrap1', '.deferwrap1', '-range1'), { maxLength: 2 })
  )
  .map(([pkg, recv, name, generic, closures]) => {
    const g = generic ? '[...]' : '';
    const receiver = recv ? (recv[0] ? `(*${recv[1]}${recv[2] ? '[...]' : ''}).` : `${recv[1]}.`) : '';
    return `${pkg}.${receiver}${name}${g}${closures.join('')}`;
  });
const hexWord = fc
  .bigInt({ min: BigInt(0), max: (BigInt(1) << BigInt(64)) - BigInt(1) })
  .chain((v) => fc.constantFrom(`0x${v.toString(16)}`, `0x${v.toString(16)}?`));
const argList: fc.Arbitrary<string> = fc.letrec((tie) => ({
  item: fc.oneof({ depthSize: 'small' }, hexWord, hexWord, fc.constant('_'), tie('agg')),
  agg: fc.array(tie('item'), { maxLength: 3 }).map((items) => `{${(items as string[]).join(', ')}}`),
  list: fc
    .tuple(fc.array(tie('item'), { maxLength: 4 }), fc.boolean())
    .map(([items, dots]) => [...(items as string[]), ...(dots ? ['...'] : [])].join(', ')),
})).list as fc.Arbitrary<string>;
const filePath = fc
  .tuple(
    fc.array(fc.stringMatching(/^[a-zA-Z0-9._-]{1,8}$/), { minLength: 1, maxLength: 4 }),
    fc.constantFrom('.go', '.s', '.c')
  )
  .map(([parts, ext]) => `/${parts.join('/')}${ext}`);
const frame: fc.Arbitrary<GenFrame> = fc
  .record({
    func: funcName,
    args: argList,
    file: filePath,
    line: fc.integer({ min: 1, max: 99999 }),
    inlined: fc.boolean(),
    pc: fc.integer({ min: 0, max: 0xfffff }),
  })
  .map((f) => ({
    func: f.func,
    args: f.inlined ? '...' : f.args,
    file: f.file,
    line: f.line,
    pc: f.inlined ? -1 : f.pc,
  }));
const createdBy: fc.Arbitrary<GenCreatedBy> = fc.record({
  func: funcName,
  creator: fc.oneof(fc.constant(-1), fc.integer({ min: 1, max: 1e9 })),
  file: filePath,
  line: fc.integer({ min: 1, max: 99999 }),
  pc: fc.integer({ min: 0, max: 0xfffff }),
});
const status = fc.constantFrom(
  'running',
  'runnable',
  'syscall',
  'chan receive',
  'chan send',
  'select',
  'select (no cases)',
  'IO wait',
  'sleep',
  'semacquire',
  'sync.Mutex.Lock',
  'GC worker (idle)',
  'chan receive (durable)',
  'sync.WaitGroup.Wait (durable)',
  'chan send (synctest)',
  'waiting for cgo callback',
  'unknown wait reason'
);
const header: fc.Arbitrary<DumpHeaderState> = fc
  .record({
    status,
    leaked: fc.boolean(),
    scan: fc.boolean(),
    durableMark: fc.boolean(),
    waitMinutes: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 100000 })),
    lockedToThread: fc.boolean(),
    synctestBubble: fc.option(fc.integer({ min: 1, max: 1000 }).map(String), { nil: undefined }),
  })
  .map((h) => ({
    status: h.status,
    leaked: h.leaked,
    scan: h.scan,
    // The runtime never appends " (durable)" to a reason that has its own "(durable)" variant (it uses the variant).
    durable:
      (h.durableMark && !['chan receive', 'chan send', 'select', 'sync.WaitGroup.Wait'].includes(h.status)) ||
      /\((durable|synctest)\)$/.test(h.status),
    waitMinutes: h.waitMinutes,
    lockedToThread: h.lockedToThread,
    synctestBubble: h.synctestBubble,
    extra: undefined,
  }));
const ancestor: fc.Arbitrary<GenAncestor> = fc.record({
  id: fc.integer({ min: 1, max: 1e6 }),
  frames: fc.array(frame, { minLength: 1, maxLength: 3 }),
  elided: fc.boolean(),
  createdBy: fc.option(
    createdBy.map((c) => ({ ...c, creator: -1 })),
    { nil: undefined }
  ),
});
const goroutine: fc.Arbitrary<GenGoroutine> = fc
  .record({
    id: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
    header,
    system: fc.option(
      fc.record({
        gp: fc.integer({ min: 1, max: 2 ** 48 }).map((n) => `0x${n.toString(16)}`),
        m: fc.oneof(fc.constant('nil'), fc.integer({ min: 0, max: 99 }).map(String)),
        mp: fc.option(
          fc.integer({ min: 1, max: 2 ** 48 }).map((n) => `0x${n.toString(16)}`),
          { nil: undefined }
        ),
      }),
      { nil: undefined }
    ),
    frames: fc.array(frame, { minLength: 1, maxLength: 8 }),
    elision: fc.option(fc.tuple(fc.oneof(fc.constant(-1), fc.integer({ min: 1, max: 5000 })), fc.nat()), {
      nil: undefined,
    }),
    unavailable: fc.boolean(),
    createdBy: fc.option(createdBy, { nil: undefined }),
    ancestors: fc.array(ancestor, { maxLength: 2 }),
  })
  .map((g) => {
    if (g.system && g.system.m === 'nil') {
      g.system.mp = undefined; // `m=nil` is never followed by mp=
    }
    if (g.unavailable) {
      return { ...g, frames: [], elision: undefined };
    }
    if (g.elision) {
      g.elision[1] = g.elision[1] % (g.frames.length + 1);
    }
    return g;
  });

function printFrame(f: GenFrame, system: boolean): string {
  const offset = f.pc >= 0 ? ` +0x${f.pc.toString(16)}` : '';
  const level2 =
    system && f.pc >= 0
      ? ` fp=0x${(f.line * 8).toString(16)} sp=0x${(f.line * 4).toString(16)} pc=0x${(f.pc + 0x400000).toString(16)}`
      : '';
  return `${f.func}(${f.args})\n\t${f.file}:${f.line}${offset}${level2}`;
}

function printCreatedBy(c: GenCreatedBy): string {
  return `created by ${c.func}${c.creator >= 0 ? ` in goroutine ${c.creator}` : ''}\n\t${c.file}:${c.line} +0x${c.pc.toString(16)}`;
}

function printGoroutine(g: GenGoroutine): string {
  const sys = g.system ? ` gp=${g.system.gp} m=${g.system.m}${g.system.mp ? ` mp=${g.system.mp}` : ''}` : '';
  const lines = [`goroutine ${g.id}${sys} [${formatHeaderBracket(g.header)}]:`];
  if (g.unavailable) {
    lines.push('\tgoroutine running on other thread; stack unavailable');
  }
  g.frames.forEach((f, i) => {
    if (g.elision && g.elision[1] === i) {
      lines.push(g.elision[0] < 0 ? '...additional frames elided...' : `...${g.elision[0]} frames elided...`);
    }
    lines.push(printFrame(f, g.system !== undefined));
  });
  if (g.elision && g.elision[1] === g.frames.length) {
    lines.push(g.elision[0] < 0 ? '...additional frames elided...' : `...${g.elision[0]} frames elided...`);
  }
  if (g.createdBy) {
    lines.push(printCreatedBy(g.createdBy));
  }
  for (const a of g.ancestors) {
    lines.push(`[originating from goroutine ${a.id}]:`);
    lines.push(...a.frames.map((f) => printFrame(f, false)));
    if (a.elided) {
      lines.push('...additional frames elided...');
    }
    if (a.createdBy) {
      lines.push(printCreatedBy(a.createdBy));
    }
  }
  return lines.join('\n');
}

function frameShape(f: GenFrame) {
  return { func: f.func, file: f.file, line: f.line, pcOffset: f.pc, inlined: f.pc < 0 };
}

/** Outermost frames a whole goroutine 1 ends in (level 1: main.main; level 2: runtime.main, runtime.goexit). */
const MAIN_GOROUTINE_ROOTS: ReadonlyArray<string | undefined> = ['main.main', 'runtime.main', 'runtime.goexit'];

describe('goroutine dump grammar round trip', () => {
  it('parses generated dumps back to their generator', () => {
    fc.assert(
      fc.property(
        fc.array(goroutine, { minLength: 1, maxLength: 6 }),
        fc.constantFrom('\n', '\r\n'),
        fc.boolean(),
        (gs, eol, finalNewline) => {
          let text = gs.map(printGoroutine).join('\n\n');
          if (finalNewline) {
            text += '\n';
          }
          text = text.split('\n').join(eol);
          const dump = parseGoroutineDump(text);
          expect(dump.skippedLines).toBe(0);
          expect(dump.foreign).toEqual([]);
          expect(dump.goroutines).toHaveLength(gs.length);
          // Without a final newline the last line may have been cut; only a file line ending in its PC offset is
          // certainly whole. Otherwise the last goroutine must be reported truncated (and is not compared further).
          const lastLine = text.slice(text.lastIndexOf('\n') + 1);
          const lastWhole = finalNewline || /\t.*( \+0x[0-9a-f]+| pc=0x[0-9a-f]+)\r?$/.test(lastLine);
          gs.forEach((g, i) => {
            const p = dump.goroutines[i];
            if (!lastWhole && i === gs.length - 1) {
              expect(p.truncated).toBe(true);
              return;
            }
            // Only goroutine 1 (its stack ends in main.main, runtime.main or runtime.goexit: golang/go
            // src/runtime/traceback.go), g0 and cgo callbacks (locked to thread) end without `created by`: a last
            // goroutine that does otherwise was cut at a line boundary.
            const outermost = g.frames[g.frames.length - 1]?.func;
            const endsCut =
              i === gs.length - 1 &&
              !g.createdBy &&
              !g.unavailable &&
              g.ancestors.length === 0 &&
              (g.id === 1 ? !MAIN_GOROUTINE_ROOTS.includes(outermost) : !g.header.lockedToThread);
            expect(p.id).toBe(g.id);
            expect(p.header).toEqual(g.header);
            expect([p.gp, p.m, p.mp]).toEqual(
              g.system ? [g.system.gp, g.system.m, g.system.mp] : [undefined, undefined, undefined]
            );
            expect(
              p.frames.map((f) => ({
                func: f.func,
                file: f.file,
                line: f.line,
                pcOffset: f.pcOffset,
                inlined: f.inlined,
              }))
            ).toEqual(g.frames.map(frameShape));
            expect(p.args).toEqual(g.frames.map((f) => f.args));
            expect(p.elidedFrames).toBe(g.elision ? g.elision[0] : 0);
            expect(p.elidedAt).toBe(g.elision ? g.elision[1] : g.frames.length);
            expect(p.stackUnavailable).toBe(g.unavailable);
            expect(
              p.createdBy
                ? { func: p.createdBy.func, file: p.createdBy.file, line: p.createdBy.line, pc: p.createdBy.pcOffset }
                : undefined
            ).toEqual(
              g.createdBy
                ? { func: g.createdBy.func, file: g.createdBy.file, line: g.createdBy.line, pc: g.createdBy.pc }
                : undefined
            );
            expect(p.creatorId).toBe(g.createdBy ? g.createdBy.creator : -1);
            expect(
              (p.ancestors ?? []).map((a) => ({
                id: a.id,
                frames: a.frames.map((f) => f.func),
                elided: a.elided,
                createdBy: a.createdBy?.func,
              }))
            ).toEqual(
              g.ancestors.map((a) => ({
                id: a.id,
                frames: a.frames.map((f) => f.func),
                elided: a.elided,
                createdBy: a.createdBy?.func,
              }))
            );
            expect(p.truncated).toBe(endsCut);
          });
        }
      ),
      { numRuns: 300 }
    );
  });
});

function parsesOrTypedError(text: string): void {
  try {
    const dump = parseGoroutineDump(text);
    expect(dump.goroutines.length).toBeLessThanOrEqual(text.split('goroutine ').length);
  } catch (error) {
    expect(error).toBeInstanceOf(NotGoroutineDumpError);
  }
}

describe('goroutine dump parser never throws on garbage', () => {
  const fragments = fc.constantFrom(
    'goroutine ',
    'goroutine 1 [',
    ']:',
    'goroutine 7 gp=0x1 m=nil [running]:',
    'created by ',
    ' in goroutine ',
    '...',
    ' frames elided...',
    '[originating from goroutine ',
    '\tgoroutine running on other thread; stack unavailable',
    'non-Go function at pc=0x1',
    'main.f(',
    ')',
    '(...)',
    '\t/a.go:',
    ' +0x',
    ' fp=0x1 sp=0x2 pc=0x3',
    '==================',
    'WARNING: DATA RACE',
    'panic: ',
    '\n',
    '\r\n',
    '\n\n',
    '\t',
    ' ',
    '12',
    ', 5 minutes',
    ' (leaked)',
    '\u{1F600}',
    '\u0000'
  );

  it('random strings', () => {
    fc.assert(fc.property(fc.string({ maxLength: 400 }), parsesOrTypedError), { numRuns: 500 });
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 400 }), parsesOrTypedError), { numRuns: 300 });
  });

  it('sequences of grammar fragments', () => {
    fc.assert(
      fc.property(
        fc.array(fragments, { maxLength: 80 }).map((parts) => parts.join('')),
        parsesOrTypedError
      ),
      { numRuns: 1000 }
    );
  });

  it('real dumps with lines deleted, duplicated, cut or mixed', () => {
    const text = readFileSync(join(__dirname, '__testdata__', 'go1.26', 'panic-system.txt'), 'utf8');
    const lines = text.split('\n');
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(lines.length - 1), fc.constantFrom('drop', 'dup', 'cut', 'swap')), { maxLength: 30 }),
        fc.nat(text.length),
        (edits, cut) => {
          const out = [...lines];
          for (const [i, op] of edits) {
            const j = i % out.length;
            if (op === 'drop') {
              out.splice(j, 1);
            } else if (op === 'dup') {
              out.splice(j, 0, out[j]);
            } else if (op === 'cut') {
              out[j] = out[j].slice(0, out[j].length >> 1);
            } else {
              const k = (j * 7 + 3) % out.length;
              [out[j], out[k]] = [out[k], out[j]];
            }
          }
          parsesOrTypedError(out.join('\n').slice(0, cut));
        }
      ),
      { numRuns: 300 }
    );
  });
});

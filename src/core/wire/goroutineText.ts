/**
 * The one entry for goroutine text as people have it: a clean `/debug/pprof/goroutine?debug=2` or `debug=1` body, a
 * crash (`panic: …`, `fatal error: …`, `SIGQUIT: quit` / `PC=… m=… sigcode=…`, Go 1.22+ `gp=0x… m=… mp=…` headers,
 * register dumps, `exit status 2`), `go test` output (`panic: test timed out after 10m0s`), a race-detector report,
 * or any of these inside a log.
 *
 * It finds the first goroutine header (or `<name> profile: total N` line) anywhere in the text, takes what precedes
 * it on its line as a per-line prefix when that prefix is a CI timestamp (GitHub Actions
 * `2024-05-01T10:00:00.1234567Z `), a line number or indentation (or the same literal text on every line) and
 * strips it from every line that carries it; then parses, splits several dumps in one text into parts (a repeated
 * goroutine id, or a new panic / fatal error / signal after goroutines), and keeps the reason text before each part
 * as its {@link CrashCause}. Race reports (`WARNING: DATA RACE`, golang/go:src/runtime/race) are read into the
 * goroutines they name with their stacks.
 *
 * When nothing of this is found it throws {@link NotGoroutineDumpError} with a message that says what the text
 * looked like.
 */
import type { InputErrorContext } from '../errors';
import {
  isByteArray,
  NotGoroutineDumpError,
  parseGoroutineDump,
  parseGoroutineDumpBytes,
  type ByteStream,
} from './goroutineDump';
import { parseDebug1Profile, type Debug1Profile } from './goroutineDumpDebug1';
import type { CrashCause, ForeignBlock, GoroutineDump } from './goroutineDumpTypes';

export interface RecogniseOptions {
  /** Keep each frame's argument text (default false: clustering ignores arguments). */
  keepArguments?: boolean;
  /** Named in errors (URL or file). */
  source?: string;
}

export type LinePrefixKind = 'timestamp' | 'line-number' | 'indentation' | 'text';

/** A prefix found on the goroutine header lines and removed from every line that carries it. */
export interface LinePrefix {
  kind: LinePrefixKind;
  /** The prefix as it appeared on the first goroutine header. */
  sample: string;
  /** Lines it was removed from. */
  lines: number;
}

/** One dump found in the text. */
export type GoroutineTextPart =
  | {
      format: 'debug=2';
      dump: GoroutineDump;
      /** Milliseconds since the epoch from the line prefix (CI timestamps), when the text carries them. */
      time: number | undefined;
    }
  | { format: 'debug=1'; profile: Debug1Profile; time: number | undefined };

export interface RaceFrame {
  func: string;
  file: string;
  line: number;
}

/** One access (or the creation) a race report names, with its stack, leaf first. */
export interface RaceAccess {
  /** As printed: `Read at 0x00c000012345 by goroutine 8`, `Previous write at … by main goroutine`. */
  what: string;
  /** Goroutine id (1 for "main goroutine"), -1 when not printed. */
  goroutine: number;
  frames: RaceFrame[];
}

export interface RaceGoroutine {
  id: number;
  /** `running` or `finished`. */
  status: string;
  /** Where it was created, leaf first. */
  createdAt: RaceFrame[];
}

/** A `WARNING: DATA RACE` block of the race detector. */
export interface RaceReport {
  accesses: RaceAccess[];
  goroutines: RaceGoroutine[];
}

export interface GoroutineText {
  /** Dumps in order of appearance; several when the text holds more than one (two SIGQUITs, two pasted polls). */
  parts: GoroutineTextPart[];
  /** Race-detector reports, in order. */
  races: RaceReport[];
  prefix: LinePrefix | undefined;
  /** What was done to find the dump, in words ("removed GitHub Actions timestamps from 212 lines"). */
  notes: string[];
}

/** `goroutine N[ gp=0x… m=N|nil[ mp=0x…]] [bracket]:` (golang/go:src/runtime/traceback.go goroutineheader). */
const HEADER = /^goroutine \d+(?: gp=0x[0-9a-f]+ m=(?:\d+|nil)(?: mp=0x[0-9a-f]+)?)? \[[^\]\n]*\]:\r?$/;
/** `<name> profile: total N` (golang/go:src/runtime/pprof/pprof.go printCountProfile). */
const DEBUG1_HEADER = /^[a-z]+ profile: total \d+\r?$/;
const DEBUG1_MARK = ' profile: total ';
const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:[.,]\d+)?(?:Z|[+-]\d\d:?\d\d)?[ \t]/;
const LINE_NUMBER = /^[ \t]*\d+(?:[ \t]*[:|][ \t]?|\t| )/;
const MAX_PREFIX = 120;
/** ECMA-48 CSI sequences (`ESC [ … m` colours and the like). */
const ANSI_ESCAPE = /\u001b\[[0-9;?]*[ -\/]*[@-~]/g;

interface Found {
  format: 'debug=1' | 'debug=2';
  /** Offset of the line start. */
  lineStart: number;
  /** Offset of `goroutine` / the profile name. */
  at: number;
}

function lineBounds(text: string, at: number): [number, number] {
  const start = text.lastIndexOf('\n', at - 1) + 1;
  const newline = text.indexOf('\n', at);
  return [start, newline < 0 ? text.length : newline];
}

/** The first goroutine header or debug=1 header line, with whatever precedes it on its line. */
function findFirstHeader(text: string): Found | undefined {
  let found: Found | undefined;
  for (let from = 0; ;) {
    const at = text.indexOf('goroutine ', from);
    if (at < 0) {
      break;
    }
    from = at + 10;
    const c = text.charCodeAt(at + 10);
    if (c < 48 || c > 57) {
      continue;
    }
    const [start, end] = lineBounds(text, at);
    if (at - start <= MAX_PREFIX && HEADER.test(text.slice(at, end))) {
      found = { format: 'debug=2', lineStart: start, at };
      break;
    }
  }
  const limit = found?.at ?? text.length;
  for (let from = 0; ;) {
    const mark = text.indexOf(DEBUG1_MARK, from);
    if (mark < 0 || mark > limit) {
      break;
    }
    from = mark + DEBUG1_MARK.length;
    const [start, end] = lineBounds(text, mark);
    let nameStart = mark;
    while (nameStart > start && /[a-z]/.test(text[nameStart - 1])) {
      nameStart--;
    }
    if (nameStart - start <= MAX_PREFIX && DEBUG1_HEADER.test(text.slice(nameStart, end))) {
      return { format: 'debug=1', lineStart: start, at: nameStart };
    }
  }
  return found;
}

interface PrefixRule {
  kind: LinePrefixKind;
  /** Length of the prefix on `line`, or -1 when the line does not carry it. */
  match(line: string, start: number, end: number): number;
}

function literalRule(kind: LinePrefixKind, literal: string): PrefixRule {
  return { kind, match: (text, start) => (text.startsWith(literal, start) ? literal.length : -1) };
}

function regexRule(kind: LinePrefixKind, head: RegExp, rest: string): PrefixRule {
  return {
    kind,
    match(text, start, end) {
      const m = head.exec(text.slice(start, Math.min(end, start + MAX_PREFIX)));
      if (m === null || !text.startsWith(rest, start + m[0].length)) {
        return -1;
      }
      return m[0].length + rest.length;
    },
  };
}

/** Classifies the text before the first header: what each line of the dump then carries. */
function prefixRule(prefix: string): PrefixRule | undefined {
  if (prefix === '') {
    return undefined;
  }
  if (/^[ \t]+$/.test(prefix)) {
    return literalRule('indentation', prefix);
  }
  const stamp = TIMESTAMP.exec(prefix);
  if (stamp !== null && /^[ \t]*$/.test(prefix.slice(stamp[0].length))) {
    return regexRule('timestamp', TIMESTAMP, prefix.slice(stamp[0].length));
  }
  const number = LINE_NUMBER.exec(prefix);
  if (number !== null && /^[ \t]*$/.test(prefix.slice(number[0].length))) {
    return regexRule('line-number', LINE_NUMBER, prefix.slice(number[0].length));
  }
  return literalRule('text', prefix);
}

const PREFIX_WORDS: Record<LinePrefixKind, string> = {
  timestamp: 'a timestamp',
  'line-number': 'a line number',
  indentation: 'indentation',
  text: 'the text',
};

interface Stripped {
  text: string;
  lines: number;
  /** Stripped-text offsets of lines that start a header or a crash message, with their timestamp (ms). */
  times: Array<[number, number]>;
}

function stripPrefix(text: string, rule: PrefixRule): Stripped {
  const out: string[] = [];
  const times: Array<[number, number]> = [];
  let lines = 0;
  let length = 0;
  for (let pos = 0; pos < text.length;) {
    const newline = text.indexOf('\n', pos);
    const next = newline < 0 ? text.length : newline + 1;
    const end = newline < 0 ? text.length : newline;
    const n = rule.match(text, pos, end);
    const kept = n < 0 ? text.slice(pos, next) : text.slice(pos + n, next);
    if (n >= 0) {
      lines++;
      if (
        rule.kind === 'timestamp' &&
        /^(goroutine |panic: |fatal error: |SIG[A-Z]+: |[a-z]+ profile: total )/.test(kept)
      ) {
        const ms = Date.parse(text.slice(pos, pos + n).trim());
        if (!Number.isNaN(ms)) {
          times.push([length, ms]);
        }
      }
    }
    out.push(kept);
    length += kept.length;
    pos = next;
  }
  return { text: out.join(''), lines, times };
}

function timeAt(times: ReadonlyArray<[number, number]>, offset: number): number | undefined {
  let found: number | undefined;
  for (const [at, ms] of times) {
    if (at > offset) {
      break;
    }
    found = ms;
  }
  // The first dump's reason can precede every recorded line (a prefix-less first line).
  return found ?? times[0]?.[1];
}

/** What a text holds when no goroutine dump is found, in words for the error message. */
export function describeNonDump(text: string): string {
  const head = text.slice(0, 4096).replace(/^\uFEFF/, '');
  const trimmed = head.trimStart();
  if (trimmed.length === 0) {
    return 'the input is empty';
  }
  if (text.charCodeAt(0) === 0x1f && text.charCodeAt(1) === 0x8b) {
    return 'this is gzip data (a pprof protobuf profile?)';
  }
  if (/^<(!doctype|html|head|body)/i.test(trimmed)) {
    const title = /<title>([^<]{1,120})<\/title>/i.exec(head);
    return `this is an HTML page${title ? ` ("${title[1].trim()}")` : ''}`;
  }
  if (/^[{[]/.test(trimmed)) {
    return 'this is JSON';
  }
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') {
    lines.pop();
  }
  const first = lines.find((l) => l.trim() !== '')!.trim();
  const quoted = JSON.stringify(first.length > 80 ? `${first.slice(0, 77)}...` : first);
  const crash = lines.find((l) => /^(panic: |fatal error: |SIG[A-Z0-9]+: |\[signal )/.test(l.trim()));
  if (crash !== undefined) {
    return (
      `crash output ("${crash.trim().slice(0, 100)}") with no goroutine stacks: the process printed only the ` +
      'reason (GOTRACEBACK=none?); run it with GOTRACEBACK=all to get every goroutine'
    );
  }
  if (lines.some((l) => l.includes('WARNING: DATA RACE'))) {
    return 'a race-detector report without its stacks (only the "WARNING: DATA RACE" line was found)';
  }
  if (/^(=== RUN|--- (FAIL|PASS)|ok |FAIL|PASS)/m.test(head)) {
    return `Go test output without a goroutine dump (first line ${quoted})`;
  }
  if (/^(heap|threadcreate|mutex|block) profile: /m.test(head) || /^--- (contention|mutex):/m.test(head)) {
    return `a ${/^(\w+)/.exec(trimmed)?.[1] ?? 'count'} profile in text form`;
  }
  if (/^\s+\S+\.go:\d+/m.test(head) || /^\S+\(.*\)\r?$/m.test(head)) {
    return `stack frames without a "goroutine N [state]:" header (first line ${quoted})`;
  }
  return `${lines.length} line${lines.length === 1 ? '' : 's'} of text with no "goroutine N [state]:" header (first line ${quoted})`;
}

const CAUSE_KINDS = new Set(['panic', 'fatal-error', 'signal']);

/** A crash's first line of a new crash (not another M's section of the same GOTRACEBACK=crash output). */
function startsCrash(block: ForeignBlock, previous: ForeignBlock | undefined): boolean {
  if (!CAUSE_KINDS.has(block.kind)) {
    return false;
  }
  return !(block.kind === 'signal' && previous !== undefined && previous.lines[previous.lines.length - 1] === '-----');
}

/**
 * Offsets where a new dump starts: a crash message after goroutines, or a goroutine id seen before in the current
 * dump (then the dump starts at the last `[running]` goroutine before it: debug=2 bodies and runtime.Stack start
 * with the calling goroutine).
 */
/**
 * Goroutine ids seen in the current part. Clearing forgets only the ids added since the last clear, so a text cut
 * into thousands of parts (the same header pasted over and over) costs the ids it holds, not a bitmap per part.
 */
class SeenIds {
  private readonly bits: Uint8Array | undefined;
  private readonly set: Set<number> | undefined;
  private readonly added: number[] = [];
  /** More ids were added than the bitmap has bytes: clearing it whole is then cheaper than one id at a time. */
  private overflow = false;

  constructor(maxId: number) {
    const small = maxId < 1 << 26;
    this.bits = small ? new Uint8Array((maxId >> 3) + 1) : undefined;
    this.set = small ? undefined : new Set<number>();
  }

  /** Marks `id`; true when it was marked already. */
  add(id: number): boolean {
    if (this.bits === undefined) {
      const had = this.set!.has(id);
      this.set!.add(id);
      return had;
    }
    const bit = 1 << (id & 7);
    if ((this.bits[id >> 3] & bit) !== 0) {
      return true;
    }
    this.bits[id >> 3] |= bit;
    if (this.overflow || this.added.length >= this.bits.length) {
      this.overflow = true;
    } else {
      this.added.push(id);
    }
    return false;
  }

  clear(): void {
    if (this.bits === undefined) {
      this.set!.clear();
      return;
    }
    if (this.overflow) {
      this.bits.fill(0);
      this.overflow = false;
    } else {
      for (const id of this.added) {
        this.bits[id >> 3] = 0;
      }
    }
    this.added.length = 0;
  }
}

function splitOffsets(dump: GoroutineDump): number[] {
  const cuts: number[] = [];
  const gs = dump.goroutines;
  let maxId = 0;
  for (const g of gs) {
    maxId = g.id > maxId ? g.id : maxId;
  }
  const seen = new SeenIds(maxId);
  let partFirst = 0;
  let lastRunning = -1;
  let f = 0;
  const foreign = dump.foreign;
  for (let i = 0; i < gs.length; i++) {
    const g = gs[i];
    // Crash messages between the previous goroutine and this one.
    let crashAt = -1;
    while (f < foreign.length && foreign[f].offset < g.offset) {
      if (i > partFirst && crashAt < 0 && startsCrash(foreign[f], foreign[f - 1])) {
        crashAt = foreign[f].offset;
      }
      f++;
    }
    const repeated = g.id !== 0 && seen.add(g.id);
    if (crashAt < 0 && !repeated) {
      if (g.header.status === 'running' && i > partFirst) {
        lastRunning = i;
      }
      continue;
    }
    const first = crashAt >= 0 ? i : lastRunning > partFirst ? lastRunning : i;
    cuts.push(crashAt >= 0 ? crashAt : gs[first].offset);
    partFirst = first;
    lastRunning = -1;
    seen.clear();
    for (let j = first; j <= i; j++) {
      if (gs[j].id !== 0) {
        seen.add(gs[j].id);
      }
    }
  }
  return cuts;
}

const TEST_RUNNING = /^\t\t(.+) \((\S+)\)$/;

/** The reason a part's process died, from the crash lines before (or among) its goroutines. */
export function crashCause(foreign: readonly ForeignBlock[]): CrashCause | undefined {
  const blocks = foreign.filter((b) => CAUSE_KINDS.has(b.kind));
  if (blocks.length === 0) {
    return undefined;
  }
  const main = blocks.find((b) => b.kind !== 'signal') ?? blocks[0];
  const lines = blocks.flatMap((b) => b.lines);
  let signal: string | undefined;
  for (const line of lines) {
    const m = /^\[signal (SIG[A-Z0-9]+)/.exec(line) ?? /^(SIG[A-Z0-9]+): /.exec(line);
    if (m) {
      signal = m[1];
      break;
    }
  }
  const message = main.lines[0];
  const runningTests: CrashCause['runningTests'] = [];
  for (const line of main.lines) {
    const m = TEST_RUNNING.exec(line);
    if (m) {
      runningTests.push({ name: m[1], elapsed: m[2] });
    }
  }
  const timeout = /^panic: test timed out after (\S+)/.exec(message);
  return {
    kind: timeout
      ? 'test-timeout'
      : main.kind === 'fatal-error'
        ? 'fatal-error'
        : main.kind === 'panic'
          ? 'panic'
          : 'signal',
    message,
    lines,
    signal,
    testTimeout: timeout ? timeout[1] : undefined,
    runningTests,
  };
}

/** `Read at 0x… by goroutine 8:`, `Previous write at 0x… by main goroutine:`; before Go 1.5 without `at 0x…`. */
const RACE_ACCESS =
  /^(?:Previous )?(?:[Rr]ead|[Ww]rite|[Aa]tomic read|[Aa]tomic write)(?: of size \d+)?(?: at 0x[0-9a-f]+)? by (?:goroutine (\d+)|main goroutine):$/;
const RACE_CREATED = /^Goroutine (\d+) \((\w+)\) created at:$/;

function raceFrames(lines: readonly string[], from: number): [RaceFrame[], number] {
  const frames: RaceFrame[] = [];
  let i = from;
  // Function lines are indented by two spaces, file lines by more (six as the race runtime prints them).
  while (i + 1 < lines.length && /^ {2}\S/.test(lines[i]) && /^ {3,}\S/.test(lines[i + 1])) {
    const func = lines[i].trim().replace(/\(.*\)$/, '');
    const location = lines[i + 1].trim().replace(/ \+0x[0-9a-f]+$/, '');
    const colon = location.lastIndexOf(':');
    const line = colon > 0 ? Number(location.slice(colon + 1)) : NaN;
    frames.push(
      Number.isInteger(line) ? { func, file: location.slice(0, colon), line } : { func, file: location, line: 0 }
    );
    i += 2;
  }
  return [frames, i];
}

/** Reads the `WARNING: DATA RACE` blocks (golang/go:src/runtime/race, ThreadSanitizer's Go report format). */
export function parseRaceReports(foreign: readonly ForeignBlock[]): RaceReport[] {
  const out: RaceReport[] = [];
  for (const block of foreign) {
    if (block.kind !== 'race' || !block.lines.includes('WARNING: DATA RACE')) {
      continue;
    }
    const report: RaceReport = { accesses: [], goroutines: [] };
    const lines = block.lines;
    for (let i = 0; i < lines.length;) {
      const access = RACE_ACCESS.exec(lines[i]);
      const created = access ? null : RACE_CREATED.exec(lines[i]);
      if (access) {
        const [frames, next] = raceFrames(lines, i + 1);
        report.accesses.push({ what: lines[i].slice(0, -1), goroutine: access[1] ? Number(access[1]) : 1, frames });
        i = next;
      } else if (created) {
        const [frames, next] = raceFrames(lines, i + 1);
        report.goroutines.push({ id: Number(created[1]), status: created[2], createdAt: frames });
        i = next;
      } else {
        i++;
      }
    }
    out.push(report);
  }
  return out;
}

/** Where the dump's own text starts: its crash message, else its first goroutine. */
function dumpStart(dump: GoroutineDump): number {
  const first = dump.goroutines[0]?.offset ?? 0;
  const cause = dump.foreign.find((b) => CAUSE_KINDS.has(b.kind));
  return cause !== undefined && cause.offset < first ? cause.offset : first;
}

function withCause(dump: GoroutineDump): GoroutineDump {
  const cause = crashCause(dump.foreign);
  return cause === undefined ? dump : { ...dump, cause };
}

function splitDebug1(text: string, context: InputErrorContext): Debug1Profile[] {
  const starts: number[] = [];
  for (let from = 0; ;) {
    const mark = text.indexOf(DEBUG1_MARK, from);
    if (mark < 0) {
      break;
    }
    from = mark + DEBUG1_MARK.length;
    const [start, end] = lineBounds(text, mark);
    if (DEBUG1_HEADER.test(text.slice(start, end))) {
      starts.push(start);
    }
  }
  return starts.map((s, i) => parseDebug1Profile(text.slice(s, starts[i + 1] ?? text.length), context));
}

/** Goroutine text read in order (see {@link ByteStream}), with a way to have all of it when the stream is not enough. */
export interface GoroutineByteStream extends ByteStream {
  /** Every byte of the input from the start, for text that is not one clean dump (read again, or kept). */
  all(): Uint8Array;
}

/**
 * The common case read from the bytes, without one string of the whole text: a body whose first line is a goroutine
 * header and that holds one dump, without terminal colour codes. Undefined for anything else; then the caller decodes
 * the whole text. Either way the result is the same.
 */
function recogniseCleanDump(input: Uint8Array | ByteStream, options: RecogniseOptions): GoroutineText | undefined {
  const dump = parseGoroutineDumpBytes(
    input,
    { keepArguments: options.keepArguments === true, source: options.source },
    (piece, atInputStart) => {
      if (atInputStart) {
        // The first piece holds the whole first line (pieces end after a blank line).
        const newline = piece.indexOf('\n');
        if (!piece.startsWith('goroutine ') || !HEADER.test(newline < 0 ? piece : piece.slice(0, newline))) {
          return true;
        }
      }
      return piece.includes('\u001b[');
    }
  );
  if (dump === undefined || dump.goroutines.length === 0 || splitOffsets(dump).length > 0) {
    return undefined;
  }
  return {
    parts: [{ format: 'debug=2', dump: withCause(dump), time: undefined }],
    races: parseRaceReports(dump.foreign),
    prefix: undefined,
    notes: [],
  };
}

/**
 * Finds, cleans, parses and splits the goroutine text in `input` (see the file comment). Bytes are read as UTF-8
 * (`new TextDecoder().decode(input)`); a clean dump is then parsed piece by piece, without one string of the whole
 * text (and from a stream, without all the bytes in memory).
 */
export function recogniseGoroutineText(
  input: string | Uint8Array | GoroutineByteStream,
  options: RecogniseOptions = {}
): GoroutineText {
  if (typeof input !== 'string') {
    const clean = recogniseCleanDump(input, options);
    if (clean !== undefined) {
      return clean;
    }
    return recogniseGoroutineText(new TextDecoder().decode(isByteArray(input) ? input : input.all()), options);
  }
  const context: InputErrorContext = { source: options.source, format: 'goroutine text' };
  let text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const notes: string[] = [];
  if (text.includes('\u001b[')) {
    // Terminal colour codes (CI logs, `go test` through a colouriser) would hide the line prefix and the grammar.
    const before = text.length;
    text = text.replace(ANSI_ESCAPE, '');
    notes.push(`removed terminal colour codes (${before - text.length} characters)`);
  }
  const found = findFirstHeader(text);
  let prefix: LinePrefix | undefined;
  let times: Array<[number, number]> = [];
  if (found !== undefined) {
    const rule = prefixRule(text.slice(found.lineStart, found.at));
    if (rule !== undefined) {
      const sample = text.slice(found.lineStart, found.at);
      const stripped = stripPrefix(text, rule);
      text = stripped.text;
      times = stripped.times;
      prefix = { kind: rule.kind, sample, lines: stripped.lines };
      notes.push(`removed ${PREFIX_WORDS[rule.kind]} prefix (${JSON.stringify(sample)}) from ${stripped.lines} lines`);
    }
  }
  const keepArguments = options.keepArguments === true;
  if (found?.format === 'debug=1') {
    const profiles = splitDebug1(text, context);
    if (profiles.length > 1) {
      notes.push(`${profiles.length} goroutine profiles in one text, read as a series`);
    }
    return {
      parts: profiles.map((profile) => ({ format: 'debug=1', profile, time: undefined })),
      races: [],
      prefix,
      notes,
    };
  }
  let whole: GoroutineDump;
  try {
    whole = parseGoroutineDump(text, { keepArguments, source: options.source });
  } catch (error) {
    if (error instanceof NotGoroutineDumpError) {
      throw new NotGoroutineDumpError(`not a goroutine dump: ${describeNonDump(text)}`, context);
    }
    throw error;
  }
  const races = parseRaceReports(whole.foreign);
  if (whole.goroutines.length === 0) {
    if (races.length === 0) {
      throw new NotGoroutineDumpError(`not a goroutine dump: ${describeNonDump(text)}`, context);
    }
    notes.push(`a race-detector report (${races.length} race${races.length === 1 ? '' : 's'}) with no goroutine dump`);
    return { parts: [], races, prefix, notes };
  }
  const cuts = splitOffsets(whole);
  let dumps: GoroutineDump[];
  if (cuts.length === 0) {
    dumps = [whole];
  } else {
    const bounds = [0, ...cuts, text.length];
    dumps = [];
    for (let i = 0; i + 1 < bounds.length; i++) {
      const part = parseGoroutineDump(text.slice(bounds[i], bounds[i + 1]), { keepArguments, source: options.source });
      dumps.push(part);
    }
    notes.push(`${dumps.length} goroutine dumps in one text, read as a series (growth between them is reported)`);
  }
  const starts = [0, ...cuts];
  return {
    parts: dumps.map((dump, i) => ({
      format: 'debug=2',
      dump: withCause(dump),
      time: times.length > 0 ? timeAt(times, starts[i] + dumpStart(dump)) : undefined,
    })),
    races,
    prefix,
    notes,
  };
}

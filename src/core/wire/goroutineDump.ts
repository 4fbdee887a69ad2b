/**
 * Parser for goroutine dumps in `debug=2` form (= `runtime.Stack(buf, true)`) and for the goroutine part of crash
 * output, Go 1.19–1.26. Grammar: golang/go:src/runtime/traceback.go.
 *
 * Design (a 100,000-goroutine dump is ~80 MB):
 * - one pass over the string, lines found with `indexOf('\n')`, dispatch on the first character, no regular
 *   expression per line;
 * - frames are interned by their file line (`\t/path/file.go:42 +0x1d`, level-2 `fp=… sp=…` cut off) and function
 *   name; goroutines of one cluster print the same frames in the same order, so the frames that followed the
 *   previous one before are tried first (their lengths rule most out without reading the text), and only a miss
 *   looks the file line up in a map;
 * - header brackets (`[chan receive, 5 minutes]`) are parsed once per distinct text;
 * - bytes (or a stream of them) are read in pieces of about 64 KiB that end after a blank line, so no string of
 *   the whole input is built ({@link parseGoroutineDumpBytes}); without arguments kept, the common goroutine block
 *   (printable ASCII, traceback level 1) is read from the bytes themselves and only the other blocks are decoded
 *   and read as text (goroutineDumpCleanBlocks.ts). A large string without arguments kept is read as its UTF-8
 *   bytes the same way.
 *
 * Robustness: nothing in the text is fatal. Lines inside a goroutine block that fit no rule are skipped and counted;
 * text between blocks (panic messages, `fatal error:`, signal lines, race reports, `runtime stack:`) is kept as
 * foreign blocks; input cut mid-frame marks the last goroutine `truncated`. The only error is
 * {@link NotGoroutineDumpError} when the input holds no goroutine at all.
 */
import { NotThisFormatError, type InputErrorContext } from '../errors';
import { addFollower, CleanBlockReader } from './goroutineDumpCleanBlocks';
import { parseHeaderBracket } from './goroutineDumpHeader';
import type {
  DumpAncestor,
  DumpFrame,
  DumpGoroutine,
  DumpHeaderState,
  ForeignBlock,
  ForeignBlockKind,
  GoroutineDump,
} from './goroutineDumpTypes';

export type * from './goroutineDumpTypes';

/** The input is not a goroutine dump (HTML page, pprof protobuf, debug=1 text, empty body...). */
export class NotGoroutineDumpError extends NotThisFormatError {}

export interface ParseGoroutineDumpOptions {
  /** Keep each frame's argument text (default true). Clustering ignores arguments; the CLI turns this off. */
  keepArguments?: boolean;
  /** Named in errors (URL or file). */
  source?: string;
}

const MAX_SKIPPED_SAMPLES = 20;
const CH_TAB = 9;
const CH_CR = 13;
const CH_SPACE = 32;
const CH_RPAREN = 41;
const CH_STAR = 42;
const CH_DOT = 46;
const CH_0 = 48;
const CH_9 = 57;
const CH_COLON = 58;
const CH_EQUALS = 61;
const CH_LBRACKET = 91;
const CH_RBRACKET = 93;
const CH_a = 97;
const CH_c = 99;
const CH_f = 102;
const CH_g = 103;
const CH_n = 110;
const CH_x = 120;

const HEADER_PREFIX = 'goroutine ';
const CREATED_BY = 'created by ';
const IN_GOROUTINE = ' in goroutine ';
const ORIGINATING = '[originating from goroutine ';
const UNAVAILABLE = 'goroutine running on other thread; stack unavailable';
const NON_GO = 'non-Go function';
const ELIDED_OLD = '...additional frames elided...';
const ELIDED_TAIL = ' frames elided...';

interface InternEntry {
  /** The file line up to the PC offset, without the tab. */
  key: string;
  frame: DumpFrame;
  /**
   * Frames seen right after this one, most recent first, at most 8 (addFollower in goroutineDumpCleanBlocks.ts; see
   * {@link DumpParser.intern}); undefined until one is seen.
   */
  follow: InternEntry[] | undefined;
}

/** Pending line kinds: a function line waits for its file line. */
const enum Pending {
  None = 0,
  Frame = 1,
  CreatedBy = 2,
}

function isDigit(c: number): boolean {
  return c >= CH_0 && c <= CH_9;
}

function isHexDigit(c: number): boolean {
  return (c >= CH_0 && c <= CH_9) || (c >= CH_a && c <= CH_f);
}

/** Index just after the decimal digits that start at `pos` (`pos` itself when there are none), at most `end`. */
function digitsEnd(text: string, pos: number, end: number): number {
  let i = pos;
  while (i < end && isDigit(text.charCodeAt(i))) {
    i++;
  }
  return i;
}

/**
 * Value of the decimal digits in [start, end) (found by {@link digitsEnd}); -1 when there are none. Beyond 15 digits
 * it is what Number() makes of them (ids above 2^53 lose precision rather than overflow the loop silently).
 */
function digitsValue(text: string, start: number, end: number): number {
  if (end === start) {
    return -1;
  }
  if (end - start > 15) {
    return Number(text.slice(start, end));
  }
  let value = 0;
  for (let i = start; i < end; i++) {
    value = value * 10 + (text.charCodeAt(i) - CH_0);
  }
  return value;
}

function foreignKind(line: string): ForeignBlockKind {
  if (line.startsWith('panic: ') || line.startsWith('panic(') || line.startsWith('panicked')) {
    return 'panic';
  }
  if (line.startsWith('fatal error: ') || line.startsWith('runtime: ')) {
    return 'fatal-error';
  }
  if (line.startsWith('[signal ') || /^SIG[A-Z0-9]+: /.test(line)) {
    return 'signal';
  }
  if (line.startsWith('==================') || line.startsWith('WARNING: DATA RACE')) {
    return 'race';
  }
  if (line === 'runtime stack:') {
    return 'runtime-stack';
  }
  return 'text';
}

const NO_FRAMES: readonly DumpFrame[] = Object.freeze([]);

/** runtime/pprof writeGoroutineStacks stops growing its buffer at 64 MiB and writes what fits, without a marker. */
const PPROF_DEBUG2_CAP = 64 << 20;

/** Outermost frames of goroutine 1 (level 1: main.main; level 2: runtime.main, runtime.goexit). */
const MAIN_GOROUTINE_ROOTS = new Set(['main.main', 'runtime.main', 'runtime.goexit']);

/**
 * A whole goroutine ends in `created by …` (golang/go:src/runtime/traceback.go printcreatedby), except goroutine 1
 * (ends in main.main), g0 stacks (id 0) and goroutines that entered Go from a C thread (cgo callbacks: locked to
 * their thread, no creator). A last goroutine ending otherwise was cut between two lines.
 */
function endsWithoutItsOrigin(g: DumpGoroutine): boolean {
  if (g.truncated || g.frames.length === 0 || g.createdBy !== undefined || g.stackUnavailable || g.ancestors) {
    return false;
  }
  if (g.id === 1) {
    return !MAIN_GOROUTINE_ROOTS.has(g.frames[g.frames.length - 1].func);
  }
  return g.id !== 0 && !g.header.lockedToThread;
}

/**
 * A flat copy of `s`, which V8 otherwise keeps as a slice of the whole piece it was cut from: interned frames then
 * neither keep every piece they came from alive nor compare through the slice (`===` against a flat string measured
 * 1.5x faster). Run once per distinct frame.
 */
function ownCopy(s: string): string {
  return s.length < 13 ? s : (JSON.parse(JSON.stringify(s)) as string); // V8 copies substrings shorter than 13
}

/** `[pos, end)` is the start of a goroutine header cut short: `g`, `gorou`, `goroutine 12 [chan rec`. */
function isHeaderStart(text: string, pos: number, end: number): boolean {
  const n = end - pos;
  if (n <= HEADER_PREFIX.length) {
    return n > 0 && HEADER_PREFIX.startsWith(text.slice(pos, end));
  }
  return (
    text.startsWith(HEADER_PREFIX, pos) &&
    isDigit(text.charCodeAt(pos + HEADER_PREFIX.length)) &&
    text.charCodeAt(end - 1) !== CH_COLON
  );
}

/**
 * Goroutines with the same frames share one frames array: a trie of frame sequences from the leaf (the root is the
 * empty stack). Walking it costs a pointer compare per frame for a repeated stack (`last` is the child taken last
 * time) and allocates nothing; a stack's array is built once, for the first goroutine that ends on its node.
 */
class StackNode {
  private frames: readonly DumpFrame[] | undefined;
  private last: StackNode | undefined;
  private children: Map<DumpFrame, StackNode> | undefined;

  constructor(
    private readonly parent: StackNode | undefined,
    private readonly frame: DumpFrame | undefined,
    readonly depth: number
  ) {}

  child(frame: DumpFrame): StackNode {
    const last = this.last;
    if (last !== undefined && last.frame === frame) {
      return last;
    }
    let node = this.children?.get(frame);
    if (node === undefined) {
      node = new StackNode(this, frame, this.depth + 1);
      (this.children ??= new Map()).set(frame, node);
    }
    this.last = node;
    return node;
  }

  stack(): readonly DumpFrame[] {
    if (this.frames === undefined) {
      const out: DumpFrame[] = new Array(this.depth);
      for (let n: StackNode = this; n.parent !== undefined; n = n.parent) {
        out[n.depth - 1] = n.frame!;
      }
      this.frames = this.depth === 0 ? NO_FRAMES : Object.freeze(out);
    }
    return this.frames;
  }
}

/**
 * Parses debug=2 text. Throws {@link NotGoroutineDumpError} only when no goroutine header is found and the text is
 * not recognisable crash output either.
 */
export function parseGoroutineDump(text: string, options: ParseGoroutineDumpOptions = {}): GoroutineDump {
  if (options.keepArguments === false && text.length >= MIN_BYTE_READ && isWellFormed(text)) {
    // The common goroutine blocks are read faster from bytes (goroutineDumpCleanBlocks.ts); the UTF-8 bytes of a
    // string without lone surrogates decode back to exactly that string, so the result is the same.
    return readDumpBytes(text, options, undefined, true)!;
  }
  return parseGoroutineDumpText(text, options);
}

/**
 * Strings shorter than this are read by the text parser alone: reading bytes pays for its tables and buffers once per
 * call, which a few goroutines do not repay (a text cut into thousands of small dumps is parsed once per dump).
 */
const MIN_BYTE_READ = 16 << 10;

/** `text` holds no lone surrogate (String.prototype.isWellFormed, ES2024); false where the method is missing. */
function isWellFormed(text: string): boolean {
  return (text as { isWellFormed?: () => boolean }).isWellFormed?.() === true;
}

/** {@link parseGoroutineDump} read by the text parser alone. */
export function parseGoroutineDumpText(text: string, options: ParseGoroutineDumpOptions = {}): GoroutineDump {
  const parser = new DumpParser(options);
  parser.feed(text, true);
  return parser.result();
}

/**
 * Bytes decoded per piece by {@link parseGoroutineDumpBytes}. Pieces stay below V8's large-object size (128 KiB of
 * one-byte characters), so each is made in the young generation and reuses its memory; one string of a whole 60 MB
 * dump is a fresh large object whose pages are touched once (as long again as parsing it on a 2-core VM).
 */
const PIECE_BYTES = 64 << 10;
const LF = 10;

/** `bytes[i]` ends a blank line: `\n\n` or `\n\r\n`, which the parser reads as the end of a goroutine block. */
function endsBlankLine(bytes: Uint8Array, i: number): boolean {
  return bytes[i] === LF && (bytes[i - 1] === LF || (bytes[i - 1] === CH_CR && bytes[i - 2] === LF));
}

/** Index just after the last blank line ending in [from + 2, to), or -1 when there is none. */
function lastBlankLineEnd(bytes: Uint8Array, from: number, to: number): number {
  for (let i = to - 1; i > from + 1; i--) {
    if (endsBlankLine(bytes, i)) {
      return i + 1;
    }
  }
  return -1;
}

/** End of the piece that starts at `from`: just after the last blank line within PIECE_BYTES, else the next one. */
function pieceEnd(bytes: Uint8Array, from: number): number {
  const limit = from + PIECE_BYTES;
  if (limit >= bytes.length) {
    return bytes.length;
  }
  const end = lastBlankLineEnd(bytes, from, limit);
  if (end >= 0) {
    return end;
  }
  for (let i = limit; i < bytes.length; i++) {
    if (endsBlankLine(bytes, i)) {
      return i + 1;
    }
  }
  return bytes.length;
}

/**
 * Whether the input is bytes rather than a stream: `ArrayBuffer.isView`, not `instanceof Uint8Array`, which fails for
 * an array made in another realm (another frame, or a test environment's globals).
 */
export function isByteArray(input: Uint8Array | ByteStream): input is Uint8Array {
  return ArrayBuffer.isView(input);
}

/**
 * Input read in order (a file read through a small buffer rather than all at once: on a VM, reading a 60 MB file
 * into fresh memory costs 15 times what reading it through one reused 64 KiB buffer does).
 */
export interface ByteStream {
  /**
   * Reads the next bytes into `buffer` from `offset` on, at most up to its end; returns how many (0 at the end). The
   * stream bounds the input's size (the reader's buffer grows only to hold a block without a blank line).
   */
  read(buffer: Uint8Array, offset: number): number;
}

/** Shared by every reading: a decode or encode call without `stream` keeps no state between calls. */
const UTF8 = new TextDecoder();
const UTF8_KEEPING_BOM = new TextDecoder('utf-8', { ignoreBOM: true });
const UTF8_ENCODER = new TextEncoder();

/** `text[i]` ends a blank line (see {@link endsBlankLine}). */
function endsBlankTextLine(text: string, i: number): boolean {
  return (
    text.charCodeAt(i) === LF &&
    (text.charCodeAt(i - 1) === LF || (text.charCodeAt(i - 1) === CH_CR && text.charCodeAt(i - 2) === LF))
  );
}

/** {@link pieceEnd} of a string: just after its last blank line within PIECE_BYTES characters, else the next one. */
function textPieceEnd(text: string, from: number): number {
  const limit = from + PIECE_BYTES;
  if (limit >= text.length) {
    return text.length;
  }
  for (let i = text.lastIndexOf('\n', limit - 1); i > from + 1; i = text.lastIndexOf('\n', i - 1)) {
    if (endsBlankTextLine(text, i)) {
      return i + 1;
    }
  }
  for (let i = text.indexOf('\n', limit); i >= 0; i = text.indexOf('\n', i + 1)) {
    if (endsBlankTextLine(text, i)) {
      return i + 1;
    }
  }
  return text.length;
}

/**
 * Calls `visit` with each piece of `input` (see {@link parseGoroutineDumpBytes}) and whether it is the last. A string
 * (without lone surrogates) is encoded to UTF-8 a piece at a time into one reused buffer: a piece ends after a blank
 * line, so no character is split, and the bytes of a whole large text are never in fresh memory at once.
 */
function forEachPiece(
  input: Uint8Array | ByteStream | string,
  visit: (piece: Uint8Array, last: boolean) => boolean
): void {
  if (typeof input === 'string') {
    let buffer = new Uint8Array(3 * Math.min(PIECE_BYTES, input.length));
    let from = 0;
    do {
      const to = textPieceEnd(input, from);
      if (3 * (to - from) > buffer.length) {
        buffer = new Uint8Array(3 * (to - from)); // a UTF-16 code unit is at most 3 bytes of UTF-8
      }
      const { written } = UTF8_ENCODER.encodeInto(input.slice(from, to), buffer);
      if (!visit(buffer.subarray(0, written), to === input.length)) {
        return;
      }
      from = to;
    } while (from < input.length);
    return;
  }
  if (isByteArray(input)) {
    let from = 0;
    do {
      const to = pieceEnd(input, from);
      if (!visit(input.subarray(from, to), to === input.length)) {
        return;
      }
      from = to;
    } while (from < input.length);
    return;
  }
  let buffer = new Uint8Array(PIECE_BYTES);
  let filled = 0;
  for (;;) {
    let ended = false;
    while (filled < buffer.length) {
      const n = input.read(buffer, filled);
      if (n === 0) {
        ended = true;
        break;
      }
      filled += n;
    }
    const end = ended ? filled : lastBlankLineEnd(buffer, 0, filled);
    if (end < 0) {
      // No blank line in the whole buffer (a goroutine or foreign block longer than it): read on in a larger one.
      const larger = new Uint8Array(buffer.length * 2);
      larger.set(buffer);
      buffer = larger;
      continue;
    }
    if (!visit(buffer.subarray(0, end), ended) || ended) {
      return;
    }
    buffer.copyWithin(0, end, filled);
    filled -= end;
  }
}

/** Index just after the first blank line (`\n` or `\r\n` alone) that starts at or after `from`; the end when none. */
function blockEnd(bytes: Uint8Array, from: number): number {
  let lineStart = from;
  for (;;) {
    const lf = bytes.indexOf(LF, lineStart);
    if (lf < 0) {
      return bytes.length;
    }
    if (lf === lineStart || (lf === lineStart + 1 && bytes[lineStart] === CH_CR)) {
      return lf + 1;
    }
    lineStart = lf + 1;
  }
}

/**
 * {@link parseGoroutineDump} of the UTF-8 text in `input`, decoded as `new TextDecoder().decode(bytes)` would (a
 * leading BOM dropped, invalid sequences as U+FFFD) but piece by piece, each piece ending just after a blank line: a
 * byte 0x0A never falls inside a UTF-8 sequence, so the pieces join into exactly the whole decoded text, and every
 * offset in the result counts characters of that text. Without arguments kept, the common goroutine blocks are read
 * from the bytes themselves (goroutineDumpCleanBlocks.ts) and only the other blocks are decoded. `stop` sees each
 * decoded piece, and whether it starts the input (blocks read from bytes are printable ASCII, and a first one
 * starts with a goroutine header); when it returns true the reading ends and the result is undefined.
 */
export function parseGoroutineDumpBytes(
  input: Uint8Array | ByteStream,
  options: ParseGoroutineDumpOptions = {},
  stop?: (piece: string, atInputStart: boolean) => boolean
): GoroutineDump | undefined {
  return readDumpBytes(input, options, stop, false);
}

/**
 * {@link parseGoroutineDumpBytes}, also of a string without lone surrogates (read as its UTF-8 bytes); with
 * `keepLeadingBom` a leading BOM is kept as a character of the text.
 */
function readDumpBytes(
  input: Uint8Array | ByteStream | string,
  options: ParseGoroutineDumpOptions,
  stop: ((piece: string, atInputStart: boolean) => boolean) | undefined,
  keepLeadingBom: boolean
): GoroutineDump | undefined {
  const parser = new DumpParser(options);
  const rest = UTF8_KEEPING_BOM;
  const first = keepLeadingBom ? rest : UTF8;
  let atInputStart = true;
  let stopped = false;
  forEachPiece(input, (bytes, last) => {
    if (atInputStart) {
      // The text the error names when the input is no dump: its first 200 characters (at most 800 bytes).
      parser.setHead(first.decode(bytes.subarray(0, Math.min(bytes.length, 800))).slice(0, 200));
    }
    let from = 0;
    while (from < bytes.length) {
      const read = parser.readCleanBlocks(bytes, from, atInputStart);
      if (read > from) {
        atInputStart = false;
        from = read;
        if (from === bytes.length) {
          break;
        }
      }
      // The next block from its decoded text (or the rest of the piece, when no block is read from bytes).
      const to = parser.readsCleanBlocks ? blockEnd(bytes, from) : bytes.length;
      const piece = (atInputStart ? first : rest).decode(bytes.subarray(from, to));
      if (stop?.(piece, atInputStart) === true) {
        stopped = true;
        return false;
      }
      atInputStart = false;
      parser.feed(piece, last && to === bytes.length);
      from = to;
    }
    return true;
  });
  return stopped ? undefined : parser.result();
}

class DumpParser {
  /** The piece being read; positions below are in it, {@link base} characters after the input's start. */
  private text = '';
  private base = 0;
  /** The input's first 200 characters, for the error when it is not a dump. */
  private head: string | undefined;
  private readonly keepArgs: boolean;
  private readonly context: InputErrorContext;

  private readonly goroutines: DumpGoroutine[] = [];
  private readonly foreign: ForeignBlock[] = [];
  private skippedLines = 0;
  private readonly skippedSamples: Array<{ offset: number; text: string }> = [];
  private systemLevel = false;

  /** Interned frames by their file line (without the tab and the level-2 suffix). */
  private readonly framesByFileLine = new Map<string, InternEntry[]>();
  /** The last interned entry of the current goroutine; `start` before its first frame. */
  private readonly start: InternEntry = {
    key: '',
    frame: undefined as unknown as DumpFrame,
    follow: undefined,
  };
  private previous: InternEntry = this.start;
  private readonly sites = new Map<string, number>();
  private frameCount = 0;
  private readonly headers = new Map<string, DumpHeaderState>();
  private lastBracket = '\u0000';
  private lastHeader: DumpHeaderState | undefined;

  private readonly root = new StackNode(undefined, undefined, 0);
  /** Where the current goroutine's frames are in the stack trie. */
  private node: StackNode = this.root;
  // Current goroutine and where its frames go (the goroutine itself or its latest ancestor).
  private g: DumpGoroutine | undefined;
  private ancestor: DumpAncestor | undefined;
  private pending: Pending = Pending.None;
  /** Pending function line: [start, nameEnd) is the name, [argsStart, argsEnd) the arguments (-1: none). */
  private pStart = 0;
  private pNameEnd = 0;
  private pArgsStart = -1;
  private pArgsEnd = -1;
  private pCreator = -1;
  /** A pending line without parentheses (cgo symbolizer name or junk): skipped unless a file line follows. */
  private pWeak = false;
  private pLineEnd = 0;

  /** The input ended inside a goroutine header, after the last complete goroutine. */
  private cutBetween = false;
  /** The last line, inside a goroutine, has no newline. */
  private noFinalNewline = false;
  /** The last line was cut mid-line (see finishPartial). */
  private lastCutMidLine = false;
  private block: ForeignBlock | undefined;
  private inRace = false;
  /** Last result of {@link nextSpace}: positions only grow, so reusing it keeps space searches linear overall. */
  private spaceAt = -1;
  private spaceFrom = 0;
  private parenAt = -1;
  private parenFrom = 0;

  /** Reads the common goroutine blocks from bytes, when arguments are not kept (made on first use). */
  private cleanBlocks: CleanBlockReader | undefined;

  constructor(options: ParseGoroutineDumpOptions) {
    this.keepArgs = options.keepArguments !== false;
    this.context = { source: options.source, format: 'goroutine dump (debug=2)' };
  }

  /** The input's first 200 characters, for the error when it is not a dump. */
  setHead(head: string): void {
    this.head = head;
  }

  /** Clean goroutine blocks are read from bytes: arguments are not kept (they would be a string per frame). */
  get readsCleanBlocks(): boolean {
    return !this.keepArgs;
  }

  /**
   * Reads the clean goroutine blocks at `bytes[from]` on (see goroutineDumpCleanBlocks.ts) when the parser stands
   * between blocks; returns where the first block it did not read starts (`from` when none). The bytes read count
   * as characters of the input (they are ASCII).
   */
  readCleanBlocks(bytes: Uint8Array, from: number, atInputStart: boolean): number {
    if (this.keepArgs || this.g !== undefined || this.inRace || this.block !== undefined) {
      return from;
    }
    this.cleanBlocks ??= new CleanBlockReader(
      { frameFor: (func, fileLine) => this.entryFor(func, fileLine).frame, headerFor: (b) => this.headerFor(b) },
      this.root
    );
    this.base += this.text.length;
    this.text = '';
    const to = this.cleanBlocks.read(bytes, from, this.base, atInputStart, this.goroutines);
    this.base += to - from;
    return to;
  }

  /**
   * Reads the next piece of the input. Every piece but the last ends just after a blank line (see
   * {@link parseGoroutineDumpBytes}): no goroutine, pending function line or cached search position spans two pieces.
   */
  feed(text: string, last: boolean): void {
    if (this.base === 0 && this.head === undefined) {
      this.head = text.slice(0, 200);
    }
    this.base += this.text.length;
    this.text = text;
    this.spaceAt = -1;
    this.spaceFrom = 0;
    this.parenAt = -1;
    this.parenFrom = 0;
    const length = text.length;
    let pos = 0;
    let truncatedLine = false;
    while (pos < length) {
      let lineEnd = text.indexOf('\n', pos);
      let next: number;
      if (lineEnd < 0) {
        lineEnd = length;
        next = length;
        truncatedLine = last;
      } else {
        next = lineEnd + 1;
      }
      let end = lineEnd;
      if (end > pos && text.charCodeAt(end - 1) === CH_CR) {
        end--;
      }
      if (next === length && truncatedLine && this.g === undefined && isHeaderStart(text, pos, end)) {
        // Cut inside the header of the next goroutine: that goroutine is lost.
        this.cutBetween = true;
        break;
      }
      if (next === length && truncatedLine && this.g !== undefined && !this.completeFileLine(pos, end)) {
        // The runtime cuts dumps over 64 MB without a marker: a partial last line inside a goroutine cannot be
        // trusted (a cut file line would give a wrong line number), so it only marks the goroutine truncated.
        this.finishPartial(pos, end);
        break;
      }
      if (next === length && truncatedLine && this.g !== undefined) {
        // A whole-looking last line without its newline: Go ends every dump with one, so the cut may have fallen
        // right after this line (or inside its PC offset).
        this.noFinalNewline = true;
      }
      this.line(pos, end);
      pos = next;
      // Fast path: a function or created-by line is followed by its file line; take it here without dispatching.
      if (this.pending !== Pending.None && !this.pWeak && text.charCodeAt(pos) === CH_TAB) {
        const fileEnd = text.indexOf('\n', pos);
        if (fileEnd > 0) {
          this.indented(pos, text.charCodeAt(fileEnd - 1) === CH_CR ? fileEnd - 1 : fileEnd);
          pos = fileEnd + 1;
        }
      }
    }
  }

  /** The dump read by the pieces fed so far, the last one included. */
  result(): GoroutineDump {
    this.endGoroutine(true);
    this.closeBlock();
    if (this.goroutines.length === 0 && !this.foreign.some((b) => b.kind !== 'text')) {
      throw this.notADump();
    }
    const truncation = this.truncation();
    return {
      format: 'debug=2',
      goroutines: this.goroutines,
      foreign: this.foreign,
      skippedLines: this.skippedLines,
      skippedSamples: this.skippedSamples,
      truncated: truncation !== undefined,
      truncation,
      systemLevel: this.systemLevel,
      distinctFrames: this.frameCount,
    };
  }

  /** Why the input looks cut, in words, or undefined when it looks whole. */
  private truncation(): string | undefined {
    const last = this.goroutines[this.goroutines.length - 1];
    if (this.base + this.text.length === PPROF_DEBUG2_CAP) {
      return "the dump is exactly 64 MiB, where Go's debug=2 handler stops writing";
    }
    if (this.cutBetween) {
      return 'the text ends inside a goroutine header';
    }
    if (last?.truncated) {
      return last.frames.length === 0
        ? `goroutine ${last.id} has a header but no stack`
        : last.createdBy === undefined && !this.lastCutMidLine
          ? `goroutine ${last.id} stops before its "created by" line`
          : `the text ends inside goroutine ${last.id}`;
    }
    if (this.noFinalNewline) {
      return 'the text does not end with a newline (Go ends every dump with one): it may have been cut';
    }
    return undefined;
  }

  private notADump(): NotGoroutineDumpError {
    const first = this.head ?? '';
    const head = first.trimStart();
    let hint = 'no "goroutine N [state]:" header found';
    if (head.startsWith('goroutine profile: total') || head.includes(' profile: total ')) {
      hint = 'this is debug=1 text (aggregated counts), not a debug=2 dump';
    } else if (/^<(!doctype|html)/i.test(head)) {
      hint = 'this is an HTML page';
    } else if (first.charCodeAt(0) === 0x1f && first.charCodeAt(1) === 0x8b) {
      hint = 'this is gzip data (a pprof protobuf profile?)';
    } else if (head.length === 0) {
      hint = 'the input is empty';
    }
    return new NotGoroutineDumpError(`not a goroutine dump: ${hint}`, this.context);
  }

  private skip(start: number, end: number): void {
    this.skippedLines++;
    if (this.skippedSamples.length < MAX_SKIPPED_SAMPLES) {
      this.skippedSamples.push({ offset: this.base + start, text: this.text.slice(start, Math.min(end, start + 200)) });
    }
  }

  private line(start: number, end: number): void {
    const text = this.text;
    if (this.inRace) {
      this.addForeign(start, end);
      if (text.startsWith('==================', start) && this.block!.lines.length > 1) {
        this.inRace = false;
        this.closeBlock();
      }
      return;
    }
    if (start === end) {
      this.blank();
      return;
    }
    const c = text.charCodeAt(start);
    if (c === CH_TAB || c === CH_SPACE) {
      this.indented(start, end);
      return;
    }
    // Every branch below starts a new logical line, so a weak pending name without its file line is dropped.
    if (this.pending !== Pending.None) {
      this.dropPending();
    }
    if (c === CH_g && text.startsWith(HEADER_PREFIX, start)) {
      const g = this.readHeader(start, end);
      if (g !== undefined) {
        this.startGoroutine(g);
        return;
      }
    }
    if (this.g === undefined) {
      this.outside(start, end);
      return;
    }
    if (c === CH_c && text.startsWith(CREATED_BY, start)) {
      this.createdBy(start + CREATED_BY.length, end);
      return;
    }
    if (c === CH_DOT && text.startsWith('...', start)) {
      this.elided(start, end);
      return;
    }
    if (c === CH_LBRACKET && text.startsWith(ORIGINATING, start)) {
      this.originating(start, end);
      return;
    }
    if (c === CH_n && text.startsWith(NON_GO, start)) {
      // `non-Go function at pc=0x…` (no symbolizer) stands alone; with a symbolizer a file line follows.
      if (text.startsWith(' at pc=', start + NON_GO.length)) {
        this.addFrame(this.intern(start, start + NON_GO.length, end, end), undefined);
        return;
      }
    }
    this.funcLine(start, end);
  }

  private funcLine(start: number, end: number): void {
    const text = this.text;
    this.pending = Pending.Frame;
    this.pStart = start;
    this.pLineEnd = end;
    if (text.charCodeAt(end - 1) === CH_RPAREN) {
      // The argument list opens at the first '(' that does not open a pointer receiver (`pkg.(*T).M(`): arguments
      // hold no parentheses (hex words, `{}`, `...`, `_`, `?`) and value receivers print without them.
      let paren = this.nextParen(start);
      while (paren < end && text.charCodeAt(paren + 1) === CH_STAR) {
        paren = this.nextParen(paren + 1);
      }
      if (paren < end - 1) {
        this.pNameEnd = paren;
        this.pArgsStart = paren + 1;
        this.pArgsEnd = end - 1;
        this.pWeak = false;
        return;
      }
    }
    // No argument list: a cgo symbolizer's function name, or a line that is not a frame at all.
    this.pNameEnd = end;
    this.pArgsStart = -1;
    this.pArgsEnd = -1;
    this.pWeak = true;
  }

  /** Index of the first '(' at or after `from` (text.length if none), linear overall like {@link nextSpace}. */
  private nextParen(from: number): number {
    if (this.parenAt >= from && from >= this.parenFrom) {
      return this.parenAt;
    }
    this.parenFrom = from;
    const found = this.text.indexOf('(', from);
    this.parenAt = found < 0 ? this.text.length : found;
    return this.parenAt;
  }

  /** Index of the first space at or after `from` (text.length if none), without rescanning (see spaceAt). */
  private nextSpace(from: number): number {
    if (this.spaceAt >= from && from >= this.spaceFrom) {
      return this.spaceAt;
    }
    this.spaceFrom = from;
    const found = this.text.indexOf(' ', from);
    this.spaceAt = found < 0 ? this.text.length : found;
    return this.spaceAt;
  }

  private dropPending(): void {
    // A function line never followed by its file line: not a frame of this grammar.
    this.skip(this.pStart, this.pLineEnd);
    this.pending = Pending.None;
  }

  private indented(start: number, end: number): void {
    const text = this.text;
    if (this.pending === Pending.None) {
      if (this.g !== undefined) {
        let s = start + 1;
        while (s < end && text.charCodeAt(s) === CH_SPACE) {
          s++;
        }
        if (text.startsWith(UNAVAILABLE, s)) {
          this.g.stackUnavailable = true;
          return;
        }
        this.skip(start, end);
      } else {
        this.outside(start, end);
      }
      return;
    }
    // Tabs may have become spaces (copy/paste from a terminal).
    let s = start + 1;
    while (s < end && text.charCodeAt(s) === CH_SPACE) {
      s++;
    }
    const frame = this.intern(this.pStart, this.pNameEnd, s, end);
    if (this.pending === Pending.CreatedBy) {
      if (this.ancestor !== undefined) {
        this.ancestor.createdBy = frame;
      } else {
        this.g!.createdBy = frame;
        this.g!.creatorId = this.pCreator;
      }
    } else {
      this.addFrame(frame, this.pArgsStart < 0 ? undefined : this.argsText(this.pArgsStart, this.pArgsEnd));
    }
    this.pending = Pending.None;
  }

  private argsText(start: number, end: number): string | undefined {
    if (!this.keepArgs) {
      return undefined;
    }
    // Inlined frames always print `(...)`: share one string.
    if (end - start === 3 && this.text.charCodeAt(start) === CH_DOT && this.text.startsWith('...', start)) {
      return '...';
    }
    return this.text.slice(start, end);
  }

  private addFrame(frame: DumpFrame, args: string | undefined): void {
    const target = this.ancestor ?? this.g!;
    if (this.ancestor !== undefined) {
      this.ancestor.frames.push(frame);
    } else {
      this.node = this.node.child(frame);
    }
    if (target.args !== undefined) {
      target.args.push(args);
    }
  }

  /**
   * Returns the interned frame for function text [nameStart, nameEnd) and file line text [fileStart, fileEnd)
   * (without the leading tab).
   */
  private intern(nameStart: number, nameEnd: number, fileStart: number, fileEnd: number): DumpFrame {
    const text = this.text;
    // The key is the file line up to the PC offset; level-2 ` fp=… sp=… pc=…` differs per goroutine and is cut.
    let keyEnd = fileEnd;
    // Level-1 lines end in `:<line>` or ` +0x<off>`; only level-2 (` … pc=0x…`) and cgo symbolizer lines end in
    // `pc=0x<hex>`. Looking back over the final hex digits tells them apart without scanning the path.
    let back = fileEnd - 1;
    while (back > fileStart && isHexDigit(text.charCodeAt(back))) {
      back--;
    }
    const space =
      back > fileStart + 5 && text.charCodeAt(back) === CH_x && text.charCodeAt(back - 2) === CH_EQUALS
        ? this.nextSpace(fileStart)
        : fileEnd;
    if (space < fileEnd) {
      if (text.startsWith(' +0x', space)) {
        const space2 = this.nextSpace(space + 4);
        if (space2 < fileEnd) {
          keyEnd = space2;
          this.systemLevel ||= text.startsWith(' fp=', space2);
        }
      } else if (text.startsWith(' fp=', space)) {
        keyEnd = space;
        this.systemLevel = true;
      }
    }
    const keyLength = keyEnd - fileStart;
    const nameLength = nameEnd - nameStart;
    // Goroutines of one cluster print the same frames in the same order: first try the frames that followed the
    // previous one before. Lengths and the last character (line number or PC offset) rule out most candidates
    // without slicing; substring + === measured 4x faster than startsWith(key, position) in V8 (Node 20).
    const previous = this.previous;
    const follow = previous.follow;
    let key: string | undefined;
    let func: string | undefined;
    if (follow !== undefined) {
      const last = text.charCodeAt(keyEnd - 1);
      for (let i = 0; i < follow.length; i++) {
        const guess = follow[i];
        if (
          guess.key.length === keyLength &&
          guess.frame.func.length === nameLength &&
          (keyLength === 0 || guess.key.charCodeAt(keyLength - 1) === last) &&
          (key ??= text.substring(fileStart, keyEnd)) === guess.key &&
          (func ??= text.substring(nameStart, nameEnd)) === guess.frame.func
        ) {
          if (i > 0) {
            follow[i] = follow[0];
            follow[0] = guess;
          }
          this.previous = guess;
          return guess.frame;
        }
      }
    }
    // Otherwise look the file line up.
    const entry = this.entryFor(func ?? text.substring(nameStart, nameEnd), key ?? text.substring(fileStart, keyEnd));
    addFollower(previous, entry);
    this.previous = entry;
    return entry.frame;
  }

  /**
   * The interned frame of function `func` and file line `key` (one file line is printed under one function name,
   * except in damaged text), made on first sight. The text and the byte readers both intern through it.
   */
  private entryFor(func: string, key: string): InternEntry {
    const sameLine = this.framesByFileLine.get(key);
    let entry = sameLine?.find((e) => e.frame.func === func);
    if (entry === undefined) {
      const ownKey = ownCopy(key);
      entry = { key: ownKey, frame: this.newFrame(ownCopy(func), ownKey), follow: undefined };
      if (sameLine === undefined) {
        this.framesByFileLine.set(ownKey, [entry]);
      } else {
        sameLine.push(entry);
      }
    }
    return entry;
  }

  private newFrame(func: string, key: string): DumpFrame {
    // key: `<file>:<line>[ +0x<off>]`, `<file>:<line> pc=0x…` (cgo symbolizer), `pc=0x…` or '' (no file line).
    let file = '';
    let line = 0;
    let pcOffset = -1;
    let location = key;
    const plus = key.lastIndexOf(' +0x');
    if (plus >= 0) {
      pcOffset = parseInt(key.slice(plus + 4), 16);
      if (Number.isNaN(pcOffset)) {
        pcOffset = -1;
      }
      location = key.slice(0, plus);
    } else {
      const pc = location.lastIndexOf(' pc=');
      if (pc >= 0) {
        location = location.slice(0, pc);
      } else if (location.startsWith('pc=')) {
        location = '';
      }
    }
    const colon = location.lastIndexOf(':');
    if (colon > 0 && colon + 1 < location.length && isDigit(location.charCodeAt(colon + 1))) {
      const lineEnd = digitsEnd(location, colon + 1, location.length);
      if (lineEnd === location.length) {
        file = location.slice(0, colon);
        line = digitsValue(location, colon + 1, lineEnd);
      } else {
        file = location;
      }
    } else {
      file = location;
    }
    const siteKey = `${func}\n${file}\n${line}`;
    let site = this.sites.get(siteKey);
    if (site === undefined) {
      site = this.sites.size;
      this.sites.set(siteKey, site);
    }
    this.frameCount++;
    const inlined = pcOffset < 0 && file !== '' && !key.includes(' pc=');
    return { func, file, line, pcOffset, inlined, site };
  }

  /**
   * Reads a header line `goroutine N[ gp=0x… m=N|nil[ mp=0x…]] [<bracket>]:` (Go 1.22+ adds the `gp=` part at
   * traceback level ≥ 2) into a new goroutine record, its stack still empty; undefined when the line is not one.
   * The record is built here, once: a separate header record copied into it cost an allocation per goroutine.
   */
  private readHeader(start: number, end: number): DumpGoroutine | undefined {
    const text = this.text;
    const idStart = start + HEADER_PREFIX.length;
    let pos = digitsEnd(text, idStart, end);
    const id = digitsValue(text, idStart, pos);
    if (id < 0) {
      return undefined;
    }
    let gp: string | undefined;
    let m: string | undefined;
    let mp: string | undefined;
    if (text.startsWith(' gp=', pos)) {
      gp = this.wordAfter(' gp=', pos, end);
      if (gp === undefined) {
        return undefined;
      }
      pos += 4 + gp.length;
      m = this.wordAfter(' m=', pos, end);
      pos += m === undefined ? 0 : 3 + m.length;
      mp = this.wordAfter(' mp=', pos, end);
      pos += mp === undefined ? 0 : 4 + mp.length;
    }
    // ` [<bracket>]:` up to the end of the line.
    if (
      text.charCodeAt(pos) !== CH_SPACE ||
      text.charCodeAt(pos + 1) !== CH_LBRACKET ||
      end - pos < 5 ||
      text.charCodeAt(end - 1) !== CH_COLON ||
      text.charCodeAt(end - 2) !== CH_RBRACKET
    ) {
      return undefined;
    }
    return {
      id,
      header: this.headerState(pos + 2, end - 2),
      gp,
      m,
      mp,
      frames: NO_FRAMES,
      args: this.keepArgs ? [] : undefined,
      elidedFrames: 0,
      elidedAt: 0,
      createdBy: undefined,
      creatorId: -1,
      ancestors: undefined,
      stackUnavailable: false,
      truncated: false,
      offset: this.base + start,
    };
  }

  /** The word after `label` at `pos` (up to the next space, which must come before `end`), else undefined. */
  private wordAfter(label: string, pos: number, end: number): string | undefined {
    if (!this.text.startsWith(label, pos)) {
      return undefined;
    }
    const wordEnd = this.nextSpace(pos + label.length);
    return wordEnd < end ? this.text.slice(pos + label.length, wordEnd) : undefined;
  }

  /** The parsed bracket text [start, end), shared by every goroutine with the same text. */
  private headerState(start: number, end: number): DumpHeaderState {
    // Neighbouring goroutines usually share their bracket text: try the last one before slicing and hashing.
    const last = this.lastBracket;
    if (last.length === end - start && this.text.startsWith(last, start)) {
      return this.lastHeader!;
    }
    const bracket = this.text.slice(start, end);
    const header = this.headerFor(bracket);
    this.lastBracket = bracket;
    this.lastHeader = header;
    return header;
  }

  /** The parsed bracket text, shared by every goroutine with the same text (read from text or from bytes). */
  private headerFor(bracket: string): DumpHeaderState {
    let header = this.headers.get(bracket);
    if (header === undefined) {
      // A flat copy: the header's strings (status, extra items) would otherwise keep the whole piece alive.
      const own = ownCopy(bracket);
      header = parseHeaderBracket(own);
      this.headers.set(own, header);
    }
    return header;
  }

  private startGoroutine(g: DumpGoroutine): void {
    this.endGoroutine(false);
    this.closeBlock();
    this.systemLevel ||= g.gp !== undefined;
    this.g = g;
    this.ancestor = undefined;
    this.previous = this.start;
    this.node = this.root;
    this.goroutines.push(g);
  }

  private createdBy(start: number, end: number): void {
    const text = this.text;
    let nameEnd = end;
    let creator = -1;
    const space = this.nextSpace(start);
    if (space < end) {
      nameEnd = space;
      if (text.startsWith(IN_GOROUTINE, space)) {
        const idStart = space + IN_GOROUTINE.length;
        const idEnd = digitsEnd(text, idStart, end);
        creator = idEnd === end ? digitsValue(text, idStart, idEnd) : -1;
      }
    }
    this.pending = Pending.CreatedBy;
    this.pStart = start;
    this.pNameEnd = nameEnd;
    this.pArgsStart = -1;
    this.pArgsEnd = -1;
    this.pCreator = creator;
    this.pWeak = false;
    this.pLineEnd = end;
  }

  private elided(start: number, end: number): void {
    const text = this.text;
    if (end - start === ELIDED_OLD.length && text.startsWith(ELIDED_OLD, start)) {
      if (this.ancestor !== undefined) {
        this.ancestor.elided = true;
      } else {
        this.g!.elidedFrames = -1;
        this.g!.elidedAt = this.node.depth;
      }
      return;
    }
    // `...N frames elided...` (Go 1.21+, golang/go:src/runtime/traceback.go printFuncName/traceback2).
    const countEnd = digitsEnd(text, start + 3, end);
    const n = digitsValue(text, start + 3, countEnd);
    if (n >= 0 && text.startsWith(ELIDED_TAIL, countEnd) && countEnd + ELIDED_TAIL.length === end) {
      if (this.ancestor !== undefined) {
        this.ancestor.elided = true;
      } else {
        this.g!.elidedFrames = n;
        this.g!.elidedAt = this.node.depth;
      }
      return;
    }
    this.funcLine(start, end);
  }

  private originating(start: number, end: number): void {
    const text = this.text;
    const idEnd = digitsEnd(text, start + ORIGINATING.length, end);
    const n = digitsValue(text, start + ORIGINATING.length, idEnd);
    if (n < 0 || !text.startsWith(']:', idEnd) || idEnd + 2 !== end) {
      this.skip(start, end);
      return;
    }
    const ancestor: DumpAncestor = {
      id: n,
      frames: [],
      args: this.keepArgs ? [] : undefined,
      elided: false,
      createdBy: undefined,
    };
    (this.g!.ancestors ??= []).push(ancestor);
    this.ancestor = ancestor;
  }

  private blank(): void {
    if (this.pending !== Pending.None) {
      this.dropPending();
    }
    if (this.g !== undefined) {
      this.endGoroutine(false);
    } else {
      this.closeBlock();
    }
  }

  /** Closes the current goroutine; at end of input a strong pending function line means the dump was cut. */
  private endGoroutine(atEof: boolean): void {
    const g = this.g;
    if (g === undefined) {
      return;
    }
    if (this.pending !== Pending.None) {
      if (atEof && !this.pWeak) {
        this.cutPending();
      } else {
        this.dropPending();
      }
    }
    this.closeGoroutine();
    if (atEof && g.frames.length === 0 && !g.stackUnavailable && g.ancestors === undefined) {
      // Every goroutine prints at least one frame: a header alone at the end means the input was cut after it.
      g.truncated = true;
    }
    if (atEof && endsWithoutItsOrigin(g)) {
      // Cut at a line boundary between two frames: the stack stops before its `created by` (or main.main).
      g.truncated = true;
    }
  }

  /** Gives the current goroutine its frames (from the stack trie) and leaves it. */
  private closeGoroutine(): void {
    const g = this.g!;
    g.frames = this.node.stack();
    if (g.elidedFrames === 0) {
      g.elidedAt = g.frames.length;
    }
    this.g = undefined;
    this.ancestor = undefined;
  }

  /** Input ended right after a function line: keep the frame's name, mark the goroutine truncated. */
  private cutPending(): void {
    const g = this.g!;
    g.truncated = true;
    if (this.pending === Pending.Frame) {
      const frame = this.intern(this.pStart, this.pNameEnd, this.pLineEnd, this.pLineEnd);
      this.addFrame(frame, this.pArgsStart < 0 ? undefined : this.argsText(this.pArgsStart, this.pArgsEnd));
    }
    this.pending = Pending.None;
  }

  /**
   * A last line without its newline can still be whole: a file line that ends in ` +0x<hex>` (or cgo ` pc=0x<hex>`)
   * after a function line. Pasted dumps often lose the final newline; at worst the cut fell inside the PC offset.
   */
  private completeFileLine(start: number, end: number): boolean {
    const text = this.text;
    const c = text.charCodeAt(start);
    if (this.pending === Pending.None || (c !== CH_TAB && c !== CH_SPACE)) {
      return false;
    }
    let i = end;
    while (i > start && /[0-9a-f]/.test(text[i - 1])) {
      i--;
    }
    return i < end && (text.startsWith(' +0x', i - 4) || text.startsWith(' pc=0x', i - 6));
  }

  /** A last line without its newline, inside a goroutine. */
  private finishPartial(start: number, end: number): void {
    const g = this.g!;
    this.lastCutMidLine = true;
    const text = this.text;
    const c = text.charCodeAt(start);
    if (this.pending !== Pending.None && !this.pWeak) {
      // The function line was complete; only its file line was cut.
      this.cutPending();
    } else if (start < end && c !== CH_TAB && c !== CH_SPACE && !text.startsWith(CREATED_BY, start)) {
      // A cut function line: keep the name if the argument list had started.
      const paren = text.indexOf('(', start);
      if (paren > start && paren < end) {
        this.addFrame(this.intern(start, paren, end, end), undefined);
      }
      this.pending = Pending.None;
    }
    g.truncated = true;
    this.closeGoroutine();
  }

  private outside(start: number, end: number): void {
    const text = this.text;
    const line = text.slice(start, end);
    // Log lines often run straight into the crash message: a panic or fatal error starts its own block.
    const kind = foreignKind(line);
    if (this.block === undefined || (this.block.kind === 'text' && kind !== 'text')) {
      this.block = { kind, offset: this.base + start, lines: [line] };
      this.foreign.push(this.block);
      this.inRace = kind === 'race' && line.startsWith('==================');
      return;
    }
    this.block.lines.push(line);
  }

  private addForeign(start: number, end: number): void {
    if (this.block === undefined) {
      this.outside(start, end);
      return;
    }
    this.block.lines.push(this.text.slice(start, end));
  }

  private closeBlock(): void {
    this.block = undefined;
  }
}

/**
 * The common goroutine block of a debug=2 dump read straight from its UTF-8 bytes, without a string of the text:
 *
 *     goroutine <id> [<bracket>]:
 *     <function>(<arguments>)
 *     \t<file>:<line> +0x<offset>
 *     …
 *     created by <function> in goroutine <id>
 *     \t<file>:<line> +0x<offset>
 *     <blank line>
 *
 * (golang/go:src/runtime/traceback.go, traceback level 1, the form `/debug/pprof/goroutine?debug=2` serves). A block
 * is read only when every byte of it is printable ASCII and every line fits the grammar above exactly; anything else
 * (CR line ends, non-ASCII or invalid UTF-8, elided frames, ancestors, level-2 `fp=`/`gp=` words, cgo frames, lines
 * of other text, a block cut by the end of the input) stops the reader at the start of that block, and the text
 * parser (goroutineDump.ts) reads it from its decoded text. So a block read here gives exactly what the text parser
 * gives for it: same frames (shared objects, interned through the text parser's table), same header objects, same
 * offsets (ASCII: one byte is one character).
 *
 * Interning without strings: a frame is known by the bytes of its function name and file line, kept once in
 * {@link CleanBlockReader.store}. The frames that followed the previous frame before are compared first (goroutines
 * of one cluster print the same frames in the same order); otherwise a hash of the bytes finds candidates in a map,
 * and every candidate is compared byte for byte, so two frames whose hashes collide stay two frames. Strings are
 * built only at the first sight of a distinct frame or header bracket.
 */
import type { DumpFrame, DumpGoroutine, DumpHeaderState } from './goroutineDumpTypes';

/** The stack trie of the text parser (goroutineDump.ts StackNode): one frames array per distinct stack. */
export interface StackTrieNode {
  readonly depth: number;
  child(frame: DumpFrame): StackTrieNode;
  stack(): readonly DumpFrame[];
}

/** What the reader shares with the text parser, so that both give the same objects for the same text. */
export interface CleanBlockHost {
  /** The interned frame of a function name and file line (the line without its tab). */
  frameFor(func: string, fileLine: string): DumpFrame;
  /** The parsed header bracket, shared by every goroutine with the same bracket text. */
  headerFor(bracket: string): DumpHeaderState;
}

const LF = 10;
const TAB = 9;
const SPACE = 32;
const LPAREN = 40;
const RPAREN = 41;
const STAR = 42;
const COLON = 58;
const EQUALS = 61;
const LBRACKET = 91;
const RBRACKET = 93;
const CH_0 = 48;
const CH_9 = 57;
const CH_a = 97;
const CH_f = 102;
const CH_x = 120;
/** Printable ASCII is 0x20–0x7e; any other byte sends its block to the text parser. */
const PRINTABLE_FIRST = 0x20;
const PRINTABLE_LAST = 0x7e;
/** Byte order of Int32Array on this machine, for DataView reads that agree with it. */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
/** Beyond 15 digits the text parser reads ids through Number(); such blocks are left to it. */
const MAX_ID_DIGITS = 15;
/**
 * Followers kept per interned frame. A frame shared by several clusters (a common leaf, a library call) is followed
 * by one frame per cluster; 8 covers the branching of real dumps (a 100,000-goroutine dump of 175 clusters: 30% of
 * lookups missed with one follower) while a miss stays a few length comparisons.
 */
const MAX_FOLLOWERS = 8;

/**
 * Records that `entry` followed `previous` (in the text parser's and this reader's frame tables): the new follower
 * goes first; the first moves to the end, replacing the last when the list is full.
 */
export function addFollower<T extends { follow: T[] | undefined }>(previous: T, entry: T): void {
  const follow = previous.follow;
  if (follow === undefined) {
    previous.follow = [entry];
    return;
  }
  if (follow.length < MAX_FOLLOWERS) {
    follow.push(follow[0]);
  } else {
    follow[follow.length - 1] = follow[0];
  }
  follow[0] = entry;
}

/** Adds `entry` under `hash`, where `found` was (one entry, or a list when hashes collide). */
export function addToBucket<T extends object>(
  map: Map<number, T | T[]>,
  hash: number,
  found: T | T[] | undefined,
  entry: T
) {
  if (found === undefined) {
    map.set(hash, entry);
  } else if (Array.isArray(found)) {
    found.push(entry);
  } else {
    map.set(hash, [found, entry]);
  }
}

/** Decodes the names and brackets read (printable ASCII); shared, as a decode call without `stream` keeps no state. */
const ASCII = new TextDecoder();

const HEADER_PREFIX = bytesOf('goroutine ');
const CREATED_BY = bytesOf('created by ');
const IN_GOROUTINE = bytesOf(' in goroutine ');
const NON_GO = bytesOf('non-Go function');

function bytesOf(ascii: string): Uint8Array {
  return Uint8Array.from(ascii, (c) => c.charCodeAt(0));
}

/** Which line a frame came from: its name ends at the argument list, or (creation site) at the first space. */
const enum FrameLine {
  Call = 0,
  CreatedBy = 1,
}

interface ByteFrame {
  readonly kind: FrameLine;
  /** The function name's bytes in the store. */
  readonly nameAt: number;
  readonly nameLength: number;
  /** The file line's bytes (after the tab) in the store. */
  readonly keyAt: number;
  readonly keyLength: number;
  readonly frame: DumpFrame;
  /** Frames seen right after this one, most recent first (see the file comment). */
  follow: ByteFrame[] | undefined;
}

interface ByteHeader {
  readonly at: number;
  readonly length: number;
  readonly header: DumpHeaderState;
}

/**
 * 30-bit FNV-1a hash of `bytes[start, end)` on top of `seed` (30 bits, so that Map keys stay small integers). Header
 * brackets are hashed with seed 0.
 */
export function hashBytes(bytes: Uint8Array, start: number, end: number, seed: number): number {
  let h = 0x811c9dc5 ^ seed;
  for (let i = start; i < end; i++) {
    h = Math.imul(h ^ bytes[i], 0x01000193);
  }
  return (h ^ (h >>> 30)) & 0x3fffffff;
}

/**
 * Hash of a frame's function name `bytes[nameStart, nameEnd)` and file line `bytes[keyStart, keyEnd)`, from a call
 * line or a `created by` line. Exported for the test that makes two frames collide.
 */
export function frameHash(
  bytes: Uint8Array,
  nameStart: number,
  nameEnd: number,
  keyStart: number,
  keyEnd: number,
  createdBy: boolean
): number {
  return hashBytes(bytes, keyStart, keyEnd, hashBytes(bytes, nameStart, nameEnd, createdBy ? 1 : 0));
}

function isDigit(c: number): boolean {
  return c >= CH_0 && c <= CH_9;
}

function isHexDigit(c: number): boolean {
  return (c >= CH_0 && c <= CH_9) || (c >= CH_a && c <= CH_f);
}

/** Index of the line feed ending the line that runs through `from`; -1 if a byte before it is not printable ASCII or the bytes end first. */
function printableLineEnd(bytes: Uint8Array, from: number): number {
  const n = bytes.length;
  for (let i = from; i < n; i++) {
    const b = bytes[i];
    if (b === LF) {
      return i;
    }
    if (b < PRINTABLE_FIRST || b > PRINTABLE_LAST) {
      return -1;
    }
  }
  return -1;
}

/** `bytes[at, at + word.length)` holds `word`. */
function startsWithBytes(bytes: Uint8Array, at: number, word: Uint8Array): boolean {
  if (at + word.length > bytes.length) {
    return false;
  }
  for (let i = 0; i < word.length; i++) {
    if (bytes[at + i] !== word[i]) {
      return false;
    }
  }
  return true;
}

/**
 * A file line the text parser keys by all its text (level 1: `…:<line> +0x<hex>` or an inlined `…:<line>`), not
 * one it cuts before ` fp=`/` pc=` (traceback level 2, cgo symbolizer lines): those end in `=0x<hex>`.
 */
function isLevelOneFileLine(bytes: Uint8Array, start: number, end: number): boolean {
  let back = end - 1;
  while (back > start && isHexDigit(bytes[back])) {
    back--;
  }
  return !(back > start + 5 && bytes[back] === CH_x && bytes[back - 2] === EQUALS);
}

/** Reads clean goroutine blocks from bytes for one parse (see the file comment). */
export class CleanBlockReader {
  /**
   * Bytes of every distinct frame's name and file line and every distinct header bracket, each from a multiple of 4
   * (so that {@link words}, the same memory, compares them four bytes at a time).
   */
  private store = new Uint8Array(1 << 10);
  private words = new Int32Array(this.store.buffer);
  private stored = 0;
  /** The bytes being read, for reading four at a time at any offset. */
  private view: DataView<ArrayBufferLike> = new DataView(new ArrayBuffer(0));
  private readonly frames = new Map<number, ByteFrame | ByteFrame[]>();
  private readonly headers = new Map<number, ByteHeader | ByteHeader[]>();
  private lastHeader: ByteHeader | undefined;
  /** Stands before a goroutine's first frame; its followers are the frames goroutines start with. */
  private readonly start: ByteFrame = {
    kind: FrameLine.Call,
    nameAt: 0,
    nameLength: -1,
    keyAt: 0,
    keyLength: -1,
    frame: undefined as unknown as DumpFrame,
    follow: undefined,
  };

  // The block being read: its frames so far, and where the current line starts.
  private previous: ByteFrame = this.start;
  private node: StackTrieNode;
  private pos = 0;

  constructor(
    private readonly host: CleanBlockHost,
    private readonly root: StackTrieNode
  ) {
    this.node = root;
  }

  /**
   * Reads the clean goroutine blocks at `bytes[from]` on, each to just after its blank line, and adds their
   * goroutines to `out`; `offset` is the character offset of `bytes[from]` in the input. Returns where the first
   * block it did not read starts (`from` when it read none). `atInputStart`: `from` is the input's first byte, whose
   * first line the caller may judge (a blank line or a bracket holding `]` is then left to the text parser).
   */
  read(bytes: Uint8Array, from: number, offset: number, atInputStart: boolean, out: DumpGoroutine[]): number {
    let done = from;
    const n = bytes.length;
    if (this.view.buffer !== bytes.buffer || this.view.byteOffset !== bytes.byteOffset || this.view.byteLength !== n) {
      this.view = new DataView(bytes.buffer, bytes.byteOffset, n);
    }
    while (done < n) {
      if (bytes[done] === LF) {
        if (atInputStart && done === from) {
          return done;
        }
        done++; // blank lines between blocks
        continue;
      }
      const g = this.block(bytes, done, offset + (done - from), atInputStart && done === from);
      if (g === undefined) {
        return done;
      }
      out.push(g);
      done = this.pos;
    }
    return done;
  }

  /** The goroutine of the clean block at `start`, {@link pos} then just after its blank line; else undefined. */
  private block(bytes: Uint8Array, start: number, offset: number, firstLine: boolean): DumpGoroutine | undefined {
    const n = bytes.length;
    if (!startsWithBytes(bytes, start, HEADER_PREFIX)) {
      return undefined;
    }
    // `goroutine <id> [<bracket>]:`
    const id = this.id(bytes, start + HEADER_PREFIX.length);
    const i = this.pos;
    if (id < 0 || i + 1 >= n || bytes[i] !== SPACE || bytes[i + 1] !== LBRACKET) {
      return undefined;
    }
    const header = this.header(bytes, i + 2, firstLine);
    if (header === undefined) {
      return undefined;
    }
    this.previous = this.start;
    this.node = this.root;
    let createdBy: DumpFrame | undefined;
    let creatorId = -1;
    let p = this.pos;
    for (;;) {
      if (p >= n) {
        return undefined; // cut by the end of the bytes: the text parser judges how
      }
      const c = bytes[p];
      if (c === LF) {
        break;
      }
      if (c === 99 /* c */ && startsWithBytes(bytes, p, CREATED_BY)) {
        const frame = this.createdBy(bytes, p + CREATED_BY.length);
        if (frame === undefined || this.pos >= n || bytes[this.pos] !== LF) {
          return undefined; // ancestors or anything else after the creation site
        }
        createdBy = frame;
        creatorId = this.creator;
        p = this.pos;
        break;
      }
      if (
        c === TAB ||
        c === SPACE ||
        c === 46 /* . */ ||
        c === LBRACKET ||
        (c === 103 /* g */ && startsWithBytes(bytes, p, HEADER_PREFIX)) ||
        (c === 110 /* n */ && startsWithBytes(bytes, p, NON_GO))
      ) {
        return undefined; // elision, ancestors, a header without a blank line, cgo, unavailable stacks
      }
      const frame = this.call(bytes, p);
      if (frame === undefined) {
        return undefined;
      }
      this.node = this.node.child(frame);
      p = this.pos;
    }
    if (this.node === this.root) {
      return undefined;
    }
    this.pos = p + 1;
    const frames = this.node.stack();
    // The text parser's record (goroutineDump.ts readHeader), with its stack already known.
    return {
      id,
      header,
      gp: undefined,
      m: undefined,
      mp: undefined,
      frames,
      args: undefined,
      elidedFrames: 0,
      elidedAt: frames.length,
      createdBy,
      creatorId,
      ancestors: undefined,
      stackUnavailable: false,
      truncated: false,
      offset,
    };
  }

  /** The goroutine id of the 1–15 digits at `start`, {@link pos} then after them; -1 for none or more. */
  private id(bytes: Uint8Array, start: number): number {
    const n = bytes.length;
    let i = start;
    let id = 0;
    while (i < n && isDigit(bytes[i])) {
      id = id * 10 + (bytes[i] - CH_0);
      i++;
    }
    this.pos = i;
    return i === start || i - start > MAX_ID_DIGITS ? -1 : id;
  }

  /** The header whose bracket starts at `start` (after `[`), {@link pos} then at the next line. */
  private header(bytes: Uint8Array, start: number, firstLine: boolean): DumpHeaderState | undefined {
    const last = this.lastHeader;
    if (last !== undefined) {
      const close = start + last.length;
      if (
        close + 2 < bytes.length &&
        bytes[close] === RBRACKET &&
        bytes[close + 1] === COLON &&
        bytes[close + 2] === LF &&
        this.sameAsStored(bytes, start, last.at, last.length)
      ) {
        this.pos = close + 3;
        return last.header;
      }
    }
    const lineEnd = printableLineEnd(bytes, start);
    const close = lineEnd - 2;
    if (lineEnd < 0 || close <= start || bytes[close] !== RBRACKET || bytes[close + 1] !== COLON) {
      return undefined;
    }
    if (firstLine && bytes.subarray(start, close).includes(RBRACKET)) {
      return undefined; // not a first line goroutineText.ts's HEADER accepts: let the text parser's caller judge it
    }
    const hash = hashBytes(bytes, start, close, 0);
    const found = this.headers.get(hash);
    let entry: ByteHeader | undefined;
    if (found !== undefined) {
      for (const candidate of Array.isArray(found) ? found : [found]) {
        if (candidate.length === close - start && this.sameAsStored(bytes, start, candidate.at, candidate.length)) {
          entry = candidate;
          break;
        }
      }
    }
    if (entry === undefined) {
      const header = this.host.headerFor(ASCII.decode(bytes.subarray(start, close)));
      entry = { at: this.keep(bytes, start, close), length: close - start, header };
      addToBucket(this.headers, hash, found, entry);
    }
    this.lastHeader = entry;
    this.pos = lineEnd + 1;
    return entry.header;
  }

  /**
   * The first follower of the previous frame whose name is the one at `start` on a line of `kind`: its bytes, then
   * what ends such a name (the argument list's `(`, or the space or line end after a creation site's name).
   */
  private followerNamed(bytes: Uint8Array, start: number, kind: FrameLine): ByteFrame | undefined {
    const follow = this.previous.follow;
    if (follow === undefined) {
      return undefined;
    }
    const n = bytes.length;
    for (let k = 0; k < follow.length; k++) {
      const candidate = follow[k];
      const end = start + candidate.nameLength;
      if (
        candidate.kind === kind &&
        end + 1 < n &&
        (kind === FrameLine.Call
          ? bytes[end] === LPAREN && bytes[end + 1] !== STAR
          : bytes[end] === SPACE || bytes[end] === LF) &&
        this.sameAsStored(bytes, start, candidate.nameAt, candidate.nameLength)
      ) {
        return candidate;
      }
    }
    return undefined;
  }

  /** Creator id of the last {@link createdBy} line. */
  private creator = -1;

  /** The frame of `created by <function>[ in goroutine <id>]` whose name starts at `start`; {@link pos} after its file line. */
  private createdBy(bytes: Uint8Array, start: number): DumpFrame | undefined {
    const n = bytes.length;
    const guess = this.followerNamed(bytes, start, FrameLine.CreatedBy);
    let nameEnd = guess === undefined ? -1 : start + guess.nameLength;
    if (nameEnd < 0) {
      nameEnd = start;
      while (nameEnd < n && bytes[nameEnd] !== SPACE && bytes[nameEnd] !== LF) {
        const b = bytes[nameEnd];
        if (b < PRINTABLE_FIRST || b > PRINTABLE_LAST) {
          return undefined;
        }
        nameEnd++;
      }
      if (nameEnd === start || nameEnd >= n) {
        return undefined;
      }
    }
    // ` in goroutine <id>` or nothing; other words after the name are left to the text parser.
    let lineEnd = nameEnd;
    this.creator = -1;
    if (bytes[nameEnd] === SPACE) {
      if (!startsWithBytes(bytes, nameEnd, IN_GOROUTINE)) {
        return undefined;
      }
      const id = this.id(bytes, nameEnd + IN_GOROUTINE.length);
      const i = this.pos;
      if (id < 0 || i >= n || bytes[i] !== LF) {
        return undefined;
      }
      this.creator = id;
      lineEnd = i;
    }
    return this.frameWithFileLine(bytes, FrameLine.CreatedBy, start, nameEnd, lineEnd + 1, guess);
  }

  /** The frame of the call line at `start` and the file line after it; {@link pos} after the file line. */
  private call(bytes: Uint8Array, start: number): DumpFrame | undefined {
    const n = bytes.length;
    // The name ends at the first `(` that does not open a pointer receiver (`pkg.(*T).M(`), as in the text parser.
    const guess = this.followerNamed(bytes, start, FrameLine.Call);
    let nameEnd = guess === undefined ? -1 : start + guess.nameLength;
    if (nameEnd < 0) {
      for (let i = start; i + 1 < n; i++) {
        const b = bytes[i];
        if (b === LPAREN && bytes[i + 1] !== STAR) {
          nameEnd = i;
          break;
        }
        if (b < PRINTABLE_FIRST || b > PRINTABLE_LAST) {
          return undefined; // a line without an argument list (cgo symbolizer name, other text) included
        }
      }
      if (nameEnd < 0) {
        return undefined;
      }
    }
    // The arguments, skipped: the line must end in `)`.
    const lineEnd = printableLineEnd(bytes, nameEnd + 1);
    if (lineEnd < 0 || bytes[lineEnd - 1] !== RPAREN) {
      return undefined;
    }
    return this.frameWithFileLine(bytes, FrameLine.Call, start, nameEnd, lineEnd + 1, guess);
  }

  /**
   * The frame named by `bytes[nameStart, nameEnd)` whose file line (`\t<file>:<line>[ +0x<offset>]`) starts at
   * `fileStart`; `guess` is the follower whose name matched, tried first. {@link pos} is then after the file line.
   */
  private frameWithFileLine(
    bytes: Uint8Array,
    kind: FrameLine,
    nameStart: number,
    nameEnd: number,
    fileStart: number,
    guess: ByteFrame | undefined
  ): DumpFrame | undefined {
    const n = bytes.length;
    if (fileStart + 1 >= n || bytes[fileStart] !== TAB || bytes[fileStart + 1] === SPACE) {
      return undefined;
    }
    const keyStart = fileStart + 1;
    const nameLength = nameEnd - nameStart;
    const previous = this.previous;
    const follow = previous.follow;
    if (follow !== undefined) {
      // The follower whose name matched first, then any other with the same name and file line.
      for (let k = guess === undefined ? follow.length : follow.indexOf(guess); k < follow.length; k++) {
        const candidate = follow[k];
        const keyEnd = keyStart + candidate.keyLength;
        if (
          candidate.kind === kind &&
          candidate.nameLength === nameLength &&
          keyEnd < n &&
          bytes[keyEnd] === LF &&
          this.sameAsStored(bytes, keyStart, candidate.keyAt, candidate.keyLength) &&
          (candidate === guess || this.sameAsStored(bytes, nameStart, candidate.nameAt, nameLength))
        ) {
          if (k > 0) {
            follow[k] = follow[0];
            follow[0] = candidate;
          }
          this.previous = candidate;
          this.pos = keyEnd + 1;
          return candidate.frame;
        }
      }
    }
    const keyEnd = printableLineEnd(bytes, keyStart);
    if (keyEnd <= keyStart || !isLevelOneFileLine(bytes, keyStart, keyEnd)) {
      return undefined;
    }
    const hash = frameHash(bytes, nameStart, nameEnd, keyStart, keyEnd, kind === FrameLine.CreatedBy);
    const found = this.frames.get(hash);
    let entry: ByteFrame | undefined;
    if (found !== undefined) {
      for (const candidate of Array.isArray(found) ? found : [found]) {
        if (
          candidate.kind === kind &&
          candidate.nameLength === nameLength &&
          candidate.keyLength === keyEnd - keyStart &&
          this.sameAsStored(bytes, nameStart, candidate.nameAt, nameLength) &&
          this.sameAsStored(bytes, keyStart, candidate.keyAt, candidate.keyLength)
        ) {
          entry = candidate;
          break;
        }
      }
    }
    if (entry === undefined) {
      const frame = this.host.frameFor(
        ASCII.decode(bytes.subarray(nameStart, nameEnd)),
        ASCII.decode(bytes.subarray(keyStart, keyEnd))
      );
      entry = {
        kind,
        nameAt: this.keep(bytes, nameStart, nameEnd),
        nameLength,
        keyAt: this.keep(bytes, keyStart, keyEnd),
        keyLength: keyEnd - keyStart,
        frame,
        follow: undefined,
      };
      addToBucket(this.frames, hash, found, entry);
    }
    addFollower(previous, entry);
    this.previous = entry;
    this.pos = keyEnd + 1;
    return entry.frame;
  }

  /**
   * `bytes[start, start + length)` equals the stored bytes at `at`. Four bytes at a time: a frame's name and file
   * line are compared on every goroutine that prints it, and this comparison is most of the reading.
   */
  private sameAsStored(bytes: Uint8Array, start: number, at: number, length: number): boolean {
    const end = start + length;
    if (end > bytes.length) {
      return false;
    }
    const view = this.view;
    const words = this.words;
    const wordsEnd = start + (length & ~3);
    let i = start;
    for (let w = at >> 2; i < wordsEnd; i += 4, w++) {
      if (view.getInt32(i, LITTLE_ENDIAN) !== words[w]) {
        return false;
      }
    }
    const store = this.store;
    for (let k = at + (length & ~3); i < end; i++, k++) {
      if (bytes[i] !== store[k]) {
        return false;
      }
    }
    return true;
  }

  /** Copies `bytes[start, end)` into the store at the next multiple of 4; returns where. */
  private keep(bytes: Uint8Array, start: number, end: number): number {
    const length = end - start;
    const at = (this.stored + 3) & ~3;
    if (at + length + 3 > this.store.length) {
      const larger = new Uint8Array(Math.max(this.store.length * 2, (at + length + 7) & ~3));
      larger.set(this.store.subarray(0, this.stored));
      this.store = larger;
      this.words = new Int32Array(larger.buffer);
    }
    this.store.set(bytes.subarray(start, end), at);
    this.stored = at + length;
    return at;
  }
}

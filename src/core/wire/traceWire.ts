/**
 * Bytes → generations of a Go execution trace (format 2, Go 1.22 and later).
 *
 * Layout (golang/go:src/internal/trace/{batch.go,generation.go}): a 16-byte header `go 1.NN trace\0\0\0`, then batches
 * back to back. A batch is `EventBatch`(1) or `ExperimentalBatch`(49, followed by an experiment byte), then uvarints
 * gen, M (thread id; 2^64-1 for batches of no thread), base time in ticks and size (≤ 64 KiB), then `size` bytes.
 * Go 1.26 ends each generation with a lone `EndOfGeneration`(52) byte; earlier versions start a new generation when
 * the gen number changes. A batch whose data starts with Strings, Stacks, CPUSamples or the sync event (Frequency
 * before 1.25, Sync from 1.25) is a table of its generation; every other batch is a per-M event stream, kept as a
 * view into the input (nothing is copied) and decoded lazily by {@link BatchCursor}.
 *
 * Numbers: uvarints are read as JS numbers, exact up to 2^53. The few values that may exceed it are read exactly:
 * batch base times and CPU sample times (ticks) as bigints rounded once to a double, as Go's float64(uint64) does,
 * and the "no thread" M id (2^64-1), which becomes -1 as Go's ThreadID(int64) does.
 */
import { LimitExceededError } from '../errors';
import { MalformedTraceError, NotGoTraceError, UnsupportedTraceVersionError } from './traceErrors';
import {
  EV,
  eventSpec,
  MAX_BATCH_SIZE,
  MAX_FRAMES_PER_STACK,
  MAX_STRING_SIZE,
  OLDER_TRACE_VERSIONS,
  TRACE_VERSIONS,
} from './traceSpec';

export interface TraceLimits {
  /** Bytes of trace input. */
  maxInputBytes: number;
  /** Strings in one generation. */
  maxStrings: number;
  /** Stacks in one generation. */
  maxStacks: number;
  /** Events delivered by the reader, all generations together. */
  maxEvents: number;
}

export const DEFAULT_TRACE_LIMITS: Readonly<TraceLimits> = Object.freeze({
  maxInputBytes: 1024 * 1024 * 1024,
  maxStrings: 10_000_000,
  maxStacks: 10_000_000,
  maxEvents: 500_000_000,
});

export function checkTraceLimit(name: keyof TraceLimits, limits: TraceLimits, actual: number, what: string): void {
  const max = limits[name];
  if (actual > max) {
    throw new LimitExceededError(
      `${what}: ${actual} exceeds the limit of ${max} (raise limits.${name} to accept it)`,
      { name, max, actual },
      { format: 'Go execution trace' }
    );
  }
}

const HEADER_SIZE = 16;
const BIG_0 = BigInt(0);
const BIG_7 = BigInt(7);
const NO_THREAD_BIG = (BigInt(1) << BigInt(64)) - BigInt(1);
/** Go's NoThread / NoProc / NoGoroutine: -1 as int64. */
export const NONE = -1;

/**
 * Reads the 16-byte header and returns the Go minor version it names (22, 23, 25 or 26).
 * Go: golang/go:src/internal/trace/version/version.go `ReadHeader`.
 */
export function readTraceHeader(bytes: Uint8Array): number {
  let head = '';
  for (let i = 0; i < Math.min(bytes.length, HEADER_SIZE); i++) {
    head += String.fromCharCode(bytes[i]);
  }
  const match = /^go 1\.(\d+) trace\0\0\0/.exec(head);
  if (!match) {
    const what = bytes.length === 0 ? 'empty input' : 'no "go 1.NN trace" header';
    throw new NotGoTraceError(`bad file format: not a Go execution trace (${what})`, { offset: 0 });
  }
  const minor = Number(match[1]);
  if (OLDER_TRACE_VERSIONS.has(minor)) {
    throw new UnsupportedTraceVersionError(
      `older trace format, not supported: this trace was written by Go 1.${minor}; traces of Go 1.22 and later are read`,
      minor,
      { offset: 0 }
    );
  }
  if (!TRACE_VERSIONS.has(minor)) {
    throw new UnsupportedTraceVersionError(`unknown or unsupported trace version go 1.${minor}`, minor, { offset: 0 });
  }
  return minor;
}

/** Reads a uvarint from `data` at `pos`; returns the value and stores the new position in `cursor.pos`. */
export class ByteCursor {
  constructor(
    readonly data: Uint8Array,
    public pos: number,
    readonly end: number,
    /** Offset of data[0] in the whole trace, for error messages. */
    readonly base: number
  ) {}

  get remaining(): number {
    return this.end - this.pos;
  }

  byte(what: string): number {
    if (this.pos >= this.end) {
      throw this.malformed(`unexpected end of data reading ${what}`);
    }
    return this.data[this.pos++];
  }

  /** Go's binary.Uvarint: at most 10 bytes, the 10th at most 1. Exact up to 2^53. */
  uvarint(what: string): number {
    const data = this.data;
    let pos = this.pos;
    if (pos < this.end && data[pos] < 0x80) {
      this.pos = pos + 1;
      return data[pos];
    }
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (pos >= this.end) {
        throw this.malformed(`found invalid uvarint for ${what} (truncated)`);
      }
      const b = data[pos++];
      if (i === 9 && b > 1) {
        throw this.malformed(`found invalid uvarint for ${what} (overflows 64 bits)`);
      }
      value += (b & 0x7f) * scale;
      if (b < 0x80) {
        this.pos = pos;
        return value;
      }
      scale *= 128;
    }
    throw this.malformed(`found invalid uvarint for ${what} (overflows 64 bits)`);
  }

  /** A uvarint as an exact bigint (for values that may exceed 2^53). */
  uvarintBig(what: string): bigint {
    let value = BIG_0;
    let shift = BIG_0;
    for (let i = 0; i < 10; i++) {
      const b = this.byte(what);
      if (i === 9 && b > 1) {
        throw this.malformed(`found invalid uvarint for ${what} (overflows 64 bits)`);
      }
      value |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) {
        return value;
      }
      shift += BIG_7;
    }
    throw this.malformed(`found invalid uvarint for ${what} (overflows 64 bits)`);
  }

  malformed(message: string): MalformedTraceError {
    return new MalformedTraceError(message, { offset: this.base + this.pos });
  }
}

/** A thread id from the wire: 2^64-1 (no thread) becomes -1, as Go's ThreadID(int64(x)). */
function threadId(value: bigint): number {
  return value === NO_THREAD_BIG ? NONE : Number(BigInt.asIntN(64, value));
}

/** An id argument read as a number: values of 2^63 and above are negative int64s in Go (-1 = none). */
export function signedId(value: number): number {
  return value >= 2 ** 63 ? NONE : value;
}

export interface RawBatch {
  m: number;
  /** Base time in ticks, rounded once to a double like Go's float64(uint64). */
  time: number;
  /** The batch's bytes (a view into the input). */
  data: Uint8Array;
  /** Offset of data[0] in the input. */
  offset: number;
  experiment: number;
}

interface BatchHeader {
  batch: RawBatch;
  gen: number;
  endOfGeneration: boolean;
}

function readBatch(input: ByteCursor): BatchHeader {
  const start = input.pos;
  const type = input.byte('batch header');
  if (type === EV.EndOfGeneration) {
    return {
      batch: { m: NONE, time: 0, data: input.data.subarray(start, start + 1), offset: start, experiment: 0 },
      gen: 0,
      endOfGeneration: true,
    };
  }
  if (type !== EV.EventBatch && type !== EV.ExperimentalBatch) {
    throw new MalformedTraceError(`expected batch event, got event ${type}`, { offset: start });
  }
  const experiment = type === EV.ExperimentalBatch ? input.byte('batch experiment') : 0;
  const gen = input.uvarint('batch gen');
  const m = threadId(input.uvarintBig('batch M ID'));
  const time = Number(input.uvarintBig('batch timestamp'));
  const size = input.uvarint('batch size');
  if (size > MAX_BATCH_SIZE) {
    throw input.malformed(`invalid batch size ${size}, maximum is ${MAX_BATCH_SIZE}`);
  }
  if (input.remaining < size) {
    throw input.malformed(`failed to read full batch: read ${input.remaining} but wanted ${size} (trace truncated)`);
  }
  const data = input.data.subarray(input.pos, input.pos + size);
  const offset = input.pos;
  input.pos += size;
  return { batch: { m, time, data, offset, experiment }, gen, endOfGeneration: false };
}

export interface TraceFrame {
  pc: number;
  funcId: number;
  fileId: number;
  line: number;
}

export interface CpuSampleRecord {
  /** Absolute time in ns (converted with the generation's frequency). */
  time: number;
  m: number;
  p: number;
  g: number;
  stack: number;
}

/** The tables of one generation and its per-M batches, as golang/go:src/internal/trace/generation.go assembles them. */
export interface TraceGeneration {
  gen: number;
  /** Per-M event batches, in the order they appear in the trace. */
  batches: Map<number, RawBatch[]>;
  /** The Ms in order of their first batch (Go's batchMs). */
  batchMs: number[];
  cpuSamples: CpuSampleRecord[];
  /** Smallest batch base time, in ticks. */
  minTs: number;
  /** Nanoseconds per tick, computed as Go does: 1 / (ticksPerSecond / 1e9). */
  freq: number;
  strings: Map<number, string>;
  stacks: Map<number, number[]>;
  /** Frame by PC; the first definition of a PC in the generation wins, as in Go's addStacks. */
  frames: Map<number, TraceFrame>;
  /** Wall clock at a tick time (Go 1.25+ ClockSnapshot): ticks, and Unix seconds and nanoseconds. */
  clockSnapshot?: { ticks: number; mono: number; sec: number; nsec: number };
}

/** Go's frequency.mul: float64(ticks) * nsPerTick, truncated toward zero. */
export function ticksToNs(ticks: number, freq: number): number {
  return Math.trunc(ticks * freq);
}

const utf8 = new TextDecoder();

function addStrings(g: TraceGeneration, b: RawBatch, limits: TraceLimits): void {
  const r = new ByteCursor(b.data, 1, b.data.length, b.offset);
  while (r.remaining > 0) {
    const type = r.byte('string event');
    if (type !== EV.String) {
      throw r.malformed(`expected string event, got ${type}`);
    }
    const id = r.uvarint('string ID');
    const len = r.uvarint('string length');
    if (len > MAX_STRING_SIZE) {
      throw r.malformed(`invalid string size ${len}, maximum is ${MAX_STRING_SIZE}`);
    }
    if (r.remaining < len) {
      throw r.malformed(`failed to read full string: read ${r.remaining} but wanted ${len}`);
    }
    const text = utf8.decode(b.data.subarray(r.pos, r.pos + len));
    r.pos += len;
    if (id === 0 || g.strings.has(id)) {
      throw r.malformed(`multiple strings with the same ID: id=${id}`);
    }
    g.strings.set(id, text);
    checkTraceLimit('maxStrings', limits, g.strings.size, 'strings in one generation');
  }
}

function addStacks(g: TraceGeneration, b: RawBatch, limits: TraceLimits): void {
  const r = new ByteCursor(b.data, 1, b.data.length, b.offset);
  while (r.remaining > 0) {
    const type = r.byte('stack event');
    if (type !== EV.Stack) {
      throw r.malformed(`expected stack event, got ${type}`);
    }
    const id = r.uvarint('stack ID');
    const nFrames = r.uvarint('stack frame count');
    if (nFrames > MAX_FRAMES_PER_STACK) {
      throw r.malformed(`invalid stack size ${nFrames}, maximum is ${MAX_FRAMES_PER_STACK}`);
    }
    const pcs: number[] = new Array(nFrames);
    for (let i = 0; i < nFrames; i++) {
      const pc = r.uvarint('frame PC');
      const funcId = r.uvarint('frame funcID');
      const fileId = r.uvarint('frame fileID');
      const line = r.uvarint('frame line');
      pcs[i] = pc;
      if (!g.frames.has(pc)) {
        g.frames.set(pc, { pc, funcId, fileId, line });
      }
    }
    if (id === 0 || g.stacks.has(id)) {
      throw r.malformed(`multiple stacks with the same ID: id=${id}`);
    }
    g.stacks.set(id, pcs);
    checkTraceLimit('maxStacks', limits, g.stacks.size, 'stacks in one generation');
  }
}

interface RawCpuSample {
  ticks: number;
  m: number;
  p: number;
  g: number;
  stack: number;
}

function addCpuSamples(out: RawCpuSample[], b: RawBatch): void {
  const r = new ByteCursor(b.data, 1, b.data.length, b.offset);
  while (r.remaining > 0) {
    const type = r.byte('CPU sample event');
    if (type !== EV.CPUSample) {
      throw r.malformed(`expected CPU sample event, got ${type}`);
    }
    const ticks = Number(r.uvarintBig('CPU sample time'));
    const m = threadId(r.uvarintBig('CPU sample M'));
    const p = signedId(r.uvarint('CPU sample P'));
    const g = r.uvarint('CPU sample G');
    const stack = r.uvarint('CPU sample stack');
    out.push({ ticks, m, p, g: g === 0 ? NONE : g, stack });
  }
}

function setSync(g: TraceGeneration, b: RawBatch, version: number, state: { seenFreq: boolean }): void {
  const r = new ByteCursor(b.data, version >= 25 ? 1 : 0, b.data.length, b.offset);
  let lastTs = b.time;
  while (r.remaining > 0) {
    const type = r.byte('sync event');
    if (type === EV.Frequency) {
      if (state.seenFreq) {
        throw r.malformed('found multiple frequency events');
      }
      state.seenFreq = true;
      const ticksPerSecond = r.uvarint('frequency');
      g.freq = 1.0 / (ticksPerSecond / 1e9);
    } else if (type === EV.ClockSnapshot && version >= 25) {
      if (g.clockSnapshot) {
        throw r.malformed('found multiple clock snapshot events');
      }
      lastTs += r.uvarint('clock snapshot dt');
      g.clockSnapshot = {
        ticks: lastTs,
        mono: r.uvarint('clock snapshot mono'),
        sec: r.uvarint('clock snapshot sec'),
        nsec: r.uvarint('clock snapshot nsec'),
      };
    } else {
      throw r.malformed(`expected frequency or clock snapshot event, got ${type}`);
    }
  }
}

function isTableBatch(b: RawBatch, first: number, type: number): boolean {
  return b.experiment === 0 && b.data.length > 0 && first === type;
}

function newGeneration(gen: number): TraceGeneration {
  return {
    gen,
    batches: new Map(),
    batchMs: [],
    cpuSamples: [],
    minTs: 0,
    freq: 0,
    strings: new Map(),
    stacks: new Map(),
    frames: new Map(),
  };
}

/**
 * Reads the whole trace body into generations. Generation N+1 is only read after N was consumed, so a consumer can
 * keep one generation's tables alive at a time.
 *
 * A trace cut off inside a generation (a capture stopped early, a size cap) yields the complete generations first
 * and then throws a {@link MalformedTraceError} whose message says it is truncated, as Go's reader does.
 */
export function* readGenerations(
  bytes: Uint8Array,
  version: number,
  limits: TraceLimits = DEFAULT_TRACE_LIMITS
): Generator<TraceGeneration> {
  checkTraceLimit('maxInputBytes', limits, bytes.length, 'trace bytes');
  const input = new ByteCursor(bytes, HEADER_SIZE, bytes.length, 0);
  let current: TraceGeneration | undefined;
  let cpu: RawCpuSample[] = [];
  let sync = { seenFreq: false };
  const finish = (g: TraceGeneration): TraceGeneration => {
    if (g.freq === 0) {
      throw new MalformedTraceError(`no frequency event found in generation ${g.gen}`, { offset: input.pos });
    }
    if (version >= 25 && !g.clockSnapshot) {
      throw new MalformedTraceError(`no clock snapshot event found in generation ${g.gen}`, { offset: input.pos });
    }
    validateStackStrings(g);
    g.cpuSamples = cpu
      .map((s) => ({ time: ticksToNs(s.ticks, g.freq), m: s.m, p: s.p, g: s.g, stack: s.stack }))
      .sort((a, b) => a.time - b.time);
    cpu = [];
    sync = { seenFreq: false };
    return g;
  };
  while (input.remaining > 0) {
    const batchStart = input.pos;
    let header: BatchHeader;
    try {
      header = readBatch(input);
    } catch (error) {
      if (current && error instanceof MalformedTraceError) {
        error.message = `incomplete generation found; trace likely truncated: ${error.message}`;
      }
      throw error;
    }
    const { batch, gen } = header;
    if (header.endOfGeneration) {
      if (version < 26) {
        throw new MalformedTraceError('expected batch event, got event 52', { offset: batchStart });
      }
      if (current) {
        yield finish(current);
        current = undefined;
      }
      continue;
    }
    if (gen === 0) {
      throw new MalformedTraceError(`invalid generation number ${gen}`, { offset: batchStart });
    }
    if (current && gen !== current.gen) {
      if (version >= 26) {
        throw new MalformedTraceError('broken trace: missing end-of-generation event, or generations are interleaved', {
          offset: batchStart,
        });
      }
      if (gen !== current.gen + 1) {
        throw new MalformedTraceError('generations out of order', { offset: batchStart });
      }
      yield finish(current);
      current = undefined;
    }
    current ??= newGeneration(gen);
    if (current.minTs === 0 || batch.time < current.minTs) {
      current.minTs = batch.time;
    }
    addBatch(current, batch, version, limits, cpu, sync);
  }
  if (current) {
    if (version >= 26) {
      throw new MalformedTraceError('incomplete generation found; trace likely truncated', { offset: input.pos });
    }
    yield finish(current);
  }
}

function addBatch(
  g: TraceGeneration,
  b: RawBatch,
  version: number,
  limits: TraceLimits,
  cpu: RawCpuSample[],
  sync: { seenFreq: boolean }
): void {
  const first = b.data.length > 0 ? b.data[0] : -1;
  if (isTableBatch(b, first, EV.Strings)) {
    addStrings(g, b, limits);
  } else if (isTableBatch(b, first, EV.Stacks)) {
    addStacks(g, b, limits);
  } else if (isTableBatch(b, first, EV.CPUSamples)) {
    addCpuSamples(cpu, b);
  } else if (isTableBatch(b, first, version >= 25 ? EV.Sync : EV.Frequency)) {
    setSync(g, b, version, sync);
  } else if (b.experiment !== 0) {
    // Experimental batches (the AllocFree experiment's raw data) carry nothing this reader analyses.
  } else {
    let list = g.batches.get(b.m);
    if (!list) {
      list = [];
      g.batches.set(b.m, list);
      g.batchMs.push(b.m);
    }
    list.push(b);
  }
}

/** Every frame of every stack must name strings of the generation (Go's validateStackStrings). */
function validateStackStrings(g: TraceGeneration): void {
  for (const [id, pcs] of g.stacks) {
    for (const pc of pcs) {
      const frame = g.frames.get(pc)!;
      if (frame.funcId !== 0 && !g.strings.has(frame.funcId)) {
        throw new MalformedTraceError(`found invalid func string ID ${frame.funcId} for stack ${id}`);
      }
      if (frame.fileId !== 0 && !g.strings.has(frame.fileId)) {
        throw new MalformedTraceError(`found invalid file string ID ${frame.fileId} for stack ${id}`);
      }
    }
  }
}

/** Whether a type byte starts a timed event that per-M batches may hold. */
export function isTimedEventType(type: number): boolean {
  return eventSpec(type)?.timed === true;
}

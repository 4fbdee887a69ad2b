/**
 * Reads a Go execution trace (Go 1.22 and later) into a stream of ordered events, as
 * golang/go:src/internal/trace/reader.go `ReadEvent` does (golang.org/x/exp/trace mirrors it):
 *
 * - one generation at a time: its per-M batches become cursors in a min-heap by the time of their next event
 *   (the same heap as Go's batchcursor.go, so events with equal times come out in the same order);
 * - the earliest cursor's event is offered to the ordering state machine ({@link TraceOrdering}); when it must wait,
 *   the frontier is sorted by time and the other cursors are tried in turn;
 * - CPU samples of the generation are interleaved by time; each generation starts with a Sync event and the trace
 *   ends with one;
 * - times are nanoseconds from the trace's first generation and strictly increase: an event not later than the
 *   previous one is moved 1 ns after it, as Go does.
 *
 * Memory is bounded by one generation's tables plus the input: events are produced one at a time.
 */
import { MalformedTraceError } from '../wire/traceErrors';
import { EV, eventSpec } from '../wire/traceSpec';
import {
  ByteCursor,
  checkTraceLimit,
  CpuSampleRecord,
  DEFAULT_TRACE_LIMITS,
  NONE,
  RawBatch,
  readGenerations,
  readTraceHeader,
  ticksToNs,
  TraceGeneration,
  TraceLimits,
} from '../wire/traceWire';
import { TraceEvent } from './traceEvents';
import { BaseEvent, TraceOrdering } from './traceOrder';

export interface TraceReaderOptions {
  limits?: Partial<TraceLimits>;
  /** Name of the input (file or URL) for error messages. */
  source?: string;
}

function malformedAt(batch: RawBatch, off: number, message: string): MalformedTraceError {
  return new MalformedTraceError(message, { offset: batch.offset + off });
}

class BatchCursor {
  idx = 0;
  off = 0;
  lastTs = 0;
  started = false;
  ev: BaseEvent = { type: 0, time: 0, args: [0, 0, 0, 0] };

  constructor(readonly m: number) {}

  /** End of the argument {@link longArg} read last. */
  private argEnd = 0;

  /** A multi-byte (or missing) argument at `pos`, through the checked reader; its end goes to argEnd. */
  private longArg(batch: RawBatch, pos: number, event: string, what: string): number {
    const r = new ByteCursor(batch.data, pos, batch.data.length, batch.offset);
    const v = r.uvarint(`${event} ${what}`);
    this.argEnd = r.pos;
    return v;
  }

  /** Reads the next event of this M into `ev`; false when its batches are exhausted. */
  next(batches: RawBatch[], freq: number, origin: number): boolean {
    while (this.idx < batches.length && batches[this.idx].data.length === this.off) {
      this.idx++;
      this.off = 0;
      this.started = false;
    }
    if (this.idx === batches.length) {
      return false;
    }
    const batch = batches[this.idx];
    if (!this.started) {
      this.lastTs = ticksToNs(batch.time, freq) - origin;
      this.started = true;
    }
    const data = batch.data;
    const type = data[this.off];
    const spec = eventSpec(type);
    if (!spec) {
      throw malformedAt(batch, this.off, `found invalid event type: ${type}`);
    }
    if (spec.argCount === 0 || !spec.timed) {
      throw malformedAt(batch, this.off, `found event without a timestamp: type=${type}`);
    }
    let pos = this.off + 1;
    // Arguments are almost always one byte; longer ones (and the error message) go through the checked reader.
    let dt: number;
    if (pos < data.length && data[pos] < 0x80) {
      dt = data[pos++];
    } else {
      dt = this.longArg(batch, pos, spec.name, 'dt');
      pos = this.argEnd;
    }
    const args = [0, 0, 0, 0];
    for (let i = 0; i < spec.argCount - 1; i++) {
      if (pos < data.length && data[pos] < 0x80) {
        args[i] = data[pos++];
      } else {
        args[i] = this.longArg(batch, pos, spec.name, 'argument');
        pos = this.argEnd;
      }
    }
    const time = ticksToNs(dt, freq) + this.lastTs;
    this.lastTs = time;
    this.ev = { type, time, args };
    this.off = pos;
    return true;
  }
}

function heapSiftUp(heap: BatchCursor[], i: number): number {
  while (i > 0 && heap[(i - 1) >> 1].ev.time > heap[i].ev.time) {
    const parent = (i - 1) >> 1;
    [heap[parent], heap[i]] = [heap[i], heap[parent]];
    i = parent;
  }
  return i;
}

function min3(b: BatchCursor[], i0: number, i1: number, i2: number): number {
  let minIdx = i0;
  let minT = i0 < b.length ? b[i0].ev.time : Infinity;
  if (i1 < b.length && b[i1].ev.time < minT) {
    minT = b[i1].ev.time;
    minIdx = i1;
  }
  if (i2 < b.length && b[i2].ev.time < minT) {
    minIdx = i2;
  }
  return minIdx;
}

function heapSiftDown(heap: BatchCursor[], i: number): void {
  for (;;) {
    const m = min3(heap, i, 2 * i + 1, 2 * i + 2);
    if (m === i) {
      return;
    }
    [heap[i], heap[m]] = [heap[m], heap[i]];
    i = m;
  }
}

function heapUpdate(heap: BatchCursor[], i: number): void {
  if (heapSiftUp(heap, i) !== i) {
    return;
  }
  heapSiftDown(heap, i);
}

function heapRemove(heap: BatchCursor[], i: number): void {
  while (i > 0) {
    const parent = (i - 1) >> 1;
    [heap[parent], heap[i]] = [heap[i], heap[parent]];
    i = parent;
  }
  [heap[0], heap[heap.length - 1]] = [heap[heap.length - 1], heap[0]];
  heap.pop();
  heapSiftDown(heap, 0);
}

/**
 * Sorts the frontier by time. Go uses slices.SortFunc (pdqsort), which is an insertion sort — stable — below 13
 * elements; a frontier has one cursor per thread with events, so ties keep their heap order here as in Go.
 */
function sortFrontier(frontier: BatchCursor[]): void {
  for (let i = 1; i < frontier.length; i++) {
    for (let j = i; j > 0 && frontier[j].ev.time < frontier[j - 1].ev.time; j--) {
      [frontier[j], frontier[j - 1]] = [frontier[j - 1], frontier[j]];
    }
  }
}

export class TraceReader {
  /** Go minor version of the trace format (22, 23, 25, 26). */
  readonly version: number;
  /** Absolute time (ns on the traced process's monotonic clock) of time 0. Set by the first generation. */
  origin = 0;
  /** Wall clock of time 0 in Unix ns, when the trace carries a clock snapshot (Go 1.25+). */
  wallOriginNs?: number;
  /** Ticks per second of the first generation. */
  frequency = 0;
  generations = 0;
  private readonly limits: TraceLimits;
  private readonly gens: Generator<TraceGeneration>;
  private gen?: TraceGeneration;
  private frontier: BatchCursor[] = [];
  private cpu: CpuSampleRecord[] = [];
  private cpuIdx = 0;
  private readonly order = new TraceOrdering();
  private lastTs = Number.NEGATIVE_INFINITY;
  private syncs = 0;
  private events = 0;
  private done = false;
  private pendingError?: Error;
  private readonly source?: string;

  constructor(bytes: Uint8Array, options: TraceReaderOptions = {}) {
    this.source = options.source;
    this.limits = { ...DEFAULT_TRACE_LIMITS, ...options.limits };
    try {
      this.version = readTraceHeader(bytes);
    } catch (error) {
      throw this.named(error);
    }
    this.gens = readGenerations(bytes, this.version, this.limits);
  }

  private named(error: unknown): unknown {
    if (this.source && error instanceof Error && 'withSource' in error) {
      (error as MalformedTraceError).withSource(this.source);
    }
    return error;
  }

  /** The next event, or undefined at the end of the trace. Throws typed input errors. */
  next(): TraceEvent | undefined {
    try {
      const e = this.read();
      if (e === undefined) {
        return undefined;
      }
      this.validateTableIds(e);
      if (e.time <= this.lastTs) {
        e.time = this.lastTs + 1;
      }
      this.lastTs = e.time;
      this.events++;
      if (this.events > this.limits.maxEvents) {
        checkTraceLimit('maxEvents', this.limits, this.events, 'trace events');
      }
      return e;
    } catch (error) {
      this.done = true;
      throw this.named(error);
    }
  }

  private syncEvent(table: TraceGeneration | undefined, time: number): TraceEvent {
    this.syncs++;
    return {
      type: EV.SyncMarker,
      time,
      args: [this.syncs, 0, 0, 0],
      g: NONE,
      p: NONE,
      m: NONE,
      table: table ?? this.gen ?? emptyTable,
    };
  }

  private read(): TraceEvent | undefined {
    if (this.done) {
      if (this.pendingError) {
        const error = this.pendingError;
        this.pendingError = undefined;
        throw error;
      }
      return undefined;
    }
    const queued = this.order.next();
    if (queued) {
      return queued;
    }
    if (this.frontier.length === 0 && this.cpuIdx >= this.cpu.length) {
      let step: IteratorResult<TraceGeneration>;
      try {
        step = this.gens.next();
      } catch (error) {
        // The complete generations were delivered; end them with a sync event, then report why reading stopped.
        this.pendingError = error as Error;
        this.done = true;
        return this.syncEvent(undefined, this.lastTs);
      }
      if (step.done) {
        this.done = true;
        return this.syncEvent(undefined, this.lastTs);
      }
      return this.install(step.value);
    }
    const gen = this.gen!;
    if (this.cpuIdx < this.cpu.length) {
      const sample = this.cpu[this.cpuIdx];
      const time = sample.time - this.origin;
      if (this.frontier.length === 0 || time < this.frontier[0].ev.time) {
        this.cpuIdx++;
        return {
          type: EV.CPUSample,
          time,
          args: [sample.stack, 0, 0, 0],
          g: sample.g,
          p: sample.p,
          m: sample.m,
          table: gen,
        };
      }
    }
    if (this.frontier.length === 0) {
      throw new MalformedTraceError(`broken trace: frontier is empty in generation ${gen.gen}`);
    }
    if (!this.tryAdvance(0)) {
      sortFrontier(this.frontier);
      let success = false;
      for (let i = 1; i < this.frontier.length; i++) {
        if (this.tryAdvance(i)) {
          success = true;
          break;
        }
      }
      if (!success) {
        const heads = this.frontier.map((bc) => `M ${bc.m} ${eventSpec(bc.ev.type)?.name} at ${bc.ev.time} ns`);
        throw new MalformedTraceError(
          `broken trace: failed to advance in generation ${gen.gen}: no thread's next event fits the goroutine/P state (${heads.join('; ')})`
        );
      }
    }
    return this.order.next();
  }

  private tryAdvance(i: number): boolean {
    const gen = this.gen!;
    const bc = this.frontier[i];
    if (!this.order.advance(bc.ev, gen, bc.m, gen.gen)) {
      return false;
    }
    if (bc.next(gen.batches.get(bc.m)!, gen.freq, this.origin)) {
      heapUpdate(this.frontier, i);
    } else {
      heapRemove(this.frontier, i);
    }
    return true;
  }

  private install(gen: TraceGeneration): TraceEvent {
    if (this.generations === 0) {
      this.origin = ticksToNs(gen.minTs, gen.freq);
      this.frequency = 1e9 / gen.freq;
      if (gen.clockSnapshot) {
        const snap = gen.clockSnapshot;
        const snapRel = ticksToNs(snap.ticks, gen.freq) - this.origin;
        this.wallOriginNs = snap.sec * 1e9 + snap.nsec - snapRel;
      }
    }
    this.generations++;
    this.gen = gen;
    this.cpu = gen.cpuSamples;
    this.cpuIdx = 0;
    for (const m of gen.batchMs) {
      const bc = new BatchCursor(m);
      if (!bc.next(gen.batches.get(m)!, gen.freq, this.origin)) {
        continue;
      }
      this.frontier.push(bc);
      heapSiftUp(this.frontier, this.frontier.length - 1);
    }
    return this.syncEvent(gen, ticksToNs(gen.minTs, gen.freq) - this.origin);
  }

  /** Every stack and string an event names must be in its generation's tables (Go's validateTableIDs). */
  private validateTableIds(e: TraceEvent): void {
    if (e.type === EV.SyncMarker) {
      return;
    }
    const spec = eventSpec(e.type);
    if (!spec) {
      return;
    }
    for (const i of spec.stackArgs) {
      const id = e.args[i];
      if (id !== 0 && !e.table.stacks.has(id)) {
        throw new MalformedTraceError(`found invalid stack ID ${id} for event ${spec.name}`);
      }
    }
    for (const i of spec.stringArgs) {
      const id = e.args[i];
      if (id !== 0 && !e.table.strings.has(id)) {
        throw new MalformedTraceError(`found invalid string ID ${id} for event ${spec.name}`);
      }
    }
  }
}

const emptyTable: TraceGeneration = {
  gen: 0,
  batches: new Map(),
  batchMs: [],
  cpuSamples: [],
  minTs: 0,
  freq: 1,
  strings: new Map(),
  stacks: new Map(),
  frames: new Map(),
};

/** Reads every event of a trace, calling `visit` for each in order. Returns the reader (version, origin...). */
export function readTrace(
  bytes: Uint8Array,
  visit: (e: TraceEvent) => void,
  options: TraceReaderOptions = {}
): TraceReader {
  const reader = new TraceReader(bytes, options);
  for (let e = reader.next(); e !== undefined; e = reader.next()) {
    visit(e);
  }
  return reader;
}

/**
 * The captures of one live target (a data source target and gateway instance), each with its exact time span,
 * bounded by age, count and estimated bytes (policy.ts). No I/O and no timers: liveSession.ts fills it, the runners
 * read windows out of it (windows.ts).
 */
import { type GoroutineSnapshot, type Profile, type TraceAnalysis } from '../../core';
import { coveringCaptures, evictionCount, LiveLimits, Span } from './policy';

/**
 * What a capture holds: `cpu` (a CPU window), `goroutine` (the goroutine proto profile: counts and inferred states),
 * `dump` (a `goroutine?debug=2` dump: exact states, wait minutes), or a snapshot endpoint by name (`heap`, `allocs`,
 * `mutex`, `block`, ...; cumulative ones give per-window deltas as differences, windows.ts).
 */
export type CaptureKind = string;

interface CaptureFacts extends Span {
  /** Increasing per store: the order captures were added. */
  id: number;
  kind: CaptureKind;
  /** Bytes on the wire. */
  bytes: number;
  /** Estimated bytes held by the decoded capture (what eviction counts). */
  heldBytes: number;
  /** Time the request took, ms. */
  costMs: number;
}

export interface ProfileCapture extends CaptureFacts {
  type: 'profile';
  profile: Profile;
}

export interface DumpCapture extends CaptureFacts {
  type: 'dump';
  snapshot: GoroutineSnapshot;
}

/** An analysed execution trace (kind `trace`), spanning the traced seconds on the wall clock. */
export interface TraceCapture extends CaptureFacts {
  type: 'trace';
  analysis: TraceAnalysis;
  /** Where it came from: `<target> trace?seconds=N` or the flight recorder path. */
  source: string;
  /** When its response arrived (ms since the epoch). */
  capturedAt: number;
}

export type Capture = ProfileCapture | DumpCapture | TraceCapture;

export type NewCapture =
  | Omit<ProfileCapture, 'id' | 'heldBytes'>
  | Omit<DumpCapture, 'id' | 'heldBytes'>
  | Omit<TraceCapture, 'id' | 'heldBytes'>;

/**
 * A trace analysis keeps its transition log (about 6 bytes a transition in 1 MiB chunks), a group index per goroutine,
 * the groups with their goroutine ids, the group waits and latency records, and the runnable waits: the estimate
 * counts those (goroutine records too when the analysis kept them).
 */
export function traceHeldBytes(a: TraceAnalysis): number {
  const records = Object.values(a.profiles).reduce((sum, r) => sum + r.length, 0) + a.groupWaits.length;
  const log = Math.ceil((a.transitions.count * 6) / (1 << 20)) * (1 << 20);
  const goroutines = a.transitions.goroutines * 12 + (a.goroutines?.length ?? 0) * 200;
  return log + goroutines + records * 240 + a.groups.length * 200 + a.schedWaits.length * 8 + 4096;
}

/** Typed arrays, the string table and per-mapping objects of a decoded profile. */
export function profileHeldBytes(p: Profile): number {
  const arrays = [p.samples, p.locations, p.functions].flatMap((table) =>
    Object.values(table).filter((v): v is ArrayBufferView => ArrayBuffer.isView(v))
  );
  const typed = arrays.reduce((sum, a) => sum + a.byteLength, 0);
  const strings = p.strings.reduce((sum, s) => sum + 16 + s.length * 2, 0);
  return typed + strings + p.mappings.length * 160 + 512;
}

/**
 * A parsed dump keeps its frames' strings, which V8 may hold as slices of the whole response text: the text counts
 * in full (2 bytes a character at worst), plus the record and frame objects.
 */
export function snapshotHeldBytes(s: GoroutineSnapshot, textBytes: number): number {
  const frames = s.records.reduce((sum, r) => sum + r.frames.length + (r.createdBy ? 1 : 0), 0);
  return textBytes * 2 + s.records.length * 160 + frames * 56;
}

export interface StoreStats {
  captures: number;
  heldBytes: number;
  byKind: Record<string, number>;
  /** Start of the oldest capture held. */
  oldest?: number;
  newest?: number;
}

export class CaptureStore {
  private readonly captures: Capture[] = [];
  private nextId = 1;
  /** Captures dropped so far (eviction), for the memory figures. */
  evicted = 0;

  constructor(private limits: Pick<LiveLimits, 'maxAgeMs' | 'maxBytes' | 'maxCaptures'>) {}

  setLimits(limits: Pick<LiveLimits, 'maxAgeMs' | 'maxBytes' | 'maxCaptures'>): void {
    this.limits = limits;
  }

  /** Adds a capture in time order (by end) and evicts what the limits no longer allow. */
  add(capture: NewCapture, now: number): Capture {
    const heldBytes =
      capture.type === 'profile'
        ? profileHeldBytes(capture.profile)
        : capture.type === 'trace'
          ? traceHeldBytes(capture.analysis)
          : snapshotHeldBytes(capture.snapshot, capture.bytes);
    const stored = { ...capture, id: this.nextId++, heldBytes } as Capture;
    let i = this.captures.length;
    while (i > 0 && this.captures[i - 1].to > stored.to) {
      i--;
    }
    this.captures.splice(i, 0, stored);
    this.evict(now);
    return stored;
  }

  evict(now: number): void {
    const drop = evictionCount(this.captures, this.limits, now);
    if (drop > 0) {
      this.captures.splice(0, drop);
      this.evicted += drop;
    }
  }

  /** Captures of one kind, oldest first. */
  all(kind: CaptureKind): Capture[] {
    return this.captures.filter((c) => c.kind === kind);
  }

  /** Captures of one kind that cover `window` (policy.ts coveringCaptures), oldest first. */
  within(kind: CaptureKind, window: Span): Capture[] {
    return coveringCaptures(this.all(kind), window);
  }

  latest(kind: CaptureKind): Capture | undefined {
    for (let i = this.captures.length - 1; i >= 0; i--) {
      if (this.captures[i].kind === kind) {
        return this.captures[i];
      }
    }
    return undefined;
  }

  get size(): number {
    return this.captures.length;
  }

  stats(): StoreStats {
    const byKind: Record<string, number> = {};
    let heldBytes = 0;
    for (const c of this.captures) {
      byKind[c.kind] = (byKind[c.kind] ?? 0) + 1;
      heldBytes += c.heldBytes;
    }
    return {
      captures: this.captures.length,
      heldBytes,
      byKind,
      oldest: this.captures.length ? Math.min(...this.captures.map((c) => c.from)) : undefined,
      newest: this.captures.at(-1)?.to,
    };
  }
}

/**
 * A validated goroutine snapshot: every goroutine (or group of identical goroutines, for aggregated sources) with
 * its display state, exact wait reason, frames and creation site. One shape for all sources:
 * - `debug=2` dumps: one record per goroutine, reason from the header (built here, {@link snapshotFromDump});
 * - `debug=1` text and proto goroutine profiles: one record per stack with a count, reason inferred from frames
 *   (built in analysis/goroutines/fromStacks.ts, since inference is analysis).
 */
import type { CrashCause, DumpFrame, DumpGoroutine, GoroutineDump } from '../wire/goroutineDumpTypes';
import { reasonNeedsFrames, resolveState, type GoroutineState } from './goroutineState';

/** A frame as the analysis needs it. Dump frames ({@link DumpFrame}) satisfy it as they are. */
export interface SnapshotFrame {
  readonly func: string;
  readonly file: string;
  readonly line: number;
  /** Names (func, file, line) within one snapshot: equal sites mean the same call site. */
  readonly site: number;
}

export type StateBasis = 'header' | 'header+frames' | 'frames' | 'user-leaf' | 'unclassified';

export interface GoroutineRecord {
  /** Goroutines this record stands for: 1 in dumps, the sample count in aggregated sources. */
  count: number;
  /** Goroutine id (dumps only). */
  id: number | undefined;
  state: GoroutineState;
  /** Exact wait reason or status as printed (dumps) or inferred (profiles); '' when unclassified. */
  reason: string;
  /** How `state` was decided (header text, header refined by frames, frames only, or not at all). */
  basis: StateBasis;
  /** Go 1.26 `(leaked)` in the header, or a sample of a goroutineleak profile. */
  leaked: boolean;
  /** `N minutes` from the header, 0 when absent. */
  waitMinutes: number;
  lockedToThread: boolean;
  /** Leaf first. Runtime frames are absent in debug=2 at level 1 and present in proto profiles. */
  frames: readonly SnapshotFrame[];
  createdBy: SnapshotFrame | undefined;
  /** Parent goroutine id from `created by … in goroutine N` (Go 1.21+), -1 when unknown. */
  creatorId: number;
  /** Stack cut by the runtime (deep stack elision) or by truncated input. */
  elided: boolean;
  truncated: boolean;
  labels: Readonly<Record<string, string>> | undefined;
}

export type SnapshotSource = 'debug=2' | 'debug=1' | 'profile';

export interface GoroutineSnapshot {
  source: SnapshotSource;
  /** `goroutine` or the Go 1.26 `goroutineleak` profile. */
  profile: 'goroutine' | 'goroutineleak';
  /** Sum of record counts. */
  total: number;
  records: GoroutineRecord[];
  /** Goroutines whose state could not be decided (counted in `other`). */
  unclassified: number;
  /** debug=2 with traceback level ≥ 2: system goroutines and runtime frames are included. */
  systemLevel: boolean;
  truncated: boolean;
  /** Input lines skipped as unknown. */
  skippedLines: number;
  /** Milliseconds since the epoch when the snapshot was taken, if the caller knows. */
  timestamp: number | undefined;
  /** Non-fatal problems found while validating (for example a debug=1 total that does not match its records). */
  warnings: string[];
  /** Why the process printed its goroutines (crash output), when the text says. */
  cause?: CrashCause;
  /** What was done to find the dump in the text (prefix removed, several dumps split), in words. */
  notes?: string[];
}

export interface SnapshotOptions {
  profile?: 'goroutine' | 'goroutineleak';
  timestamp?: number;
}

type ResolvedState = ReturnType<typeof resolveState>;

/**
 * A debug=2 snapshot's goroutines whose records are not built yet: the dump's goroutines and each one's resolved
 * state. Records are built on first read of `records` (a 100,000-goroutine dump's records are 100,000 objects that
 * every young-generation collection copies while they are being made); clustering reads the goroutines directly.
 */
export interface UnbuiltDumpRecords {
  readonly goroutines: readonly DumpGoroutine[];
  /** State of goroutine i (objects shared by every goroutine with the same header, or the same header and stack). */
  readonly states: readonly ResolvedState[];
}

const unbuilt = new WeakMap<GoroutineSnapshot, UnbuiltDumpRecords>();

/** The goroutines behind a debug=2 snapshot whose records were never read, else undefined (read the records). */
export function unbuiltDumpRecords(snapshot: GoroutineSnapshot): UnbuiltDumpRecords | undefined {
  return unbuilt.get(snapshot);
}

/** The record of goroutine `g` in state `resolved` (what `records` holds for it once built). */
export function dumpRecord(g: DumpGoroutine, resolved: ResolvedState): GoroutineRecord {
  const h = g.header;
  return {
    count: 1,
    id: g.id,
    state: resolved.state,
    reason: h.status,
    basis: resolved.basis,
    leaked: h.leaked,
    waitMinutes: h.waitMinutes,
    lockedToThread: h.lockedToThread,
    frames: g.frames,
    createdBy: g.createdBy,
    creatorId: g.creatorId,
    elided: g.elidedFrames !== 0,
    truncated: g.truncated,
    labels: undefined,
  };
}

function buildRecords(source: UnbuiltDumpRecords): GoroutineRecord[] {
  const { goroutines, states } = source;
  const records: GoroutineRecord[] = [];
  for (let i = 0; i < goroutines.length; i++) {
    records.push(dumpRecord(goroutines[i], states[i]));
  }
  return records;
}

/**
 * Builds the snapshot of a parsed debug=2 dump. States come from the headers, refined by frames for old Go. The
 * records are built when first read (see {@link UnbuiltDumpRecords}), from the goroutines as they are then.
 */
export function snapshotFromDump(dump: GoroutineDump, options: SnapshotOptions = {}): GoroutineSnapshot {
  const goroutines = dump.goroutines;
  const states: ResolvedState[] = new Array(goroutines.length);
  // Most goroutines share a header object; the state of a frame-independent reason is computed once per header, a
  // frame-dependent one once per header and stack (goroutines with the same stack share one frames array).
  const byHeader = new Map<object, ResolvedState | Map<readonly DumpFrame[], ResolvedState>>();
  let unclassified = 0;
  // The last header whose state does not depend on frames: neighbours often share their header.
  let lastHeader: object | undefined;
  let lastResolved: ResolvedState | undefined;
  for (let i = 0; i < goroutines.length; i++) {
    const g = goroutines[i];
    const h = g.header;
    let resolved: ResolvedState | undefined;
    if (h === lastHeader) {
      resolved = lastResolved!;
    } else {
      const known = byHeader.get(h);
      if (known === undefined) {
        resolved = resolveState(h.status, g.frames);
        byHeader.set(h, reasonNeedsFrames(h.status) ? new Map([[g.frames, resolved]]) : resolved);
      } else if (known instanceof Map) {
        resolved = known.get(g.frames);
        if (resolved === undefined) {
          resolved = resolveState(h.status, g.frames);
          known.set(g.frames, resolved);
        }
      } else {
        resolved = known;
      }
      lastHeader = reasonNeedsFrames(h.status) ? undefined : h;
      lastResolved = resolved;
    }
    if (resolved.state === 'other') {
      unclassified += h.status === 'waiting' || h.status === 'unknown wait reason' ? 1 : 0;
    }
    states[i] = resolved;
  }
  const source: UnbuiltDumpRecords = { goroutines, states };
  const snapshot: GoroutineSnapshot = {
    source: 'debug=2',
    profile: options.profile ?? 'goroutine',
    total: goroutines.length,
    get records(): GoroutineRecord[] {
      return setRecords(this, buildRecords(source));
    },
    set records(records: GoroutineRecord[]) {
      setRecords(this, records);
    },
    unclassified,
    systemLevel: dump.systemLevel,
    truncated: dump.truncated,
    skippedLines: dump.skippedLines,
    timestamp: options.timestamp,
    warnings: dump.truncated ? [`truncated input: ${dump.truncation ?? 'the dump ends mid-goroutine'}`] : [],
    ...(dump.cause !== undefined ? { cause: dump.cause } : {}),
  };
  unbuilt.set(snapshot, source);
  return snapshot;
}

/** Makes `records` a plain property holding `records` (in the same place among the keys). */
function setRecords(snapshot: GoroutineSnapshot, records: GoroutineRecord[]): GoroutineRecord[] {
  unbuilt.delete(snapshot);
  Object.defineProperty(snapshot, 'records', { value: records, writable: true, enumerable: true, configurable: true });
  return records;
}

/** Recomputes `total` and checks the invariants every consumer relies on; returns the problems found. */
export function validateSnapshot(snapshot: GoroutineSnapshot): string[] {
  const problems: string[] = [];
  let total = 0;
  for (const r of snapshot.records) {
    if (!Number.isInteger(r.count) || r.count < 0) {
      problems.push(`record with invalid count ${r.count}`);
    }
    total += r.count;
  }
  if (total !== snapshot.total) {
    problems.push(`total ${snapshot.total} does not match the records' sum ${total}`);
  }
  return problems;
}

/**
 * Snapshots from sources without states: proto goroutine/goroutineleak profiles and debug=1 text. Both reduce to
 * "a stack of frames, leaf first, and how many goroutines have it", which is all the inference needs, so the pprof
 * decoder's types stay out of here (see fromProfile.ts for the adapter).
 */
import type { Debug1Profile } from '../../wire/goroutineDumpDebug1';
import type { GoroutineRecord, GoroutineSnapshot, SnapshotFrame } from '../../model/goroutineSnapshot';
import { inferGoroutineState, type InferOptions } from './inferState';

export interface StackFrameInput {
  func: string;
  file?: string;
  line?: number;
}

/** The minimal input: one sampled stack, leaf first, with its goroutine count. */
export interface GoroutineStack {
  frames: readonly StackFrameInput[];
  count: number;
  labels?: Readonly<Record<string, string>>;
  /** The leading runtime frames were hidden by the source (debug=1). */
  runtimeLeadersHidden?: boolean;
}

export interface UnclassifiedStack {
  count: number;
  /** Leaf first, function names only. */
  functions: string[];
}

export interface StacksSnapshot extends GoroutineSnapshot {
  /** The stacks whose state could not be inferred, largest first, so callers can show what was not understood. */
  unclassifiedStacks: UnclassifiedStack[];
}

export interface FromStacksOptions {
  source: 'debug=1' | 'profile';
  profile?: 'goroutine' | 'goroutineleak';
  timestamp?: number;
}

/** Interns frames so that equal (func, file, line) share one object and one site number, like dump frames. */
class FrameTable {
  private readonly byKey = new Map<string, SnapshotFrame>();
  get(func: string, file: string, line: number): SnapshotFrame {
    const key = `${func}\n${file}\n${line}`;
    let frame = this.byKey.get(key);
    if (frame === undefined) {
      frame = { func, file, line, site: this.byKey.size };
      this.byKey.set(key, frame);
    }
    return frame;
  }
}

export function snapshotFromStacks(stacks: readonly GoroutineStack[], options: FromStacksOptions): StacksSnapshot {
  const table = new FrameTable();
  const records: GoroutineRecord[] = [];
  const unclassifiedStacks: UnclassifiedStack[] = [];
  const leaked = options.profile === 'goroutineleak';
  let total = 0;
  let unclassified = 0;
  const warnings: string[] = [];
  for (const stack of stacks) {
    if (!Number.isFinite(stack.count) || stack.count < 0) {
      warnings.push(`ignored a stack with invalid count ${stack.count}`);
      continue;
    }
    const count = Math.round(stack.count);
    const frames = stack.frames.map((f) => table.get(f.func, f.file ?? '', f.line ?? 0));
    const functions = stack.frames.map((f) => f.func);
    const inferOptions: InferOptions = { runtimeLeadersHidden: stack.runtimeLeadersHidden };
    const inferred = inferGoroutineState(functions, inferOptions);
    if (inferred.basis === 'unclassified') {
      unclassified += count;
      unclassifiedStacks.push({ count, functions });
    }
    total += count;
    records.push({
      count,
      id: undefined,
      state: inferred.state,
      reason: inferred.reason,
      basis: inferred.basis,
      leaked,
      waitMinutes: 0,
      lockedToThread: false,
      frames,
      createdBy: undefined,
      creatorId: -1,
      elided: false,
      truncated: false,
      labels: stack.labels,
    });
  }
  unclassifiedStacks.sort((a, b) => b.count - a.count);
  return {
    source: options.source,
    profile: options.profile ?? 'goroutine',
    total,
    records,
    unclassified,
    systemLevel: false,
    truncated: false,
    skippedLines: 0,
    timestamp: options.timestamp,
    warnings,
    unclassifiedStacks,
  };
}

/**
 * debug=1 text: the `#` lines hide leading `runtime.*` frames and `runtime.goexit`, but the `@` line lists every PC,
 * so more PCs than printed frames (+1 for goexit) means runtime frames were hidden at the leaf.
 */
export function snapshotFromDebug1(profile: Debug1Profile, timestamp?: number): StacksSnapshot {
  const stacks: GoroutineStack[] = profile.records.map((r) => {
    const named = r.frames.filter((f) => f.func !== '');
    return {
      frames: named.map((f) => ({ func: f.func, file: f.file, line: f.line })),
      count: r.count,
      labels: r.labels,
      runtimeLeadersHidden: r.pcs.length > r.frames.length + 1,
    };
  });
  const snapshot = snapshotFromStacks(stacks, {
    source: 'debug=1',
    profile: profile.profile === 'goroutineleak' ? 'goroutineleak' : 'goroutine',
    timestamp,
  });
  snapshot.skippedLines = profile.skippedLines;
  if (profile.total !== snapshot.total) {
    snapshot.warnings.push(`header says total ${profile.total} but the records add up to ${snapshot.total}`);
  }
  if (profile.truncated) {
    snapshot.truncated = true;
    snapshot.warnings.push(`truncated input: ${profile.truncation}`);
  }
  return snapshot;
}

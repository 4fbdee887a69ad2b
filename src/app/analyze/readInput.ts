/**
 * What a dropped file or pasted text is, decided from its content (never its name, which only breaks the mutex/block
 * tie): a pprof profile from any producer, gzipped or not, or goroutine text — a `debug=2` dump, crash output
 * (`panic:`, `fatal error:`, SIGQUIT), or `debug=1` text. Every failure is an error that names the input and the
 * cause, in the core's words (InputError `describe()`).
 */
import { clusterGoroutines, type ClusterResult } from '../../core/analysis/goroutines/cluster';
import { goroutineProfileKind, snapshotFromProfile } from '../../core/analysis/goroutines/fromProfile';
import { goroutineTextFormat, snapshotFromText } from '../../core/analysis/goroutines/fromText';
import { isInputError, NotThisFormatError } from '../../core/errors';
import type { GoroutineSnapshot } from '../../core/model/goroutineSnapshot';
import { parsePprof } from '../../core/model/parsePprof';
import { frameName, type Profile } from '../../core/model/profile';
import { isGzip } from '../../core/wire/gzip';
import { describeNonPprof, looksLikeText } from '../../core/wire/sniff';

export interface RawInput {
  /** File name, or "pasted text". */
  name: string;
  bytes: Uint8Array;
  /** When the file was last modified (ms since the epoch); pasted text: when it was pasted. */
  time: number;
  /** False for pasted text: `time` is only when it arrived, not when it was captured. */
  timeKnown: boolean;
}

export type ProfileKind =
  | 'cpu'
  | 'heap'
  | 'allocs'
  | 'mutex'
  | 'block'
  | 'goroutine'
  | 'goroutineleak'
  | 'threadcreate'
  | 'other';

export const PROFILE_KIND_TITLES: Readonly<Record<ProfileKind, string>> = {
  cpu: 'CPU profile',
  heap: 'heap profile',
  allocs: 'allocations profile',
  mutex: 'mutex profile',
  block: 'block profile',
  goroutine: 'goroutine profile',
  goroutineleak: 'goroutine leak profile',
  threadcreate: 'thread creation profile',
  other: 'profile',
};

export interface ProfileInput {
  type: 'profile';
  name: string;
  time: number;
  timeKnown: boolean;
  profile: Profile;
  kind: ProfileKind;
  /** Goroutine profiles: the goroutines they hold, states inferred from the stacks. */
  goroutines?: { snapshot: GoroutineSnapshot; clusters: ClusterResult };
}

export interface GoroutineTextInput {
  type: 'goroutines';
  name: string;
  time: number;
  timeKnown: boolean;
  format: 'debug=1' | 'debug=2';
  snapshot: GoroutineSnapshot;
  clusters: ClusterResult;
  /** The first line when it is not a goroutine header: `panic: …`, `fatal error: …`, a signal. */
  cause?: string;
}

export type LoadedInput = ProfileInput | GoroutineTextInput;

/** An input that cannot be analysed: `message` names it and says why. */
export class UnreadableInputError extends Error {
  constructor(
    readonly input: string,
    message: string
  ) {
    super(message);
    this.name = 'UnreadableInputError';
  }
}

/** Mutex profiles record where the lock was released; block profiles where the goroutine blocked. */
const UNLOCK_LEAF =
  /^(sync\.\(\*(Mutex|RWMutex)\)\.(Unlock|RUnlock)|internal\/sync\.\(\*Mutex\)\.Unlock|runtime\.unlock\w*)$/;

function contentionKind(profile: Profile, name: string): 'mutex' | 'block' {
  const lower = name.toLowerCase();
  if (lower.includes('mutex') || lower.includes('block')) {
    return lower.includes('mutex') ? 'mutex' : 'block';
  }
  const { stackStart, stack, count } = profile.samples;
  for (let i = 0; i < count; i++) {
    if (stackStart[i] < stackStart[i + 1] && UNLOCK_LEAF.test(frameName(profile, stack[stackStart[i]], 0))) {
      return 'mutex';
    }
  }
  return 'block';
}

/** The kind of a profile from its sample types (golang/go:src/runtime/pprof/pprof.go names them). */
export function profileKind(profile: Profile, name: string): ProfileKind {
  const types = new Set(profile.sampleTypes.map((t) => t.type));
  if (types.has('cpu') || profile.periodType.type === 'cpu') {
    return 'cpu';
  }
  if (types.has('alloc_space') || types.has('inuse_space')) {
    // Same four columns; allocs differs only by default_sample_type.
    return profile.defaultSampleType === 'alloc_space' ? 'allocs' : 'heap';
  }
  const goroutine = goroutineProfileKind(profile);
  if (goroutine) {
    return goroutine;
  }
  if (types.has('delay') && types.has('contentions')) {
    return contentionKind(profile, name);
  }
  return types.has('threadcreate') ? 'threadcreate' : 'other';
}

function describe(error: unknown, name: string): string {
  if (isInputError(error)) {
    return error.withSource(name).describe();
  }
  return `${name}: ${error instanceof Error ? error.message : String(error)}`;
}

function firstLine(text: string): string {
  const line = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0].trim();
  return line.length > 120 ? `${line.slice(0, 117)}...` : line;
}

const EXPECTED = 'expected a pprof profile, a goroutine dump (/debug/pprof/goroutine?debug=2) or Go crash output';

function readGoroutineText(input: RawInput, text: string): GoroutineTextInput {
  const format = goroutineTextFormat(text);
  let snapshot: GoroutineSnapshot | undefined;
  try {
    snapshot = snapshotFromText(text, { source: input.name, timestamp: input.time });
  } catch (error) {
    if (!(error instanceof NotThisFormatError)) {
      throw error;
    }
  }
  if (!snapshot || snapshot.total === 0) {
    // Say what the text looked like rather than showing an empty analysis.
    const what = describeNonPprof(input.bytes) ?? `text starting "${firstLine(text)}"`;
    throw new NotThisFormatError(`${what}; no goroutine stack in it either (${EXPECTED})`, { source: input.name });
  }
  const first = firstLine(text);
  return {
    type: 'goroutines',
    name: input.name,
    time: input.time,
    timeKnown: input.timeKnown,
    format,
    snapshot,
    clusters: clusterGoroutines(snapshot),
    cause: /^goroutine \d|^\S+ profile: total/.test(first) ? undefined : first,
  };
}

/** Reads one input; throws {@link UnreadableInputError} naming it and the cause. */
export function readInput(input: RawInput): LoadedInput {
  const { name, bytes } = input;
  try {
    if (bytes.length > 0 && !isGzip(bytes) && looksLikeText(bytes)) {
      return readGoroutineText(input, new TextDecoder().decode(bytes));
    }
    const profile = parsePprof(bytes, { source: name });
    const kind = profileKind(profile, name);
    const result: ProfileInput = {
      type: 'profile',
      name,
      time: input.time,
      timeKnown: input.timeKnown || profileTime(profile) !== undefined,
      profile,
      kind,
    };
    if (kind === 'goroutine' || kind === 'goroutineleak') {
      const snapshot = snapshotFromProfile(profile, profileTime(profile) ?? input.time);
      result.goroutines = { snapshot, clusters: clusterGoroutines(snapshot) };
    }
    return result;
  } catch (error) {
    throw new UnreadableInputError(name, describe(error, name));
  }
}

/** When the profile was collected (ms since the epoch), when it says. */
export function profileTime(profile: Profile): number | undefined {
  return profile.timeNanos > BigInt(0) ? Number(profile.timeNanos / BigInt(1000000)) : undefined;
}

/**
 * What a dropped file or pasted text is, decided from its content (never its name, which only breaks the mutex/block
 * tie): a pprof profile from any producer, gzipped or not, or goroutine text — a `debug=2` dump, crash output
 * (`panic:`, `fatal error:`, SIGQUIT), or `debug=1` text. Every failure is an error that names the input and the
 * cause, in the core's words (InputError `describe()`).
 */
import {
  clusterGoroutines,
  type ClusterResult,
  contentionKindFromStacks,
  describeNonDump,
  type GoroutineSnapshot,
  inferProfileKind,
  isGzip,
  isInputError,
  looksLikeText,
  NotThisFormatError,
  parsePprof,
  type Profile,
  type ProfileKind as CoreProfileKind,
  type RaceReport,
  snapshotFromProfile,
  snapshotsFromText,
} from '../../core';

export interface RawInput {
  /** File name, or "pasted text". */
  name: string;
  bytes: Uint8Array;
  /** When the file was last modified (ms since the epoch); pasted text: when it was pasted. */
  time: number;
  /** False for pasted text: `time` is only when it arrived, not when it was captured. */
  timeKnown: boolean;
}

export type ProfileKind = Exclude<CoreProfileKind, 'contention' | 'unknown'> | 'other';

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
  /** The last dump of the text (the one shown), and its clusters. */
  snapshot: GoroutineSnapshot;
  clusters: ClusterResult;
  /** Every dump of the text in order, with its time: several when it held several (a series). */
  series: Array<{ time: number; timeKnown: boolean; snapshot: GoroutineSnapshot }>;
  /** Data races the race detector reported in the text. */
  races: RaceReport[];
  /** What the recogniser did to find the dumps ("removed GitHub Actions timestamps from 212 lines"). */
  notes: string[];
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

/** The kind of a profile from its content; a mutex/block tie is broken by the name, else by the stacks. */
export function profileKind(profile: Profile, name: string): ProfileKind {
  const lower = name.toLowerCase();
  const hint = lower.includes('mutex') ? 'mutex' : lower.includes('block') ? 'block' : undefined;
  const kind = inferProfileKind(profile, hint);
  if (kind === 'contention') {
    return contentionKindFromStacks(profile);
  }
  return kind === 'unknown' ? 'other' : kind;
}

function describe(error: unknown, name: string): string {
  if (isInputError(error)) {
    return error.withSource(name).describe();
  }
  return `${name}: ${error instanceof Error ? error.message : String(error)}`;
}

function frameText(f: { func: string; file: string; line: number }): string {
  return `${f.func} (${f.file}:${f.line})`;
}

/** A race report in one line per access: what, by which goroutine, where. */
export function raceText(race: RaceReport): string {
  return race.accesses.map((a) => `${a.what}${a.frames[0] ? ` at ${frameText(a.frames[0])}` : ''}`).join('; ');
}

function readGoroutineText(input: RawInput): GoroutineTextInput {
  let found: ReturnType<typeof snapshotsFromText>;
  try {
    // The bytes themselves: their common goroutine blocks are read without decoding the text.
    found = snapshotsFromText(input.bytes, { source: input.name, timestamp: input.time });
  } catch (error) {
    if (error instanceof NotThisFormatError) {
      // Neither format: say what the text looked like (the recogniser's words) and what was expected.
      const text = new TextDecoder().decode(input.bytes);
      throw new NotThisFormatError(`neither a pprof profile nor goroutine text: ${describeNonDump(text)}`, {
        source: input.name,
      });
    }
    throw error;
  }
  const last = found.snapshots[found.snapshots.length - 1];
  if (!last) {
    const races = found.races.map(raceText).join(' | ');
    throw new NotThisFormatError(
      `a race-detector report with no goroutine dump: ${found.races.length} race${found.races.length === 1 ? '' : 's'}: ${races}`,
      { source: input.name }
    );
  }
  return {
    type: 'goroutines',
    name: input.name,
    time: input.time,
    timeKnown: input.timeKnown || last.timeKnown,
    snapshot: last.snapshot,
    clusters: clusterGoroutines(last.snapshot),
    series: found.snapshots,
    races: found.races,
    notes: found.notes,
  };
}

/** Reads one input; throws {@link UnreadableInputError} naming it and the cause. */
export function readInput(input: RawInput): LoadedInput {
  const { name, bytes } = input;
  try {
    if (bytes.length > 0 && !isGzip(bytes) && looksLikeText(bytes)) {
      return readGoroutineText(input);
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

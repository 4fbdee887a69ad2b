/**
 * One entry point for goroutine text from `/debug/pprof/goroutine` (or `goroutineleak`), crash output, `go test`
 * output and logs: wire/goroutineText.ts finds the dump(s) in the text; `debug=2` dumps and crash output get states
 * from the headers, `debug=1` aggregated text goes through inference. The format is told from the content, never
 * from a URL or file name.
 */
import { guardParser, MalformedInputError } from '../../errors';
import {
  recogniseGoroutineText,
  type GoroutineByteStream,
  type GoroutineTextPart,
  type RaceReport,
} from '../../wire/goroutineText';
import { snapshotFromDump, type GoroutineSnapshot } from '../../model/goroutineSnapshot';
import { isByteArray } from '../../wire/goroutineDump';
import { snapshotFromDebug1 } from './fromStacks';

export interface FromTextOptions {
  /** URL or file name, for error messages. */
  source?: string;
  /** Milliseconds since the epoch when the text was captured. */
  timestamp?: number;
  /** The endpoint it came from; `goroutineleak` debug=2 is a full dump with `(leaked)` marks. */
  profile?: 'goroutine' | 'goroutineleak';
}

/** `debug=1` when the first line is `<name> profile: total <n>` (printCountProfile), else `debug=2`. */
export function goroutineTextFormat(text: string): 'debug=1' | 'debug=2' {
  const start = text.length > 0 && text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const end = text.indexOf('\n', start);
  const first = text.slice(start, end < 0 ? Math.min(text.length, 200) : end);
  return /^\S+ profile: total \d+\r?$/.test(first) ? 'debug=1' : 'debug=2';
}

/** Spacing given to dumps of one text when it carries no times. */
const UNKNOWN_SPACING_MS = 60_000;

export interface TextSnapshots {
  /**
   * One snapshot per dump in the text, in order. Times: from the lines' timestamps when the text carries them,
   * else `timestamp` for the last one and one minute apart before it (the order is known, the spacing is not).
   */
  snapshots: Array<{ time: number; timeKnown: boolean; snapshot: GoroutineSnapshot }>;
  /** Race-detector reports found in the text. */
  races: RaceReport[];
  /** What was done to find the dumps, in words. */
  notes: string[];
}

function partSnapshot(part: GoroutineTextPart, options: FromTextOptions, timestamp: number | undefined) {
  if (part.format === 'debug=1') {
    return snapshotFromDebug1(part.profile, timestamp);
  }
  const leaked = part.dump.goroutines.some((g) => g.header.leaked);
  return snapshotFromDump(part.dump, {
    profile: options.profile ?? (leaked ? 'goroutineleak' : 'goroutine'),
    timestamp,
  });
}

/** Goroutine text as a string, UTF-8 bytes or a stream of them. */
export type GoroutineTextInput = string | Uint8Array | GoroutineByteStream;

/** The first line of the input as text, for {@link goroutineTextFormat}. */
function firstLineOf(input: GoroutineTextInput): string {
  if (typeof input === 'string') {
    return input;
  }
  const bytes = isByteArray(input) ? input : input.all();
  const newline = bytes.indexOf(10);
  return new TextDecoder().decode(bytes.subarray(0, newline < 0 ? Math.min(bytes.length, 800) : newline));
}

/**
 * Every dump in the text as a snapshot (several when the text holds several), with race reports and notes. Bytes are
 * read as UTF-8; a large clean dump is read faster from its bytes (or a stream of them) than from one string of it.
 */
export function snapshotsFromText(text: GoroutineTextInput, options: FromTextOptions = {}): TextSnapshots {
  // Every failure is one of the core's typed errors: anything unexpected becomes a MalformedInputError.
  return guardParser(
    () => snapshotsOf(text, options),
    (message) =>
      new MalformedInputError(message, {
        format: `goroutine text (${goroutineTextFormat(firstLineOf(text))})`,
        source: options.source,
      })
  );
}

function snapshotsOf(text: GoroutineTextInput, options: FromTextOptions): TextSnapshots {
  const found = recogniseGoroutineText(text, { source: options.source });
  const n = found.parts.length;
  const base = options.timestamp ?? 0;
  if (n > 1 && found.parts.some((p) => p.time === undefined)) {
    found.notes.push(
      'the text gives no capture times: the dumps are taken as one minute apart, so growth per minute is growth per dump'
    );
  }
  const snapshots = found.parts.map((part, i) => {
    const timeKnown = part.time !== undefined;
    const time = part.time ?? base - (n - 1 - i) * UNKNOWN_SPACING_MS;
    const snapshot = partSnapshot(part, options, timeKnown || options.timestamp !== undefined ? time : undefined);
    if (found.notes.length > 0) {
      snapshot.notes = [...found.notes];
    }
    return { time, timeKnown, snapshot };
  });
  return { snapshots, races: found.races, notes: found.notes };
}

/**
 * The snapshot of goroutine text. When the text holds several dumps this is the last one, with a warning; use
 * {@link snapshotsFromText} to read them all. A race report without a dump gives an empty snapshot saying so.
 */
export function snapshotFromText(text: GoroutineTextInput, options: FromTextOptions = {}): GoroutineSnapshot {
  const { snapshots, races, notes } = snapshotsFromText(text, options);
  if (snapshots.length === 0) {
    return {
      source: 'debug=2',
      profile: options.profile ?? 'goroutine',
      total: 0,
      records: [],
      unclassified: 0,
      systemLevel: false,
      truncated: false,
      skippedLines: 0,
      timestamp: options.timestamp,
      warnings: [
        `a race-detector report with no goroutine dump: ${races.length} race${races.length === 1 ? '' : 's'} between goroutines ${raceGoroutines(races)}`,
      ],
      notes,
    };
  }
  const last = snapshots[snapshots.length - 1].snapshot;
  if (snapshots.length > 1) {
    last.warnings.push(`the text holds ${snapshots.length} dumps; this is the last one`);
  }
  return last;
}

function raceGoroutines(races: readonly RaceReport[]): string {
  const ids = new Set(races.flatMap((r) => r.accesses.map((a) => a.goroutine)));
  return [...ids].sort((a, b) => a - b).join(', ');
}

/**
 * One entry point for goroutine text from `/debug/pprof/goroutine` (or `goroutineleak`): `debug=2` dumps and crash
 * output go through the dump parser with states from the headers; `debug=1` aggregated text goes through
 * inference. The format is told from the content, never from a URL or file name.
 */
import { guardParser, MalformedInputError } from '../../errors';
import { parseGoroutineDump } from '../../wire/goroutineDump';
import { parseDebug1Profile } from '../../wire/goroutineDumpDebug1';
import { snapshotFromDump, type GoroutineSnapshot } from '../../model/goroutineSnapshot';
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

/**
 * The snapshot of goroutine text. Every failure is one of the core's typed errors: anything unexpected from the
 * parsers becomes a MalformedInputError naming the format and source.
 */
export function snapshotFromText(text: string, options: FromTextOptions = {}): GoroutineSnapshot {
  return guardParser(
    () => snapshotOf(text, options),
    (message) =>
      new MalformedInputError(message, {
        format: `goroutine dump (${goroutineTextFormat(text)})`,
        source: options.source,
      })
  );
}

function snapshotOf(text: string, options: FromTextOptions): GoroutineSnapshot {
  if (goroutineTextFormat(text) === 'debug=1') {
    return snapshotFromDebug1(parseDebug1Profile(text, { source: options.source }), options.timestamp);
  }
  const dump = parseGoroutineDump(text, { keepArguments: false, source: options.source });
  const leaked = dump.goroutines.some((g) => g.header.leaked);
  return snapshotFromDump(dump, {
    profile: options.profile ?? (leaked ? 'goroutineleak' : 'goroutine'),
    timestamp: options.timestamp,
  });
}

/**
 * Parser for the aggregated `debug=1` text of count profiles (`goroutine`, `goroutineleak`, `threadcreate`),
 * written by `printCountProfile` (golang/go:src/runtime/pprof/pprof.go):
 *
 * ```
 * goroutine profile: total 9
 * 3 @ 0x4379d6 0x40619b 0x405cd8 0x4b885b 0x463a61
 * # labels: {"handler":"api", "tenant":"t1"}
 * #	0x4b885a	main.chanWaiter+0x1a	/home/u/app/main.go:29
 * ```
 * The `#` lines come through a tabwriter, so fields are separated by runs of tabs. They skip leading runtime frames
 * and `runtime.goexit`; unknown PCs print as `#\t0x…` alone. Lines that fit nothing are skipped and counted.
 */
import { MalformedInputError, type InputErrorContext } from '../errors';
import { NotGoroutineDumpError } from './goroutineDump';

/** Goroutine text in a known format whose content is broken (an escape no Go printer writes). */
export class MalformedGoroutineTextError extends MalformedInputError {}

const MAX_CODE_POINT = 0x10ffff;

export interface Debug1Frame {
  /** PC as printed (hex without 0x), one less than the return address, as `printStackRecord` shows it. */
  pc: string;
  /** Function name, '' for an unknown PC. */
  func: string;
  /** `+0x…` offset in the function, -1 when absent. */
  offset: number;
  file: string;
  line: number;
}

export interface Debug1Record {
  count: number;
  /** Every PC of the stack, including the runtime frames hidden from the `#` lines. */
  pcs: string[];
  labels: Record<string, string> | undefined;
  /** Symbolised frames, leaf first (runtime leaders hidden by the runtime). */
  frames: Debug1Frame[];
}

export interface Debug1Profile {
  format: 'debug=1';
  /** `goroutine`, `goroutineleak`, `threadcreate`... from the first line. */
  profile: string;
  total: number;
  records: Debug1Record[];
  skippedLines: number;
  /**
   * The text looks cut: every record ends with a blank line (printStackRecord), so whole text ends with "\n\n";
   * and the records' counts add up to the header's total (both come from the same records).
   */
  truncated: boolean;
  /** Why {@link truncated} is set, in words. */
  truncation?: string;
}

/** Parses Go's `%q`-quoted label map `{"k":"v", "k2":"v2"}` (keys and values are Go string literals). */
export function parseDebug1Labels(text: string): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  let i = text.indexOf('{');
  if (i < 0) {
    return undefined;
  }
  i++;
  const strings: string[] = [];
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      let value = '';
      while (j < text.length && text[j] !== '"') {
        if (text[j] === '\\' && j + 1 < text.length) {
          const e = text[j + 1];
          const simple: Record<string, string> = {
            n: '\n',
            t: '\t',
            r: '\r',
            '"': '"',
            '\\': '\\',
            a: '\x07',
            b: '\b',
            f: '\f',
            v: '\v',
          };
          if (simple[e] !== undefined) {
            value += simple[e];
            j += 2;
          } else if (e === 'x' || e === 'u' || e === 'U') {
            const width = e === 'x' ? 2 : e === 'u' ? 4 : 8;
            const digits = text.slice(j + 2, j + 2 + width);
            const code = /^[0-9a-fA-F]+$/.test(digits) && digits.length === width ? parseInt(digits, 16) : NaN;
            if (Number.isNaN(code) || code > MAX_CODE_POINT) {
              // strconv.Quote never prints these: the label text was damaged or not written by Go.
              throw new MalformedGoroutineTextError(`invalid \\${e} escape "\\${e}${digits}" in a label`, {
                format: 'debug=1 text',
                field: 'labels',
              });
            }
            // \x escapes are bytes of UTF-8 in Go; as code units they at least keep the label distinct.
            value += String.fromCodePoint(code);
            j += 2 + width;
          } else {
            value += e;
            j += 2;
          }
        } else {
          value += text[j];
          j++;
        }
      }
      strings.push(value);
      i = j + 1;
    } else if (c === '}') {
      break;
    } else {
      i++;
    }
  }
  for (let k = 0; k + 1 < strings.length; k += 2) {
    out[strings[k]] = strings[k + 1];
  }
  return out;
}

function parseFrameLine(line: string): Debug1Frame | undefined {
  // `#\t0x4b885a\tmain.chanWaiter+0x1a\t/home/u/app/main.go:29`, tabs possibly repeated.
  const fields = line
    .slice(1)
    .split('\t')
    .filter((f) => f !== '');
  if (fields.length === 0 || !fields[0].startsWith('0x')) {
    return undefined;
  }
  const pc = fields[0].slice(2);
  if (fields.length === 1) {
    return { pc, func: '', offset: -1, file: '', line: 0 };
  }
  let func = fields[1];
  let offset = -1;
  const plus = func.lastIndexOf('+0x');
  if (plus > 0) {
    offset = parseInt(func.slice(plus + 3), 16);
    func = func.slice(0, plus);
  }
  let file = '';
  let lineNo = 0;
  if (fields.length >= 3) {
    const location = fields.slice(2).join('\t');
    const colon = location.lastIndexOf(':');
    const n = colon > 0 ? Number(location.slice(colon + 1)) : NaN;
    if (Number.isInteger(n)) {
      file = location.slice(0, colon);
      lineNo = n;
    } else {
      file = location;
    }
  }
  return { pc, func, offset, file, line: lineNo };
}

export function parseDebug1Profile(text: string, context: InputErrorContext = {}): Debug1Profile {
  const lines = text.split('\n');
  const head = /^(\S+) profile: total (\d+)\r?$/.exec(lines[0] ?? '');
  if (!head) {
    throw new NotGoroutineDumpError('not debug=1 profile text: the first line is not "<name> profile: total <n>"', {
      format: 'debug=1 text',
      ...context,
    });
  }
  const records: Debug1Record[] = [];
  let skippedLines = 0;
  let current: Debug1Record | undefined;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i].endsWith('\r') ? lines[i].slice(0, -1) : lines[i];
    if (line === '') {
      current = undefined;
      continue;
    }
    const at = line.indexOf(' @');
    if (at > 0 && /^\d+$/.test(line.slice(0, at))) {
      current = {
        count: Number(line.slice(0, at)),
        pcs: line
          .slice(at + 2)
          .split(' ')
          .filter((p) => p.startsWith('0x'))
          .map((p) => p.slice(2)),
        labels: undefined,
        frames: [],
      };
      records.push(current);
      continue;
    }
    if (current !== undefined && line.startsWith('# labels:')) {
      current.labels = parseDebug1Labels(line.slice('# labels:'.length));
      continue;
    }
    if (current !== undefined && line.startsWith('#\t')) {
      const frame = parseFrameLine(line);
      if (frame) {
        current.frames.push(frame);
        continue;
      }
    }
    skippedLines++;
  }
  const total = Number(head[2]);
  const counted = records.reduce((sum, r) => sum + r.count, 0);
  let truncation: string | undefined;
  if (!/\n\r?\n$/.test(text)) {
    truncation = 'the text does not end with the blank line that closes every record';
  } else if (counted < total) {
    truncation = `the records add up to ${counted} of the header's total ${total}`;
  }
  return {
    format: 'debug=1',
    profile: head[1],
    total,
    records,
    skippedLines,
    truncated: truncation !== undefined,
    ...(truncation !== undefined ? { truncation } : {}),
  };
}

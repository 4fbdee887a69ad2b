/**
 * A seeded mutator: every case is a pure function of (run seed, case index), so any failure is reproduced from its
 * index alone (`npm run fuzz -- --parser pprof --case 123456`). Mutations are those that found real defects in the
 * parsers: bit flips, interesting bytes, truncation at any length, splices of two seeds, repeated slices (millions
 * of repeated fields from a few bytes), huge varint lengths, line-level edits of text, and structural edits of JSON
 * (wrong types, huge and negative numbers, deep nesting, long lists).
 */

/** mulberry32: small, fast, good enough to spread cases. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The generator of case `index` of a run: independent of every other case. */
export function caseRng(runSeed: number, index: number): () => number {
  return rng(Math.imul(runSeed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(index + 1, 0xc2b2ae35));
}

export type Rng = () => number;

export const int = (r: Rng, n: number): number => Math.floor(r() * n);
export const pick = <T>(r: Rng, xs: readonly T[]): T => xs[int(r, xs.length)];

/** Inputs stay below this size, the bound the suite's time limit is stated for. */
export const MAX_INPUT_BYTES = 1_000_000;

const INTERESTING_BYTES = [0x00, 0x01, 0x7f, 0x80, 0xff, 0x0a, 0x08, 0x10, 0x12, 0x1a, 0x22, 0x2a, 0x32];
/** Varints that declare huge or negative lengths and values. */
const HUGE_VARINTS = [
  [0xff, 0xff, 0xff, 0xff, 0x0f],
  [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01],
  [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01],
  [0x80, 0x80, 0x80, 0x40],
];

function cap(bytes: Uint8Array): Uint8Array {
  return bytes.length > MAX_INPUT_BYTES ? bytes.subarray(0, MAX_INPUT_BYTES) : bytes;
}

/** One byte-level mutation of `input`, another seed available for splicing. */
export function mutateBytes(r: Rng, input: Uint8Array, other: Uint8Array): Uint8Array {
  const n = input.length;
  const at = int(r, n + 1);
  switch (int(r, 9)) {
    case 0: {
      const out = input.slice();
      for (let k = 1 + int(r, 8); k > 0 && n > 0; k--) {
        out[int(r, n)] ^= 1 << int(r, 8);
      }
      return out;
    }
    case 1: {
      const out = input.slice();
      for (let k = 1 + int(r, 4); k > 0 && n > 0; k--) {
        out[int(r, n)] = pick(r, INTERESTING_BYTES);
      }
      return out;
    }
    case 2:
      return input.subarray(0, at); // truncation at any length
    case 3: {
      const from = int(r, other.length + 1);
      return cap(concat(input.subarray(0, at), other.subarray(from)));
    }
    case 4: {
      // A slice repeated many times: millions of cheap repeated fields once inflated.
      const len = 1 + int(r, 16);
      const slice = input.subarray(at, Math.min(n, at + len));
      const times = 1 + int(r, r() < 0.1 ? 40000 : 64);
      const parts: Uint8Array[] = [input.subarray(0, at)];
      for (let i = 0; i < times && slice.length > 0; i++) {
        parts.push(slice);
      }
      parts.push(input.subarray(at));
      return cap(concat(...parts));
    }
    case 5:
      return cap(concat(input.subarray(0, at), Uint8Array.from(pick(r, HUGE_VARINTS)), input.subarray(at)));
    case 6: {
      const len = 1 + int(r, 64);
      return concat(input.subarray(0, at), input.subarray(Math.min(n, at + len)));
    }
    case 7: {
      const junk = new Uint8Array(1 + int(r, 32));
      for (let i = 0; i < junk.length; i++) {
        junk[i] = int(r, 256);
      }
      return cap(concat(input.subarray(0, at), junk, input.subarray(at)));
    }
    default: {
      // Move a slice elsewhere (reorders fields and messages).
      const len = 1 + int(r, 256);
      const slice = input.slice(at, Math.min(n, at + len));
      const rest = concat(input.subarray(0, at), input.subarray(Math.min(n, at + len)));
      const to = int(r, rest.length + 1);
      return concat(rest.subarray(0, to), slice, rest.subarray(to));
    }
  }
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const TEXT_TOKENS = [
  'goroutine ',
  'goroutine 1 [running]:\n',
  'goroutine 18446744073709551616 [chan receive, 99999999999 minutes]:\n',
  ' [select, locked to thread]:\n',
  'created by main.main in goroutine 1\n',
  '\t/usr/local/go/src/runtime/proc.go:402 +0x25\n',
  'main.main()\n',
  'main.(*T).f(0x1, {0x2, 0x3}, ...)\n',
  '...additional frames elided...\n',
  '# labels: {"a":"b"}\n',
  '# labels: {"\\U0000ffffffff":"\\U00110000"}\n',
  '\\U0010ffff',
  '\\uD800',
  '\\x',
  '#\t0x48af44\tinternal/poll.runtime_pollWait+0x84\t\t/usr/local/go/src/runtime/netpoll.go:351\n',
  '2 @ 0x48bd6e 0x44d617\n',
  'goroutine profile: total 99999999999999999999\n',
  '999999999999999999999999',
  '-1',
  ':',
  '+0x',
  '\r\n',
  '\t',
  '\u0000',
  '\ufffd',
  '(',
  ')',
  '{',
  '[',
];

/**
 * One text mutation: line edits and interesting tokens, then sometimes a byte-level one on the UTF-8. `separator`
 * says what a "line" is: JSON on one line is cut at commas instead, so that deleting, repeating and moving a line
 * edits list elements and fields rather than copying the whole document.
 */
export function mutateText(r: Rng, text: string, other: string, separator = '\n'): string {
  const lines = text.split(separator);
  const i = int(r, lines.length);
  switch (int(r, 8)) {
    case 0:
      lines.splice(i, 1);
      break;
    case 1: {
      const line = lines[i] ?? '';
      const room = Math.floor((MAX_INPUT_BYTES - text.length) / (line.length + 1));
      const times = Math.min(room, 1 + int(r, r() < 0.05 ? 20000 : 8));
      for (let k = 0; k < times; k++) {
        lines.splice(i, 0, line);
      }
      break;
    }
    case 2: {
      const j = int(r, lines.length);
      [lines[i], lines[j]] = [lines[j], lines[i]];
      break;
    }
    case 3: {
      const line = lines[i] ?? '';
      const at = int(r, line.length + 1);
      lines[i] = line.slice(0, at) + pick(r, TEXT_TOKENS) + line.slice(at);
      break;
    }
    case 4: {
      const otherLines = other.split(separator);
      const from = int(r, otherLines.length);
      const inserted = otherLines.slice(from, from + 1 + int(r, 40));
      if (text.length + inserted.join(separator).length < MAX_INPUT_BYTES) {
        lines.splice(i, 0, ...inserted);
      }
      break;
    }
    case 5:
      return text.slice(0, int(r, text.length + 1));
    case 6: {
      const line = lines[i] ?? '';
      lines[i] = line.replace(/\d+/, () => pick(r, ['0', '-1', '99999999999999999999999', '4294967296', 'x']));
      break;
    }
    default: {
      const bytes = mutateBytes(r, new TextEncoder().encode(text), new TextEncoder().encode(other));
      return new TextDecoder().decode(bytes);
    }
  }
  const out = lines.join(separator);
  return out.length > MAX_INPUT_BYTES ? out.slice(0, MAX_INPUT_BYTES) : out;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Nesting depth of generated values: JSON.stringify recurses per level and overflows its stack near 10k levels. */
const MAX_VALUE_DEPTH = 2000;

function randomJson(r: Rng, depth = 0): Json {
  switch (int(r, 12)) {
    case 0:
      return null;
    case 1:
      return r() < 0.5;
    case 2:
      return pick(r, [0, -1, 1e21, -1e21, 1.5, 2 ** 53 + 2, 1e308, -0]);
    case 3:
      return pick(r, ['', 'abc', '1e21', '-1', '18446744073709551616', '9223372036854775808', '0x10', ' 1', 'NaN']);
    case 4:
      return 'x'.repeat(int(r, 5000));
    case 5: {
      // Nesting a parser recurses into, within what JSON.stringify can encode (deeper nesting, up to 200k levels,
      // is written as text by mutateJson: building it as values only to have the encoder overflow wastes the case).
      const levels = 1 + int(r, r() < 0.2 ? MAX_VALUE_DEPTH : 200);
      let v: Json = 1;
      for (let i = 0; i < levels; i++) {
        v = r() < 0.5 ? [v] : { a: v };
      }
      return v;
    }
    case 6:
      return depth > 3 ? [] : new Array<Json>(int(r, 4)).fill(null).map(() => randomJson(r, depth + 1));
    case 7:
      return depth > 3 ? {} : { names: randomJson(r, depth + 1), levels: randomJson(r, depth + 1) };
    default:
      return pick(r, [[], {}, [[]], [0, 0, 0, 0], ['1', '2']]);
  }
}

/** Replaces a random node of `value` (in place) with a random JSON value, or repeats an element of a list. */
function mutateJsonValue(r: Rng, value: Json): Json {
  const path: Array<[Json[] | { [k: string]: Json }, string | number]> = [];
  let node: Json = value;
  while (node !== null && typeof node === 'object' && r() < 0.8) {
    const keys: Array<string | number> = Array.isArray(node) ? node.map((_, i) => i) : Object.keys(node);
    if (keys.length === 0) {
      break;
    }
    const key = pick(r, keys);
    path.push([node, key]);
    node = (node as Record<string | number, Json>)[key];
  }
  if (path.length === 0) {
    return randomJson(r);
  }
  const [parent, key] = path[path.length - 1];
  if (Array.isArray(parent) && r() < 0.3) {
    // Many copies of one element: 200k root nodes, 150k series points; as many as fit in an input, since a text over
    // the bound is thrown away.
    const wanted = r() < 0.03 ? 200_000 : 1 + int(r, 100);
    const elementBytes = (JSON.stringify(parent[key as number]) ?? 'null').length + 1;
    const times = Math.min(wanted, Math.floor(MAX_INPUT_BYTES / 2 / elementBytes));
    for (let i = 0; i < times; i++) {
      parent.push(parent[key as number]);
    }
  } else {
    (parent as Record<string | number, Json>)[key] = randomJson(r);
  }
  return value;
}

/** One mutation of a JSON text: structural (parsed and re-encoded) or textual. */
export function mutateJson(r: Rng, text: string, other: string): string {
  if (r() < 0.03) {
    // Deep nesting in place of some field's value, written as text (too deep for JSON.stringify to build). A
    // recursive reader overflows its stack near 10k levels; 200k levels (up to 1 MB of brackets, which every later
    // mutation and the parser then read whole) come rarely, so that they do not dominate the run's time.
    const keys = [...text.matchAll(/"(\w+)":/g)];
    if (keys.length > 0) {
      const m = pick(r, keys);
      const levels = 1 + int(r, r() < 0.1 ? 200_000 : 20_000);
      const open = r() < 0.5 ? '[' : '{"a":';
      const close = open === '[' ? ']' : '}';
      const deep = `${open.repeat(levels)}1${close.repeat(levels)}`;
      const at = m.index ?? 0;
      const out = `${text.slice(0, at)}"${m[1]}":${deep},"_${text.slice(at + 1)}`;
      return out.length > MAX_INPUT_BYTES ? out.slice(0, MAX_INPUT_BYTES) : out;
    }
  }
  if (r() < 0.6) {
    try {
      const out = JSON.stringify(mutateJsonValue(r, JSON.parse(text) as Json));
      if (out !== undefined && out.length <= MAX_INPUT_BYTES) {
        return out;
      }
    } catch {
      // a mutated text that no longer parses, or nesting too deep to encode: fall back to text edits
    }
  }
  return mutateText(r, text, other, ',');
}

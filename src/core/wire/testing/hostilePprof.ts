/**
 * Test-only generators of hostile pprof inputs: small when gzipped, huge when inflated, each filling one table with
 * entries that cost 2 bytes on the wire and many more once decoded. They are built in memory at any size, so the
 * repository keeps no large files; tests gzip them, scripts/reliabilityTable.ts measures them at full size.
 */

/** A buffer of `size` bytes: `prefix`, then `unit` repeated (the last copy cut at `size`). */
function repeated(size: number, unit: ArrayLike<number>, prefix: ArrayLike<number> = []): Uint8Array {
  const out = new Uint8Array(size);
  out.set(Array.from(prefix).slice(0, size));
  const start = Math.min(prefix.length, size);
  if (start >= size || unit.length === 0) {
    return out;
  }
  out.set(Array.from(unit).slice(0, size - start), start);
  // Doubling copies: O(log n) calls, memcpy speed.
  let filled = Math.min(unit.length, size - start);
  while (start + filled < size) {
    const n = Math.min(filled, size - start - filled);
    out.copyWithin(start + filled, start, start + n);
    filled += n;
  }
  return out;
}

function varint(value: number): number[] {
  const out: number[] = [];
  let v = value;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
  return out;
}

/** One length-delimited field `field` whose content is `unit` repeated to fill `size` bytes in all. */
function oneMessageOf(field: number, size: number, unit: number[]): Uint8Array {
  // The length prefix takes at most 5 bytes below 2^35; the content is a whole number of units.
  const contentBytes = Math.floor((size - 6) / unit.length) * unit.length;
  return repeated(size, unit, [(field << 3) | 2, ...varint(contentBytes)]).subarray(
    0,
    1 + varint(contentBytes).length + contentBytes
  );
}

export type HostilePprofKind =
  | 'comments'
  | 'empty-sample-types'
  | 'labels'
  | 'labels-with-values'
  | 'lines-one-location'
  | 'lines-many-locations'
  | 'packed-values-one-sample'
  | 'packed-values-many-samples'
  | 'empty-strings'
  | 'inline-lines';

/**
 * The uncompressed bytes of a hostile profile of about `size` bytes:
 * - `comments`: `comment = 1` repeated (field 13, 2 bytes each);
 * - `empty-sample-types`: empty `sample_type` messages (2 bytes each);
 * - `labels` / `labels-with-values`: one sample holding empty labels (2 bytes each) / labels with key and str set;
 * - `lines-one-location`: one location holding empty lines; `lines-many-locations`: locations of 1000 lines each;
 * - `packed-values-one-sample`: one sample with one packed value list; `packed-values-many-samples`: samples of 1000
 *   packed values each;
 * - `empty-strings`: empty `string_table` entries;
 * - `inline-lines`: a valid goroutine profile whose one location has `size` inline lines (not a size in bytes).
 */
export function hostilePprof(kind: HostilePprofKind, size: number): Uint8Array {
  switch (kind) {
    case 'comments':
      return repeated(size, [(13 << 3) | 0, 1]);
    case 'empty-sample-types':
      return repeated(size, [(1 << 3) | 2, 0]);
    case 'labels':
      return oneMessageOf(2, size, [(3 << 3) | 2, 0]);
    case 'labels-with-values':
      return oneMessageOf(2, size, [(3 << 3) | 2, 4, (1 << 3) | 0, 1, (2 << 3) | 0, 1]);
    case 'lines-one-location':
      return oneMessageOf(4, size, [(4 << 3) | 2, 0]);
    case 'lines-many-locations': {
      const location = [(4 << 3) | 2, ...varint(2000), ...new Array<number>(1000).fill(0).flatMap(() => [0x22, 0])];
      return repeated(size, location);
    }
    case 'packed-values-one-sample': {
      const inner = oneMessageOf(2, size - 6, [1]); // Sample.value, packed: 1, 1, 1, ...
      const out = new Uint8Array(inner.length + 6);
      const prefix = [(2 << 3) | 2, ...varint(inner.length)];
      out.set(prefix);
      out.set(inner, prefix.length);
      return out.subarray(0, prefix.length + inner.length);
    }
    case 'packed-values-many-samples': {
      const values = [(2 << 3) | 2, ...varint(1000), ...new Array<number>(1000).fill(1)];
      return repeated(size, [(2 << 3) | 2, ...varint(values.length), ...values]);
    }
    case 'empty-strings':
      return repeated(size, [(6 << 3) | 2, 0]);
    case 'inline-lines':
      return inlineLinesProfile(size);
  }
}

/** A goroutine profile (one sample of count 1, one location, one function) whose location has `lines` lines. */
function inlineLinesProfile(lines: number): Uint8Array {
  const w: number[] = [];
  const field = (n: number, content: number[]) => w.push((n << 3) | 2, ...varint(content.length), ...content);
  field(1, [0x08, 1, 0x10, 2]); // sample_type {type: "goroutine", unit: "count"}
  field(2, [0x08, 1, 0x10, 1]); // sample {location_id: 1, value: 1}
  const line = [0x22, 4, 0x08, 1, 0x10, 7]; // Line {function_id: 1, line: 7}
  const header = [0x08, 1]; // Location.id = 1
  const out = new Uint8Array(w.length + 1 + 5 + header.length + line.length * lines + 64);
  out.set(w);
  let at = w.length;
  const locationBytes = header.length + line.length * lines;
  for (const b of [(4 << 3) | 2, ...varint(locationBytes), ...header]) {
    out[at++] = b;
  }
  const body = repeated(line.length * lines, line);
  out.set(body, at);
  at += body.length;
  const tail: number[] = [];
  const push = (n: number, content: number[]) => tail.push((n << 3) | 2, ...varint(content.length), ...content);
  push(5, [0x08, 1, 0x10, 3, 0x20, 4]); // Function {id: 1, name: "main.deep", filename: "main.go"}
  for (const s of ['', 'goroutine', 'count', 'main.deep', 'main.go']) {
    push(6, Array.from(new TextEncoder().encode(s)));
  }
  out.set(tail, at);
  return out.subarray(0, at + tail.length);
}

/**
 * Raw deflate data that inflates to `copies` times 64 MiB of zeros, without ever holding that much: one 64 MiB block
 * ending in a sync flush (byte-aligned) is repeated, then a final empty block. `zeroBlock` is the raw deflate of
 * 64 MiB of zeros with a sync flush (zlib's `deflateRawSync(zeros, { finishFlush: Z_SYNC_FLUSH })`), `finalBlock`
 * an empty final block (`deflateRawSync(empty)`); both are passed in so that this module stays free of Node.
 */
export function gzipBomb(
  zeroBlock: Uint8Array,
  finalBlock: Uint8Array,
  copies: number,
  declaredSize: number
): Uint8Array {
  const header = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];
  const out = new Uint8Array(header.length + zeroBlock.length * copies + finalBlock.length + 8);
  out.set(header);
  let at = header.length;
  for (let i = 0; i < copies; i++) {
    out.set(zeroBlock, at);
    at += zeroBlock.length;
  }
  out.set(finalBlock, at);
  at += finalBlock.length;
  // CRC-32 left 0 (the bomb never gets that far); ISIZE is the size mod 2^32 as the format defines it.
  const size = declaredSize >>> 0;
  out.set([0, 0, 0, 0, size & 0xff, (size >>> 8) & 0xff, (size >>> 16) & 0xff, size >>> 24], at);
  return out;
}

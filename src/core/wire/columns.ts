/**
 * Append-only typed-array columns. The decoder does not know table sizes in advance (protobuf has no counts), so
 * columns grow by doubling and are trimmed once at the end: typed arrays keep numbers unboxed and contiguous, which
 * is what makes decoding and tree building fast (no object per sample, location or line).
 *
 * Columns given a {@link ByteBudget} charge every allocation to it, so that the decoder's memory is bounded however
 * the input spreads its entries over tables. Growth is rare (doubling), so the check costs nothing per value.
 */

/** Bytes allocated so far against a maximum; `charge` throws (the caller's typed error) when it would be exceeded. */
export class ByteBudget {
  used = 0;

  constructor(
    readonly max: number,
    private readonly exceeded: (actual: number) => never
  ) {}

  /** Charges `bytes` more (negative to give back memory that was replaced). */
  charge(bytes: number): void {
    const used = this.used + bytes;
    if (used > this.max) {
      this.exceeded(used);
    }
    this.used = used;
  }
}

/** A budget that never runs out, for columns built from already-bounded input. */
const UNBOUNDED = new ByteBudget(Infinity, () => {
  throw new Error('unreachable');
});

/**
 * The largest slab. Sharing a buffer saves a fixed cost per array, which only matters for small arrays. Slabs of
 * several megabytes (the call tree's 10 MB of columns in one) made decode + tree + frame of google/pprof's large.cpu
 * 77-79 ms of CPU against 54-55 ms with separate arrays (`bench/pprofCpu.ts`, median of 5 rounds, twice); with this
 * bound 66 against 63 ms, within the rounds' spread. The cause was not isolated: the garbage collector ran more
 * mark-compacts per call (15 against 10 in 30 calls).
 */
const MAX_SLAB_BYTES = 256 * 1024;

/** A typed array constructor, as {@link ArraySlab} calls it. */
interface SlabArrayType<T> {
  new (length: number): T;
  new (buffer: ArrayBuffer, byteOffset: number, length: number): T;
  readonly BYTES_PER_ELEMENT: number;
}

/**
 * Typed arrays cut from one ArrayBuffer. Each typed array of more than 64 bytes is a separate off-heap allocation in
 * V8 that its garbage collector tracks and frees one by one: for a profile of a few dozen samples, allocating its
 * 60-odd columns and scratch arrays that way cost more than decoding them. The slab lives as long as any of its
 * arrays, so only arrays with one lifetime share a slab. A request that does not fit gets an array of its own.
 */
export class ArraySlab {
  private readonly buffer: ArrayBuffer;
  private offset = 0;

  /**
   * `bytes` is the sum of the arrays' sizes; requested from the widest element type down, none is padded. Above
   * {@link MAX_SLAB_BYTES} every array is allocated on its own, as without a slab.
   */
  constructor(bytes: number) {
    this.buffer = new ArrayBuffer(bytes <= MAX_SLAB_BYTES ? bytes : 0);
  }

  f64(count: number): Float64Array {
    return this.cut(Float64Array, count);
  }

  u32(count: number): Uint32Array {
    return this.cut(Uint32Array, count);
  }

  i32(count: number): Int32Array {
    return this.cut(Int32Array, count);
  }

  u8(count: number): Uint8Array {
    return this.cut(Uint8Array, count);
  }

  private cut<T>(type: SlabArrayType<T>, count: number): T {
    const at = this.take(count, type.BYTES_PER_ELEMENT);
    return at < 0 ? new type(count) : new type(this.buffer, at, count);
  }

  /** Byte offset for `count` elements of `size` bytes, aligned, or -1 when they do not fit. */
  private take(count: number, size: number): number {
    const at = Math.ceil(this.offset / size) * size;
    const end = at + count * size;
    if (end > this.buffer.byteLength) {
      return -1;
    }
    this.offset = end;
    return at;
  }
}

/** A column that starts empty (capacity 0, nothing allocated until a value comes) grows to this many at first. */
const MIN_GROWN = 256;

export class F64Column {
  data: Float64Array;
  length = 0;

  /** `initial`, when given, is the first buffer (already charged, e.g. an {@link ArraySlab}'s), else one of `capacity`. */
  constructor(
    capacity = 1024,
    readonly budget: ByteBudget = UNBOUNDED,
    initial?: Float64Array
  ) {
    if (initial) {
      this.data = initial;
    } else {
      budget.charge(capacity * 8);
      this.data = new Float64Array(capacity);
    }
  }

  push(value: number): void {
    if (this.length === this.data.length) {
      this.grow(1);
    }
    this.data[this.length++] = value;
  }

  /** Makes room for `extra` more values. */
  grow(extra: number): void {
    const capacity = Math.max(this.length + extra, this.data.length * 2, MIN_GROWN);
    this.budget.charge((capacity - this.data.length) * 8);
    const next = new Float64Array(capacity);
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }

  /** The filled part, as a view (no copy) when it is most of the buffer, else a trimmed copy. */
  finish(): Float64Array {
    return trimmed(this.data, this.length);
  }
}

/** A Uint32Array of `capacity`, charged to `budget`. */
function chargedU32(capacity: number, budget: ByteBudget): Uint32Array {
  budget.charge(capacity * 4);
  return new Uint32Array(capacity);
}

export class U32Column {
  data: Uint32Array;
  length = 0;

  /** `initial` as in {@link F64Column}. */
  constructor(
    capacity = 1024,
    private readonly budget: ByteBudget = UNBOUNDED,
    initial?: Uint32Array
  ) {
    this.data = initial ?? chargedU32(capacity, budget);
  }

  push(value: number): void {
    if (this.length === this.data.length) {
      this.grow();
    }
    this.data[this.length++] = value;
  }

  private grow(): void {
    const capacity = Math.max(this.data.length * 2, MIN_GROWN);
    this.budget.charge((capacity - this.data.length) * 4);
    const next = new Uint32Array(capacity);
    next.set(this.data);
    this.data = next;
  }

  finish(): Uint32Array {
    return trimmed(this.data, this.length);
  }
}

function trimmed<T extends Float64Array | Uint32Array>(data: T, length: number): T {
  // Keep the view when little is wasted (a quarter at most, or 64 KB: a copy per column was a fifth of the decode of
  // small profiles); copy when the doubling left a large empty tail.
  const wasted = (data.length - length) * data.BYTES_PER_ELEMENT;
  return (length * 4 >= data.length * 3 || wasted <= 65536 ? data.subarray(0, length) : data.slice(0, length)) as T;
}

/** The subset of the protobuf reader that the packed-list readers need (see protoReader.ts). */
export interface VarintSource {
  buf: Uint8Array;
  pos: number;
  uint64Number(): number;
  int64Number(): number;
}

/**
 * A column of uint64 ids: a Uint32Array (half the memory of doubles, and ids are small: Go numbers them from 1),
 * upgraded once to a Float64Array if an id of 2^32 or more ever shows up.
 */
export class IdColumn {
  data: Uint32Array | Float64Array;
  length = 0;

  /** `initial` as in {@link F64Column}. */
  constructor(
    capacity = 1024,
    private readonly budget: ByteBudget = UNBOUNDED,
    initial?: Uint32Array
  ) {
    this.data = initial ?? chargedU32(capacity, budget);
  }

  /**
   * Makes room for `extra` more values without further checks; when the column must grow, to at least `expected`
   * values.
   */
  reserve(extra: number, expected = 0): void {
    const need = this.length + extra;
    if (need > this.data.length) {
      const capacity = expected > need ? Math.ceil(expected) : Math.max(need, this.data.length * 2);
      this.budget.charge((capacity - this.data.length) * this.data.BYTES_PER_ELEMENT);
      const next = this.data instanceof Uint32Array ? new Uint32Array(capacity) : new Float64Array(capacity);
      next.set(this.data.subarray(0, this.length));
      this.data = next;
    }
  }

  push(value: number): void {
    this.reserve(1);
    if (value > 0xffffffff && this.data instanceof Uint32Array) {
      this.widen();
    }
    this.data[this.length++] = value;
  }

  private widen(): void {
    this.budget.charge(this.data.length * 4);
    this.data = Float64Array.from(this.data);
  }

  /**
   * Reads a packed list of uint64 up to byte `stop`, at most `maxValues` of them (else `tooMany` is called with the
   * exact count). The loop reads 1-2 byte varints (every id below 2^14) straight from the buffer and falls back to
   * the reader for longer ones.
   */
  readPacked(r: VarintSource, stop: number, maxValues: number, tooMany: (count: number) => never): void {
    // A varint takes at least one byte, so the byte length bounds the count; only when that bound is above the limit
    // are the values counted (a varint ends at each byte below 0x80), so nothing is reserved past the limit.
    let room = stop - r.pos;
    if (room > maxValues) {
      room = countPackedValues(r.buf, r.pos, stop);
      if (room > maxValues) {
        tooMany(room);
      }
    }
    const buf = r.buf;
    // When the column must grow, it grows to the count the bytes read so far project over the whole input (a little
    // more than the lists hold, as other tables follow them), not by doubling: on a 29 MB heap profile with 10M ids
    // the doubling copied 7M ids and left a 57 MB column.
    if (this.length + room > this.data.length) {
      room = countPackedValues(buf, r.pos, stop); // exactly, before growing (see readPackedInt64)
    }
    this.reserve(room, r.pos > 0 ? (this.length * buf.length) / r.pos + room : 0);
    let data = this.data;
    let n = this.length;
    let pos = r.pos;
    while (pos < stop) {
      const b0 = buf[pos];
      if (b0 < 0x80) {
        data[n++] = b0;
        pos += 1;
        continue;
      }
      const b1 = buf[pos + 1];
      if (b1 < 0x80 && pos + 1 < stop) {
        data[n++] = (b0 & 0x7f) | (b1 << 7);
        pos += 2;
        continue;
      }
      r.pos = pos;
      const value = r.uint64Number();
      pos = r.pos;
      if (value > 0xffffffff && data instanceof Uint32Array) {
        this.length = n;
        this.widen();
        data = this.data;
      }
      data[n++] = value;
    }
    r.pos = pos;
    this.length = n;
  }

  finish(): Uint32Array | Float64Array {
    return this.data.subarray(0, this.length);
  }
}

/**
 * Number of values a packed list in `buf[from..to)` yields: the varints that end there, and one more when the last
 * runs past `to` (the reader then reads it whole, and the decode reports the list's overrun after it).
 */
export function countPackedValues(buf: Uint8Array, from: number, to: number): number {
  return countVarints(buf, from, to) + (to > from && buf[to - 1] >= 0x80 ? 1 : 0);
}

/** Number of varints that end in `buf[from..to)`: each ends at a byte below 0x80. */
export function countVarints(buf: Uint8Array, from: number, to: number): number {
  let count = 0;
  for (let i = from; i < to; i++) {
    if (buf[i] < 0x80) {
      count++;
    }
  }
  return count;
}

/**
 * Reads a packed list of int64 up to byte `stop` into `col`, one-byte values inline; at most `maxValues` of them
 * (else `tooMany` is called with the exact count), reserved as in {@link IdColumn.readPacked}.
 */
export function readPackedInt64(
  r: VarintSource,
  stop: number,
  col: F64Column,
  maxValues: number,
  tooMany: (count: number) => never
): void {
  let room = stop - r.pos;
  if (room > maxValues) {
    room = countPackedValues(r.buf, r.pos, stop);
    if (room > maxValues) {
      tooMany(room);
    }
  }
  // The byte length bounds the count from above; before growing, count exactly (a column sized from the table
  // counts holds the last values, which need fewer bytes than the bound).
  if (col.length + room > col.data.length && col.length + countPackedValues(r.buf, r.pos, stop) > col.data.length) {
    col.grow(room);
  }
  const buf = r.buf;
  const data = col.data;
  let n = col.length;
  while (r.pos < stop) {
    const b = buf[r.pos];
    if (b < 0x80) {
      data[n++] = b;
      r.pos++;
    } else {
      data[n++] = r.int64Number();
    }
  }
  col.length = n;
}

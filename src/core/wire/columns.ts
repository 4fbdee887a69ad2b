/**
 * Append-only typed-array columns. The decoder does not know table sizes in advance (protobuf has no counts), so
 * columns grow by doubling and are trimmed once at the end: typed arrays keep numbers unboxed and contiguous, which
 * is what makes decoding and tree building fast (no object per sample, location or line).
 */
export class F64Column {
  data: Float64Array;
  length = 0;

  constructor(capacity = 1024) {
    this.data = new Float64Array(capacity);
  }

  push(value: number): void {
    if (this.length === this.data.length) {
      this.grow();
    }
    this.data[this.length++] = value;
  }

  private grow(): void {
    const next = new Float64Array(this.data.length * 2);
    next.set(this.data);
    this.data = next;
  }

  /** The filled part, as a view (no copy) when it is most of the buffer, else a trimmed copy. */
  finish(): Float64Array {
    return trimmed(this.data, this.length);
  }
}

export class U32Column {
  data: Uint32Array;
  length = 0;

  constructor(capacity = 1024) {
    this.data = new Uint32Array(capacity);
  }

  push(value: number): void {
    if (this.length === this.data.length) {
      this.grow();
    }
    this.data[this.length++] = value;
  }

  private grow(): void {
    const next = new Uint32Array(this.data.length * 2);
    next.set(this.data);
    this.data = next;
  }

  finish(): Uint32Array {
    return trimmed(this.data, this.length);
  }
}

function trimmed<T extends Float64Array | Uint32Array>(data: T, length: number): T {
  // Keep the view when little is wasted; copy when the doubling left a large empty tail.
  return (length * 4 >= data.length * 3 ? data.subarray(0, length) : data.slice(0, length)) as T;
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

  constructor(capacity = 1024) {
    this.data = new Uint32Array(capacity);
  }

  /** Makes room for `extra` more values without further checks. */
  reserve(extra: number): void {
    const need = this.length + extra;
    if (need > this.data.length) {
      const next =
        this.data instanceof Uint32Array
          ? new Uint32Array(Math.max(need, this.data.length * 2))
          : new Float64Array(Math.max(need, this.data.length * 2));
      next.set(this.data);
      this.data = next;
    }
  }

  push(value: number): void {
    this.reserve(1);
    if (value > 0xffffffff && this.data instanceof Uint32Array) {
      this.data = Float64Array.from(this.data);
    }
    this.data[this.length++] = value;
  }

  /**
   * Reads a packed list of uint64 up to byte `stop`. The loop reads 1-4 byte varints (values below 2^28, i.e. every
   * id Go writes) straight from the buffer and falls back to the reader for longer ones.
   */
  readPacked(r: VarintSource, stop: number): void {
    this.reserve(stop - r.pos); // a varint takes at least one byte
    const buf = r.buf;
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
        this.data = data = Float64Array.from(data);
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

/** Reads a packed list of int64 up to byte `stop` into `col`, one-byte values inline. */
export function readPackedInt64(r: VarintSource, stop: number, col: F64Column): void {
  const need = col.length + (stop - r.pos);
  if (need > col.data.length) {
    const next = new Float64Array(Math.max(need, col.data.length * 2));
    next.set(col.data);
    col.data = next;
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

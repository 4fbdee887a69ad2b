/**
 * The writing side of the protobuf wire format (https://protobuf.dev/programming-guides/encoding/): varints,
 * length-delimited fields and packed repeated scalars, into one growable buffer. The reading side is
 * protoReader.ts. No reflection and no generated code, like the reader.
 */
export const WIRE_VARINT = 0;
export const WIRE_LENGTH = 2;

const TWO_POW_32 = 2 ** 32;

/** A growable byte buffer with protobuf's varint and length-delimited encodings. */
export class ProtoWriter {
  private buf = new Uint8Array(1024);
  length = 0;

  private ensure(extra: number): void {
    if (this.length + extra <= this.buf.length) {
      return;
    }
    let size = this.buf.length * 2;
    while (size < this.length + extra) {
      size *= 2;
    }
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }

  /**
   * An int64/uint64 varint of a JS number. Non-negative integers up to 2^53 are exact; negative values are written
   * as their 64-bit two's complement (10 bytes), as protobuf encodes int64; fractions are truncated toward zero.
   */
  varint(value: number): void {
    const v = Math.trunc(value);
    if (v < 0) {
      this.varintBig(BigInt.asUintN(64, BigInt(v)));
      return;
    }
    this.ensure(10);
    if (v < TWO_POW_32) {
      let n = v >>> 0;
      while (n > 0x7f) {
        this.buf[this.length++] = (n & 0x7f) | 0x80;
        n >>>= 7;
      }
      this.buf[this.length++] = n;
      return;
    }
    let n = v;
    while (n > 0x7f) {
      this.buf[this.length++] = (n % 128) | 0x80;
      n = Math.floor(n / 128);
    }
    this.buf[this.length++] = n;
  }

  varintBig(value: bigint): void {
    let n = BigInt.asUintN(64, value);
    this.ensure(10);
    while (n > BigInt(0x7f)) {
      this.buf[this.length++] = Number(n & BigInt(0x7f)) | 0x80;
      n >>= BigInt(7);
    }
    this.buf[this.length++] = Number(n);
  }

  tag(field: number, wireType: number): void {
    this.varint(field * 8 + wireType);
  }

  /** A varint field; zero is the proto3 default and is left out. */
  uint(field: number, value: number): void {
    if (value !== 0) {
      this.tag(field, WIRE_VARINT);
      this.varint(value);
    }
  }

  bigint(field: number, value: bigint): void {
    if (value !== BigInt(0)) {
      this.tag(field, WIRE_VARINT);
      this.varintBig(value);
    }
  }

  bool(field: number, value: boolean): void {
    this.uint(field, value ? 1 : 0);
  }

  bytes(field: number, bytes: Uint8Array): void {
    this.tag(field, WIRE_LENGTH);
    this.varint(bytes.length);
    this.ensure(bytes.length);
    this.buf.set(bytes, this.length);
    this.length += bytes.length;
  }

  /** An embedded message, written always (an empty message still counts as one repeated element). */
  message(field: number, inner: ProtoWriter): void {
    this.bytes(field, inner.finish());
  }

  /** A packed repeated varint field; nothing when empty. */
  packed(field: number, values: ArrayLike<number>, from = 0, to = values.length): void {
    if (to <= from) {
      return;
    }
    const inner = new ProtoWriter();
    for (let i = from; i < to; i++) {
      inner.varint(values[i]);
    }
    this.message(field, inner);
  }

  reset(): this {
    this.length = 0;
    return this;
  }

  finish(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }
}

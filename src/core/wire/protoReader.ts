/**
 * Protocol-buffer primitives: protobufjs's low-level `Reader` (protobufjs/minimal: no reflection, no code
 * generation, no `eval`), extended with what pprof needs and protobufjs only offers as `Long` objects (one allocation
 * per value): 64-bit varints decoded straight into a JS number, into exact hi/lo halves, or into a bigint.
 *
 * Encoding facts (https://protobuf.dev/programming-guides/encoding/): a varint is 1-10 bytes, 7 bits each, least
 * significant group first; an int64 is its two's-complement uint64, so every negative int64 takes 10 bytes. Wire
 * types 0 (varint), 1 (fixed64), 2 (length-delimited) and 5 (fixed32) exist in proto3; 3 and 4 (groups) are
 * rejected as google/pprof:profile/proto.go `decodeField` does ("unknown wire type").
 *
 * The helpers are methods rather than free functions on purpose: module bundlers that emit CommonJS (tsx, swc in
 * jest) turn every imported function call into a property getter call, which cost a third of decode time here.
 *
 * Methods throw {@link ProtoSyntaxError}; the pprof decoder turns it into a MalformedProfileError naming the field.
 */
import { Reader } from 'protobufjs/minimal';

export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_LEN = 2;
export const WIRE_FIXED32 = 5;

const TWO_32 = 4294967296;
const WIRE_NAMES = ['varint', 'fixed64', 'length-delimited', 'group start', 'group end', 'fixed32', '6', '7'];

export function wireTypeName(wireType: number): string {
  return WIRE_NAMES[wireType] ?? String(wireType);
}

/** A protobuf syntax error at a byte offset (truncated varint, length past the end, bad wire type). */
export class ProtoSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number
  ) {
    super(message);
    this.name = 'ProtoSyntaxError';
  }
}

export class ProtoReader extends Reader {
  /** Low 32 bits of the last varint read by {@link varint64}. */
  lo = 0;
  /** High 32 bits of the last varint read by {@link varint64}. */
  hi = 0;

  // `new ProtoReader` rather than protobufjs's `Reader.create`: the latter picks a Node Buffer subclass when one is
  // around, and the decoder must behave the same in the browser and in Node.
  constructor(bytes: Uint8Array) {
    super(bytes);
  }

  /** Reads any varint into {@link lo}/{@link hi} (exact, no allocation). */
  varint64(): void {
    const buf = this.buf;
    let pos = this.pos;
    if (this.len - pos < 10) {
      this.varint64NearEnd();
      return;
    }
    let b = buf[pos++];
    let lo = b & 0x7f;
    let hi = 0;
    if (b >= 0x80) {
      b = buf[pos++];
      lo |= (b & 0x7f) << 7;
      if (b >= 0x80) {
        b = buf[pos++];
        lo |= (b & 0x7f) << 14;
        if (b >= 0x80) {
          b = buf[pos++];
          lo |= (b & 0x7f) << 21;
          if (b >= 0x80) {
            b = buf[pos++];
            lo |= (b & 0x0f) << 28;
            hi = (b & 0x7f) >> 4;
            let shift = 3;
            while (b >= 0x80) {
              if (shift > 31) {
                throw new ProtoSyntaxError('invalid varint: longer than 10 bytes', this.pos);
              }
              b = buf[pos++];
              hi |= (b & 0x7f) << shift;
              shift += 7;
            }
          }
        }
      }
    }
    this.pos = pos;
    this.lo = lo >>> 0;
    this.hi = hi >>> 0;
  }

  /** {@link varint64} with a bounds check per byte, for the last 10 bytes of the input. */
  private varint64NearEnd(): void {
    const buf = this.buf;
    let pos = this.pos;
    let lo = 0;
    let hi = 0;
    for (let i = 0; i < 10; i++) {
      if (pos >= this.len) {
        throw new ProtoSyntaxError('truncated varint: the input ends inside a number', pos);
      }
      const b = buf[pos++];
      if (i < 4) {
        lo |= (b & 0x7f) << (7 * i);
      } else if (i === 4) {
        lo |= (b & 0x0f) << 28;
        hi |= (b & 0x7f) >> 4;
      } else {
        hi |= (b & 0x7f) << (7 * i - 32);
      }
      if (b < 0x80) {
        this.pos = pos;
        this.lo = lo >>> 0;
        this.hi = hi >>> 0;
        return;
      }
    }
    throw new ProtoSyntaxError('invalid varint: longer than 10 bytes', this.pos);
  }

  /**
   * Reads an int64 varint as a JS number: exact for |v| <= 2^53, nearest double beyond (see src/core/README.md,
   * 64-bit policy). Negative values (10-byte two's complement) come out negative, unlike decoders that read them
   * as uint64.
   */
  int64Number(): number {
    const pos = this.pos;
    if (pos < this.len) {
      // One byte: most counts, small ids and string indices.
      const b = this.buf[pos];
      if (b < 0x80) {
        this.pos = pos + 1;
        return b;
      }
    }
    this.varint64();
    const hi = this.hi;
    if (hi < 0x80000000) {
      return hi * TWO_32 + this.lo;
    }
    // Two's complement: v - 2^64 = (hi - 2^32) * 2^32 + lo. The product is exact, so the only rounding is the final
    // addition: the result is the nearest double, like Number(BigInt.asIntN(64, v)).
    return (hi - TWO_32) * TWO_32 + this.lo;
  }

  /** Reads a uint64 varint as a JS number (exact up to 2^53). */
  uint64Number(): number {
    const pos = this.pos;
    if (pos < this.len) {
      const b = this.buf[pos];
      if (b < 0x80) {
        this.pos = pos + 1;
        return b;
      }
    }
    this.varint64();
    return this.hi * TWO_32 + this.lo;
  }

  /** Reads an int64 varint exactly, as a bigint (time_nanos is about 1.7e18 > 2^53). */
  int64BigInt(): bigint {
    this.varint64();
    return BigInt.asIntN(64, (BigInt(this.hi) << BigInt(32)) | BigInt(this.lo));
  }

  /** Reads a uint64 varint exactly, as a bigint. */
  uint64BigInt(): bigint {
    this.varint64();
    return (BigInt(this.hi) << BigInt(32)) | BigInt(this.lo);
  }

  /** Reads the length prefix of a length-delimited field and checks that that many bytes remain. */
  length(): number {
    const at = this.pos;
    const length = this.uint64Number();
    if (length > this.len - this.pos) {
      throw new ProtoSyntaxError(
        `length-delimited field declares ${length} bytes but only ${this.len - this.pos} remain`,
        at
      );
    }
    return length;
  }

  /** Reads a field tag: `field << 3 | wireType`. */
  tag(): number {
    const pos = this.pos;
    const b = this.buf[pos];
    if (b < 0x80) {
      this.pos = pos + 1;
      return b;
    }
    this.varint64();
    if (this.hi !== 0) {
      throw new ProtoSyntaxError('invalid field tag: more than 32 bits', pos);
    }
    return this.lo;
  }

  /** Skips an unknown field of the given wire type. */
  skipField(wireType: number): void {
    const at = this.pos;
    switch (wireType) {
      case WIRE_VARINT:
        this.varint64();
        return;
      case WIRE_FIXED64:
      case WIRE_FIXED32: {
        const size = wireType === WIRE_FIXED64 ? 8 : 4;
        if (this.len - this.pos < size) {
          throw new ProtoSyntaxError(`truncated ${wireTypeName(wireType)} field`, at);
        }
        this.pos += size;
        return;
      }
      case WIRE_LEN: {
        const length = this.length(); // read first: `this.pos += this.length()` would add to the old position
        this.pos += length;
        return;
      }
      default:
        throw new ProtoSyntaxError(`unknown wire type ${wireType}`, at);
    }
  }
}

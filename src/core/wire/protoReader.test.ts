import fc from 'fast-check';
import { ProtoReader, ProtoSyntaxError } from './protoReader';
import { ByteWriter } from './testing/pprofEncoder';

function encode(...values: Array<number | bigint>): Uint8Array {
  const w = new ByteWriter();
  values.forEach((v) => w.varint(v));
  return w.finish();
}

describe('ProtoReader 64-bit varints', () => {
  it("reads negative int64 (10-byte two's complement) as negative numbers", () => {
    const r = new ProtoReader(encode(-1, -5, -10000000, BigInt('-9007199254740991')));
    expect(r.int64Number()).toBe(-1);
    expect(r.int64Number()).toBe(-5);
    expect(r.int64Number()).toBe(-10000000);
    expect(r.int64Number()).toBe(-9007199254740991);
    expect(r.pos).toBe(r.len);
  });

  it('reads time_nanos above 2^53 exactly as bigint, and as the nearest double as number', () => {
    const t = BigInt('1795270908160634905');
    expect(new ProtoReader(encode(t)).int64BigInt()).toBe(t);
    expect(new ProtoReader(encode(t)).int64Number()).toBe(Number(t));
    expect(new ProtoReader(encode(BigInt('18446744073709551615'))).uint64BigInt()).toBe(BigInt('18446744073709551615'));
  });

  it('agrees with BigInt arithmetic on every int64 (property), near the end of the buffer too', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(BigInt(1) << BigInt(63)), max: (BigInt(1) << BigInt(63)) - BigInt(1) }),
        fc.nat(12),
        (v, pad) => {
          const bytes = new Uint8Array([...encode(v), ...new Array(pad).fill(0)]);
          const r = new ProtoReader(bytes);
          r.varint64();
          const exact = BigInt.asIntN(64, (BigInt(r.hi) << BigInt(32)) | BigInt(r.lo));
          expect(exact).toBe(v);
          expect(new ProtoReader(bytes).int64Number()).toBe(Number(v));
        }
      )
    );
  });

  it('fails with a typed error on truncated and over-long varints', () => {
    expect(() => new ProtoReader(Uint8Array.from([0x80, 0x80])).int64Number()).toThrow(ProtoSyntaxError);
    expect(() => new ProtoReader(Uint8Array.from([0x80, 0x80])).int64Number()).toThrow(/truncated varint/);
    const eleven = new Uint8Array(16).fill(0x80);
    expect(() => new ProtoReader(eleven).int64Number()).toThrow(/longer than 10 bytes/);
    expect(() => new ProtoReader(eleven.subarray(0, 10)).int64Number()).toThrow(/truncated varint|longer than 10/);
  });

  it('checks declared lengths against the bytes left', () => {
    const r = new ProtoReader(encode(1 << 30));
    expect(() => r.length()).toThrow(/declares 1073741824 bytes but only 0 remain/);
  });

  it('skips unknown fields of wire types 0, 1, 2, 5 and rejects groups', () => {
    const r = new ProtoReader(Uint8Array.from([0x96, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, 3, 9, 9, 9, 1, 2, 3, 4]));
    r.skipField(0);
    r.skipField(1);
    r.skipField(2);
    r.skipField(5);
    expect(r.pos).toBe(r.len);
    expect(() => new ProtoReader(Uint8Array.from([0])).skipField(3)).toThrow(/unknown wire type 3/);
  });
});

import { ArraySlab, countPackedValues, F64Column, IdColumn, readPackedInt64, U32Column } from './columns';
import { ProtoReader } from './protoReader';

/** Packed varint lists of ids, one after another, as sample messages hold them. */
function packedLists(lists: number[][]): { bytes: Uint8Array; ends: number[] } {
  const bytes: number[] = [];
  const ends: number[] = [];
  for (const list of lists) {
    for (let id of list) {
      while (id >= 0x80) {
        bytes.push((id & 0x7f) | 0x80);
        id = Math.floor(id / 0x80);
      }
      bytes.push(id);
    }
    ends.push(bytes.length);
  }
  return { bytes: Uint8Array.from(bytes), ends };
}

describe('IdColumn.readPacked', () => {
  it('reads every id and grows once, to about the count the input projects, not by doubling', () => {
    // 2-byte ids, 2,000 lists of 50: 100,000 ids in 200,000 bytes, from a column sized for 1,024.
    const lists = Array.from({ length: 2000 }, (_, i) =>
      Array.from({ length: 50 }, (_, j) => 200 + ((i * 50 + j) % 700))
    );
    const { bytes, ends } = packedLists(lists);
    const column = new IdColumn(1024);
    const r = new ProtoReader(bytes);
    const capacities = new Set<number>();
    for (const end of ends) {
      column.readPacked(r, end, 1000, () => {
        throw new Error('too many');
      });
      capacities.add(column.data.length);
    }
    expect(Array.from(column.finish())).toEqual(lists.flat());
    // 1,024 then the projection (doubling would have gone through 2,048, 4,096 ... 131,072).
    expect(capacities.size).toBeLessThanOrEqual(3);
    expect(column.data.length).toBeLessThan(100_000 * 1.1);
  });
});

describe('F64Column and U32Column', () => {
  it('start empty when given no capacity, grow from 256 at the first value, and end as views of their data', () => {
    const f64 = new F64Column(0);
    const u32 = new U32Column(0);
    expect(f64.data.length).toBe(0);
    expect(u32.data.length).toBe(0);
    for (let i = 0; i < 300; i++) {
      f64.push(i / 2);
      u32.push(i);
    }
    expect(f64.data.length).toBe(512);
    expect(u32.data.length).toBe(512);
    const values = f64.finish();
    expect(Array.from(values)).toEqual(Array.from({ length: 300 }, (_, i) => i / 2));
    expect(values.buffer).toBe(f64.data.buffer);
    expect(Array.from(u32.finish())).toEqual(Array.from({ length: 300 }, (_, i) => i));
  });

  it('copy out a column whose empty tail is large, so that a big profile does not keep twice its memory', () => {
    const column = new F64Column(1 << 20);
    column.push(1);
    const values = column.finish();
    expect(Array.from(values)).toEqual([1]);
    expect(values.buffer.byteLength).toBe(8);
  });
});

describe('ArraySlab', () => {
  it('cuts aligned, disjoint arrays from one buffer, and gives an array of its own to a request that does not fit', () => {
    const slab = new ArraySlab(3 * 8 + 5 * 4 + 4 + 3);
    const f64 = slab.f64(3);
    const u32 = slab.u32(5);
    const i32 = slab.i32(1);
    const u8 = slab.u8(3);
    for (const array of [u32, i32, u8]) {
      expect(array.buffer).toBe(f64.buffer);
    }
    expect([f64.byteOffset, u32.byteOffset, i32.byteOffset, u8.byteOffset]).toEqual([0, 24, 44, 48]);
    f64.fill(-1);
    u32.fill(0xffffffff);
    i32.fill(-7);
    u8.fill(9);
    expect(Array.from(f64)).toEqual([-1, -1, -1]);
    expect(Array.from(u32)).toEqual([0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff]);
    expect(Array.from(i32)).toEqual([-7]);
    const outside = slab.u32(1);
    expect(outside.buffer).not.toBe(f64.buffer);
    expect(outside.length).toBe(1);
  });

  it('pads a wider array after a narrower one to its alignment, or gives it its own buffer when the padding does not fit', () => {
    const padded = new ArraySlab(4 + 4 + 8);
    padded.u32(1);
    expect(padded.f64(1).byteOffset).toBe(8);
    const tight = new ArraySlab(4 + 8);
    const first = tight.u32(1);
    const double = tight.f64(1);
    expect(double.buffer).not.toBe(first.buffer);
  });

  it('gives every array a buffer of its own when the slab would be large', () => {
    const slab = new ArraySlab(2 * 200_000 * 4);
    const first = slab.u32(200_000);
    const second = slab.u32(200_000);
    expect(first.buffer).not.toBe(second.buffer);
    expect(first.length + second.length).toBe(400_000);
  });
});

describe('countPackedValues', () => {
  it('counts the values a packed list yields, one more when its last varint runs past the end', () => {
    const { bytes } = packedLists([[1, 300, 70000, 2]]);
    expect(countPackedValues(bytes, 0, bytes.length)).toBe(4);
    // Cut inside 300's two bytes: 1, then 300 read whole past the cut.
    expect(countPackedValues(bytes, 0, 2)).toBe(2);
    expect(countPackedValues(bytes, 0, 0)).toBe(0);
  });

  it('lets an exactly sized column take its last lists without growing', () => {
    const lists = [[5, 6, 7], [200, 300], [70000]];
    const { bytes, ends } = packedLists(lists);
    const column = new F64Column(6);
    const r = new ProtoReader(bytes);
    for (const end of ends) {
      readPackedInt64(r, end, column, 100, () => {
        throw new Error('too many');
      });
    }
    expect(Array.from(column.finish())).toEqual(lists.flat());
    expect(column.data.length).toBe(6);
  });
});

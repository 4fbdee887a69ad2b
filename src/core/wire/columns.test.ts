import { F64Column, IdColumn, U32Column } from './columns';
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

/**
 * Which entries of a string table repeat an earlier one. pprof writers are asked to store each string once
 * (profile.proto: "All strings in the profile are in string_table"; Go's runtime/pprof and google/pprof's encoder
 * keep one index per string), but nothing enforces it, so analyses that key frames by function name cannot key
 * them by string index without this table. With it they can: interning 23k names through a JavaScript `Map` cost
 * about 17 ms on google/pprof's large.cpu, an index lookup about 2 ms.
 *
 * Equality is found from the raw bytes while the table is decoded: an FNV-1a hash of each string's bytes in an
 * open-addressing table of typed arrays, the strings compared only when their hashes meet.
 */
import { ArraySlab, ByteBudget, U32Column } from './columns';

/** FNV-1a, 32 bits (http://www.isthe.com/chongo/tech/comp/fnv/) of the string's bytes. */
const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;

export function fnv1a(buf: Uint8Array, start: number, end: number): number {
  let hash = FNV_OFFSET;
  for (let i = start; i < end; i++) {
    hash = Math.imul(hash ^ buf[i], FNV_PRIME);
  }
  return hash;
}

export class EqualStrings {
  /** For string i, the first index whose string is equal to it (i itself for a string not seen before). */
  private readonly firstEqual: U32Column;
  /** Slot -> string index + 1 (0: empty). */
  private slots: Int32Array;
  /** Hash of the string in each slot, so that probes compare strings only when the hashes are equal. */
  private slotHash: Int32Array;
  private distinct = 0;
  /** Probe steps left: linear probing is bounded to a few steps a string on average, whatever the input. */
  private probesLeft = 1024;
  /**
   * Set when crafted input made the hashes collide so often that finding equal strings would cost more than the
   * strings themselves: the table then answers nothing and analyses key frames by content instead.
   */
  gaveUp = false;

  /**
   * `expected`: how many strings will probably be added (the table grows past it if need be); `firstEqual`, when
   * given, the first buffer of the result (already charged; see {@link U32Column}).
   */
  constructor(
    private readonly strings: readonly string[],
    private readonly budget: ByteBudget,
    expected = 0,
    firstEqual?: Uint32Array
  ) {
    this.firstEqual = firstEqual
      ? new U32Column(0, budget, firstEqual)
      : new U32Column(Math.max(256, expected), budget);
    // At most half full with as many distinct strings as expected; both arrays in one buffer (see ArraySlab).
    const size = 2 ** Math.ceil(Math.log2(Math.max(64, expected * 2 + 2)));
    budget.charge(size * 8);
    const slab = new ArraySlab(size * 8);
    this.slots = slab.i32(size);
    this.slotHash = slab.i32(size);
  }

  /** Records string `index` (already in `strings`), whose bytes hash to `hash` ({@link fnv1a}). */
  add(index: number, hash: number): void {
    if (this.gaveUp) {
      return;
    }
    const strings = this.strings;
    const mask = this.slots.length - 1;
    let slot = hash & mask;
    let probesLeft = this.probesLeft + 8;
    for (;;) {
      const held = this.slots[slot];
      if (held === 0) {
        break;
      }
      if (this.slotHash[slot] === hash && strings[held - 1] === strings[index]) {
        this.firstEqual.push(held - 1);
        this.probesLeft = probesLeft;
        return;
      }
      if (--probesLeft === 0) {
        this.gaveUp = true;
        return;
      }
      slot = (slot + 1) & mask;
    }
    this.probesLeft = probesLeft;
    this.slots[slot] = index + 1;
    this.slotHash[slot] = hash;
    this.firstEqual.push(index);
    if (++this.distinct * 2 > this.slots.length) {
      this.grow();
    }
  }

  /** The table for every string added, or undefined when it {@link gaveUp}. */
  finish(): Uint32Array | undefined {
    return this.gaveUp ? undefined : this.firstEqual.finish();
  }

  private grow(): void {
    const size = this.slots.length * 2;
    this.budget.charge(size * 8);
    const slots = new Int32Array(size);
    const slotHash = new Int32Array(size);
    const mask = size - 1;
    for (let old = 0; old < this.slots.length; old++) {
      const held = this.slots[old];
      if (held !== 0) {
        let slot = this.slotHash[old] & mask;
        while (slots[slot] !== 0) {
          slot = (slot + 1) & mask;
        }
        slots[slot] = held;
        slotHash[slot] = this.slotHash[old];
      }
    }
    this.slots = slots;
    this.slotHash = slotHash;
  }
}

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
import { ByteBudget, U32Column } from './columns';

export class EqualStrings {
  /** For string i, the first index whose string is equal to it (i itself for a string not seen before). */
  readonly firstEqual: U32Column;
  /** Slot -> string index + 1 (0: empty). */
  private slots: Int32Array;
  /** Hash of the string in each slot, so that probes compare strings only when the hashes are equal. */
  private slotHash: Int32Array;
  private distinct = 0;

  constructor(
    private readonly strings: readonly string[],
    private readonly budget: ByteBudget
  ) {
    this.firstEqual = new U32Column(256, budget);
    budget.charge(1024 * 8);
    this.slots = new Int32Array(1024);
    this.slotHash = new Int32Array(1024);
  }

  /** Records string `index` (already in `strings`), whose UTF-8 bytes are `buf[start .. end)`. */
  add(index: number, buf: Uint8Array, start: number, end: number): void {
    let hash = 0x811c9dc5 | 0;
    for (let i = start; i < end; i++) {
      hash = Math.imul(hash ^ buf[i], 0x01000193);
    }
    const strings = this.strings;
    const mask = this.slots.length - 1;
    let slot = hash & mask;
    for (;;) {
      const held = this.slots[slot];
      if (held === 0) {
        break;
      }
      if (this.slotHash[slot] === hash && strings[held - 1] === strings[index]) {
        this.firstEqual.push(held - 1);
        return;
      }
      slot = (slot + 1) & mask;
    }
    this.slots[slot] = index + 1;
    this.slotHash[slot] = hash;
    this.firstEqual.push(index);
    if (++this.distinct * 2 > this.slots.length) {
      this.grow();
    }
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

/**
 * Stacks in the order a flame graph lays them out. Each stack is a sequence of frame ids read from the root (from
 * the leaf for the inverted tree); sequences are sorted by their frames' labels, position by position (UTF-16 `<`,
 * as siblingOrder.ts orders siblings), a sequence before every longer one it is a prefix of. With the number of
 * frames each sequence shares with the one before it, a walk over the sorted sequences creates the call tree's nodes
 * directly in the depth-first pre-order of the flame graph's rows (see callTree.ts and nestedSet.ts), with no
 * child lookup per frame and no reordering afterwards.
 *
 * The sort is an MSD radix sort: a group of sequences that share their first `depth` frames is split by the frame
 * at `depth`. Only the group's distinct frame ids are sorted by label (sibling labels are compared once per group,
 * as the sibling sort of a built tree compares them), then the sequences are bucketed by frame id, stably. A group
 * whose sequences all have the same frame at `depth` only moves on to the next depth, so the whole sort reads each
 * frame of each sequence at most once.
 */
import { ArraySlab } from '../wire/columns';
import { sortIdsByLabel } from './siblingOrder';

export interface StackOrder {
  /** Sequence numbers in sorted order. */
  order: Uint32Array;
  /** `shared[i]`: how many leading frames sequence `order[i]` has in common with `order[i - 1]` (0 for i = 0). */
  shared: Uint32Array;
}

/**
 * Sorts the sequences `seq[seqStart[s] .. seqStart[s + 1])` (frame ids into `labels`). Equal sequences keep their
 * relative order, so do equal labels of distinct ids (by first appearance): the order of a tree built sample by sample.
 */
export function sortFrameSequences(seq: Uint32Array, seqStart: Uint32Array, labels: readonly string[]): StackOrder {
  const count = seqStart.length - 1;
  // The result in one buffer and the scratch arrays in another (see ArraySlab): the tree builder keeps the first
  // while it runs, the second is garbage at the return.
  const result = new ArraySlab(count * 8);
  const order = result.u32(count);
  for (let s = 0; s < count; s++) {
    order[s] = s;
  }
  const shared = result.u32(count);
  if (count < 2) {
    return { order, shared };
  }
  // Per frame id: the group it was last seen in (`seenIn`) and its bucket there. A group number per split instead
  // of clearing the table after each group.
  const bucketCapacity = Math.min(count, labels.length);
  const scratch = new ArraySlab((labels.length * 2 + bucketCapacity * 3 + count) * 4);
  const seenIn = scratch.u32(labels.length);
  const bucketOf = scratch.u32(labels.length);
  let group = 0;
  // Per bucket of the group being split: its frame id, then where its sequences go.
  const bucketKey = scratch.u32(bucketCapacity);
  const bucketSize = scratch.u32(bucketCapacity);
  const bucketNext = scratch.u32(bucketCapacity);
  const moved = scratch.u32(count);
  // Groups still to split: [from, to, depth] triples (an explicit stack: stacks can be thousands of frames deep).
  const pending: number[] = [0, count, 0];
  while (pending.length > 0) {
    let depth = pending.pop()!;
    const to = pending.pop()!;
    const from = pending.pop()!;
    if (to - from === 2) {
      // Two sequences (most groups below the first levels): their common prefix, then one label comparison.
      sortPair(seq, seqStart, labels, order, shared, from, depth);
      continue;
    }
    let buckets = 0;
    let ended = 0;
    for (;;) {
      group++;
      buckets = 0;
      ended = 0;
      for (let i = from; i < to; i++) {
        const s = order[i];
        const at = seqStart[s] + depth;
        if (at >= seqStart[s + 1]) {
          ended++;
          continue;
        }
        const key = seq[at];
        if (seenIn[key] !== group) {
          seenIn[key] = group;
          bucketOf[key] = buckets;
          bucketKey[buckets] = key;
          bucketSize[buckets] = 0;
          buckets++;
        }
        bucketSize[bucketOf[key]]++;
      }
      if (buckets !== 1 || ended !== 0) {
        break;
      }
      // Every sequence of the group has the same frame here: one node, shared by all of them.
      depth++;
    }
    // Sequences that end at `depth` are equal (they share all their frames) and come first.
    for (let i = from + 1; i < from + ended; i++) {
      shared[i] = depth;
    }
    if (buckets === 0) {
      continue;
    }
    const keys = bucketKey.subarray(0, buckets);
    if (buckets > 1) {
      sortIdsByLabel(keys, labels);
    }
    let next = from + ended;
    for (let b = 0; b < buckets; b++) {
      const key = keys[b];
      const size = bucketSize[bucketOf[key]];
      bucketOf[key] = b;
      bucketNext[b] = next;
      if (next > from) {
        shared[next] = depth;
      }
      if (size > 1) {
        pending.push(next, next + size, depth + 1);
      }
      next += size;
    }
    let endedAt = from;
    for (let i = from; i < to; i++) {
      const s = order[i];
      const at = seqStart[s] + depth;
      moved[at >= seqStart[s + 1] ? endedAt++ : bucketNext[bucketOf[seq[at]]]++] = s;
    }
    order.set(moved.subarray(from, to), from);
  }
  return { order, shared };
}

/**
 * Orders `order[from]` and `order[from + 1]`, which share their first `depth` frames, and sets the frames the second
 * shares with the first. Equal labels of distinct ids keep the current order, as in the bucket sort.
 */
function sortPair(
  seq: Uint32Array,
  seqStart: Uint32Array,
  labels: readonly string[],
  order: Uint32Array,
  shared: Uint32Array,
  from: number,
  depth: number
): void {
  const a = order[from];
  const b = order[from + 1];
  const aStart = seqStart[a];
  const bStart = seqStart[b];
  const aLength = seqStart[a + 1] - aStart;
  const bLength = seqStart[b + 1] - bStart;
  let d = depth;
  while (d < aLength && d < bLength && seq[aStart + d] === seq[bStart + d]) {
    d++;
  }
  shared[from + 1] = d;
  let swap: boolean;
  if (d === aLength || d === bLength) {
    swap = bLength < aLength; // a prefix first; equal sequences keep their order
  } else {
    swap = labels[seq[bStart + d]] < labels[seq[aStart + d]];
  }
  if (swap) {
    order[from] = b;
    order[from + 1] = a;
  }
}

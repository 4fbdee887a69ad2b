/**
 * The call tree of a profile for one sample type: nodes are call paths from a single root (`total`), keyed by
 * frame name (function, or address when unsymbolized), with cumulative (`total`) and `self` values.
 *
 * Top-down (default), a sample adds its value to every node on its path root -> leaf and to the leaf's `self`.
 * Inverted (bottom-up, "callers" view), paths go leaf -> root: the root's children are the functions where time
 * was spent, each with their callers below them. Both satisfy total(node) = self(node) + sum(total(children)) and
 * total(root) = the sum of the selected samples' values, which is what a flame graph needs.
 *
 * Storage is column-wise (typed arrays by node number); node 0 is the root, and every node's parent has a smaller
 * number, so a single backwards pass can aggregate bottom-up.
 */
import { Profile, ValueType } from '../model/profile';
import { ArraySlab } from '../wire/columns';
import { frameIndex } from './frames';
import { SampleSelection, selectSamples } from './selection';
import { sortFrameSequences } from './stackOrder';

export const ROOT_LABEL = 'total';
export const OTHER_LABEL = 'other';

export interface CallTree {
  /** Label per name id. The root's name is {@link ROOT_LABEL}; pruned remainders are {@link OTHER_LABEL}. */
  names: readonly string[];
  count: number;
  parent: Int32Array;
  name: Uint32Array;
  total: Float64Array;
  self: Float64Array;
  /** Only on diff trees: the comparison side. `total`/`self` are then the baseline side. */
  totalRight?: Float64Array;
  selfRight?: Float64Array;
  /** Only on pruned trees: for an `other` node, how many nodes were folded into it (0 elsewhere). */
  folded?: Uint32Array;
  sampleType: ValueType;
  inverted: boolean;
  /** Number of samples that contributed. */
  sampleCount: number;
  /**
   * `preOrderByName`: node numbers are the flame graph's rows, depth-first pre-order with siblings by label, the
   * layout `toNestedSet`'s `name` order produces; a tree derived from another (pruned, merged) must not copy it.
   */
  layout?: 'preOrderByName';
}

export interface CallTreeOptions extends SampleSelection {
  /** Build the bottom-up (callers) tree instead of the top-down one. */
  inverted?: boolean;
}

/**
 * Growable node columns with child lookup by (parent, name), for trees built path by path (diffs, goroutine stacks,
 * trace regions; a profile's tree is built from sorted stacks, see {@link buildCallTree}). The lookup runs once per
 * frame of every path (millions of times on large inputs), so it avoids `Map` (boxed numeric keys were the bottleneck) and random
 * memory access where it can:
 * - most nodes of real call trees have a single child (CPU stacks are long chains), so each node first records
 *   its first child and a lookup compares against it, touching memory next to the parent;
 * - only a node that gets a second child is moved to an open-addressing hash table on typed arrays, whose slots are
 *   [parent, name, node] triples so that a probe touches one cache line.
 */
export class CallTreeBuilder {
  count = 1;
  parent: Int32Array;
  name: Uint32Array;
  total: Float64Array;
  self: Float64Array;
  /** First child of each node (0: none; node 0, the root, is never a child). */
  private firstChild: Int32Array;
  /** 1 when all of a node's children are in the hash table. */
  private hashed: Uint8Array;
  private slots: Int32Array;
  private mask: number;

  constructor(rootName: number, capacity = 1024) {
    this.parent = new Int32Array(capacity);
    this.name = new Uint32Array(capacity);
    this.total = new Float64Array(capacity);
    this.self = new Float64Array(capacity);
    this.firstChild = new Int32Array(capacity);
    this.hashed = new Uint8Array(capacity);
    this.parent[0] = -1;
    this.name[0] = rootName;
    const slots = 1 << Math.ceil(Math.log2(Math.max(64, capacity >> 1)));
    this.slots = new Int32Array(slots * 3);
    this.mask = slots - 1;
  }

  /** Makes room for `extra` more nodes, so that `child` never reallocates the columns during a path walk. */
  reserve(extra: number): void {
    const need = this.count + extra;
    if (need > this.parent.length) {
      const n = Math.max(need, this.parent.length * 2);
      const grow = <T extends Int32Array | Uint32Array | Float64Array | Uint8Array>(a: T, b: T): T => {
        b.set(a);
        return b;
      };
      this.parent = grow(this.parent, new Int32Array(n));
      this.name = grow(this.name, new Uint32Array(n));
      this.total = grow(this.total, new Float64Array(n));
      this.self = grow(this.self, new Float64Array(n));
      this.firstChild = grow(this.firstChild, new Int32Array(n));
      this.hashed = grow(this.hashed, new Uint8Array(n));
    }
    // Keep the table at most half full even if every frame of the walk inserts twice (a first child moving into
    // the table, then the new node).
    if ((this.hashedNodes + 2 * extra) * 2 > this.mask + 1) {
      this.rehash(1 << Math.ceil(Math.log2((this.hashedNodes + 2 * extra) * 4)));
    }
  }

  /** Nodes stored in the hash table. */
  private hashedNodes = 0;

  private rehash(slotCount: number): void {
    const slots = new Int32Array(slotCount * 3);
    const mask = slotCount - 1;
    for (let node = 1; node < this.count; node++) {
      const parent = this.parent[node];
      if (this.hashed[parent]) {
        const name = this.name[node];
        let h = (Math.imul(parent, 0x9e3779b1) ^ Math.imul(name + 1, 0x85ebca77)) & mask;
        while (slots[h * 3 + 2] !== 0) {
          h = (h + 1) & mask;
        }
        slots[h * 3] = parent;
        slots[h * 3 + 1] = name;
        slots[h * 3 + 2] = node;
      }
    }
    this.slots = slots;
    this.mask = mask;
  }

  private newNode(parent: number, name: number): number {
    const node = this.count++;
    this.parent[node] = parent;
    this.name[node] = name;
    return node;
  }

  /** Looks (parent, name) up in the hash table; inserts `create` (or a new node when -1) when absent. */
  private probe(parent: number, name: number, create: number): number {
    const mask = this.mask;
    const slots = this.slots;
    let h = (Math.imul(parent, 0x9e3779b1) ^ Math.imul(name + 1, 0x85ebca77)) & mask;
    for (;;) {
      const at = h * 3;
      const node = slots[at + 2];
      if (node === 0) {
        const created = create >= 0 ? create : this.newNode(parent, name);
        slots[at] = parent;
        slots[at + 1] = name;
        slots[at + 2] = created;
        this.hashedNodes++;
        return created;
      }
      if (slots[at] === parent && slots[at + 1] === name) {
        return node;
      }
      h = (h + 1) & mask;
    }
  }

  /** The child of `parent` named `name`, created when missing. Call {@link reserve} first. */
  child(parent: number, name: number): number {
    const first = this.firstChild[parent];
    if (first === 0) {
      const node = this.newNode(parent, name);
      this.firstChild[parent] = node;
      return node;
    }
    if (this.name[first] === name) {
      return first;
    }
    if (this.hashed[parent] === 0) {
      this.hashed[parent] = 1;
      this.probe(parent, this.name[first], first);
    }
    return this.probe(parent, name, -1);
  }

  columns(): Pick<CallTree, 'count' | 'parent' | 'name' | 'total' | 'self'> {
    const n = this.count;
    // Views when little capacity is wasted (no copy of a million-node tree), trimmed copies otherwise.
    const fit = <T extends Int32Array | Uint32Array | Float64Array>(a: T): T =>
      (n * 3 >= a.length * 2 ? a.subarray(0, n) : a.slice(0, n)) as T;
    return { count: n, parent: fit(this.parent), name: fit(this.name), total: fit(this.total), self: fit(this.self) };
  }
}

/**
 * The call tree of the selected samples, its nodes numbered in the flame graph's depth-first pre-order with siblings
 * by label (see {@link CallTree.layout}): the samples' frame sequences are sorted (stackOrder.ts), and each sorted
 * sequence creates nodes only for the frames it does not share with the one before it. Node creation and the
 * subtree totals are then sequential passes over the columns; a tree built by child lookup per frame (as
 * {@link CallTreeBuilder} does) numbers nodes in creation order, and the flame frame had to reorder them.
 */
export function buildCallTree(profile: Profile, options: CallTreeOptions = {}): CallTree {
  const index = frameIndex(profile);
  const selection = selectSamples(profile, options);
  const names = [...index.names, ROOT_LABEL];
  const { stackStart, stack, values } = profile.samples;
  const { frameStart, frames } = index;
  const selected = selection.samples;
  const inverted = options.inverted === true;
  // Each selected sample's frames, root first (leaf first when inverted): profile.proto lists a stack leaf first.
  // A stack has at least as many frames as locations, more only with inlined calls, so the column starts at the
  // locations' count (with room for some inlining when the profile has any) and grows in the rare case it must.
  let locationCount = 0;
  for (let i = 0; i < selected.length; i++) {
    locationCount += stackStart[selected[i] + 1] - stackStart[selected[i]];
  }
  const seqLength = index.maxFramesPerLocation > 1 ? locationCount + (locationCount >> 2) : locationCount;
  // Scratch arrays in one buffer, and the tree's columns in another (see ArraySlab).
  const scratch = new ArraySlab((selected.length + 1 + seqLength) * 4);
  const seqStart = scratch.u32(selected.length + 1);
  let seq = scratch.u32(seqLength);
  const maxFrames = index.maxFramesPerLocation;
  let at = 0;
  for (let i = 0; i < selected.length; i++) {
    seqStart[i] = at;
    const sample = selected[i];
    const first = stackStart[sample];
    const last = stackStart[sample + 1];
    if (at + (last - first) * maxFrames > seq.length) {
      const grown = new Uint32Array(Math.max(at + (last - first) * maxFrames, seq.length + (seq.length >> 1)));
      grown.set(seq.subarray(0, at));
      seq = grown;
    }
    if (inverted) {
      for (let k = first; k < last; k++) {
        const loc = stack[k];
        for (let f = frameStart[loc + 1] - 1; f >= frameStart[loc]; f--) {
          seq[at++] = frames[f];
        }
      }
    } else {
      for (let k = last - 1; k >= first; k--) {
        const loc = stack[k];
        for (let f = frameStart[loc]; f < frameStart[loc + 1]; f++) {
          seq[at++] = frames[f];
        }
      }
    }
  }
  seqStart[selected.length] = at;
  const { order, shared } = sortFrameSequences(seq, seqStart, index.names);
  // One node per frame a sequence does not share with the previous one, plus the root.
  let count = 1;
  let deepest = 0;
  for (let j = 0; j < order.length; j++) {
    const length = seqStart[order[j] + 1] - seqStart[order[j]];
    count += length - shared[j];
    deepest = Math.max(deepest, length);
  }
  const columns = new ArraySlab(count * 24);
  const total = columns.f64(count);
  const self = columns.f64(count);
  const parent = columns.i32(count);
  const name = columns.u32(count);
  parent[0] = -1;
  name[0] = names.length - 1;
  // pathNode[d]: the node of the current sequence's frame at depth d.
  const pathNode = new Int32Array(deepest);
  const stride = profile.sampleTypes.length;
  const typeIndex = selection.typeIndex;
  let node = 1;
  for (let j = 0; j < order.length; j++) {
    const s = order[j];
    const from = seqStart[s];
    const length = seqStart[s + 1] - from;
    let up = shared[j] > 0 ? pathNode[shared[j] - 1] : 0;
    for (let d = shared[j]; d < length; d++) {
      parent[node] = up;
      name[node] = seq[from + d];
      pathNode[d] = node;
      up = node++;
    }
    self[length > 0 ? pathNode[length - 1] : 0] += values[selected[s] * stride + typeIndex];
  }
  // Pre-order numbers every parent before its children: one backwards pass adds each subtree into its parent.
  total.set(self);
  for (let i = count - 1; i > 0; i--) {
    total[parent[i]] += total[i];
  }
  return {
    names,
    count,
    parent,
    name,
    total,
    self,
    sampleType: selection.sampleType,
    inverted,
    sampleCount: selected.length,
    layout: 'preOrderByName',
  };
}

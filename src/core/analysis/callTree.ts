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
import { frameIndex } from './frames';
import { SampleSelection, selectSamples } from './selection';

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
}

export interface CallTreeOptions extends SampleSelection {
  /** Build the bottom-up (callers) tree instead of the top-down one. */
  inverted?: boolean;
}

/** Growable node columns with child lookup by (parent, name). */
export class CallTreeBuilder {
  count = 1;
  parent: Int32Array;
  name: Uint32Array;
  total: Float64Array;
  self: Float64Array;
  private readonly children = new Map<number, number>();

  constructor(
    private readonly nameCount: number,
    rootName: number,
    capacity = 1024
  ) {
    this.parent = new Int32Array(capacity);
    this.name = new Uint32Array(capacity);
    this.total = new Float64Array(capacity);
    this.self = new Float64Array(capacity);
    this.parent[0] = -1;
    this.name[0] = rootName;
  }

  /** The child of `parent` named `name`, created when missing. */
  child(parent: number, name: number): number {
    const key = parent * this.nameCount + name;
    let node = this.children.get(key);
    if (node === undefined) {
      node = this.count++;
      if (node === this.parent.length) {
        this.grow();
      }
      this.parent[node] = parent;
      this.name[node] = name;
      this.children.set(key, node);
    }
    return node;
  }

  private grow(): void {
    const n = this.parent.length * 2;
    const grow = <T extends Int32Array | Uint32Array | Float64Array>(a: T, make: (n: number) => T): T => {
      const b = make(n);
      b.set(a);
      return b;
    };
    this.parent = grow(this.parent, (k) => new Int32Array(k));
    this.name = grow(this.name, (k) => new Uint32Array(k));
    this.total = grow(this.total, (k) => new Float64Array(k));
    this.self = grow(this.self, (k) => new Float64Array(k));
  }

  columns(): Pick<CallTree, 'count' | 'parent' | 'name' | 'total' | 'self'> {
    const n = this.count;
    return {
      count: n,
      parent: this.parent.slice(0, n),
      name: this.name.slice(0, n),
      total: this.total.slice(0, n),
      self: this.self.slice(0, n),
    };
  }
}

export function buildCallTree(profile: Profile, options: CallTreeOptions = {}): CallTree {
  const index = frameIndex(profile);
  const selection = selectSamples(profile, options);
  const names = [...index.names, ROOT_LABEL];
  const builder = new CallTreeBuilder(names.length, names.length - 1);
  const { stackStart, stack, values } = profile.samples;
  const { frameStart, frames } = index;
  const stride = profile.sampleTypes.length;
  const typeIndex = selection.typeIndex;
  let rootTotal = 0;
  const path: number[] = [];
  for (const sample of selection.samples) {
    const value = values[sample * stride + typeIndex];
    rootTotal += value;
    let node = 0;
    if (options.inverted) {
      for (let k = stackStart[sample]; k < stackStart[sample + 1]; k++) {
        const loc = stack[k];
        for (let f = frameStart[loc + 1] - 1; f >= frameStart[loc]; f--) {
          node = builder.child(node, frames[f]);
          path.push(node);
        }
      }
    } else {
      for (let k = stackStart[sample + 1] - 1; k >= stackStart[sample]; k--) {
        const loc = stack[k];
        for (let f = frameStart[loc]; f < frameStart[loc + 1]; f++) {
          node = builder.child(node, frames[f]);
          path.push(node);
        }
      }
    }
    // The builder may have grown its arrays; add values after the walk.
    for (const p of path) {
      builder.total[p] += value;
    }
    builder.self[node] += value;
    path.length = 0;
  }
  builder.total[0] = rootTotal;
  return {
    names,
    ...builder.columns(),
    sampleType: selection.sampleType,
    inverted: options.inverted === true,
    sampleCount: selection.samples.length,
  };
}

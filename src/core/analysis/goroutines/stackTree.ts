/**
 * The call tree of a goroutine snapshot: every goroutine (or every record's count, for aggregated sources) is one
 * sample of value 1 on its stack, which is what `go tool pprof` draws for a goroutine profile. A dump in text form
 * (debug=2, crash output) thus gets the same flame graph as the proto goroutine profile of the same moment.
 *
 * Frames are function names, as in the pprof call tree (callTree.ts), so the two can be compared and diffed.
 */
import type { GoroutineSnapshot } from '../../model/goroutineSnapshot';
import { CallTreeBuilder, ROOT_LABEL, type CallTree } from '../callTree';

export interface StackTreeOptions {
  /** Bottom-up: the functions goroutines wait in at the top, their callers below. */
  inverted?: boolean;
}

export function goroutineCallTree(snapshot: GoroutineSnapshot, options: StackTreeOptions = {}): CallTree {
  const names: string[] = [];
  const nameIds = new Map<string, number>();
  const nameId = (name: string) => {
    let id = nameIds.get(name);
    if (id === undefined) {
      id = names.length;
      nameIds.set(name, id);
      names.push(name);
    }
    return id;
  };
  // The root's name goes after every frame name, as in buildCallTree.
  const stacks = snapshot.records.map((r) => r.frames.map((f) => nameId(f.func)));
  const rootId = names.length;
  names.push(ROOT_LABEL);
  const builder = new CallTreeBuilder(rootId, Math.max(1024, snapshot.records.length * 2));
  const inverted = options.inverted === true;
  let rootTotal = 0;
  snapshot.records.forEach((record, i) => {
    const stack = stacks[i];
    const value = record.count;
    rootTotal += value;
    builder.reserve(stack.length);
    let node = 0;
    // Records hold frames leaf first: top-down walks them backwards.
    for (let k = 0; k < stack.length; k++) {
      node = builder.child(node, stack[inverted ? k : stack.length - 1 - k]);
      builder.total[node] += value;
    }
    builder.self[node] += value;
  });
  builder.total[0] = rootTotal;
  return {
    names,
    ...builder.columns(),
    sampleType: { type: 'goroutine', unit: 'count' },
    inverted,
    sampleCount: snapshot.records.length,
  };
}

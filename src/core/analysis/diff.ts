/**
 * Diff of two profiles of the same type (baseline vs comparison), as one call tree aligned by call path: every
 * path present on either side is a node; `total`/`self` hold the baseline and `totalRight`/`selfRight` the
 * comparison, which is the shape Grafana's diff flame graph takes (nestedSet.ts).
 *
 * Normalisation: when both profiles have a duration (CPU profiles, delta profiles), the baseline is scaled by
 * comparison duration / baseline duration, so a 10 s baseline and a 30 s spike compare as rates. Without both
 * durations the values are compared as they are (e.g. two heap snapshots).
 */
import { Profile } from '../model/profile';
import { buildCallTree, CallTree, CallTreeBuilder, CallTreeOptions, ROOT_LABEL } from './callTree';
import { AnalysisOptionError, resolveSampleType } from './selection';

export interface DiffOptions extends CallTreeOptions {
  /** Scale the baseline to the comparison's duration when both have one (default true). */
  normalize?: boolean;
}

export interface ProfileDiff {
  tree: CallTree;
  /** Factor applied to the baseline values (1 when not normalised). */
  baselineScale: number;
  baselineTotal: number;
  comparisonTotal: number;
}

export function diffProfiles(baseline: Profile, comparison: Profile, options: DiffOptions = {}): ProfileDiff {
  const baseType = baseline.sampleTypes[resolveSampleType(baseline, options.sampleType)];
  const compIndex = comparison.sampleTypes.findIndex((st) => st.type === baseType.type && st.unit === baseType.unit);
  if (compIndex < 0) {
    throw new AnalysisOptionError(
      `cannot compare profiles of different types: the comparison has no ${baseType.type}/${baseType.unit} samples`
    );
  }
  const left = buildCallTree(baseline, { ...options, sampleType: baseType.type });
  const right = buildCallTree(comparison, { ...options, sampleType: compIndex });
  const scale =
    options.normalize !== false && baseline.durationNanos > 0 && comparison.durationNanos > 0
      ? comparison.durationNanos / baseline.durationNanos
      : 1;
  return {
    tree: alignTrees(left, right, scale),
    baselineScale: scale,
    baselineTotal: left.total[0] * scale,
    comparisonTotal: right.total[0],
  };
}

/** Union of two trees by path (names compared as strings, since each tree has its own name table). */
export function alignTrees(left: CallTree, right: CallTree, leftScale = 1): CallTree {
  const names: string[] = [];
  const nameIds = new Map<string, number>();
  const intern = (label: string): number => {
    let id = nameIds.get(label);
    if (id === undefined) {
      id = names.length;
      nameIds.set(label, id);
      names.push(label);
    }
    return id;
  };
  const rootName = intern(ROOT_LABEL);
  const builder = new CallTreeBuilder(rootName, left.count + right.count);
  const map = (tree: CallTree): Int32Array => {
    builder.reserve(tree.count);
    const target = new Int32Array(tree.count);
    for (let i = 1; i < tree.count; i++) {
      target[i] = builder.child(target[tree.parent[i]], intern(tree.names[tree.name[i]]));
    }
    return target;
  };
  const leftTarget = map(left);
  const rightTarget = map(right);
  const n = builder.count;
  const { parent, name } = builder.columns();
  const total = new Float64Array(n);
  const self = new Float64Array(n);
  const totalRight = new Float64Array(n);
  const selfRight = new Float64Array(n);
  for (let i = 0; i < left.count; i++) {
    total[leftTarget[i]] += left.total[i] * leftScale;
    self[leftTarget[i]] += left.self[i] * leftScale;
  }
  for (let i = 0; i < right.count; i++) {
    totalRight[rightTarget[i]] += right.total[i];
    selfRight[rightTarget[i]] += right.self[i];
  }
  return {
    names,
    count: n,
    parent,
    name,
    total,
    self,
    totalRight,
    selfRight,
    sampleType: right.sampleType,
    inverted: left.inverted,
    sampleCount: left.sampleCount + right.sampleCount,
  };
}

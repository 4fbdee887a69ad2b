/**
 * What the panel does to a flame frame before @grafana/flamegraph draws it: prune to the panel's node budget and
 * order siblings heaviest-first ("left-heavy"), both with the analysis core (pruneCallTree keeps every total exact
 * and folds the rest into `other` nodes; toNestedSet's `value` order is the left-heavy layout). A frame within
 * budget and in its source's order passes through untouched, so the common case costs nothing.
 */
import type { DataFrame } from '@grafana/data';

import { fromNestedSet, OTHER_LABEL, pruneCallTree, toNestedSet } from '../../core';
import { type FlameColumns, flameFrameOptions, fromFlameFrame, toFlameFrame } from '../../frames';

export interface FlameTransformOptions {
  /** Node budget; 0 = unlimited. */
  maxNodes: number;
  leftHeavy: boolean;
}

export interface FlameTransformResult {
  frame: DataFrame;
  columns: FlameColumns;
  /** Set when this panel pruned the frame: nodes before and after. */
  prunedHere?: { from: number; to: number };
}

export function transformFlame(frame: DataFrame, options: FlameTransformOptions): FlameTransformResult {
  const columns = fromFlameFrame(frame);
  const n = columns.levels.length;
  const prune = options.maxNodes > 0 && n > options.maxNodes;
  if (!prune && !options.leftHeavy) {
    return { frame, columns };
  }
  let tree = fromNestedSet(columns);
  if (prune) {
    tree = pruneCallTree(tree, options.maxNodes);
  }
  const out: FlameColumns = toNestedSet(tree, { order: options.leftHeavy ? 'value' : 'name' });
  return {
    frame: flameFrameLike(out, frame),
    columns: out,
    prunedHere: prune ? { from: n, to: tree.count } : undefined,
  };
}

/** Columns back to a frame with the original's unit, refId and meta (header facts, notices). */
export function flameFrameLike(columns: FlameColumns, like: DataFrame): DataFrame {
  return toFlameFrame(columns, flameFrameOptions(like));
}

export interface PruningSummary {
  /** `other` nodes in the frame as drawn. */
  otherNodes: number;
  /** Their combined value (both sides on a diff) and its share of the root. */
  otherValue: number;
  otherShare: number;
  /** Call paths before pruning (data source or panel) and nodes after, when known. */
  prunedFrom?: number;
  nodes: number;
}

/**
 * Facts for the "other" explanation: how much of the profile sits in pruned remainders. Nested `other` nodes are
 * counted once (an `other` inside another `other` cannot exist: pruning folds whole subtrees).
 */
export function summarizePruning(columns: FlameColumns, prunedFrom?: number): PruningSummary | undefined {
  const n = columns.levels.length;
  let otherNodes = 0;
  let otherValue = 0;
  const right = columns.valuesRight;
  const isOther = columns.names.map((name) => name === OTHER_LABEL);
  for (let i = 0; i < n; i++) {
    if (isOther[columns.labelIds[i]]) {
      otherNodes++;
      otherValue += columns.values[i] + (right ? right[i] : 0);
    }
  }
  if (otherNodes === 0 && !(prunedFrom && prunedFrom > n)) {
    return undefined;
  }
  const root = n > 0 ? columns.values[0] + (right ? right[0] : 0) : 0;
  return {
    otherNodes,
    otherValue,
    otherShare: root > 0 ? otherValue / root : 0,
    prunedFrom: prunedFrom && prunedFrom > n ? prunedFrom : undefined,
    nodes: n,
  };
}

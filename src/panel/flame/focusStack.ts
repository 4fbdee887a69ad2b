/**
 * "Show me this stack": a finding's evidence names stacks (leaf first, at most 16 frames, so the root side may be
 * cut off). @grafana/flamegraph has no prop to focus a node from outside, so the panel hands it a focused frame
 * instead: the path from the root down to the stack's outermost frame (each ancestor as wide as that frame, like
 * Grafana's own "Focus block"), then that frame's whole subtree.
 */
import type { FlameColumns } from '../../frames';

export interface StackMatch {
  /** Row of the outermost evidence frame that was found. */
  row: number;
  /** How many of the evidence frames, from the outermost one down, the flame graph has on one path. */
  matched: number;
  /** Rows labelled like the outermost frame (call paths it appears on). */
  candidates: number;
}

/** End (exclusive) of row `r`'s subtree. */
export function subtreeEnd(levels: ArrayLike<number>, r: number): number {
  let end = r + 1;
  while (end < levels.length && levels[end] > levels[r]) {
    end++;
  }
  return end;
}

/** The child of `r` labelled `label`, or -1. */
function childLabelled(columns: FlameColumns, r: number, label: string): number {
  const { levels, labelIds, names } = columns;
  const depth = levels[r] + 1;
  for (let i = r + 1; i < levels.length && levels[i] >= depth; i++) {
    if (levels[i] === depth && names[labelIds[i]] === label) {
      return i;
    }
  }
  return -1;
}

/** Finds the best place of a leaf-first stack: the longest run down from its outermost frame, then the heaviest. */
export function matchStack(columns: FlameColumns, stackLeafFirst: readonly string[]): StackMatch | undefined {
  const outermostFirst = [...stackLeafFirst].reverse();
  if (outermostFirst.length === 0) {
    return undefined;
  }
  // The outermost frame may itself be missing (pruned away, or above the cut): try the next one down.
  for (let start = 0; start < outermostFirst.length; start++) {
    const top = outermostFirst[start];
    let best: StackMatch | undefined;
    let bestValue = -1;
    let candidates = 0;
    for (let r = 1; r < columns.labelIds.length; r++) {
      if (columns.names[columns.labelIds[r]] !== top) {
        continue;
      }
      candidates++;
      let node = r;
      let matched = 1;
      for (let k = start + 1; k < outermostFirst.length; k++) {
        const next = childLabelled(columns, node, outermostFirst[k]);
        if (next < 0) {
          break;
        }
        node = next;
        matched++;
      }
      const value = columns.values[r] + (columns.valuesRight ? columns.valuesRight[r] : 0);
      if (!best || matched > best.matched || (matched === best.matched && value > bestValue)) {
        best = { row: r, matched, candidates: 0 };
        bestValue = value;
      }
    }
    if (best) {
      return { ...best, candidates };
    }
  }
  return undefined;
}

/** The frame focused on row `r`: its ancestors (as wide as `r`, no self) and its subtree, levels unchanged. */
export function focusOnRow(columns: FlameColumns, r: number): FlameColumns {
  const { levels } = columns;
  const ancestors: number[] = [];
  for (let i = r - 1, want = levels[r] - 1; i >= 0 && want >= 0; i--) {
    if (levels[i] === want) {
      ancestors.unshift(i);
      want--;
    }
  }
  const end = subtreeEnd(levels, r);
  const rows = [...ancestors, ...Array.from({ length: end - r }, (_, k) => r + k)];
  const width = columns.values[r];
  const widthRight = columns.valuesRight ? columns.valuesRight[r] : 0;
  const isAncestor = (k: number) => k < ancestors.length;
  const pick = (src: ArrayLike<number>, ancestorValue: number) =>
    Float64Array.from(rows, (row, k) => (isAncestor(k) ? ancestorValue : src[row]));
  const out: FlameColumns = {
    levels: Uint32Array.from(rows, (row) => levels[row]),
    values: pick(columns.values, width),
    selfs: pick(columns.selfs, 0),
    labelIds: Uint32Array.from(rows, (row) => columns.labelIds[row]),
    names: columns.names,
  };
  if (columns.valuesRight && columns.selfsRight) {
    out.valuesRight = pick(columns.valuesRight, widthRight);
    out.selfsRight = pick(columns.selfsRight, 0);
  }
  return out;
}

/**
 * Flame-graph labels as a dictionary plus one id per row, the form the call tree already has (`CallTree.names`,
 * `name`) and the form Grafana's enum label field takes (indexes plus `config.type.enum.text`; Pyroscope's
 * flamebearer is also names plus indexes). A per-row string array costs a pointer per row to build and walk
 * (425k rows on google/pprof's large.cpu), so strings are made per row only where a contract asks for them.
 */

export interface FlameLabels {
  /** Per row, an index into `names`. */
  labelIds: ArrayLike<number>;
  /** The dictionary; it may hold names no row uses (a pruned tree keeps every name of the profile). */
  names: readonly string[];
}

/** The label of every row, as strings (the CLI's `flame.labels`, tests). */
export function rowLabels(labels: FlameLabels): string[] {
  const { labelIds, names } = labels;
  const out: string[] = [];
  for (let i = 0; i < labelIds.length; i++) {
    out.push(names[labelIds[i]]);
  }
  return out;
}

/** Per-row strings to ids plus a dictionary of the distinct strings in order of first appearance. */
export function internLabels(labels: ArrayLike<string>): { labelIds: Uint32Array; names: string[] } {
  const ids = new Map<string, number>();
  const names: string[] = [];
  const labelIds = new Uint32Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    let id = ids.get(labels[i]);
    if (id === undefined) {
      id = names.length;
      ids.set(labels[i], id);
      names.push(labels[i]);
    }
    labelIds[i] = id;
  }
  return { labelIds, names };
}

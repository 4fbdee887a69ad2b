/**
 * Goroutine clusters as plain text a user can paste into a bug report or a chat: one block per cluster, largest
 * first, with how many goroutines, their wait and how long, their stack (function, then `file:line` indented, as
 * Go prints a traceback) and where they were created. The layout follows what panicparse prints for a bucket
 * (maruel/panicparse:stack/bucket.go): the count and the shared state on the first line, the shared stack below.
 */

export interface ClusterTextFrame {
  func: string;
  file: string;
  line: number;
}

/** What a cluster needs to be printed; the core's GoroutineCluster and the panel's cluster rows both provide it. */
export interface ClusterTextInput {
  count: number;
  /** Wait reason or status as printed (`chan receive`, `running`), else the state. */
  reason: string;
  state?: string;
  /** The owning function, printed when the stack is not known (tables without stacks). */
  function: string;
  waitMinutes?: { min: number; max: number };
  leaked?: number;
  /** Leaf first. */
  frames?: readonly ClusterTextFrame[];
  /** `func file:line` of the `go` statement, '' when unknown. */
  creationSite?: string;
  sampleIds?: readonly number[];
}

export interface ClustersTextOptions {
  /** First line, e.g. the file or window the clusters come from. */
  title?: string;
  /** Goroutines in the snapshot (the header says "N goroutines in M clusters"). */
  total?: number;
  /** Frames printed per cluster before `...` (default 32). */
  maxFrames?: number;
}

function count(n: number): string {
  const whole = Number.isInteger(n) ? String(n) : n.toFixed(2);
  return `${whole} goroutine${n === 1 ? '' : 's'}`;
}

function waitText(w: ClusterTextInput['waitMinutes']): string {
  if (!w || w.max <= 0) {
    return '';
  }
  return w.min === w.max ? `, ${w.max} minutes` : `, ${w.min}-${w.max} minutes`;
}

export function clusterText(c: ClusterTextInput, maxFrames = 32): string {
  const state = c.reason || c.state || 'unknown state';
  const leaked = c.leaked ? ` (${c.leaked} leaked)` : '';
  const more = c.sampleIds && c.count > c.sampleIds.length ? ', …' : '';
  const ids = c.sampleIds && c.sampleIds.length ? ` [goroutine ${c.sampleIds.join(', ')}${more}]` : '';
  const lines = [`${count(c.count)}: ${state}${waitText(c.waitMinutes)}${leaked}${ids}`];
  if (c.frames && c.frames.length > 0) {
    for (const f of c.frames.slice(0, maxFrames)) {
      lines.push(`    ${f.func}`, `        ${f.file}:${f.line}`);
    }
    if (c.frames.length > maxFrames) {
      lines.push(`    ... ${c.frames.length - maxFrames} more frames`);
    }
  } else {
    lines.push(`    ${c.function}`);
  }
  if (c.creationSite) {
    lines.push(`    created by ${c.creationSite}`);
  }
  return lines.join('\n');
}

export function clustersText(clusters: readonly ClusterTextInput[], options: ClustersTextOptions = {}): string {
  const total = options.total ?? clusters.reduce((sum, c) => sum + c.count, 0);
  const header = [
    options.title,
    `${count(total)} in ${clusters.length} cluster${clusters.length === 1 ? '' : 's'} (same wait, stack and creation site)`,
  ].filter(Boolean);
  const blocks = clusters.map((c) => clusterText(c, options.maxFrames));
  return `${header.join('\n')}\n\n${blocks.join('\n\n')}\n`;
}

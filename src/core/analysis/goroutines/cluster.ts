/**
 * Clustering: goroutines with the same wait reason, the same stack (function, file and line of every frame;
 * argument values ignored) and the same creation site form one cluster. This is panicparse's bucketing with any
 * argument value considered similar (maruel/panicparse:stack/bucket.go), done in one hashed pass
 * instead of O(n²) comparisons. A second level groups clusters by creation site.
 *
 * Order is deterministic: count descending, then name, then the cluster key.
 */
import { isRuntimePackage, isStandardLibraryPackage, parseGoSymbol } from '../../model/goSymbol';
import type { GoroutineState } from '../../model/goroutineState';
import { addToBucket } from '../../wire/goroutineDumpCleanBlocks';
import {
  dumpRecord,
  unbuiltDumpRecords,
  type GoroutineRecord,
  type GoroutineSnapshot,
  type SnapshotFrame,
} from '../../model/goroutineSnapshot';

export interface WaitMinutes {
  min: number;
  max: number;
}

export interface GoroutineCluster {
  /** Stable across snapshots of the same binary: reason, frames (func@file:line) and creation site. */
  key: string;
  count: number;
  state: GoroutineState;
  reason: string;
  /** First frame from the leaf outside the runtime and the standard library, else the first non-runtime frame. */
  function: string;
  /** `created by` function, undefined when unknown (profiles, goroutine 1). */
  createdBy: string | undefined;
  /** `func file:line` of the creation site, '' when unknown. */
  creationSite: string;
  waitMinutes: WaitMinutes;
  /** Members marked `(leaked)` (Go 1.26 goroutineleak). */
  leaked: number;
  lockedToThread: number;
  /** Representative stack, leaf first. */
  frames: readonly SnapshotFrame[];
  createdByFrame: SnapshotFrame | undefined;
  /** Up to {@link ClusterOptions.sampleIds} goroutine ids (dumps only), ascending. */
  sampleIds: number[];
  /** The members' records (indices into the snapshot's records). */
  members: number[];
}

export interface CreationSiteGroup {
  createdBy: string | undefined;
  creationSite: string;
  count: number;
  /** Keys of its clusters, in cluster order. */
  clusters: string[];
}

export interface ClusterResult {
  total: number;
  clusters: GoroutineCluster[];
  byCreationSite: CreationSiteGroup[];
}

export interface ClusterOptions {
  /** How many member ids to keep per cluster (default 5). */
  sampleIds?: number;
  /**
   * Extra text that must also be equal for two records to share a cluster (for example panicparse's argument
   * similarity in the equivalence tests). Called with the record index.
   */
  splitBy?: (index: number) => string;
}

interface Acc {
  hash: number;
  first: GoroutineRecord;
  split: string | undefined;
  count: number;
  min: number;
  max: number;
  leaked: number;
  locked: number;
  members: number[];
}

/** `first` has the given reason, stack, elision and creation site (frames compared by call site). */
function sameStack(
  first: GoroutineRecord,
  reason: string,
  frames: readonly SnapshotFrame[],
  elided: boolean,
  createdBy: SnapshotFrame | undefined
): boolean {
  if (first.reason !== reason || first.frames.length !== frames.length || first.elided !== elided) {
    return false;
  }
  const ca = first.createdBy;
  if (ca !== createdBy && (ca === undefined || createdBy === undefined || ca.site !== createdBy.site)) {
    return false;
  }
  const fa = first.frames;
  if (fa === frames) {
    return true;
  }
  for (let i = 0; i < fa.length; i++) {
    if (fa[i] !== frames[i] && fa[i].site !== frames[i].site) {
      return false;
    }
  }
  return true;
}

/** Names the goroutine by the code that owns it (the first frame outside the runtime and the standard library). */
export function clusterName(frames: readonly SnapshotFrame[]): string {
  let firstNonRuntime: string | undefined;
  for (const f of frames) {
    const pkg = parseGoSymbol(f.func).packagePath;
    if (pkg === '' || isRuntimePackage(pkg)) {
      continue; // `panic`, `non-Go function`, runtime
    }
    firstNonRuntime ??= f.func;
    if (!isStandardLibraryPackage(pkg)) {
      return f.func;
    }
  }
  return firstNonRuntime ?? frames[0]?.func ?? '(no frames)';
}

function frameText(f: SnapshotFrame): string {
  return `${f.func} ${f.file}:${f.line}`;
}

export function clusterKey(r: GoroutineRecord): string {
  let key = r.reason;
  for (const f of r.frames) {
    key += `\n${frameText(f)}`;
  }
  if (r.elided) {
    key += '\n...';
  }
  key += r.createdBy ? `\ncreated by ${frameText(r.createdBy)}` : '\ncreated by ?';
  return key;
}

const EMPTY_SPLIT = '';

export function clusterGoroutines(snapshot: GoroutineSnapshot, options: ClusterOptions = {}): ClusterResult {
  // A dump's records may not be built yet: read its goroutines instead, and build only each cluster's first record.
  const dump = unbuiltDumpRecords(snapshot);
  const records = dump === undefined ? snapshot.records : undefined;
  const size = dump === undefined ? records!.length : dump.goroutines.length;
  const splitBy = options.splitBy;
  const sampleIds = options.sampleIds ?? 5;
  // Reasons are few; numbering them makes the hash cheap.
  const reasonIds = new Map<string, number>();
  const table = new Map<number, Acc | Acc[]>();
  const stackHashes = new Map<readonly SnapshotFrame[], number>();
  const accs: Acc[] = [];
  // The previous record's cluster and what put it there: neighbours in a dump often share reason, stack and creation
  // site (goroutines started together are printed together), and then they share a cluster without any hashing.
  let lastAcc: Acc | undefined;
  let lastReason = '';
  let lastFrames: readonly SnapshotFrame[] | undefined;
  let lastElided = false;
  let lastCreatedBy: SnapshotFrame | undefined;
  for (let index = 0; index < size; index++) {
    let reason: string;
    let frames: readonly SnapshotFrame[];
    let elided: boolean;
    let createdBy: SnapshotFrame | undefined;
    let count: number;
    let minutes: number;
    let leaked: boolean;
    let locked: boolean;
    if (dump !== undefined) {
      const g = dump.goroutines[index];
      const header = g.header;
      reason = header.status;
      frames = g.frames;
      elided = g.elidedFrames !== 0;
      createdBy = g.createdBy;
      count = 1;
      minutes = header.waitMinutes;
      leaked = header.leaked;
      locked = header.lockedToThread;
    } else {
      const r = records![index];
      reason = r.reason;
      frames = r.frames;
      elided = r.elided;
      createdBy = r.createdBy;
      count = r.count;
      minutes = r.waitMinutes;
      leaked = r.leaked;
      locked = r.lockedToThread;
    }
    let acc: Acc;
    if (
      frames === lastFrames &&
      reason === lastReason &&
      createdBy === lastCreatedBy &&
      elided === lastElided &&
      splitBy === undefined
    ) {
      acc = lastAcc!;
    } else {
      let reasonId = reasonIds.get(reason);
      if (reasonId === undefined) {
        reasonId = reasonIds.size;
        reasonIds.set(reason, reasonId);
      }
      // Dumps share one frames array between goroutines with the same stack: hash each array once.
      let stackHash = stackHashes.get(frames);
      if (stackHash === undefined) {
        stackHash = 0x811c9dc5;
        for (let i = 0; i < frames.length; i++) {
          stackHash = Math.imul(stackHash ^ frames[i].site, 0x01000193) + i;
        }
        stackHashes.set(frames, stackHash);
      }
      let h = Math.imul(reasonId + 1, 0x9e3779b1) ^ (createdBy === undefined ? 0x7f4a7c15 : createdBy.site) ^ stackHash;
      h = (h ^ (h >>> 15)) & 0x3fffffff; // a Smi: 32-bit map keys would be boxed
      const split = splitBy === undefined ? EMPTY_SPLIT : splitBy(index);
      let match: Acc | undefined;
      const found = table.get(h);
      if (found !== undefined) {
        if (!Array.isArray(found)) {
          if (found.split === split && sameStack(found.first, reason, frames, elided, createdBy)) {
            match = found;
          }
        } else {
          for (const a of found) {
            if (a.split === split && sameStack(a.first, reason, frames, elided, createdBy)) {
              match = a;
              break;
            }
          }
        }
      }
      if (match === undefined) {
        const first = dump === undefined ? records![index] : dumpRecord(dump.goroutines[index], dump.states[index]);
        match = { hash: h, first, split, count: 0, min: Infinity, max: 0, leaked: 0, locked: 0, members: [] };
        accs.push(match);
        addToBucket(table, h, found, match);
      }
      acc = match;
      lastAcc = match;
      lastReason = reason;
      lastFrames = frames;
      lastElided = elided;
      lastCreatedBy = createdBy;
    }
    acc.count += count;
    if (minutes < acc.min) {
      acc.min = minutes;
    }
    if (minutes > acc.max) {
      acc.max = minutes;
    }
    if (leaked) {
      acc.leaked += count;
    }
    if (locked) {
      acc.locked += count;
    }
    acc.members.push(index);
  }
  const idOf =
    dump === undefined ? (index: number) => records![index].id : (index: number) => dump.goroutines[index].id;
  return finish(snapshot, accs, sampleIds, idOf);
}

function finish(
  snapshot: GoroutineSnapshot,
  accs: Acc[],
  sampleIds: number,
  idOf: (index: number) => number | undefined
): ClusterResult {
  const names = new Map<readonly SnapshotFrame[], string>();
  const clusters: GoroutineCluster[] = accs.map((a) => {
    const r = a.first;
    let name = names.get(r.frames);
    if (name === undefined) {
      name = clusterName(r.frames);
      names.set(r.frames, name);
    }
    // The smallest few ids, without sorting every member.
    const ids: number[] = [];
    for (const m of sampleIds > 0 ? a.members : []) {
      const id = idOf(m);
      if (id === undefined || (ids.length === sampleIds && id >= ids[sampleIds - 1])) {
        continue;
      }
      let at = ids.length === sampleIds ? sampleIds - 1 : ids.length;
      while (at > 0 && ids[at - 1] > id) {
        ids[at] = ids[at - 1];
        at--;
      }
      ids[at] = id;
    }
    let key = clusterKey(r);
    if (a.split !== EMPTY_SPLIT) {
      key += `\n${a.split}`;
    }
    return {
      key,
      count: a.count,
      state: r.state,
      reason: r.reason,
      function: name,
      createdBy: r.createdBy?.func,
      creationSite: r.createdBy ? frameText(r.createdBy) : '',
      waitMinutes: { min: a.min === Infinity ? 0 : a.min, max: a.max },
      leaked: a.leaked,
      lockedToThread: a.locked,
      frames: r.frames,
      createdByFrame: r.createdBy,
      sampleIds: ids,
      members: a.members,
    };
  });
  clusters.sort(compareClusters);
  return { total: snapshot.total, clusters, byCreationSite: groupByCreationSite(clusters) };
}

export function compareClusters(
  a: { count: number; function: string; key: string },
  b: { count: number; function: string; key: string }
): number {
  if (a.count !== b.count) {
    return b.count - a.count;
  }
  if (a.function !== b.function) {
    return a.function < b.function ? -1 : 1;
  }
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

function groupByCreationSite(clusters: GoroutineCluster[]): CreationSiteGroup[] {
  const groups = new Map<string, CreationSiteGroup>();
  for (const c of clusters) {
    let g = groups.get(c.creationSite);
    if (g === undefined) {
      g = { createdBy: c.createdBy, creationSite: c.creationSite, count: 0, clusters: [] };
      groups.set(c.creationSite, g);
    }
    g.count += c.count;
    g.clusters.push(c.key);
  }
  return [...groups.values()].sort((a, b) =>
    a.count !== b.count
      ? b.count - a.count
      : a.creationSite < b.creationSite
        ? -1
        : a.creationSite > b.creationSite
          ? 1
          : 0
  );
}

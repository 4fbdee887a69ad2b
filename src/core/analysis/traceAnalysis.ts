/**
 * One pass over an execution trace's ordered events → goroutine state times and spans, goroutine groups by start
 * function, per-P activity, GC cycles and stop-the-world pauses, heap size and goal over time, user tasks, regions
 * and logs, and the four latency profiles of `go tool trace -pprof=sched|net|sync|syscall`.
 *
 * Rules (the Go side, tools/tracecheck, computes the same from golang.org/x/exp/trace and a test requires equality):
 * - a goroutine's clock starts at its first state transition (creation, or the generation's status event for one
 *   that existed before the trace) and every transition charges the time since the previous one to the state it
 *   leaves: running, runnable (scheduler wait), syscall, or waiting by the reason of the block that started it;
 *   states still open at the end of the trace are charged up to the last event;
 * - GC mark assist is a range on the goroutine (it runs while the goroutine is "running");
 * - a goroutine's name is the root frame of the first transition stack that has frames, as Go's
 *   internal/trace/summary.go names goroutines; groups gather goroutines of the same name, except that a start
 *   function that is only a wrapper (sync.WaitGroup.Go's closure) is replaced by the function it calls;
 * - latency profiles (golang/go:src/cmd/trace/pprof.go makeComputePprofFunc): each interval a goroutine spends
 *   runnable (sched), waiting on the network (net), waiting on a channel, select or sync primitive (sync), or in a
 *   syscall (syscall) counts once, with its length, on the stack of the event that entered the state (for runnable:
 *   the unblocking or preempting stack). Unlike `go tool trace`, intervals are not clipped to a goroutine's start,
 *   so the wait before a new goroutine first runs counts as scheduler latency.
 */
import { EV } from '../wire/traceSpec';
import type { TraceGeneration } from '../wire/traceWire';
import {
  eventKind,
  EventKind,
  eventRange,
  eventStackId,
  GoState,
  ProcState,
  stackFrames,
  stateTransition,
  traceString,
  TraceEvent,
} from '../model/traceEvents';
import { TraceReader, TraceReaderOptions } from '../model/traceReader';
import { GroupWaitProfiler, GroupWaitRecord, groupNameOf, RUNNABLE, SYSCALL, WAITING } from './traceGroupWaits';

/** Timeline state codes: the lanes' colours. Waiting states carry their reason separately. */
export enum LaneState {
  Running = 0,
  Runnable = 1,
  Syscall = 2,
  Waiting = 3,
  /** Not created yet, or ended. */
  Absent = 4,
}

export interface GoroutineTrace {
  id: number;
  /** Start function (root frame), '' when no stack of it was seen. */
  name: string;
  /**
   * What groups it: the start function, or for a goroutine started through a wrapper (`sync.(*WaitGroup).Go`'s
   * closure, Go 1.25+) the function the wrapper calls, once a deeper stack of the goroutine was seen.
   */
  label: string;
  /** ns from trace start, -1 when it existed before the trace. */
  created: number;
  /** ns from trace start, -1 when it outlived the trace. */
  ended: number;
  running: number;
  runnable: number;
  syscall: number;
  /** ns waiting, by block reason ("" for a goroutine already waiting when the trace started). */
  waiting: Record<string, number>;
  gcAssist: number;
}

/**
 * Every goroutine state change in trace order, for time-bucketed views: the state a goroutine entered holds until its
 * next transition or the end. Read it with {@link TransitionLog.cursor}. Stored as uvarints in 1 MiB chunks
 * (goroutine index, time since the previous transition, state code: about 6 bytes a transition, no object per
 * transition or per goroutine, no copy when it grows).
 */
export interface TransitionLog {
  count: number;
  /** Goroutines in the log: their indexes are 0 … goroutines-1, in order of first appearance in the trace. */
  goroutines: number;
  /** Per goroutine index: the index of its group in {@link TraceAnalysis.groups}. */
  groupOf: Int32Array;
  cursor(): TransitionCursor;
}

/** Waiting is stored as WAITING_CODE + reason index; the other lane states as themselves. */
const WAITING_CODE = 5;
const LOG_CHUNK = 1 << 20;
/** Longest record: three uvarints of at most 8 bytes each (values below 2^53). */
const LOG_RECORD_MAX = 24;

function writeUvarint(buf: Uint8Array, pos: number, v: number): number {
  if (v < 0x80000000) {
    while (v >= 0x80) {
      buf[pos++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
  } else {
    while (v >= 0x80) {
      buf[pos++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
  }
  buf[pos++] = v;
  return pos;
}

/** Reads the log in order: after each {@link next} returning true, the fields describe one transition. */
export class TransitionCursor {
  time = 0;
  /** Goroutine index (see {@link TransitionLog.goroutines}). */
  goroutine = 0;
  /** {@link LaneState} entered. */
  state: LaneState = LaneState.Absent;
  /** For Waiting: index into {@link TraceAnalysis.reasons}; else -1. */
  reason = -1;
  private chunk = 0;
  private pos = 0;

  constructor(private readonly chunks: readonly Uint8Array[]) {}

  private uvarint(buf: Uint8Array): number {
    let b = buf[this.pos++];
    if (b < 0x80) {
      return b;
    }
    let value = b & 0x7f;
    let scale = 0x80;
    do {
      b = buf[this.pos++];
      value += (b & 0x7f) * scale;
      scale *= 0x80;
    } while (b >= 0x80);
    return value;
  }

  next(): boolean {
    let buf = this.chunks[this.chunk];
    if (buf === undefined) {
      return false;
    }
    if (this.pos === buf.length) {
      buf = this.chunks[++this.chunk];
      this.pos = 0;
      if (buf === undefined) {
        return false;
      }
    }
    this.goroutine = this.uvarint(buf);
    this.time += this.uvarint(buf);
    const code = this.uvarint(buf);
    if (code >= WAITING_CODE) {
      this.state = LaneState.Waiting;
      this.reason = code - WAITING_CODE;
    } else {
      this.state = code;
      this.reason = -1;
    }
    return true;
  }
}

export class TransitionLogBuilder {
  count = 0;
  private readonly chunks: Uint8Array[] = [];
  private chunk = new Uint8Array(LOG_CHUNK);
  private pos = 0;
  private lastTime = 0;

  /** `time` must not be before the previous transition's (the reader's times strictly increase). */
  push(time: number, goroutine: number, state: LaneState, reason: number): void {
    if (this.pos > LOG_CHUNK - LOG_RECORD_MAX) {
      this.chunks.push(this.chunk.subarray(0, this.pos));
      this.chunk = new Uint8Array(LOG_CHUNK);
      this.pos = 0;
    }
    let pos = writeUvarint(this.chunk, this.pos, goroutine);
    pos = writeUvarint(this.chunk, pos, time - this.lastTime);
    this.pos = writeUvarint(this.chunk, pos, state === LaneState.Waiting ? WAITING_CODE + reason : state);
    this.lastTime = time;
    this.count++;
  }

  finish(goroutines: number, groupOf: Int32Array): TransitionLog {
    const chunks = [...this.chunks];
    if (this.pos > 0) {
      chunks.push(this.chunk.slice(0, this.pos));
    }
    return { count: this.count, goroutines, groupOf, cursor: () => new TransitionCursor(chunks) };
  }
}

export interface GoroutineGroup {
  name: string;
  count: number;
  running: number;
  runnable: number;
  syscall: number;
  waiting: Record<string, number>;
  blocked: number;
  gcAssist: number;
  ids: number[];
}

export interface Span {
  start: number;
  end: number;
}

export interface StwSpan extends Span {
  reason: string;
}

export interface LatencyRecord {
  /** PCs of the stack, leaf first, hex, space separated: the key records are merged by. */
  pcs: string;
  /** Function names, leaf first. */
  funcs: string[];
  count: number;
  /** Total ns. */
  time: number;
}

export type LatencyProfileName = 'sched' | 'net' | 'sync' | 'syscall';
export const LATENCY_PROFILES: readonly LatencyProfileName[] = ['sched', 'net', 'sync', 'syscall'];

export interface ProcActivity {
  id: number;
  /** ns the P was running (executing Go code or in a syscall with its goroutine). */
  busy: number;
  spans: Span[];
}

export interface UserTask {
  id: number;
  name: string;
  parent: number;
  start: number;
  end: number;
}

export interface UserRegion {
  goroutine: number;
  task: number;
  name: string;
  start: number;
  end: number;
}

export interface UserLog {
  time: number;
  goroutine: number;
  task: number;
  category: string;
  message: string;
}

export interface TraceAnalysis {
  /** Go minor version of the trace format. */
  version: number;
  /** ns on the traced process's monotonic clock of time 0. */
  origin: number;
  /** Unix ns of time 0 when the trace has a wall-clock snapshot (Go 1.25+). */
  wallOriginNs?: number;
  /** Time of the last event: the trace covers [0, end]. */
  end: number;
  events: number;
  generations: number;
  cpuSamples: number;
  reasons: string[];
  /** Goroutines seen in the trace. */
  goroutineCount: number;
  /**
   * Per goroutine, by id: only with {@link TraceAnalyzerOptions.goroutineDetail}. Otherwise each goroutine is added
   * into its group when it ends (hundreds of thousands of short-lived goroutines would cost a record each).
   */
  goroutines?: GoroutineTrace[];
  transitions: TransitionLog;
  groups: GoroutineGroup[];
  procs: ProcActivity[];
  gc: Span[];
  stw: StwSpan[];
  heapAlloc: Array<[number, number]>;
  heapGoal: Array<[number, number]>;
  tasks: UserTask[];
  regions: UserRegion[];
  logs: UserLog[];
  profiles: Record<LatencyProfileName, LatencyRecord[]>;
  /** Every runnable → running wait, ns, in trace order (for percentiles). */
  schedWaits: number[];
  /** Scheduler wait, syscall and blocking time per goroutine group and stack (traceGroupWaits.ts). */
  groupWaits: GroupWaitRecord[];
}

interface TrackedGoroutine {
  g: GoroutineTrace;
  /** Index in the transition log. */
  index: number;
  state: GoState;
  since: number;
  reason: string;
  assistAt: number;
  assisting: boolean;
  /**
   * Per latency profile (LATENCY_PROFILES order): when the tracked wait began (-1: not tracking), and the stack of
   * the event that began it. Kept on the goroutine rather than in maps keyed by its id: a transition then costs no
   * map lookups, and no event object or generation table is retained.
   */
  trackStart: number[];
  trackSite: Array<StackSite | undefined>;
  /** The stack of the event that entered the current state, for the group waits. */
  enterSite: StackSite | undefined;
  /** Index of {@link reason} in the analysis' reasons while waiting. */
  reasonId: number;
}

/** A stack as latency records key and show it; resolved once per generation and stack ID. */
interface StackSite {
  /** PCs, leaf first, hex, space separated. */
  pcs: string;
  funcs: string[];
}

export interface TraceAnalyzerOptions {
  /** Keep every goroutine's own record in {@link TraceAnalysis.goroutines} (for cross-checks and tests). */
  goroutineDetail?: boolean;
}

/** A group being summed up as its goroutines end, with the index it had when created. */
interface GroupSum {
  group: GoroutineGroup;
  index: number;
}

/** Start functions that only call the real one: the goroutine is grouped by their callee. */
const START_WRAPPERS: ReadonlySet<string> = new Set(['sync.(*WaitGroup).Go.func1']);

const PROFILE_STATES: Record<LatencyProfileName, GoState> = {
  sched: GoState.Runnable,
  net: GoState.Waiting,
  sync: GoState.Waiting,
  syscall: GoState.Syscall,
};

function tracksReason(profile: LatencyProfileName, reason: string): boolean {
  switch (profile) {
    case 'net':
      return reason === 'network';
    case 'sync':
      return reason.includes('chan') || reason.includes('sync') || reason.includes('select');
    default:
      return true;
  }
}

const LANE_OF: Partial<Record<GoState, LaneState>> = {
  [GoState.Running]: LaneState.Running,
  [GoState.Runnable]: LaneState.Runnable,
  [GoState.Syscall]: LaneState.Syscall,
  [GoState.Waiting]: LaneState.Waiting,
  [GoState.NotExist]: LaneState.Absent,
};

/** Accumulates analysis results event by event; {@link finish} closes what is still open at the end. */
export class TraceAnalyzer {
  /** Goroutines not added into their group yet: alive, or ended inside a GC assist range. */
  private readonly gs = new Map<number, TrackedGoroutine>();
  private goroutineCount = 0;
  private readonly groupSums = new Map<string, GroupSum>();
  /** Per goroutine index: the creation index of its group (-1 until it is added). */
  private groupOf = new Int32Array(1024).fill(-1);
  private readonly detail?: GoroutineTrace[];
  private readonly reasonIndex = new Map<string, number>();
  private readonly reasons: string[] = [];
  private readonly procs = new Map<number, { p: ProcActivity; since: number; running: boolean }>();
  private readonly gc: Span[] = [];
  private gcStart = 0;
  private gcOpen = false;
  private readonly stw: StwSpan[] = [];
  private readonly stwOpen = new Map<number, StwSpan>();
  private readonly heapAlloc: Array<[number, number]> = [];
  private readonly heapGoal: Array<[number, number]> = [];
  private readonly tasks = new Map<number, UserTask>();
  private readonly taskList: UserTask[] = [];
  private readonly regions: UserRegion[] = [];
  private readonly openRegions = new Map<number, UserRegion[]>();
  private readonly logs: UserLog[] = [];
  private readonly profiles = LATENCY_PROFILES.map(() => new Map<string, LatencyRecord>());
  /** Stack sites of the current generation by stack ID; dropped when the generation changes. */
  private sites = new Map<number, StackSite>();
  private sitesTable?: TraceGeneration;
  private readonly schedWaits: number[] = [];
  private readonly log = new TransitionLogBuilder();
  private readonly groupWaits = new GroupWaitProfiler();
  private last = 0;
  private events = 0;
  private cpuSamples = 0;

  constructor(options: TraceAnalyzerOptions = {}) {
    if (options.goroutineDetail) {
      this.detail = [];
    }
  }

  event(e: TraceEvent): void {
    this.events++;
    const t = e.time;
    this.last = t;
    switch (eventKind(e)) {
      case EventKind.StateTransition: {
        const st = stateTransition(e);
        if (st.resource === 'goroutine') {
          this.goTransition(e, st.id, st.from as GoState, st.to as GoState, st.reason, st.stack, t);
        } else {
          this.procTransition(st.id, st.from as ProcState, st.to as ProcState, t);
        }
        break;
      }
      case EventKind.RangeBegin:
      case EventKind.RangeActive:
      case EventKind.RangeEnd:
        this.range(e, t);
        break;
      case EventKind.Metric:
        if (e.type === EV.HeapAlloc) {
          this.heapAlloc.push([t, e.args[0]]);
        } else if (e.type === EV.HeapGoal) {
          this.heapGoal.push([t, e.args[0]]);
        }
        break;
      case EventKind.StackSample:
        this.cpuSamples++;
        break;
      case EventKind.TaskBegin: {
        const task = { id: e.args[0], name: traceString(e.table, e.args[2]), parent: e.args[1], start: t, end: -1 };
        this.tasks.set(task.id, task);
        this.taskList.push(task);
        break;
      }
      case EventKind.TaskEnd: {
        const task = this.tasks.get(e.args[0]);
        if (task) {
          task.end = t;
          this.tasks.delete(task.id);
        }
        break;
      }
      case EventKind.RegionBegin: {
        const region = { goroutine: e.g, task: e.args[0], name: traceString(e.table, e.args[1]), start: t, end: -1 };
        const open = this.openRegions.get(e.g) ?? [];
        open.push(region);
        this.openRegions.set(e.g, open);
        this.regions.push(region);
        break;
      }
      case EventKind.RegionEnd: {
        const region = this.openRegions.get(e.g)?.pop();
        if (region) {
          region.end = t;
        }
        break;
      }
      case EventKind.Log:
        this.logs.push({
          time: t,
          goroutine: e.g,
          task: e.args[0],
          category: traceString(e.table, e.args[1]),
          message: traceString(e.table, e.args[2]),
        });
        break;
      default:
        break;
    }
  }

  private reasonId(reason: string): number {
    let id = this.reasonIndex.get(reason);
    if (id === undefined) {
      id = this.reasons.length;
      this.reasons.push(reason);
      this.reasonIndex.set(reason, id);
    }
    return id;
  }

  private goroutine(id: number): TrackedGoroutine {
    let s = this.gs.get(id);
    if (!s) {
      s = {
        index: this.goroutineCount++,
        g: {
          id,
          name: '',
          label: '',
          created: -1,
          ended: -1,
          running: 0,
          runnable: 0,
          syscall: 0,
          waiting: {},
          gcAssist: 0,
        },
        state: GoState.Undetermined,
        since: 0,
        reason: '',
        assistAt: 0,
        assisting: false,
        trackStart: [-1, -1, -1, -1],
        trackSite: [undefined, undefined, undefined, undefined],
        enterSite: undefined,
        reasonId: -1,
      };
      this.gs.set(id, s);
    }
    return s;
  }

  private closeState(s: TrackedGoroutine, t: number): void {
    const d = t - s.since;
    switch (s.state) {
      case GoState.Running:
        s.g.running += d;
        break;
      case GoState.Runnable:
        s.g.runnable += d;
        break;
      case GoState.Syscall:
        s.g.syscall += d;
        break;
      case GoState.Waiting:
        s.g.waiting[s.reason] = (s.g.waiting[s.reason] ?? 0) + d;
        break;
      default:
        break;
    }
    if (d > 0 && s.state !== GoState.Running) {
      const code =
        s.state === GoState.Runnable ? RUNNABLE : s.state === GoState.Syscall ? SYSCALL : WAITING + s.reasonId;
      this.groupWaits.charge(s.g, code, s.enterSite?.funcs ?? [], d);
    }
  }

  private goTransition(
    e: TraceEvent,
    id: number,
    from: GoState,
    to: GoState,
    reason: string,
    stack: number,
    t: number
  ): void {
    if (from === to) {
      return;
    }
    const s = this.goroutine(id);
    if (s.state !== GoState.Undetermined && s.state !== GoState.NotExist) {
      this.closeState(s, t);
    }
    if (s.state === GoState.Runnable && to === GoState.Running) {
      this.schedWaits.push(t - s.since);
    }
    if (from === GoState.NotExist) {
      s.g.created = t;
    }
    if (to === GoState.NotExist) {
      s.g.ended = t;
    }
    if ((s.g.name === '' || s.g.label === '') && stack !== 0) {
      this.nameGoroutine(s.g, e, stack);
    }
    if (s.g.label !== '') {
      this.groupWaits.settle(s.g);
    }
    s.state = to;
    s.since = t;
    s.enterSite = to === GoState.Running || to === GoState.NotExist ? undefined : this.site(e.table, eventStackId(e));
    if (to === GoState.Waiting) {
      s.reason = reason;
    }
    s.reasonId = to === GoState.Waiting ? this.reasonId(reason) : -1;
    this.log.push(t, s.index, LANE_OF[to] ?? LaneState.Absent, s.reasonId);
    this.latency(s, e, to, reason, t);
    if (to === GoState.NotExist && !s.assisting) {
      this.addToGroup(s);
    }
  }

  /**
   * Adds an ended (or, at the end of the trace, still open) goroutine into its group and forgets it. The Go runtime
   * never reuses a goroutine id (runtime/proc.go newproc1 takes a fresh goid), so an ended goroutine does not return.
   */
  private addToGroup(s: TrackedGoroutine): void {
    const g = s.g;
    this.gs.delete(g.id);
    this.detail?.push(g);
    this.groupWaits.settle(g);
    const name = groupNameOf(g);
    let sum = this.groupSums.get(name);
    if (!sum) {
      sum = {
        group: emptyGroup(name),
        index: this.groupSums.size,
      };
      this.groupSums.set(name, sum);
    }
    addGoroutine(sum.group, g);
    if (s.index >= this.groupOf.length) {
      const grown = new Int32Array(Math.max(this.groupOf.length * 2, s.index + 1)).fill(-1);
      grown.set(this.groupOf);
      this.groupOf = grown;
    }
    this.groupOf[s.index] = sum.index;
  }

  private nameGoroutine(g: GoroutineTrace, e: TraceEvent, stack: number): void {
    const frames = e.table.stacks.get(stack);
    if (!frames || frames.length === 0) {
      return;
    }
    const funcAt = (i: number) => {
      const f = e.table.frames.get(frames[i]);
      return f ? traceString(e.table, f.funcId) : '';
    };
    const root = funcAt(frames.length - 1);
    if (g.name === '') {
      g.name = root;
    }
    if (!START_WRAPPERS.has(g.name)) {
      g.label = g.name;
    } else if (root === g.name && frames.length >= 2) {
      g.label = funcAt(frames.length - 2);
    }
  }

  private latency(s: TrackedGoroutine, e: TraceEvent, to: GoState, reason: string, t: number): void {
    for (let i = 0; i < LATENCY_PROFILES.length; i++) {
      const name = LATENCY_PROFILES[i];
      const start = s.trackStart[i];
      if (start < 0) {
        if (to === PROFILE_STATES[name] && tracksReason(name, reason)) {
          s.trackStart[i] = t;
          s.trackSite[i] = this.site(e.table, eventStackId(e));
        }
        continue;
      }
      if (to === PROFILE_STATES[name]) {
        continue;
      }
      s.trackStart[i] = -1;
      const d = t - start;
      if (d > 0) {
        this.addLatency(i, s.trackSite[i]!, d);
      }
      s.trackSite[i] = undefined;
    }
  }

  private site(table: TraceGeneration, stackId: number): StackSite {
    if (table !== this.sitesTable) {
      this.sitesTable = table;
      this.sites = new Map();
    }
    let site = this.sites.get(stackId);
    if (site === undefined) {
      const pcs = stackId === 0 ? [] : (table.stacks.get(stackId) ?? []);
      site = { pcs: pcs.map((pc) => pc.toString(16)).join(' '), funcs: stackFrames(table, stackId).map((f) => f.func) };
      this.sites.set(stackId, site);
    }
    return site;
  }

  private addLatency(profile: number, site: StackSite, d: number): void {
    let rec = this.profiles[profile].get(site.pcs);
    if (!rec) {
      rec = { pcs: site.pcs, funcs: site.funcs.slice(), count: 0, time: 0 };
      this.profiles[profile].set(site.pcs, rec);
    }
    rec.count++;
    rec.time += d;
  }

  private procTransition(id: number, from: ProcState, to: ProcState, t: number): void {
    let s = this.procs.get(id);
    if (!s) {
      s = { p: { id, busy: 0, spans: [] }, since: t, running: false };
      this.procs.set(id, s);
    }
    if (s.running && to !== ProcState.Running) {
      s.p.busy += t - s.since;
      s.p.spans.push({ start: s.since, end: t });
      s.running = false;
    } else if (!s.running && to === ProcState.Running) {
      s.running = true;
      s.since = t;
    }
    void from;
  }

  private range(e: TraceEvent, t: number): void {
    const r = eventRange(e);
    const isEnd = eventKind(e) === EventKind.RangeEnd;
    if (r.name === 'gc-mark') {
      if (isEnd) {
        if (this.gcOpen) {
          this.gc.push({ start: this.gcStart, end: t });
        }
        this.gcOpen = false;
      } else if (!this.gcOpen) {
        this.gcStart = t;
        this.gcOpen = true;
      }
    } else if (r.name === 'stw') {
      if (isEnd) {
        const open = this.stwOpen.get(r.id);
        if (open) {
          open.end = t;
          this.stw.push(open);
          this.stwOpen.delete(r.id);
        }
      } else {
        this.stwOpen.set(r.id, { start: t, end: -1, reason: r.reason });
      }
    } else if (r.name === 'gc-assist') {
      const s = this.goroutine(r.id);
      if (isEnd) {
        if (s.assisting) {
          s.g.gcAssist += t - s.assistAt;
        }
        s.assisting = false;
      } else if (!s.assisting) {
        s.assistAt = t;
        s.assisting = true;
      }
    }
  }

  finish(reader: Pick<TraceReader, 'version' | 'origin' | 'wallOriginNs' | 'generations'>): TraceAnalysis {
    const end = this.last;
    for (const s of [...this.gs.values()].sort((a, b) => a.index - b.index)) {
      if (s.state !== GoState.Undetermined && s.state !== GoState.NotExist) {
        this.closeState(s, end);
      }
      if (s.assisting) {
        s.g.gcAssist += end - s.assistAt;
      }
      this.addToGroup(s);
    }
    const sums = [...this.groupSums.values()];
    for (const { group } of sums) {
      group.ids.sort((a, b) => a - b);
    }
    const groups = sums.map((sum) => sum.group).sort(byBusiest);
    const rank = new Int32Array(sums.length);
    groups.forEach((group, i) => (rank[this.groupSums.get(group.name)!.index] = i));
    const groupOf = new Int32Array(this.goroutineCount);
    for (let i = 0; i < groupOf.length; i++) {
      groupOf[i] = rank[this.groupOf[i]];
    }
    if (this.gcOpen) {
      this.gc.push({ start: this.gcStart, end });
    }
    const procs = [...this.procs.values()].map((s) => {
      if (s.running) {
        s.p.busy += end - s.since;
        s.p.spans.push({ start: s.since, end });
      }
      return s.p;
    });
    procs.sort((a, b) => a.id - b.id);
    const profiles = {} as Record<LatencyProfileName, LatencyRecord[]>;
    LATENCY_PROFILES.forEach((name, i) => {
      profiles[name] = [...this.profiles[i].values()].sort((a, b) => (a.pcs < b.pcs ? -1 : a.pcs > b.pcs ? 1 : 0));
    });
    for (const open of this.openRegions.values()) {
      for (const region of open) {
        region.end = end;
      }
    }
    for (const task of this.tasks.values()) {
      task.end = end;
    }
    return {
      version: reader.version,
      origin: reader.origin,
      wallOriginNs: reader.wallOriginNs,
      end,
      events: this.events,
      generations: reader.generations,
      cpuSamples: this.cpuSamples,
      reasons: this.reasons,
      goroutineCount: this.goroutineCount,
      goroutines: this.detail?.sort((a, b) => a.id - b.id),
      transitions: this.log.finish(this.goroutineCount, groupOf),
      groups,
      procs,
      gc: this.gc,
      stw: this.stw,
      heapAlloc: this.heapAlloc,
      heapGoal: this.heapGoal,
      tasks: this.taskList,
      regions: this.regions,
      logs: this.logs,
      profiles,
      schedWaits: this.schedWaits,
      groupWaits: this.groupWaits.finish(this.reasons),
    };
  }
}

function sumWaiting(waiting: Record<string, number>): number {
  let total = 0;
  for (const v of Object.values(waiting)) {
    total += v;
  }
  return total;
}

function addGoroutine(group: GoroutineGroup, g: GoroutineTrace): void {
  group.count++;
  group.running += g.running;
  group.runnable += g.runnable;
  group.syscall += g.syscall;
  group.gcAssist += g.gcAssist;
  for (const [reason, ns] of Object.entries(g.waiting)) {
    group.waiting[reason] = (group.waiting[reason] ?? 0) + ns;
  }
  group.blocked += sumWaiting(g.waiting);
  group.ids.push(g.id);
}

/** Busiest (running + runnable + syscall) first, then by name. */
function byBusiest(a: GoroutineGroup, b: GoroutineGroup): number {
  return b.running + b.runnable + b.syscall - (a.running + a.runnable + a.syscall) || (a.name < b.name ? -1 : 1);
}

function emptyGroup(name: string): GoroutineGroup {
  return { name, count: 0, running: 0, runnable: 0, syscall: 0, waiting: {}, blocked: 0, gcAssist: 0, ids: [] };
}

/** Goroutines by start function; busiest (running + runnable + syscall) first. */
export function groupGoroutines(goroutines: readonly GoroutineTrace[]): GoroutineGroup[] {
  const groups = new Map<string, GoroutineGroup>();
  for (const g of goroutines) {
    const name = groupNameOf(g);
    let group = groups.get(name);
    if (!group) {
      group = emptyGroup(name);
      groups.set(name, group);
    }
    addGoroutine(group, g);
  }
  return [...groups.values()].sort(byBusiest);
}

/** Reads and analyses a whole trace. Throws the reader's typed input errors. */
export function analyzeTrace(
  bytes: Uint8Array,
  options: TraceReaderOptions & TraceAnalyzerOptions = {}
): TraceAnalysis {
  const reader = new TraceReader(bytes, options);
  const analyzer = new TraceAnalyzer(options);
  for (let e = reader.next(); e !== undefined; e = reader.next()) {
    analyzer.event(e);
  }
  return analyzer.finish(reader);
}

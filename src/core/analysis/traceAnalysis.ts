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
import { GroupWaitProfiler, GroupWaitRecord, RUNNABLE, SYSCALL, WAITING } from './traceGroupWaits';

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
 * Every goroutine state change in trace order, in columns (21 bytes a transition, no object per transition or per
 * goroutine), for time-bucketed views: the state a goroutine entered holds until its next transition or the end.
 */
export interface TransitionLog {
  count: number;
  times: Float64Array;
  goroutines: Float64Array;
  /** {@link LaneState} entered. */
  states: Uint8Array;
  /** For Waiting: index into {@link TraceAnalysis.reasons}; else -1. */
  reasons: Int32Array;
}

class TransitionLogBuilder implements TransitionLog {
  count = 0;
  times = new Float64Array(1024);
  goroutines = new Float64Array(1024);
  states = new Uint8Array(1024);
  reasons = new Int32Array(1024);

  push(time: number, goroutine: number, state: LaneState, reason: number): void {
    if (this.count === this.times.length) {
      const n = this.count * 2;
      const grow = <T extends Float64Array | Uint8Array | Int32Array>(a: T, b: T): T => {
        b.set(a);
        return b;
      };
      this.times = grow(this.times, new Float64Array(n));
      this.goroutines = grow(this.goroutines, new Float64Array(n));
      this.states = grow(this.states, new Uint8Array(n));
      this.reasons = grow(this.reasons, new Int32Array(n));
    }
    const i = this.count++;
    this.times[i] = time;
    this.goroutines[i] = goroutine;
    this.states[i] = state;
    this.reasons[i] = reason;
  }

  finish(): TransitionLog {
    const n = this.count;
    return {
      count: n,
      times: this.times.subarray(0, n),
      goroutines: this.goroutines.subarray(0, n),
      states: this.states.subarray(0, n),
      reasons: this.reasons.subarray(0, n),
    };
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
  goroutines: GoroutineTrace[];
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
  state: GoState;
  since: number;
  reason: string;
  assistAt: number;
  assisting: boolean;
  /**
   * Per latency profile (LATENCY_PROFILES order): when the tracked wait began (-1: not tracking), and the stack
   * and tables of the event that began it. Kept on the goroutine rather than in maps keyed by its id: a transition
   * then costs no map lookups, and no event object is retained.
   */
  trackStart: number[];
  trackStack: number[];
  trackTable: Array<TraceGeneration | undefined>;
  /** The stack (and its table) of the event that entered the current state, for the group waits. */
  enterStack: number;
  /** Index of {@link reason} in the analysis' reasons while waiting. */
  reasonId: number;
  enterTable: TraceGeneration | undefined;
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
  private readonly gs = new Map<number, TrackedGoroutine>();
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
  /** Profile record key (the stack's PCs in hex) per generation and stack ID, built once per stack. */
  private readonly stackKeys = new Map<TraceGeneration, Map<number, string>>();
  private readonly schedWaits: number[] = [];
  private readonly log = new TransitionLogBuilder();
  private readonly groupWaits = new GroupWaitProfiler();
  private last = 0;
  private events = 0;
  private cpuSamples = 0;

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
        trackStack: [0, 0, 0, 0],
        trackTable: [undefined, undefined, undefined, undefined],
        enterStack: 0,
        enterTable: undefined,
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
      this.groupWaits.charge(s.g, code, s.enterTable, s.enterStack, d);
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
    if (s.g.label !== '' || to === GoState.NotExist) {
      this.groupWaits.settle(s.g);
    }
    s.state = to;
    s.since = t;
    s.enterStack = eventStackId(e);
    s.enterTable = e.table;
    if (to === GoState.Waiting) {
      s.reason = reason;
    }
    s.reasonId = to === GoState.Waiting ? this.reasonId(reason) : -1;
    this.log.push(t, id, LANE_OF[to] ?? LaneState.Absent, s.reasonId);
    this.latency(s, e, to, reason, t);
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
          s.trackStack[i] = eventStackId(e);
          s.trackTable[i] = e.table;
        }
        continue;
      }
      if (to === PROFILE_STATES[name]) {
        continue;
      }
      s.trackStart[i] = -1;
      const d = t - start;
      if (d > 0) {
        this.addLatency(i, s.trackTable[i]!, s.trackStack[i], d);
      }
      s.trackTable[i] = undefined;
    }
  }

  private addLatency(profile: number, table: TraceGeneration, stackId: number, d: number): void {
    let keys = this.stackKeys.get(table);
    if (!keys) {
      keys = new Map();
      this.stackKeys.set(table, keys);
    }
    let key = keys.get(stackId);
    if (key === undefined) {
      const pcs = stackId === 0 ? [] : (table.stacks.get(stackId) ?? []);
      key = pcs.map((pc) => pc.toString(16)).join(' ');
      keys.set(stackId, key);
    }
    let rec = this.profiles[profile].get(key);
    if (!rec) {
      rec = { pcs: key, funcs: stackFrames(table, stackId).map((f) => f.func), count: 0, time: 0 };
      this.profiles[profile].set(key, rec);
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
    const goroutines: GoroutineTrace[] = [];
    for (const s of this.gs.values()) {
      if (s.state !== GoState.Undetermined && s.state !== GoState.NotExist) {
        this.closeState(s, end);
      }
      if (s.assisting) {
        s.g.gcAssist += end - s.assistAt;
      }
      goroutines.push(s.g);
    }
    goroutines.sort((a, b) => a.id - b.id);
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
      goroutines,
      transitions: this.log.finish(),
      groups: groupGoroutines(goroutines),
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
      groupWaits: this.groupWaits.finish(goroutines, this.reasons),
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

/** Goroutines by start function; busiest (running + runnable + syscall + blocked) first. */
export function groupGoroutines(goroutines: readonly GoroutineTrace[]): GoroutineGroup[] {
  const groups = new Map<string, GoroutineGroup>();
  for (const g of goroutines) {
    const name = g.label || g.name || '(unknown start function)';
    let group = groups.get(name);
    if (!group) {
      group = { name, count: 0, running: 0, runnable: 0, syscall: 0, waiting: {}, blocked: 0, gcAssist: 0, ids: [] };
      groups.set(name, group);
    }
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
  return [...groups.values()].sort(
    (a, b) => b.running + b.runnable + b.syscall - (a.running + a.runnable + a.syscall) || (a.name < b.name ? -1 : 1)
  );
}

/** Reads and analyses a whole trace. Throws the reader's typed input errors. */
export function analyzeTrace(bytes: Uint8Array, options: TraceReaderOptions = {}): TraceAnalysis {
  const reader = new TraceReader(bytes, options);
  const analyzer = new TraceAnalyzer();
  for (let e = reader.next(); e !== undefined; e = reader.next()) {
    analyzer.event(e);
  }
  return analyzer.finish(reader);
}

/**
 * Ordering of trace events across threads, as golang/go:src/internal/trace/order.go does it.
 *
 * Each M's batches are totally ordered, but events of different Ms are related only through the resources they
 * touch: a goroutine's `g_seq` and a P's `p_seq` count the events that change their state, and the goroutine/P/M
 * state machine says which event may come next. The reader offers the earliest event of each M; {@link advance}
 * accepts it when the state machine allows it (and queues it, sometimes with synthesised companions such as the
 * GoBlock/GoStart pair of a coroutine switch), answers "not yet" when it must wait for another M's event (a GoStart
 * whose goroutine is not runnable yet), and throws when no order could explain it. Timestamps alone would misorder
 * events of Ms with skewed clocks; this is why a trace is replayed through the state machine.
 */
import { EV, eventName, eventSpec, GO_STATUS, PROC_STATUS } from '../wire/traceSpec';
import { MalformedTraceError } from '../wire/traceErrors';
import { NONE, signedId, TraceGeneration } from '../wire/traceWire';
import { GO_STATUS_TO_STATE, GoState, NO_TASK, ProcState, PROC_STATUS_TO_STATE, TraceEvent } from './traceEvents';

interface Ctx {
  g: number;
  p: number;
  m: number;
}

interface Seq {
  gen: number;
  seq: number;
}

interface RangeType {
  type: number;
  desc: number;
}

/** Shared by every resource without ranges or regions (most goroutines): an array is made on the first push. */
const NO_RANGES: RangeType[] = [];
const NO_REGIONS: Array<{ task: number; name: string }> = [];

class RangeState {
  inFlight: RangeType[] = NO_RANGES;

  private own(): RangeType[] {
    if (this.inFlight === NO_RANGES) {
      this.inFlight = [];
    }
    return this.inFlight;
  }

  has(r: RangeType): boolean {
    return this.inFlight.some((x) => x.type === r.type && x.desc === r.desc);
  }

  begin(r: RangeType): void {
    if (this.has(r)) {
      throw broken(`discovered event already in-flight for when starting event ${eventName(r.type)}`);
    }
    this.own().push(r);
  }

  active(r: RangeType, initialGen: boolean): void {
    if (initialGen) {
      if (this.has(r)) {
        throw broken(`found named active range already in first gen: ${eventName(r.type)}`);
      }
      this.own().push(r);
    } else if (!this.has(r)) {
      throw broken(`resource is missing active range: ${eventName(r.type)}`);
    }
  }

  end(type: number): number {
    const start = eventSpec(type)!.startType;
    const idx = this.inFlight.findIndex((r) => r.type === start);
    if (idx < 0) {
      throw broken(`tried to end event ${eventName(start)}, but not in-flight`);
    }
    const desc = this.inFlight[idx].desc;
    this.inFlight[idx] = this.inFlight[this.inFlight.length - 1];
    this.inFlight.pop();
    return desc;
  }
}

interface GState extends RangeState {
  id: number;
  status: number;
  seq: Seq;
  regions: Array<{ task: number; name: string }>;
}

interface PState extends RangeState {
  id: number;
  status: number;
  seq: Seq;
}

interface MState {
  g: number;
  p: number;
}

function broken(message: string): MalformedTraceError {
  return new MalformedTraceError(`broken trace: ${message}`);
}

function succeeds(a: Seq, b: Seq): boolean {
  return a.gen === b.gen && a.seq === b.seq + 1;
}

function rangeType(type: number, desc: number): RangeType {
  const start = eventSpec(type)?.startType ?? EV.None;
  return { type: start !== EV.None ? start : type, desc };
}

const MUST_NOT = 0;
const MAY = 1;
const MUST = 2;

function validateCtx(ctx: Ctx, m: number, p: number, g: number, type: number): void {
  const what = eventName(type);
  if (m === MUST && ctx.m === NONE) {
    throw broken(`${what}: expected a thread but didn't have one`);
  } else if (m === MUST_NOT && ctx.m !== NONE) {
    throw broken(`${what}: expected no thread but had one`);
  }
  if (p === MUST && ctx.p === NONE) {
    throw broken(`${what}: expected a proc but didn't have one`);
  } else if (p === MUST_NOT && ctx.p !== NONE) {
    throw broken(`${what}: expected no proc but had one`);
  }
  if (g === MUST && ctx.g === NONE) {
    throw broken(`${what}: expected a goroutine but didn't have one`);
  } else if (g === MUST_NOT && ctx.g !== NONE) {
    throw broken(`${what}: expected no goroutine but had one`);
  }
}

const userGo = (ctx: Ctx, type: number) => validateCtx(ctx, MUST, MUST, MUST, type);

enum GcState {
  Undetermined,
  NotRunning,
  Running,
}

/** A wire event read from a batch, before ordering: type, absolute-to-origin time and arguments after dt. */
export interface BaseEvent {
  type: number;
  time: number;
  args: number[];
}

export class TraceOrdering {
  private readonly gStates = new Map<number, GState>();
  private readonly pStates = new Map<number, PState>();
  private readonly mStates = new Map<number, MState>();
  private readonly activeTasks = new Map<number, { name: string; parent: number }>();
  private gcSeq = 0;
  private gcState = GcState.Undetermined;
  private initialGen = 0;
  private queue: TraceEvent[] = [];
  private head = 0;

  /** The next queued event, if any. */
  next(): TraceEvent | undefined {
    if (this.head < this.queue.length) {
      const e = this.queue[this.head++];
      if (this.head === this.queue.length) {
        this.queue = [];
        this.head = 0;
      }
      return e;
    }
    return undefined;
  }

  private push(table: TraceGeneration, ctx: Ctx, ev: BaseEvent, taskName?: string): void {
    const e: TraceEvent = { type: ev.type, time: ev.time, args: ev.args, g: ctx.g, p: ctx.p, m: ctx.m, table };
    if (taskName !== undefined) {
      e.taskName = taskName;
    }
    this.queue.push(e);
  }

  private synth(table: TraceGeneration, ctx: Ctx, type: number, time: number, args: number[]): void {
    const full = [0, 0, 0, 0];
    args.forEach((v, i) => (full[i] = v));
    this.queue.push({ type, time, args: full, g: ctx.g, p: ctx.p, m: ctx.m, table });
  }

  /**
   * Tries to accept `ev`, the next event of thread `m`. Returns false when it must wait for other threads' events;
   * throws a {@link MalformedTraceError} when the trace cannot be valid.
   */
  advance(ev: BaseEvent, table: TraceGeneration, m: number, gen: number): boolean {
    if (this.initialGen === 0) {
      this.initialGen = gen;
    }
    let ms: MState | undefined;
    const cur: Ctx = { g: NONE, p: NONE, m };
    if (m !== NONE) {
      ms = this.mStates.get(m);
      if (!ms) {
        ms = { g: NONE, p: NONE };
        this.mStates.set(m, ms);
      }
      cur.p = ms.p;
      cur.g = ms.g;
    }
    const result = this.dispatch(ev, table, m, gen, cur);
    if (result && ms) {
      ms.p = result.p;
      ms.g = result.g;
    }
    return result !== undefined;
  }

  /** Returns the new context of the thread when the event was accepted, undefined when it must wait. */
  private dispatch(ev: BaseEvent, t: TraceGeneration, m: number, gen: number, cur: Ctx): Ctx | undefined {
    switch (ev.type) {
      case EV.ProcsChange:
      case EV.GoLabel:
      case EV.UserLog:
        userGo(cur, ev.type);
        this.push(t, cur, ev);
        return cur;
      case EV.ProcStart:
        return this.procStart(ev, t, gen, cur);
      case EV.ProcStop:
        return this.procStop(ev, t, cur);
      case EV.ProcSteal:
        return this.procSteal(ev, t, gen, cur);
      case EV.ProcStatus:
        return this.procStatus(ev, t, gen, cur);
      case EV.GoCreate:
      case EV.GoCreateBlocked:
        return this.goCreate(ev, t, gen, cur);
      case EV.GoCreateSyscall:
        return this.goCreateSyscall(ev, t, gen, cur);
      case EV.GoStart:
        return this.goStart(ev, t, gen, cur);
      case EV.GoDestroy:
      case EV.GoStop:
      case EV.GoBlock:
        return this.goStopExec(ev, t, cur);
      case EV.GoDestroySyscall:
        return this.goDestroySyscall(ev, t, cur);
      case EV.GoUnblock:
        return this.goUnblock(ev, t, gen, cur);
      case EV.GoSwitch:
      case EV.GoSwitchDestroy:
        return this.goSwitch(ev, t, gen, cur);
      case EV.GoSyscallBegin:
        return this.goSyscallBegin(ev, t, gen, cur);
      case EV.GoSyscallEnd:
        return this.goSyscallEnd(ev, t, cur);
      case EV.GoSyscallEndBlocked:
        return this.goSyscallEndBlocked(ev, t, cur);
      case EV.GoStatus:
      case EV.GoStatusStack:
        return this.goStatus(ev, t, gen, cur);
      case EV.STWBegin:
      case EV.GCMarkAssistBegin:
        return this.goRangeBegin(ev, t, cur);
      case EV.STWEnd:
      case EV.GCMarkAssistEnd:
        return this.goRangeEnd(ev, t, cur);
      case EV.GCMarkAssistActive:
        return this.goRangeActive(ev, t, gen, cur);
      case EV.GCActive:
        return this.gcActive(ev, t, gen, cur);
      case EV.GCBegin:
        return this.gcBegin(ev, t, cur);
      case EV.GCEnd:
        return this.gcEnd(ev, t, cur);
      case EV.GCSweepBegin:
        validateCtx(cur, MUST, MUST, MAY, ev.type);
        this.pStates.get(cur.p)!.begin(rangeType(ev.type, 0));
        this.push(t, cur, ev);
        return cur;
      case EV.GCSweepActive: {
        const ps = this.pStates.get(ev.args[0]);
        if (!ps) {
          throw broken(`encountered GCSweepActive for unknown proc ${ev.args[0]}`);
        }
        ps.active(rangeType(ev.type, 0), gen === this.initialGen);
        this.push(t, cur, ev);
        return cur;
      }
      case EV.GCSweepEnd:
        validateCtx(cur, MUST, MUST, MAY, ev.type);
        this.pStates.get(cur.p)!.end(ev.type);
        this.push(t, cur, ev);
        return cur;
      case EV.HeapAlloc:
      case EV.HeapGoal:
        validateCtx(cur, MUST, MUST, MAY, ev.type);
        this.push(t, cur, ev);
        return cur;
      case EV.UserTaskBegin:
        return this.taskBegin(ev, t, cur);
      case EV.UserTaskEnd:
        return this.taskEnd(ev, t, cur);
      case EV.UserRegionBegin:
      case EV.UserRegionEnd:
        return this.region(ev, t, cur);
      default:
        if (ev.type >= EV.FirstExperimental && ev.type <= EV.LastExperimental) {
          validateCtx(cur, MUST, MAY, MAY, ev.type);
          this.push(t, cur, ev);
          return cur;
        }
        throw broken(`bad event type found while ordering: ${ev.type}`);
    }
  }

  private procStatus(ev: BaseEvent, t: TraceGeneration, gen: number, cur: Ctx): Ctx {
    const pid = ev.args[0];
    const status = ev.args[1];
    if (status >= PROC_STATUS_TO_STATE.length) {
      throw broken(`invalid status for proc ${pid}: ${status}`);
    }
    let oldState: ProcState = PROC_STATUS_TO_STATE[status];
    const s = this.pStates.get(pid);
    if (s) {
      if (status === PROC_STATUS.SyscallAbandoned && s.status === PROC_STATUS.Syscall) {
        oldState = ProcState.Running;
        ev.args[1] = PROC_STATUS.Syscall;
      } else if (status === PROC_STATUS.SyscallAbandoned && s.status === PROC_STATUS.SyscallAbandoned) {
        oldState = ProcState.Idle;
        ev.args[1] = PROC_STATUS.SyscallAbandoned;
      } else if (s.status !== status) {
        throw broken(`inconsistent status for proc ${pid}: old ${s.status} vs. new ${status}`);
      }
      s.seq = { gen, seq: 0 };
    } else {
      this.pStates.set(pid, Object.assign(new RangeState(), { id: pid, status, seq: { gen, seq: 0 } }));
      oldState = gen === this.initialGen ? ProcState.Undetermined : ProcState.NotExist;
    }
    ev.args[2] = oldState;
    const next = { ...cur };
    if (status === PROC_STATUS.Running || status === PROC_STATUS.Syscall) {
      next.p = pid;
    }
    if (status === PROC_STATUS.SyscallAbandoned && oldState === ProcState.Running) {
      let found = false;
      for (const [mid, state] of this.mStates) {
        if (state.p === pid) {
          cur = { m: mid, p: pid, g: state.g };
          found = true;
        }
      }
      if (!found) {
        throw broken(`failed to find sched context for proc ${pid} that's about to be stolen`);
      }
    }
    this.push(t, cur, ev);
    return next;
  }

  private procStart(ev: BaseEvent, t: TraceGeneration, gen: number, cur: Ctx): Ctx | undefined {
    const pid = ev.args[0];
    const seq = { gen, seq: ev.args[1] };
    const state = this.pStates.get(pid);
    if (!state || state.status !== PROC_STATUS.Idle || !succeeds(seq, state.seq) || cur.p !== NONE) {
      return undefined;
    }
    validateCtx(cur, MUST, MUST_NOT, MAY, ev.type);
    state.status = PROC_STATUS.Running;
    state.seq = seq;
    this.push(t, cur, ev);
    return { ...cur, p: pid };
  }

  private procStop(ev: BaseEvent, t: TraceGeneration, cur: Ctx): Ctx {
    const state = this.pStates.get(cur.p);
    if (!state) {
      throw broken(`event ProcStop for proc (${cur.p}) that doesn't exist`);
    }
    if (state.status !== PROC_STATUS.Running && state.status !== PROC_STATUS.Syscall) {
      throw broken(`ProcStop event for proc that's not Running or Syscall`);
    }
    validateCtx(cur, MUST, MUST, MAY, ev.type);
    state.status = PROC_STATUS.Idle;
    this.push(t, cur, ev);
    return { ...cur, p: NONE };
  }

  private procSteal(ev: BaseEvent, t: TraceGeneration, gen: number, cur: Ctx): Ctx | undefined {
    const pid = ev.args[0];
    const seq = { gen, seq: ev.args[1] };
    const state = this.pStates.get(pid);
    if (
      !state ||
      (state.status !== PROC_STATUS.Syscall && state.status !== PROC_STATUS.SyscallAbandoned) ||
      !succeeds(seq, state.seq)
    ) {
      return undefined;
    }
    validateCtx(cur, MUST, MAY, MAY, ev.type);
    const oldStatus = state.status;
    const mid = signedId(ev.args[2]);
    ev.args[3] = oldStatus;
    state.status = PROC_STATUS.Idle;
    state.seq = seq;
    if (oldStatus === PROC_STATUS.SyscallAbandoned) {
      this.push(t, cur, ev);
      return cur;
    }
    if (mid === cur.m) {
      if (cur.p !== pid) {
        throw broken(`tried to self-steal proc ${pid} (thread ${mid}), but got proc ${cur.p} instead`);
      }
      this.push(t, cur, ev);
      return { ...cur, p: NONE };
    }
    const victim = this.mStates.get(mid);
    if (!victim) {
      throw broken(`stole proc from non-existent thread ${mid}`);
    }
    if (victim.p !== pid) {
      throw broken(`tried to steal proc ${pid} from thread ${mid}, but got proc ${victim.p} instead`);
    }
    victim.p = NONE;
    this.push(t, cur, ev);
    return cur;
  }

  private goStatus(ev: BaseEvent, t: TraceGeneration, gen: number, cur: Ctx): Ctx {
    const gid = ev.args[0];
    const mid = signedId(ev.args[1]);
    const status = ev.args[2];
    if (status >= GO_STATUS_TO_STATE.length) {
      throw broken(`invalid status for goroutine ${gid}: ${status}`);
    }
    let oldState: GoState = GO_STATUS_TO_STATE[status];
    const s = this.gStates.get(gid);
    if (s) {
      if (s.status !== status) {
        throw broken(`inconsistent status for goroutine ${gid}: old ${s.status} vs. new ${status}`);
      }
      s.seq = { gen, seq: 0 };
    } else if (gen === this.initialGen) {
      this.gStates.set(gid, newGState(gid, status, gen));
      oldState = GoState.Undetermined;
    } else {
      throw broken(`found goroutine status for new goroutine after the first generation: id=${gid} status=${status}`);
    }
    ev.args[2] = oldState * 2 ** 32 + status;
    const next = { ...cur };
    if (status === GO_STATUS.Running) {
      next.g = gid;
    } else if (status === GO_STATUS.Syscall) {
      if (mid === NONE) {
        throw broken(`found goroutine ${gid} in syscall without a thread`);
      }
      if (mid === cur.m) {
        if (gen !== this.initialGen && cur.g !== gid) {
          throw broken(`inconsistent thread for syscalling goroutine ${gid}: thread has goroutine ${cur.g}`);
        }
        next.g = gid;
      } else {
        const other = this.mStates.get(mid);
        if (other) {
          if (other.g !== gid) {
            throw broken(`inconsistent thread for syscalling goroutine ${gid}: thread has goroutine ${other.g}`);
          }
          cur = { ...cur, g: other.g };
        } else {
          this.mStates.set(mid, { g: gid, p: NONE });
        }
        cur = { ...cur, m: mid };
      }
    }
    this.push(t, cur, ev);
    return next;
  }

  private goCreate(ev: BaseEvent, t: TraceGeneration, gen: number, cur: Ctx): Ctx {
    validateCtx(cur, MUST, MUST, MAY, ev.type);
    const creator = this.gStates.get(cur.g);
    if (creator && creator.status !== GO_STATUS.Running) {
      throw broken(`${eventName(ev.type)} event for goroutine that's not Running`);
    }
    const id = ev.args[0];
    if (this.gStates.has(id)) {
      throw broken(`tried to create goroutine (${id}) that already exists`);
    }
    const status = ev.type === EV.GoCreateBlocked ? GO_STATUS.Waiting : GO_STATUS.Runnable;
    this.gStates.set(id, newGState(id, status, gen));
    this.push(t, cur, ev);
    return cur;
  }

  private runningG(ev: BaseEvent, cur: Ctx, want: number = GO_STATUS.Running): GState {
    const state = this.gStates.get(cur.g);
    if (!state) {
      throw broken(`event ${eventName(ev.type)} for goroutine (${cur.g}) that doesn't exist`);
    }
    if (state.status !== want) {
      throw broken(
        `${eventName(ev.type)} event for goroutine that's not ${want === GO_STATUS.Running ? 'Running' : 'Syscall'}`
      );
    }
    return state;
  }

  private goStopExec(ev: BaseEvent, t: TraceGeneration, cur: Ctx): Ctx {
    userGo(cur, ev.type);
    const state = this.runningG(ev, cur);
    if (ev.type === EV.GoDestroy) {
      this.gStates.delete(cur.g);
    } else {
      state.status = ev.type === EV.GoStop ? GO_STATUS.Runnable : GO_STATUS.Waiting;
    }
    this.push(t, cur, ev);
    return { ...cur, g: NONE };
  }

  /**
   * Moves the event's goroutine (args: goroutine, sequence) from `from` to `to` when this event is next in its
   * sequence; undefined when the event must wait (Go's internal/trace/order.go advanceGoStart / advanceGoUnblock).
   */
  private advanceGoroutine(ev: BaseEvent, gen: number, from: number, to: number): GState | undefined {
    const seq = { gen, seq: ev.args[1] };
    const state = this.gStates.get(ev.args[0]);
    if (!state || state.status !== from || !succeeds(seq, state.seq)) {
      return undefined;
    }
    state.status = to;
    state.seq = seq;
    return state;
  }

  private goStart(ev: BaseEvent, t: TraceGeneration, gen: number, cur: Ctx): Ctx | undefined {
    if (!this.advanceGoroutine(ev, gen, GO_STATUS.Runnable, GO_STATUS.Running)) {
      return undefined;
    }
    validateCtx(cur, MUST, MUST, MUST_NOT, ev.type);
    this.push(t, cur, ev);
    return { ...cur, g: ev.args[0] };
  }

  private goUnblock(ev: BaseEvent, t: TraceGeneration, gen: number, cur: Ctx): Ctx | undefined {
    if (!this.advanceGoroutine(ev, gen, GO_STATUS.Waiting, GO_STATUS.Runnable)) {
      return undefined;
    }
    this.push(t, cur, ev);
    return cur;
  }

  private goSwitch(ev: BaseEvent, t: TraceGeneration, gen: number, cur: Ctx): Ctx | undefined {
    userGo(cur, ev.type);
    const curState = this.runningG(ev, cur);
    const nextG = ev.args[0];
    const seq = { gen, seq: ev.args[1] };
    const nextState = this.gStates.get(nextG);
    if (!nextState || nextState.status !== GO_STATUS.Waiting || !succeeds(seq, nextState.seq)) {
      return undefined;
    }
    this.push(t, cur, ev);
    if (ev.type === EV.GoSwitch) {
      curState.status = GO_STATUS.Waiting;
      this.synth(t, cur, EV.GoBlock, ev.time, [0, 0]);
    } else {
      this.gStates.delete(cur.g);
      this.synth(t, cur, EV.GoDestroy, ev.time, []);
    }
    nextState.status = GO_STATUS.Running;
    nextState.seq = seq;
    this.synth(t, { ...cur, g: NONE }, EV.GoStart, ev.time, [nextG, ev.args[1]]);
    return { ...cur, g: nextG };
  }

  private goSyscallBegin(ev: BaseEvent, t: TraceGeneration, gen: number, cur: Ctx): Ctx {
    userGo(cur, ev.type);
    const state = this.runningG(ev, cur);
    state.status = GO_STATUS.Syscall;
    const ps = this.pStates.get(cur.p);
    if (!ps) {
      throw broken(`uninitialized proc ${cur.p} found during GoSyscallBegin`);
    }
    ps.status = PROC_STATUS.Syscall;
    const pSeq = { gen, seq: ev.args[0] };
    if (!succeeds(pSeq, ps.seq)) {
      throw broken(`failed to advance GoSyscallBegin: can't make sequence: ${ps.seq.seq} -> ${pSeq.seq}`);
    }
    ps.seq = pSeq;
    this.push(t, cur, ev);
    return cur;
  }

  private goSyscallEnd(ev: BaseEvent, t: TraceGeneration, cur: Ctx): Ctx {
    userGo(cur, ev.type);
    const state = this.runningG(ev, cur, GO_STATUS.Syscall);
    state.status = GO_STATUS.Running;
    const ps = this.pStates.get(cur.p);
    if (!ps) {
      throw broken(`uninitialized proc ${cur.p} found during GoSyscallEnd`);
    }
    if (ps.status !== PROC_STATUS.Syscall) {
      throw broken(`expected proc ${cur.p} in state Syscall, but got ${ps.status} instead`);
    }
    ps.status = PROC_STATUS.Running;
    this.push(t, cur, ev);
    return cur;
  }

  private goSyscallEndBlocked(ev: BaseEvent, t: TraceGeneration, cur: Ctx): Ctx | undefined {
    if (cur.p !== NONE) {
      const ps = this.pStates.get(cur.p);
      if (!ps) {
        throw broken(`uninitialized proc ${cur.p} found during GoSyscallEndBlocked`);
      }
      if (ps.status === PROC_STATUS.Syscall) {
        return undefined;
      }
    }
    validateCtx(cur, MUST, MAY, MUST, ev.type);
    const state = this.runningG(ev, cur, GO_STATUS.Syscall);
    state.status = GO_STATUS.Runnable;
    this.push(t, cur, ev);
    return { ...cur, g: NONE };
  }

  private goCreateSyscall(ev: BaseEvent, t: TraceGeneration, gen: number, cur: Ctx): Ctx {
    validateCtx(cur, MUST, MAY, MUST_NOT, ev.type);
    const id = ev.args[0];
    if (this.gStates.has(id)) {
      throw broken(`tried to create goroutine (${id}) in syscall that already exists`);
    }
    this.gStates.set(id, newGState(id, GO_STATUS.Syscall, gen));
    this.push(t, cur, ev);
    return { ...cur, g: id };
  }

  private goDestroySyscall(ev: BaseEvent, t: TraceGeneration, cur: Ctx): Ctx {
    validateCtx(cur, MUST, MAY, MUST, ev.type);
    this.runningG(ev, cur, GO_STATUS.Syscall);
    this.gStates.delete(cur.g);
    const next = { ...cur, g: NONE };
    if (cur.p !== NONE) {
      const ps = this.pStates.get(cur.p);
      if (!ps) {
        throw broken(`found invalid proc ${cur.p} during GoDestroySyscall`);
      }
      if (ps.status !== PROC_STATUS.Syscall) {
        throw broken(`proc ${cur.p} in unexpected state ${ps.status} during GoDestroySyscall`);
      }
      ps.status = PROC_STATUS.SyscallAbandoned;
      next.p = NONE;
      this.synth(t, cur, EV.ProcSteal, ev.time, [cur.p, 0, 0, PROC_STATUS.Syscall]);
    }
    this.push(t, cur, ev);
    return next;
  }

  private taskBegin(ev: BaseEvent, t: TraceGeneration, cur: Ctx): Ctx {
    const id = ev.args[0];
    if (this.activeTasks.has(id)) {
      throw broken(`task ID conflict: ${id}`);
    }
    let parent = ev.args[1];
    if (parent === 0) {
      parent = NO_TASK;
      ev.args[1] = NO_TASK;
    }
    const nameId = ev.args[2];
    if (nameId !== 0 && !t.strings.has(nameId)) {
      throw broken(`invalid string ID ${nameId} for UserTaskBegin event`);
    }
    this.activeTasks.set(id, { name: t.strings.get(nameId) ?? '', parent });
    userGo(cur, ev.type);
    this.push(t, cur, ev);
    return cur;
  }

  private taskEnd(ev: BaseEvent, t: TraceGeneration, cur: Ctx): Ctx {
    const id = ev.args[0];
    const task = this.activeTasks.get(id);
    let name = '';
    if (task) {
      ev.args[2] = task.parent;
      name = task.name;
      this.activeTasks.delete(id);
    } else {
      ev.args[2] = NO_TASK;
    }
    userGo(cur, ev.type);
    this.push(t, cur, ev, name);
    return cur;
  }

  private region(ev: BaseEvent, t: TraceGeneration, cur: Ctx): Ctx {
    userGo(cur, ev.type);
    const task = ev.args[0];
    const nameId = ev.args[1];
    if (nameId !== 0 && !t.strings.has(nameId)) {
      throw broken(`invalid string ID ${nameId} for ${eventName(ev.type)} event`);
    }
    const name = t.strings.get(nameId) ?? '';
    const gs = this.gStates.get(cur.g);
    if (!gs) {
      throw broken(`encountered ${eventName(ev.type)} without known state for current goroutine ${cur.g}`);
    }
    if (ev.type === EV.UserRegionBegin) {
      if (gs.regions === NO_REGIONS) {
        gs.regions = [];
      }
      gs.regions.push({ task, name });
    } else if (gs.regions.length > 0) {
      const inner = gs.regions[gs.regions.length - 1];
      if (inner.task !== task || inner.name !== name) {
        throw broken(
          `misuse of region in goroutine ${gs.id}: region end ${name} when the inner-most active region start event is ${inner.name}`
        );
      }
      gs.regions.pop();
    }
    this.push(t, cur, ev);
    return cur;
  }

  private gcActive(ev: BaseEvent, t: TraceGeneration, gen: number, cur: Ctx): Ctx | undefined {
    const seq = ev.args[0];
    if (gen === this.initialGen) {
      if (this.gcState !== GcState.Undetermined) {
        throw broken(`GCActive in the first generation isn't first GC event`);
      }
      this.gcSeq = seq;
      this.gcState = GcState.Running;
      this.push(t, cur, ev);
      return cur;
    }
    if (seq !== this.gcSeq + 1) {
      return undefined;
    }
    if (this.gcState !== GcState.Running) {
      throw broken(`encountered GCActive while GC was not in progress`);
    }
    this.gcSeq = seq;
    userGo(cur, ev.type);
    this.push(t, cur, ev);
    return cur;
  }

  private gcBegin(ev: BaseEvent, t: TraceGeneration, cur: Ctx): Ctx | undefined {
    const seq = ev.args[0];
    if (this.gcState === GcState.Undetermined) {
      this.gcSeq = seq;
      this.gcState = GcState.Running;
      this.push(t, cur, ev);
      return cur;
    }
    if (seq !== this.gcSeq + 1) {
      return undefined;
    }
    if (this.gcState === GcState.Running) {
      throw broken(`encountered GCBegin while GC was already in progress`);
    }
    this.gcSeq = seq;
    this.gcState = GcState.Running;
    userGo(cur, ev.type);
    this.push(t, cur, ev);
    return cur;
  }

  private gcEnd(ev: BaseEvent, t: TraceGeneration, cur: Ctx): Ctx | undefined {
    const seq = ev.args[0];
    if (seq !== this.gcSeq + 1) {
      return undefined;
    }
    if (this.gcState === GcState.NotRunning) {
      throw broken(`encountered GCEnd when GC was not in progress`);
    }
    if (this.gcState === GcState.Undetermined) {
      throw broken(`encountered GCEnd when GC was in an undetermined state`);
    }
    this.gcSeq = seq;
    this.gcState = GcState.NotRunning;
    userGo(cur, ev.type);
    this.push(t, cur, ev);
    return cur;
  }

  private goRangeBegin(ev: BaseEvent, t: TraceGeneration, cur: Ctx): Ctx {
    userGo(cur, ev.type);
    const desc = ev.type === EV.STWBegin ? ev.args[0] : 0;
    const gs = this.gStates.get(cur.g);
    if (!gs) {
      throw broken(`encountered event of type ${ev.type} without known state for current goroutine ${cur.g}`);
    }
    gs.begin(rangeType(ev.type, desc));
    this.push(t, cur, ev);
    return cur;
  }

  private goRangeActive(ev: BaseEvent, t: TraceGeneration, gen: number, cur: Ctx): Ctx {
    const gid = ev.args[0];
    const gs = this.gStates.get(gid);
    if (!gs) {
      throw broken(`uninitialized goroutine ${gid} found during ${eventName(ev.type)}`);
    }
    gs.active(rangeType(ev.type, 0), gen === this.initialGen);
    this.push(t, cur, ev);
    return cur;
  }

  private goRangeEnd(ev: BaseEvent, t: TraceGeneration, cur: Ctx): Ctx {
    userGo(cur, ev.type);
    const gs = this.gStates.get(cur.g);
    if (!gs) {
      throw broken(`encountered event of type ${ev.type} without known state for current goroutine ${cur.g}`);
    }
    const desc = gs.end(ev.type);
    if (ev.type === EV.STWEnd) {
      ev.args[0] = desc;
    }
    this.push(t, cur, ev);
    return cur;
  }
}

function newGState(id: number, status: number, gen: number): GState {
  return Object.assign(new RangeState(), { id, status, seq: { gen, seq: 0 }, regions: NO_REGIONS });
}

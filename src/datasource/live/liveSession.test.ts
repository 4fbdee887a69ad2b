import { readFileSync } from 'fs';
import { join } from 'path';
import { Observable, Subscriber } from 'rxjs';

import { parsePprof, type Profile, snapshotFromText } from '../../core';
import { fixturesRoot } from '../../../tests/support/fixtures';
import type { CapturePlan } from '../pprof/capturePlan';
import type { PprofClient } from '../pprof/pprofClient';
import { QueryFailure } from '../transport/failure';
import { LiveSession, SessionEnvironment } from './liveSession';

const T = 1_800_000_000_000;
const cpuProfile: Profile = parsePprof(
  new Uint8Array(readFileSync(join(fixturesRoot, 'demo', 'busy-select', 'cpu.pb.gz')))
);
const heapProfile: Profile = parsePprof(new Uint8Array(readFileSync(join(fixturesRoot, 'demo', 'idle', 'heap.pb.gz'))));
const dumpText = readFileSync(join(fixturesRoot, 'demo', 'idle', 'goroutine.debug2.txt'), 'utf8');

/** A manual clock: timers run when the test advances time. */
class Clock implements SessionEnvironment {
  t = T;
  isHidden = false;
  private timers: Array<{ at: number; fn: () => void; id: number }> = [];
  private visible: Array<() => void> = [];
  private ids = 0;
  now = () => this.t;
  hidden = () => this.isHidden;
  onVisible = (listener: () => void) => {
    this.visible.push(listener);
    return () => (this.visible = this.visible.filter((l) => l !== listener));
  };
  setTimeout = (fn: () => void, ms: number) => {
    const id = ++this.ids;
    this.timers.push({ at: this.t + ms, fn, id });
    return id;
  };
  clearTimeout = (id: unknown) => {
    this.timers = this.timers.filter((x) => x.id !== id);
  };
  advance(ms: number) {
    const end = this.t + ms;
    for (;;) {
      const next = this.timers.filter((x) => x.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!next) {
        break;
      }
      this.timers = this.timers.filter((x) => x !== next);
      this.t = next.at;
      next.fn();
    }
    this.t = end;
  }
  show() {
    this.isHidden = false;
    this.visible.forEach((l) => l());
  }
}

interface Pending {
  what: string;
  subscriber: Subscriber<unknown>;
  closed: boolean;
}

/** A pprof client whose requests stay open until the test answers them. */
function fakeClient(clock: Clock) {
  const pending: Pending[] = [];
  const open = (what: string) =>
    new Observable<unknown>((subscriber) => {
      const p: Pending = { what, subscriber, closed: false };
      pending.push(p);
      return () => {
        p.closed = true;
      };
    });
  const client = {
    path: () => '/debug/pprof/',
    capture: (plan: CapturePlan) => open(plan.profile),
    goroutines: () => open('dump'),
  } as unknown as PprofClient;
  const inFlight = () => pending.filter((p) => !p.closed && !p.subscriber.closed);
  const answer = (what: string, afterMs = 0) => {
    const p = inFlight().find((x) => x.what === what);
    if (!p) {
      throw new Error(
        `no ${what} request in flight (${inFlight()
          .map((x) => x.what)
          .join(', ')})`
      );
    }
    clock.advance(afterMs);
    const capturedAt = clock.now();
    if (what === 'dump') {
      p.subscriber.next({ snapshot: snapshotFromText(dumpText), capturedAt, bytes: dumpText.length });
    } else {
      p.subscriber.next({ profile: what === 'cpu' ? cpuProfile : heapProfile, capturedAt, bytes: 1000 });
    }
    p.subscriber.complete();
    // The session schedules again on a zero timer.
    clock.advance(0);
  };
  const fail = (what: string, error: Error) => {
    inFlight()
      .find((x) => x.what === what)!
      .subscriber.error(error);
    clock.advance(0);
  };
  return { client, pending, inFlight, answer, fail };
}

function setup(limits = {}) {
  const clock = new Clock();
  const fake = fakeClient(clock);
  const session = new LiveSession(fake.client, undefined, { idleGraceMs: 20_000, ...limits }, clock, 30);
  return { clock, fake, session };
}

describe('live session', () => {
  it('two subscribers on one target share one CPU window at a time and see every capture', () => {
    const { fake, session } = setup({ cpuSeconds: 5 });
    const seenA: string[][] = [];
    const seenB: string[][] = [];
    const a = session.watch({ cpu: true }).subscribe((e) => seenA.push(e.kinds));
    const b = session.watch({ cpu: true }).subscribe((e) => seenB.push(e.kinds));
    expect(fake.inFlight().map((p) => p.what)).toEqual(['cpu']);
    fake.answer('cpu', 5000);
    // Back to back: the next window starts as the previous one ends, still one at a time.
    expect(fake.inFlight().map((p) => p.what)).toEqual(['cpu']);
    expect(seenA.filter((k) => k.includes('cpu'))).toHaveLength(1);
    expect(seenB.filter((k) => k.includes('cpu'))).toHaveLength(1);
    expect(session.store.all('cpu')).toHaveLength(1);
    const [w] = session.store.all('cpu');
    expect(w.to - w.from).toBeCloseTo(cpuProfile.durationNanos / 1e6, 3);
    a.unsubscribe();
    b.unsubscribe();
  });

  it('a target that answers a CPU window at once is not asked again before the window length has passed', () => {
    const { clock, fake, session } = setup({ cpuSeconds: 5 });
    const sub = session.watch({ cpu: true }).subscribe();
    fake.answer('cpu', 0);
    expect(fake.inFlight()).toHaveLength(0);
    clock.advance(4999);
    expect(fake.pending.filter((p) => p.what === 'cpu')).toHaveLength(1);
    clock.advance(1);
    expect(fake.inFlight().map((p) => p.what)).toEqual(['cpu']);
    sub.unsubscribe();
  });

  it('a refresh (leave, then subscribe again) reuses the CPU window in flight; after the grace period polling stops', () => {
    const { clock, fake, session } = setup();
    const first = session.watch({ cpu: true }).subscribe();
    clock.advance(4000);
    first.unsubscribe();
    clock.advance(1000);
    const second = session.watch({ cpu: true }).subscribe();
    expect(fake.pending.filter((p) => p.what === 'cpu')).toHaveLength(1);
    expect(fake.inFlight()).toHaveLength(1);
    second.unsubscribe();
    clock.advance(20_000);
    expect(fake.inFlight()).toHaveLength(0);
    expect(session.status().polling).toBe(false);
    // What was captured stays for the next subscriber.
    expect(session.startedAt).toBe(T);
  });

  it('keeps at most two requests in flight, CPU first', () => {
    const { fake, session } = setup();
    const sub = session
      .watch({ cpu: true, dumps: true, goroutines: true, cumulative: ['mutex'], snapshots: ['heap'] })
      .subscribe();
    expect(fake.inFlight().map((p) => p.what)).toEqual(['cpu', 'dump']);
    fake.answer('dump', 10);
    expect(fake.inFlight()).toHaveLength(2);
    expect(fake.inFlight()[0].what).toBe('cpu');
    sub.unsubscribe();
  });

  it('backs off when another client holds the CPU profiler and says so in the status', () => {
    const { clock, fake, session } = setup();
    const sub = session.watch({ cpu: true }).subscribe();
    fake.fail(
      'cpu',
      new QueryFailure(
        { target: 'demo', profile: 'cpu profile' },
        'HTTP 500: Could not enable CPU profiling: cpu profiling already in use',
        500
      )
    );
    const busy = session.status().cpuBusy!;
    expect(busy.retryAt - busy.since).toBe(15_000);
    expect(fake.inFlight()).toHaveLength(0);
    clock.advance(14_000);
    expect(fake.inFlight()).toHaveLength(0);
    clock.advance(1000);
    expect(fake.inFlight().map((p) => p.what)).toEqual(['cpu']);
    fake.answer('cpu', 10_000);
    expect(session.status().cpuBusy).toBeUndefined();
    sub.unsubscribe();
  });

  it('starts nothing while the page is hidden and resumes when it shows', () => {
    const { clock, fake, session } = setup();
    clock.isHidden = true;
    const sub = session.watch({ goroutines: true }).subscribe();
    expect(fake.inFlight()).toHaveLength(0);
    expect(session.status().paused).toBe(true);
    clock.show();
    expect(fake.inFlight().map((p) => p.what)).toEqual(['dump']);
    sub.unsubscribe();
  });

  it('polls a costly dump less often and counts the cost against the target time', () => {
    const { clock, fake, session } = setup({ goroutineIntervalMs: 5000, dumpIntervalMs: 10_000 });
    const sub = session.watch({ goroutines: true, dumps: true }).subscribe();
    // A dump that takes 100 ms: at 5 s it would cost 2% of the target's time; within its 0.5% share, one per 20 s.
    fake.answer('dump', 100);
    const intervals = session.status().intervals;
    expect(intervals.dump).toBe(20_000);
    // Counts then come from the cheaper goroutine proto profile at the count cadence.
    expect(intervals.goroutine).toBe(5000);
    expect(fake.inFlight().map((p) => p.what)).toContain('goroutine');
    fake.answer('goroutine', 2);
    // Requests of the last minute over a minute, above the transport floor (the quickest request, 2 ms).
    expect(session.status().costShare).toBeCloseTo(98 / 60_000, 9);
    clock.advance(60_000);
    expect(session.status().costShare).toBeLessThan(0.01);
    sub.unsubscribe();
  });
});

/**
 * Sharing and serialising requests to one target.
 *
 * Why: a Go process runs one CPU profile (and one execution trace) at a time; a second `/debug/pprof/profile`
 * while one runs answers HTTP 500 "Could not enable CPU profiling: cpu profiling already in use"
 * (golang/go:src/net/http/pprof/pprof.go `Profile`, runtime/pprof `StartCPUProfile`). A dashboard with several
 * panels on one service asks for the same capture at the same moment, so:
 * - {@link SingleFlight}: identical requests in flight share one upstream request and all get its result;
 *   the upstream request is aborted only when every subscriber has unsubscribed (rxjs `share` ref counting);
 * - {@link ExclusiveLane}: different captures of the same exclusive kind on one target run one after the other
 *   instead of failing.
 * Both are keyed by target (the data-proxy URL plus path prefix) and kept per page, so two data source instances
 * pointing at the same proxy URL share them too.
 */
import { Observable, Subscription, defer, finalize, share } from 'rxjs';

export class SingleFlight {
  private readonly inflight = new Map<string, Observable<unknown>>();

  run<T>(key: string, start: () => Observable<T>): Observable<T> {
    return defer(() => {
      let shared = this.inflight.get(key) as Observable<T> | undefined;
      if (!shared) {
        const created: Observable<T> = start().pipe(
          finalize(() => {
            if (this.inflight.get(key) === created) {
              this.inflight.delete(key);
            }
          }),
          share({ resetOnError: true, resetOnComplete: true, resetOnRefCountZero: true })
        );
        shared = created;
        this.inflight.set(key, created);
      }
      return shared;
    });
  }

  /** Number of distinct requests in flight (for tests and diagnostics). */
  get size(): number {
    return this.inflight.size;
  }
}

/** Runs observables one at a time, in subscription order; a cancelled waiter gives up its turn. */
export class ExclusiveLane {
  private tail: Promise<void> = Promise.resolve();

  run<T>(start: () => Observable<T>): Observable<T> {
    return new Observable<T>((subscriber) => {
      let release!: () => void;
      const done = new Promise<void>((resolve) => (release = resolve));
      const previous = this.tail;
      this.tail = previous.then(() => done);
      let inner: Subscription | undefined;
      let cancelled = false;
      previous.then(() => {
        if (cancelled) {
          release();
          return;
        }
        inner = start()
          .pipe(finalize(() => release()))
          .subscribe(subscriber);
      });
      return () => {
        cancelled = true;
        inner?.unsubscribe();
      };
    });
  }
}

/** Lanes by key, created on first use. */
export class LaneRegistry {
  private readonly lanes = new Map<string, ExclusiveLane>();

  lane(key: string): ExclusiveLane {
    let lane = this.lanes.get(key);
    if (!lane) {
      lane = new ExclusiveLane();
      this.lanes.set(key, lane);
    }
    return lane;
  }
}

/** Page-wide instances: every data source instance on the page shares them. */
export const requestFlights = new SingleFlight();
export const exclusiveLanes = new LaneRegistry();

import { Observable, firstValueFrom, lastValueFrom, timer, map } from 'rxjs';

import { ExclusiveLane, SingleFlight } from './singleFlight';

/** An upstream that counts starts and aborts, answering after `ms`. */
function upstream(ms: number) {
  const stats = { started: 0, aborted: 0 };
  const make = (value: string) =>
    new Observable<string>((subscriber) => {
      stats.started++;
      let done = false;
      const t = setTimeout(() => {
        done = true;
        subscriber.next(value);
        subscriber.complete();
      }, ms);
      return () => {
        if (!done) {
          stats.aborted++;
        }
        clearTimeout(t);
      };
    });
  return { stats, make };
}

describe('SingleFlight', () => {
  it('shares one upstream request between identical concurrent requests', async () => {
    const flights = new SingleFlight();
    const { stats, make } = upstream(20);
    const results = await Promise.all(
      Array.from({ length: 20 }, () => firstValueFrom(flights.run('k', () => make('profile'))))
    );
    expect(stats.started).toBe(1);
    expect(new Set(results)).toEqual(new Set(['profile']));
    expect(flights.size).toBe(0);
  });

  it('aborts upstream only when the last subscriber leaves', async () => {
    const flights = new SingleFlight();
    const { stats, make } = upstream(1000);
    const a = flights.run('k', () => make('x')).subscribe();
    const b = flights.run('k', () => make('x')).subscribe();
    a.unsubscribe();
    expect(stats.aborted).toBe(0);
    b.unsubscribe();
    expect(stats.aborted).toBe(1);
    expect(flights.size).toBe(0);
  });

  it('starts a new request once the previous one finished', async () => {
    const flights = new SingleFlight();
    const { stats, make } = upstream(5);
    await lastValueFrom(flights.run('k', () => make('1')));
    await lastValueFrom(flights.run('k', () => make('2')));
    expect(stats.started).toBe(2);
  });
});

describe('ExclusiveLane', () => {
  it('runs different captures one after the other, and skips a waiter that gave up', async () => {
    const lane = new ExclusiveLane();
    const log: string[] = [];
    const job = (name: string) => () => timer(10).pipe(map(() => (log.push(name), name)));
    const first = lastValueFrom(lane.run(job('a')));
    const cancelled = lane.run(job('b')).subscribe();
    const third = lastValueFrom(lane.run(job('c')));
    cancelled.unsubscribe();
    await Promise.all([first, third]);
    expect(log).toEqual(['a', 'c']);
  });
});

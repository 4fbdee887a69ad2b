/**
 * The transition log's uvarint chunks give back exactly what was pushed: times with gaps beyond 2^31 and 2^32 ns,
 * every lane state, waiting reasons, and records that cross the 1 MiB chunk boundaries.
 */
import { LaneState, TransitionLogBuilder } from './traceAnalysis';

describe('transition log', () => {
  it('reads back every pushed transition across chunks and large time gaps', () => {
    const builder = new TransitionLogBuilder();
    const pushed: Array<[number, number, LaneState, number]> = [];
    let time = 0;
    const states = [LaneState.Running, LaneState.Runnable, LaneState.Syscall, LaneState.Waiting, LaneState.Absent];
    for (let i = 0; i < 600_000; i++) {
      time += i % 100_000 === 7 ? 2 ** 31 + i : i % 100_000 === 8 ? 2 ** 40 + 3 : (i * 7919) % 5000;
      const state = states[i % states.length];
      const record: [number, number, LaneState, number] = [
        time,
        (i * 31) % 900_000,
        state,
        state === LaneState.Waiting ? i % 300 : -1,
      ];
      builder.push(...record);
      pushed.push(record);
    }
    const log = builder.finish(900_000, new Int32Array(900_000));
    expect(log.count).toBe(pushed.length);
    const read: Array<[number, number, LaneState, number]> = [];
    for (const c = log.cursor(); c.next();) {
      read.push([c.time, c.goroutine, c.state, c.reason]);
    }
    expect(read).toEqual(pushed);
    expect(time).toBeGreaterThan(2 ** 42);
  });
});

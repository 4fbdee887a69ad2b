/**
 * Trace time buckets on real demo traces: the heatmap columns integrate back to the exact state times summed per
 * goroutine group (sums of the per-goroutine times the Go cross-check proves equal to golang.org/x/exp/trace), lanes
 * name valid states, and latency call trees carry the profile totals.
 */
import { readFixtureBytes } from '../../../tests/support/fixtures';
import { GOROUTINE_STATES } from '../model/goroutineState';
import { analyzeTrace, LATENCY_PROFILES } from './traceAnalysis';
import {
  groupLanes,
  latencyCallTree,
  TRACE_STATE_LABELS,
  traceBuckets,
  traceStateColumns,
  traceWaitState,
} from './traceTimeline';

const analysis = (scenario: string) => analyzeTrace(readFixtureBytes(scenario, 'trace.bin'));

describe('trace timeline buckets', () => {
  it.each([['runnable-backlog'], ['mutex-contention'], ['syscall-heavy']])(
    '%s: heatmap columns integrate to the goroutines’ exact state times',
    (scenario) => {
      const a = analysis(scenario);
      const buckets = traceBuckets(a, 37);
      const columns = traceStateColumns(a, buckets);
      expect(columns).toHaveLength(37);
      const integral = (state: string) =>
        columns.reduce(
          (sum, c, b) =>
            sum + c.counts[GOROUTINE_STATES.indexOf(state as never)] * (buckets.edges[b + 1] - buckets.edges[b]),
          0
        );
      const sum = (f: (g: (typeof a.groups)[number]) => number) => a.groups.reduce((s, g) => s + f(g), 0);
      expect(integral('running')).toBeCloseTo(
        sum((g) => g.running),
        -1
      );
      expect(integral('runnable')).toBeCloseTo(
        sum((g) => g.runnable),
        -1
      );
      expect(integral('syscall')).toBeCloseTo(
        sum((g) => g.syscall),
        -1
      );
      const waitingByState = new Map<string, number>();
      for (const g of a.groups) {
        for (const [reason, ns] of Object.entries(g.waiting)) {
          const state = traceWaitState(reason);
          waitingByState.set(state, (waitingByState.get(state) ?? 0) + ns);
        }
      }
      for (const [state, ns] of waitingByState) {
        expect(integral(state)).toBeCloseTo(ns, -1);
      }
    }
  );

  it('runnable-backlog: the busiest lane is the short-lived tasks, runnable most of the time', () => {
    const a = analysis('runnable-backlog');
    const lanes = groupLanes(a, traceBuckets(a, 20), 5);
    expect(lanes.length).toBe(5);
    expect(lanes[0].name).toMatch(/shortLivedTask$/);
    const states = lanes[0].states.filter((s): s is string => s !== null);
    expect(states.filter((s) => s === 'runnable').length).toBeGreaterThan(states.length / 2);
    for (const lane of lanes) {
      for (const s of lane.states) {
        expect(s === null || TRACE_STATE_LABELS.includes(s)).toBe(true);
      }
    }
  });

  it('mutex-contention: lanes show goroutines waiting on the mutex', () => {
    const a = analysis('mutex-contention');
    const lanes = groupLanes(a, traceBuckets(a, 10), 3);
    expect(lanes.flatMap((l) => l.states)).toContain('mutex/rwmutex');
  });

  it.each(LATENCY_PROFILES.map((p) => [p]))('%s latency call tree: root total = profile total', (profile) => {
    const a = analysis('mutex-contention');
    const tree = latencyCallTree(a, profile);
    const total = a.profiles[profile].reduce((s, r) => s + r.time, 0);
    expect(tree.total[0]).toBe(total);
    expect(tree.names[tree.name[0]]).toBe('total');
    if (profile === 'sync') {
      expect(tree.count).toBeGreaterThan(3);
    }
  });
});

/**
 * Group waits on real demo traces: a group's stacks add up, per state and block reason, to its goroutines' exact
 * state times (the analysis' per-goroutine results, which the Go cross-check proves equal to
 * golang.org/x/exp/trace), summed here from the goroutine list and the group's ids; the call tree of one group
 * carries those totals under its wait categories; the mutex-contention workers wait on sync.(*Mutex).Lock.
 */
import { readFileSync } from 'fs';
import { join } from 'path';

import { readFixtureBytes } from '../../../tests/support/fixtures';
import { analyzeTrace, TraceAnalysis } from './traceAnalysis';
import { groupWaitCallTree, waitCategory } from './traceGroupWaits';

const fromScenario = (scenario: string) =>
  analyzeTrace(readFixtureBytes(scenario, 'trace.bin'), { goroutineDetail: true });

/** Per group: "runnable", "syscall" and "waiting:<reason>" → ns, from the goroutines of the group's ids. */
function expectedFromGoroutines(a: TraceAnalysis): Map<string, Map<string, number>> {
  const byId = new Map(a.goroutines!.map((g) => [g.id, g]));
  const out = new Map<string, Map<string, number>>();
  for (const group of a.groups) {
    const sums = new Map<string, number>();
    const add = (key: string, ns: number) => ns > 0 && sums.set(key, (sums.get(key) ?? 0) + ns);
    for (const id of group.ids) {
      const g = byId.get(id)!;
      add('runnable', g.runnable);
      add('syscall', g.syscall);
      for (const [reason, ns] of Object.entries(g.waiting)) {
        add(`waiting:${reason}`, ns);
      }
    }
    out.set(group.name, sums);
  }
  return out;
}

function fromRecords(a: TraceAnalysis): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  for (const r of a.groupWaits) {
    const sums = out.get(r.group) ?? new Map<string, number>();
    const key = r.kind === 'waiting' ? `waiting:${r.reason}` : r.kind;
    sums.set(key, (sums.get(key) ?? 0) + r.time);
    out.set(r.group, sums);
  }
  for (const group of a.groups) {
    out.set(group.name, out.get(group.name) ?? new Map());
  }
  return out;
}

describe('goroutine group waits by stack', () => {
  it.each([['mutex-contention'], ['runnable-backlog'], ['syscall-heavy'], ['busy-select'], ['normal-load']])(
    '%s: each group’s stacks sum to its goroutines’ scheduler wait, syscall and blocked time per reason',
    (scenario) => {
      const a = fromScenario(scenario);
      expect(a.groupWaits.length).toBeGreaterThan(0);
      expect(fromRecords(a)).toEqual(expectedFromGoroutines(a));
      for (const r of a.groupWaits) {
        expect(r.time).toBeGreaterThan(0);
        expect(r.count).toBeGreaterThanOrEqual(1);
      }
    }
  );

  it.each([['runnable-backlog-60ms.trace'], ['flightrecorder-normal-load.trace']])(
    '%s: each group’s stacks sum to its goroutines’ state times',
    (file) => {
      const bytes = new Uint8Array(readFileSync(join(__dirname, '../../../fixtures/traces', file)));
      const a = analyzeTrace(bytes, { goroutineDetail: true });
      expect(fromRecords(a)).toEqual(expectedFromGoroutines(a));
    }
  );

  it('mutex-contention: the clicked group’s call tree has its sync wait on sync.(*Mutex).Lock, totals per category', () => {
    const a = fromScenario('mutex-contention');
    const expected = expectedFromGoroutines(a);
    // The group that blocked longest on "sync" (Mutex, RWMutex, WaitGroup).
    const group = [...a.groups].sort((x, y) => (y.waiting.sync ?? 0) - (x.waiting.sync ?? 0))[0];
    expect(group.waiting.sync).toBeGreaterThan(0);
    const tree = groupWaitCallTree(a.groupWaits, group.name);
    const childOfRoot = (label: string) => {
      for (let i = 1; i < tree.count; i++) {
        if (tree.parent[i] === 0 && tree.names[tree.name[i]] === label) {
          return i;
        }
      }
      return -1;
    };
    const sums = expected.get(group.name)!;
    const byCategory = new Map<string, number>();
    for (const [key, ns] of sums) {
      const [kind, reason = ''] = key.split(/:(.*)/s);
      const category = waitCategory(kind as 'runnable' | 'syscall' | 'waiting', reason);
      byCategory.set(category, (byCategory.get(category) ?? 0) + ns);
    }
    let all = 0;
    for (const [category, ns] of byCategory) {
      const node = childOfRoot(category);
      expect(node).toBeGreaterThan(0);
      expect(tree.total[node]).toBe(ns);
      all += ns;
    }
    expect(tree.total[0]).toBe(all);
    // Under "sync / mutex", a stack through sync.(*Mutex).Lock carries most of the time.
    const syncNode = childOfRoot('sync / mutex');
    let lockTime = 0;
    for (let i = 1; i < tree.count; i++) {
      if (tree.names[tree.name[i]] === 'sync.(*Mutex).Lock') {
        let p = tree.parent[i];
        while (p > 0 && p !== syncNode) {
          p = tree.parent[p];
        }
        if (p === syncNode) {
          lockTime += tree.total[i];
        }
      }
    }
    expect(lockTime).toBeGreaterThan(tree.total[syncNode] / 2);
  });

  it('keeps only the asked categories', () => {
    const a = fromScenario('mutex-contention');
    const group = a.groups[0].name;
    const only = groupWaitCallTree(a.groupWaits, group, new Set(['scheduler wait']));
    const expected = a.groups[0].ids.reduce((sum, id) => sum + a.goroutines!.find((g) => g.id === id)!.runnable, 0);
    expect(only.total[0]).toBe(expected);
  });
});

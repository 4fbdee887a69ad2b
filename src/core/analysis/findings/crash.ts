/**
 * Findings for a process that died and said why (the snapshot's {@link CrashCause}, from the crash text before the
 * goroutines):
 * - `deadlock`: `fatal error: all goroutines are asleep - deadlock!` (golang/go:src/runtime/proc.go checkdead):
 *   every goroutine is blocked; the finding lists what each group waits on and where;
 * - `test-timeout`: `panic: test timed out after D` (golang/go:src/testing/testing.go startAlarm): the test still
 *   running and the goroutine that hangs it (the test's own goroutine, under `testing.tRunner`, not merely waiting
 *   for a subtest in `testing.(*T).Run`);
 * - `concurrent-map-writes`: `fatal error: concurrent map writes` (and `… map read and map write`, `… map iteration
 *   and map write`; golang/go:src/internal/runtime/maps): the writers. At the default GOTRACEBACK=single only the
 *   goroutine that noticed is printed; the finding says so.
 * Each is critical: the process is gone. No thresholds: the runtime's own message decides.
 */
import { isRuntimePackage, isStandardLibraryPackage, parseGoSymbol } from '../../model/goSymbol';
import type { GoroutineRecord, GoroutineSnapshot, SnapshotFrame } from '../../model/goroutineSnapshot';
import { clusterGoroutines } from '../goroutines/cluster';
import { toEvidenceCluster } from './evidenceClusters';
import { num, plural, shortName } from './format';
import type { Finding } from './types';

const DEADLOCK = 'fatal error: all goroutines are asleep - deadlock!';
const MAP_RACE =
  /^fatal error: concurrent map (writes|read and map write|iteration and map write|clone and map write)$/;
/** Frames of the runtime's map implementation (Go ≤1.23 runtime/map*.go, 1.24+ internal/runtime/maps). */
const MAP_FRAME = /^(internal\/runtime\/maps\.|runtime\.(map(assign|delete|access|iter|clear|clone)|fatal$))/;

function where(frame: SnapshotFrame | undefined): string {
  if (frame === undefined) {
    return '';
  }
  const file = frame.file.slice(frame.file.lastIndexOf('/') + 1);
  return `${shortName(frame.func)} (${file}:${frame.line})`;
}

function isRuntimeFrame(frame: SnapshotFrame): boolean {
  return isRuntimePackage(parseGoSymbol(frame.func).packagePath);
}

/** The code that waits: the first frame from the leaf outside the runtime and the standard library. */
function ownFrame(record: GoroutineRecord): SnapshotFrame | undefined {
  const own = record.frames.find((f) => {
    const pkg = parseGoSymbol(f.func).packagePath;
    return pkg !== '' && !isRuntimePackage(pkg) && !isStandardLibraryPackage(pkg);
  });
  return own ?? record.frames.find((f) => !isRuntimeFrame(f)) ?? record.frames[0];
}

function stack(record: GoroutineRecord): string[] {
  return record.frames.slice(0, 16).map((f) => f.func);
}

function deadlock(snapshot: GoroutineSnapshot): Finding {
  const clusters = clusterGoroutines(snapshot).clusters;
  const waits = clusters
    .slice(0, 4)
    .map((c) => {
      const record = snapshot.records[c.members[0]];
      return `${plural(c.count, 'goroutine')} in ${where(ownFrame(record))} ${c.count === 1 ? 'waits' : 'wait'} on ${c.reason}`;
    })
    .join('; ');
  return {
    id: 'deadlock',
    layer: 2,
    severity: 'critical',
    title: 'Deadlock: every goroutine is blocked',
    summary:
      `The runtime stopped the process: all ${plural(snapshot.total, 'goroutine')} are asleep and none can wake ` +
      `the others. ${waits}${clusters.length > 4 ? `; and ${clusters.length - 4} more groups` : ''}.`,
    evidence: {
      numbers: [num('goroutines blocked', snapshot.total, 'short'), num('wait groups', clusters.length, 'short')],
      stacks: clusters.slice(0, 4).map((c) => stack(snapshot.records[c.members[0]])),
      clusters: clusters.slice(0, 8).map(toEvidenceCluster),
    },
    nextStep:
      'For each wait, find the goroutine that should have sent, closed, unlocked or called Done: it has exited or ' +
      'is itself in this list (a cycle). main usually waits on the first of them.',
  };
}

/** The test function a tRunner goroutine runs: the frame just above `testing.tRunner` (leaf first). */
function testFunction(record: GoroutineRecord): SnapshotFrame | undefined {
  const runner = record.frames.findIndex((f) => f.func === 'testing.tRunner');
  return runner > 0 ? record.frames[runner - 1] : undefined;
}

function testName(func: string): string {
  const short = func.slice(func.lastIndexOf('/') + 1);
  return short.slice(short.indexOf('.') + 1);
}

function testTimeout(snapshot: GoroutineSnapshot): Finding {
  const cause = snapshot.cause!;
  const running = cause.runningTests.map((t) => t.name);
  // Test goroutines, minus those only waiting for a subtest to finish.
  const tests = snapshot.records.filter(
    (r) => testFunction(r) !== undefined && r.frames[0]?.func !== 'testing.(*T).Run'
  );
  const named = tests.filter((r) => {
    const name = testName(testFunction(r)!.func);
    return running.length === 0 || running.some((t) => t === name || t.split('/')[0] === name.split('.')[0]);
  });
  const hung = named.length > 0 ? named : tests;
  const first = hung[0];
  const test = running[0] ?? (first ? testName(testFunction(first)!.func) : undefined);
  const started = first ? snapshot.records.filter((r) => r.creatorId >= 0 && r.creatorId === first.id).length : 0;
  const hangs = first
    ? `goroutine ${first.id} waits on ${first.reason || first.state} in ${where(ownFrame(first))}` +
      `, called from ${where(testFunction(first))}`
    : 'no goroutine runs a test function (testing.tRunner not in any stack)';
  return {
    id: 'test-timeout',
    layer: 2,
    severity: 'critical',
    title: `Test timed out${test ? `: ${test}` : ''}`,
    summary:
      `go test stopped after ${cause.testTimeout}${running.length > 0 ? ` with ${running.join(', ')} still running` : ''}: ` +
      `${hangs}${started > 0 ? `; it started ${plural(started, 'goroutine')} still alive` : ''}.`,
    evidence: {
      numbers: [num('goroutines', snapshot.total, 'short'), num('test goroutines', hung.length, 'short')],
      stacks: hung.slice(0, 4).map(stack),
    },
    nextStep:
      'Look at what that wait needs (a send, a close, an Unlock, a context cancel) and why the test never provides ' +
      'it; `go test -run <name> -timeout 30s` reproduces it faster than the default 10 minutes.',
  };
}

function mapWriters(snapshot: GoroutineSnapshot): Finding {
  const cause = snapshot.cause!;
  const kind = MAP_RACE.exec(cause.message)![1];
  const detector = snapshot.records.find((r) => r.frames.some((f) => MAP_FRAME.test(f.func))) ?? snapshot.records[0];
  const site = detector ? ownFrame(detector) : undefined;
  const others = snapshot.records.filter(
    (r) =>
      r !== detector &&
      (r.frames.some((f) => MAP_FRAME.test(f.func)) ||
        (site !== undefined && r.frames.some((f) => f.func === site.func && !isRuntimeFrame(f))))
  );
  const writers = detector ? [detector, ...others] : others;
  const names = writers.slice(0, 4).map((r) => `goroutine ${r.id} in ${where(ownFrame(r))}`);
  const alone =
    others.length === 0
      ? ' Only the goroutine that noticed is in the dump: the default GOTRACEBACK=single prints just that one.'
      : '';
  return {
    id: 'concurrent-map-writes',
    layer: 2,
    severity: 'critical',
    title: `Concurrent map ${kind === 'writes' ? 'writes' : kind}`,
    summary: `The runtime stopped the process on an unsynchronised map: ${names.join(' and ')}.${alone}`,
    evidence: {
      numbers: [num('writers in the dump', writers.length, 'short')],
      stacks: writers.slice(0, 4).map(stack),
    },
    nextStep:
      (others.length === 0
        ? 'Rerun with GOTRACEBACK=all to see the other writer, or with -race to get both stacks. '
        : '') +
      'Guard the map with a sync.Mutex/RWMutex (or use sync.Map for write-once keys) on every path that writes it.',
  };
}

/** The crash finding the snapshot's cause calls for, if any. */
export function crashFindings(snapshot: GoroutineSnapshot): Finding[] {
  const cause = snapshot.cause;
  if (cause === undefined || snapshot.records.length === 0) {
    return [];
  }
  if (cause.message === DEADLOCK) {
    return [deadlock(snapshot)];
  }
  if (cause.kind === 'test-timeout') {
    return [testTimeout(snapshot)];
  }
  if (MAP_RACE.test(cause.message)) {
    return [mapWriters(snapshot)];
  }
  return [];
}

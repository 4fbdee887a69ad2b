/**
 * Cross-check against Go itself: for every execution trace of the fixtures, the event stream our reader delivers
 * (order, times, goroutine/P/thread, transitions) and everything traceAnalysis.ts derives from it (per-goroutine
 * state times to the nanosecond, GC and stop-the-world spans, heap samples, every runnable → running wait, the four
 * latency profiles) must equal what golang.org/x/exp/trace gives to tools/tracecheck on the same bytes.
 */
import { existsSync, readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { fixturesRoot, loadManifest } from '../../../tests/support/fixtures';
import { goTraceReports, GoTraceReport } from '../../../tools/tracecheck/runner';
import { eventKind, EventKind, eventRange, stateTransition, TraceEvent } from '../model/traceEvents';
import { TraceReader } from '../model/traceReader';
import { EV } from '../wire/traceSpec';
import { groupGoroutines, LATENCY_PROFILES, TraceAnalyzer } from './traceAnalysis';

const haveFixtures = existsSync(join(fixturesRoot, 'manifest.json'));
const traceCaptures = haveFixtures ? loadManifest().captures.filter((c) => c.format === 'trace') : [];
const extraTraces = existsSync(join(fixturesRoot, 'traces'))
  ? readdirSync(join(fixturesRoot, 'traces'))
      .filter((f) => f.endsWith('.trace'))
      .map((f) => join(fixturesRoot, 'traces', f))
  : [];
const files = [...traceCaptures.map((c) => join(fixturesRoot, c.file)), ...extraTraces];

const RANGE_NAMES: Record<string, (reason: string) => string> = {
  stw: (reason) => `stop-the-world (${reason})`,
  'gc-mark': () => 'GC concurrent mark phase',
  'gc-sweep': () => 'GC incremental sweep',
  'gc-assist': () => 'GC mark assist',
};

const METRIC_NAMES: Record<number, string> = {
  [EV.ProcsChange]: '/sched/gomaxprocs:threads',
  [EV.HeapAlloc]: '/memory/classes/heap/objects:bytes',
  [EV.HeapGoal]: '/gc/heap/goal:bytes',
};

/** The same one-line description of an event as tools/tracecheck prints. */
function describeEvent(e: TraceEvent): string {
  const kind = eventKind(e);
  let detail = '';
  if (kind === EventKind.StateTransition) {
    const st = stateTransition(e);
    detail =
      st.resource === 'goroutine' ? ` G${st.id} ${st.from}>${st.to} ${st.reason}` : ` P${st.id} ${st.from}>${st.to}`;
  } else if (kind === EventKind.RangeBegin || kind === EventKind.RangeActive || kind === EventKind.RangeEnd) {
    const r = eventRange(e);
    detail = ` ${RANGE_NAMES[r.name](r.reason)}`;
  } else if (kind === EventKind.Metric) {
    detail = ` ${METRIC_NAMES[e.type]}=${e.args[0]}`;
  }
  return `${kind} ${e.time} ${e.g} ${e.p} ${e.m}${detail}`;
}

function ours(file: string) {
  const reader = new TraceReader(new Uint8Array(readFileSync(file)), { source: file });
  const analyzer = new TraceAnalyzer({ goroutineDetail: true });
  const events: string[] = [];
  for (let e = reader.next(); e !== undefined; e = reader.next()) {
    events.push(describeEvent(e));
    analyzer.event(e);
  }
  return { events, analysis: analyzer.finish(reader) };
}

describe('trace cross-check (golang.org/x/exp/trace)', () => {
  if (!haveFixtures) {
    it.skip('needs fixtures/manifest.json (npm run fixtures)', () => undefined);
    return;
  }
  let reports: GoTraceReport[] = [];

  beforeAll(() => {
    reports = goTraceReports(files);
  }, 180_000);

  it('covers every trace fixture of the manifest, and Go reads them all', () => {
    expect(traceCaptures.length).toBeGreaterThanOrEqual(12);
    expect(reports.map((r) => r.file)).toEqual(files);
    expect(reports.filter((r) => r.error)).toEqual([]);
  });

  it.each(files.map((f) => [f.replace(`${fixturesRoot}/`, '')]))(
    '%s: events, state times, GC/STW spans and latency profiles equal Go',
    (name) => {
      const file = join(fixturesRoot, name);
      const go = reports.find((r) => r.file === file)!;
      const { events, analysis } = ours(file);
      expect(events.length).toBe(go.events.length);
      expect(events).toEqual(go.events);
      expect(analysis.end).toBe(go.end);
      expect(
        analysis.goroutines!.map((g) => ({
          id: g.id,
          name: g.name,
          running: g.running,
          runnable: g.runnable,
          syscall: g.syscall,
          waiting: g.waiting,
          gcAssist: g.gcAssist,
          created: g.created,
          ended: g.ended,
        }))
      ).toEqual(go.goroutines);
      // Groups are summed as goroutines end: the same as grouping the goroutines afterwards.
      expect(analysis.groups).toEqual(groupGoroutines(analysis.goroutines!));
      expect(analysis.goroutineCount).toBe(go.goroutines.length);
      expect(analysis.gc.map((s) => [s.start, s.end])).toEqual(go.gc);
      expect(analysis.stw).toEqual(go.stw);
      expect(analysis.heapAlloc).toEqual(go.heapAlloc);
      expect(analysis.heapGoal).toEqual(go.heapGoal);
      expect(analysis.schedWaits).toEqual(go.schedWaits);
      for (const profile of LATENCY_PROFILES) {
        expect(analysis.profiles[profile]).toEqual(go.profiles[profile].map((r) => ({ ...r, funcs: r.funcs ?? [] })));
      }
    }
  );
});

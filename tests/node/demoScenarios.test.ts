/**
 * Each scenario switch of the demo service must visibly change what a profiler sees, or the findings verified
 * against it would prove nothing. One live service; each scenario is switched on, captured and switched off.
 * CPU evidence: the cumulative CPU time of the scenario's hot function in a 1 s CPU profile, before and while on.
 * Presence alone is not evidence for runtime functions: an idle Go process also passes through
 * runtime.gosched_m (bgsweep and the scavenger yield via goschedIfBusy) and runtime.gcAssistAlloc now and then,
 * so the rule is "a large share of a core while on, and several times what it was before".
 */
import { parsePprof } from '../../src/core/model/parsePprof';
import { topFunctions } from '../../src/core/analysis/topTable';
import { getScenarios, setScenario, startDemoService, DemoService } from '../support/demoService';
import { waitUntil } from '../support/waitUntil';

const CPU_HOT_FUNCTION: Record<string, string> = {
  'busy-select': 'scenarios.busySelectLoop',
  'mutex-contention': 'scenarios.lockedLedgerUpdate',
  'rwmutex-churn': 'scenarios.readThroughConfigCache',
  'gc-pressure': 'runtime.gcAssistAlloc',
  'clock-hot-path': 'scenarios.timestampEveryEvent',
  // convT64, convTstring, convTnoptr…: the conversion helper that boxes the value.
  'alloc-conversion': 'runtime.convT',
  'map-hot': 'scenarios.mapHeavyIndexing',
  // Its tasks are tiny: the CPU goes to the scheduler switching between them, not to the tasks.
  'runnable-backlog': 'runtime.gosched_m',
  'syscall-heavy': 'scenarios.unbufferedByteWriter',
};

let demo: DemoService;

/** A hot function must take at least this much CPU while its scenario is on (ms per second of profile). */
const MIN_HOT_MS_PER_SECOND = 50;
/** …and at least this many times what it took just before the switch. */
const MIN_RISE = 3;

/**
 * Cumulative CPU milliseconds per second of profile spent in functions named `functionPrefix` (or starting with
 * it, for families such as runtime.convT*) after their import path's last slash, over a fresh CPU profile.
 */
async function hotCpuMsPerSecond(functionPrefix: string, seconds: number): Promise<number> {
  const response = await fetch(`${demo.url}/debug/pprof/profile?seconds=${seconds}`);
  expect(response.status).toBe(200);
  const profile = parsePprof(new Uint8Array(await response.arrayBuffer()), { source: 'demo CPU profile' });
  const cumNanos = topFunctions(profile, { sortBy: 'cum' })
    .rows.filter((row) => row.name.slice(row.name.lastIndexOf('/') + 1).startsWith(functionPrefix))
    .reduce((max, row) => Math.max(max, row.cum), 0);
  return Math.round(cumNanos / 1e6 / seconds);
}

/**
 * Goroutines whose stack holds `functionName`, from the debug=1 goroutine profile (records of "N @ pcs" and their
 * frames, separated by blank lines). Not the total: the HTTP server's per-connection goroutines come and go with
 * the client's keep-alive pool, and a switched-off scenario's goroutines may still be exiting.
 */
async function goroutinesIn(functionName: string): Promise<number> {
  const text = await (await fetch(`${demo.url}/debug/pprof/goroutine?debug=1`)).text();
  return text
    .split('\n\n')
    .filter((record) => record.includes(functionName))
    .reduce((sum, record) => sum + Number(/^(\d+) @/m.exec(record)?.[1] ?? 0), 0);
}

beforeAll(async () => {
  demo = await startDemoService();
}, 120000);
afterAll(() => demo?.stop());

describe('demo service scenario switches', () => {
  it('lists all ten scenarios, off at start', async () => {
    const scenarios = (await getScenarios(demo.url)) as Array<{ name: string; on: boolean; finding: string }>;
    expect(scenarios.map((s) => s.name).sort()).toEqual(['goroutine-leak', ...Object.keys(CPU_HOT_FUNCTION)].sort());
    expect(scenarios.every((s) => !s.on && s.finding)).toBe(true);
  });

  it.each(Object.entries(CPU_HOT_FUNCTION))(
    '%s puts %s on CPU while on, several times more than before',
    async (scenario, hot) => {
      const before = await hotCpuMsPerSecond(hot, 1);
      await setScenario(demo.url, scenario, true);
      try {
        const whileOn = await hotCpuMsPerSecond(hot, 2);
        // One object, so a failure prints both figures.
        expect({
          before,
          whileOn,
          rise: whileOn >= MIN_RISE * before,
          enough: whileOn >= MIN_HOT_MS_PER_SECOND,
        }).toEqual({
          before,
          whileOn,
          rise: true,
          enough: true,
        });
      } finally {
        await setScenario(demo.url, scenario, false);
      }
    },
    20000
  );

  it('goroutine-leak leaves exactly as many parked senders as it reports spawned', async () => {
    const sender = 'scenarios.leakedResultSender';
    const before = await goroutinesIn(sender);
    const state = (await setScenario(demo.url, 'goroutine-leak', true)) as { on: boolean };
    expect(state.on).toBe(true);
    const spawned = async () =>
      ((await (await fetch(`${demo.url}/scenario/goroutine-leak`)).json()) as { stats: { spawned: number } }).stats
        .spawned;
    // Wait until the scenario has leaked some goroutines (a condition, not a time: the machine may be loaded).
    await waitUntil('ten leaked goroutines', async () => (await spawned()) > 10);
    await setScenario(demo.url, 'goroutine-leak', false);
    const stats = { spawned: await spawned() };
    expect(stats.spawned).toBeGreaterThan(10);
    // Leaked goroutines stay after the switch is off: nothing will ever receive from their channels.
    expect({ before, after: await goroutinesIn(sender) }).toEqual({ before: 0, after: stats.spawned });
  }, 20000);
});

/**
 * Each scenario switch of the demo service must visibly change what a profiler sees, or the findings verified
 * against it would prove nothing. One live service; each scenario is switched on, captured and switched off.
 * CPU evidence: Go's pprof encoder puts a function name in the string table only when a sampled location refers to
 * it, so the scenario's hot function appearing in a 1 s CPU profile means it was on CPU during the capture.
 */
import { gunzipSync } from 'zlib';

import { getScenarios, setScenario, startDemoService, DemoService } from '../support/demoService';

const CPU_HOT_FUNCTION: Record<string, string> = {
  'busy-select': 'scenarios.busySelectLoop',
  'mutex-contention': 'scenarios.lockedLedgerUpdate',
  'rwmutex-churn': 'scenarios.readThroughConfigCache',
  'gc-pressure': 'runtime.gcAssistAlloc',
  'clock-hot-path': 'scenarios.timestampEveryEvent',
  'alloc-conversion': 'runtime.convT',
  'map-hot': 'scenarios.mapHeavyIndexing',
  // Its tasks are tiny: the CPU goes to the scheduler switching between them, not to the tasks.
  'runnable-backlog': 'runtime.gosched_m',
  'syscall-heavy': 'scenarios.unbufferedByteWriter',
};

let demo: DemoService;

/** Whether `functionName` was sampled in a CPU profile of `seconds` (see the header comment). */
async function sampledOnCpu(functionName: string, seconds: number): Promise<boolean> {
  const response = await fetch(`${demo.url}/debug/pprof/profile?seconds=${seconds}`);
  expect(response.status).toBe(200);
  return gunzipSync(Buffer.from(await response.arrayBuffer()))
    .toString('latin1')
    .includes(functionName);
}

async function goroutineTotal(): Promise<number> {
  const text = await (await fetch(`${demo.url}/debug/pprof/goroutine?debug=1`)).text();
  return Number(/^goroutine profile: total (\d+)/.exec(text)![1]);
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
    '%s puts %s on CPU only while on',
    async (scenario, hot) => {
      expect({ before: await sampledOnCpu(hot, 1) }).toEqual({ before: false });
      await setScenario(demo.url, scenario, true);
      try {
        expect({ whileOn: await sampledOnCpu(hot, 1) }).toEqual({ whileOn: true });
      } finally {
        await setScenario(demo.url, scenario, false);
      }
    },
    20000
  );

  it('goroutine-leak grows the goroutine count by exactly what it reports spawned', async () => {
    const before = await goroutineTotal();
    const state = (await setScenario(demo.url, 'goroutine-leak', true)) as { on: boolean };
    expect(state.on).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await setScenario(demo.url, 'goroutine-leak', false);
    const { stats } = (await (await fetch(`${demo.url}/scenario/goroutine-leak`)).json()) as {
      stats: { spawned: number };
    };
    expect(stats.spawned).toBeGreaterThan(10);
    // Leaked goroutines stay after the switch is off; the built-in load is off, so nothing else comes and goes.
    expect((await goroutineTotal()) - before).toBe(stats.spawned);
  }, 20000);
});

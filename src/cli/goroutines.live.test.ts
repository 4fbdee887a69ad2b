/**
 * Live: the real demo service with the goroutine-leak scenario, two debug=2 snapshots a few seconds apart, as
 * `goprof analyze <url> --profile goroutine --samples 2 --interval S --json` takes them.
 */
import { getScenarios, startDemoService, type DemoService } from '../../tests/support/demoService';
import { buildGoroutineReport, snapshotFromCapture, type TimedGoroutineSnapshot } from './goroutines';

const LEAK = 'github.com/seed/goruntime-demo/internal/scenarios.leakedResultSender';

async function spawned(url: string): Promise<number> {
  const list = (await getScenarios(url)) as Array<{ name: string; stats: Record<string, number> }>;
  return list.find((s) => s.name === 'goroutine-leak')!.stats.spawned;
}

/** A debug=2 snapshot with the exact spawned count at that moment (retried if a goroutine was spawned meanwhile). */
async function sample(url: string): Promise<{ snap: TimedGoroutineSnapshot; spawned: number }> {
  for (;;) {
    const before = await spawned(url);
    const res = await fetch(`${url}/debug/pprof/goroutine?debug=2`);
    const text = await res.text();
    const time = Date.now();
    const after = await spawned(url);
    if (before === after) {
      return { snap: { time, snapshot: snapshotFromCapture(text, { source: url, timestamp: time }) }, spawned: after };
    }
  }
}

describe('goroutine report against the live demo service', () => {
  let demo: DemoService;
  beforeAll(async () => {
    demo = await startDemoService({ scenarios: ['goroutine-leak'] });
  }, 120000);
  afterAll(async () => {
    await demo?.stop();
  });

  it('shows the leak cluster growing between two samples', async () => {
    await new Promise((r) => setTimeout(r, 1000));
    const a = await sample(demo.url);
    await new Promise((r) => setTimeout(r, 2500));
    const b = await sample(demo.url);
    const report = buildGoroutineReport([a.snap, b.snap]);
    const leak = report.clusters.find((c) => c.function === LEAK)!;
    expect(leak).toBeDefined();
    expect(leak.state).toBe('chan-send');
    expect(leak.growth).toMatchObject({ first: a.spawned, last: b.spawned, monotone: true, growing: true });
    expect(b.spawned).toBeGreaterThan(a.spawned);
    expect(leak.growth!.perMinute).toBeGreaterThan(0);
    expect(report.clusters[0].function).toBe(LEAK);
  }, 60000);
});

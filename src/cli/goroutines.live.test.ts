/**
 * Live: the real demo service with the goroutine-leak scenario, two debug=2 snapshots a few seconds apart, as
 * `goprof analyze <url> --profile goroutine --samples 2 --interval S --json` takes them.
 */
import { getScenarios, startDemoService, type DemoService } from '../../tests/support/demoService';
import { buildGoroutineReport, snapshotFromCapture, type TimedGoroutineSnapshot } from './goroutines';
import { waitUntil } from '../../tests/support/waitUntil';

const LEAK = 'github.com/seed/goruntime-demo/internal/scenarios.leakedResultSender';

async function spawned(url: string): Promise<number> {
  const list = (await getScenarios(url)) as Array<{ name: string; stats: Record<string, number> }>;
  return list.find((s) => s.name === 'goroutine-leak')!.stats.spawned;
}

/** Attempts at a snapshot taken while the spawned count stood still (the leak spawns 20 a second). */
const SAMPLE_ATTEMPTS = 50;

/**
 * A debug=2 snapshot with the exact spawned count at that moment: taken again while a goroutine was spawned during
 * the capture, at most SAMPLE_ATTEMPTS times (a dump takes milliseconds, the leak spawns one every 50 ms).
 */
async function sample(url: string): Promise<{ snap: TimedGoroutineSnapshot; spawned: number }> {
  for (let attempt = 0; attempt < SAMPLE_ATTEMPTS; attempt++) {
    const before = await spawned(url);
    const res = await fetch(`${url}/debug/pprof/goroutine?debug=2`);
    const text = await res.text();
    const time = Date.now();
    const after = await spawned(url);
    if (before === after) {
      return { snap: { time, snapshot: snapshotFromCapture(text, { source: url, timestamp: time }) }, spawned: after };
    }
  }
  throw new Error(`no goroutine dump without a spawn during the capture in ${SAMPLE_ATTEMPTS} attempts`);
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
    // Wait on the leak itself, not on the clock: some leaked senders before the first sample, more before the second.
    await waitUntil('the leak to spawn goroutines', async () => (await spawned(demo.url)) >= 5);
    const a = await sample(demo.url);
    await waitUntil('more leaked goroutines', async () => (await spawned(demo.url)) >= a.spawned + 10);
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

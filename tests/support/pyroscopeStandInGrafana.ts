/**
 * The data source's Pyroscope mode against the stand-in: for one describe block, the fake Pyroscope with its clock
 * stopped at `now` and a Grafana stand-in whose `standin` data source points at it, started before the block's
 * tests and closed after them. Call it inside the describe block; the returned function gives the running fake.
 */
import { GrafanaStandIn, startGrafana } from './grafanaRuntime';
import { FakePyroscope, startFakePyroscope } from './pyroscopeFake';

/** Delay of every SelectMergeProfile answer, so merges overlap and the tests can count how many run at once. */
const MERGE_DELAY_MS = 20;

export function usePyroscopeStandIn(now: number): () => FakePyroscope {
  let fake: FakePyroscope | undefined;
  let grafana: GrafanaStandIn | undefined;
  beforeAll(async () => {
    fake = await startFakePyroscope({ now: () => now, mergeDelayMs: MERGE_DELAY_MS });
    grafana = await startGrafana({ standin: { url: fake.url } });
  });
  afterAll(async () => {
    await grafana?.close();
    await fake?.close();
  });
  return () => {
    if (!fake) {
      throw new Error('the Pyroscope stand-in runs only inside the describe block that set it up');
    }
    return fake;
  };
}

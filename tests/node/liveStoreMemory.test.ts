/**
 * @jest-environment jsdom
 */
/**
 * Memory of the live capture store over a long run: the demo service with the goroutine-leak scenario on, a
 * dashboard's queries subscribed (CPU flame graph, goroutine states, clusters, findings) with the store's default
 * cadences and bounds, and the store's figures printed every minute. A measurement, not part of the suite: it runs
 * only when LIVE_STORE_MEMORY_MINUTES is set (the figures in the README come from 30):
 *   LIVE_STORE_MEMORY_MINUTES=30 npx jest --maxWorkers=1 tests/node/liveStoreMemory.test.ts --testTimeout=3600000
 */
import { instanceSettings, queryRequest, startGrafana, templateSrv } from '../support/grafanaRuntime';

import type { DataQueryResponse } from '@grafana/data';
import type { Observable } from 'rxjs';

import { GoRuntimeDataSource } from '../../src/datasource/datasource';
import { closeLiveSessions, liveSessions } from '../../src/datasource/live/registry';
import { LIVE_DEFAULTS } from '../../src/datasource/live/policy';
import type { GoRuntimeQuery } from '../../src/datasource/types';
import { startDemoService } from '../support/demoService';

const minutes = Number(process.env.LIVE_STORE_MEMORY_MINUTES ?? 0);
const measure = minutes > 0 ? it : it.skip;

const MB = 1024 * 1024;

measure(
  `holds a bounded store over ${minutes} minutes of the goroutine-leak scenario`,
  async () => {
    const demo = await startDemoService({ scenarios: ['goroutine-leak'], load: true });
    const grafana = await startGrafana({ demo: { url: demo.url, jsonData: { timeout: 30 } } });
    const ds = new GoRuntimeDataSource(instanceSettings('demo', { mode: 'pprof' }, 'Go demo'), {
      templateSrv: templateSrv(),
    });
    const targets: GoRuntimeQuery[] = [
      { refId: 'A', queryType: 'flamegraph', profileType: 'cpu' },
      { refId: 'B', queryType: 'goroutineStates' },
      { refId: 'C', queryType: 'goroutineClusters', limit: 50 },
      { refId: 'D', queryType: 'findings' },
    ];
    const subscription = (
      ds.query(queryRequest(targets, { lastMs: 30 * 60_000 })) as Observable<DataQueryResponse>
    ).subscribe();
    const started = Date.now();
    const rows: string[] = [];
    try {
      for (let m = 1; m <= minutes; m++) {
        await new Promise((resolve) => setTimeout(resolve, started + m * 60_000 - Date.now()));
        const session = [...liveSessions().values()][0];
        const stats = session.store.stats();
        const status = session.status();
        const heap = process.memoryUsage().heapUsed;
        const line =
          `minute ${m}: ${stats.captures} captures (${JSON.stringify(stats.byKind)}), ` +
          `${(stats.heldBytes / MB).toFixed(2)} MB held (estimate), JS heap ${(heap / MB).toFixed(1)} MB, ` +
          `evicted ${session.store.evicted}, intervals ${JSON.stringify(status.intervals)}, ` +
          `cost ${(status.costShare * 100).toFixed(2)}% of the target's time`;
        rows.push(line);
        console.log(line);
        expect(stats.heldBytes).toBeLessThanOrEqual(LIVE_DEFAULTS.maxBytes);
        expect(stats.captures).toBeLessThanOrEqual(LIVE_DEFAULTS.maxCaptures);
        expect(stats.oldest!).toBeGreaterThanOrEqual(Date.now() - LIVE_DEFAULTS.maxAgeMs - 60_000);
      }
    } finally {
      subscription.unsubscribe();
      closeLiveSessions();
      await grafana.close();
      await demo.stop();
      console.log(rows.join('\n'));
    }
  },
  (minutes + 5) * 60_000
);

// The dashboard time range drives the data source: every change re-runs the panel's query with the new range.
import assert from 'node:assert/strict';

import { test, waitFor } from './harness.mjs';

const PROXY_PATH = '/api/datasources/proxy/uid/goruntime-demo-pprof/';

test('picking a quick range in the time picker re-runs the data source query with that range', async ({ open }) => {
  const { page } = await open('/?from=now-15m&to=now');
  const proxyRequests = [];
  page.on('request', (request) => {
    if (new URL(request.url()).pathname.startsWith('/api/datasources/')) {
      proxyRequests.push(request.url());
    }
  });
  await waitFor(() => page.evaluate(() => window.sandboxHost.queryRuns.length >= 1), { message: 'the first query run' });
  const first = await page.evaluate(() => window.sandboxHost.queryRuns.at(-1));
  assert.equal(first.rawFrom, 'now-15m');
  assert.ok(Math.abs(first.to - first.from - 15 * 60000) < 1000);

  await page.getByRole('button', { name: /Last 15 minutes/ }).first().click();
  await page.getByText('Last 5 minutes', { exact: true }).click();

  const run = await waitFor(
    () => page.evaluate(() => window.sandboxHost.queryRuns.find((r) => r.rawFrom === 'now-5m')),
    { message: 'a query run for now-5m' }
  );
  assert.ok(Math.abs(run.to - run.from - 5 * 60000) < 1000, 'the request range is five minutes');
  assert.deepEqual(run.targets.map((t) => t.queryType), ['flamegraph', 'goroutineStates', 'findings']);
  assert.ok(run.targets.every((t) => t.datasource?.uid === 'goruntime-demo-pprof'), 'targets carry the data source ref');
  assert.match(page.url(), /from=now-5m/);
  // Whatever the data source fetches goes through Grafana's data proxy URL, never straight to the service.
  assert.ok(proxyRequests.every((url) => new URL(url).pathname.startsWith(PROXY_PATH)), proxyRequests.join('\n'));
});

test('drag-selecting on the CPU panel zooms the dashboard to an absolute range and re-runs the query', async ({ open }) => {
  const { page } = await open('/?from=now-1m&to=now&scrape=500');
  const plot = page.getByTestId('metric-panel-cpu').locator('.u-over');
  await plot.waitFor();
  await waitFor(() => page.evaluate(() => window.sandboxHost.queryRuns.length >= 1), { message: 'the first query run' });
  const runsBefore = await page.evaluate(() => window.sandboxHost.queryRuns.length);
  // uPlot rebuilds its plot when the first scrapes arrive: wait for a laid-out plot, not the first one attached.
  const box = await waitFor(
    async () => {
      const b = await plot.boundingBox().catch(() => null);
      return b && b.width > 0 && b.height > 0 ? b : undefined;
    },
    { message: 'the CPU plot laid out' }
  );
  await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.7, box.y + box.height / 2, { steps: 10 });
  await page.mouse.up();
  const run = await waitFor(
    () => page.evaluate((n) => window.sandboxHost.queryRuns.slice(n).find((r) => !r.rawFrom.startsWith('now')), runsBefore),
    { message: 'a query run with an absolute range' }
  );
  const span = run.to - run.from;
  assert.ok(span > 10000 && span < 40000, `about 40% of one minute, got ${span} ms`);
});

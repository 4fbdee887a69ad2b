// The real panel plugin renders in the sandbox with data from the real data source.
import assert from 'node:assert/strict';

import { test, waitFor } from './harness.mjs';

test('renders the plugin panel with the data source result (its empty state or its views)', async ({ open, screenshot }) => {
  const { page } = await open('/?from=now-1m&to=now&scrape=500');
  const panel = page.getByTestId('plugin-panel');
  await panel.waitFor();
  const run = await waitFor(
    // A live range streams while the dashboard is open: an answer is a finished run, an error, or a streamed one
    // with frames.
    () =>
      page.evaluate(() =>
        window.sandboxHost.queryRuns.find(
          (r) => r.state === 'Done' || r.state === 'Error' || (r.state === 'Streaming' && r.frames > 0)
        )
      ),
    { timeoutMs: 45000, message: 'an answered query run' }
  );
  assert.equal(await page.getByTestId('plugin-panel-error').count(), 0, 'the panel did not throw');
  const rendered = await panel.evaluate((el) => ({ text: el.innerText.trim(), canvases: el.querySelectorAll('canvas').length }));
  assert.ok(rendered.text.length > 0 || rendered.canvases > 0, 'the panel shows something');
  const summary = run.frames === 0 ? `no frames; the panel shows "${rendered.text.slice(0, 100)}"` : `${run.frames} frames`;
  console.log(`    (the data source returned ${summary}${run.error ? `; query errors: ${run.error}` : ''})`);
  await screenshot(page, 'sandbox.png', { fullPage: false }); // the dashboard, as the README shows it
});

test('"Test data source" runs testDatasource() through backendSrv and the data proxy', async ({ open }) => {
  const { page } = await open('/');
  await page.getByTestId('test-datasource').click();
  const result = page.getByTestId('test-datasource-result');
  await result.waitFor({ timeout: 20000 });
  const text = await result.innerText();
  assert.match(text, /goroutine/, text);
  const requests = await page.evaluate(() => window.sandboxHost.requests);
  assert.ok(
    requests.some((r) => r.url.startsWith('/api/datasources/proxy/uid/goruntime-demo-pprof/') && r.state === 'ok'),
    JSON.stringify(requests)
  );
});

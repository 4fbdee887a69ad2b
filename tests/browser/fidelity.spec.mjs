// The sandbox as Grafana 13 (or 12.3/12.4 with SANDBOX_REACT=18): the React it hands the plugin, app pages inside
// PluginPage's frame, Grafana's cancellation error for a superseded requestId, and the 5-request queue for data-proxy
// URLs — with a Prometheus-like query that must not wait behind the panel's long captures.
import assert from 'node:assert/strict';

import { test, waitFor } from './harness.mjs';
import { panelUrl } from './support/panelPage.mjs';

const PROXY = '/api/datasources/proxy/uid/goruntime-demo-pprof';

test('the host runs the React SANDBOX_REACT selects and hands that React to the plugin', async ({ open, react }) => {
  const { page } = await open('/');
  await page.getByTestId('plugin-panel').waitFor();
  const version = await page.evaluate(() => window.sandboxHost.reactVersion);
  assert.equal(version.split('.')[0], react, `React ${version} on the page`);
  const deps = await page.evaluate(() => window.sandboxHost.modules.find((m) => m.kind === 'panel')?.deps ?? []);
  assert.ok(deps.includes('react'), `the panel takes react from the host (deps: ${deps.join(', ')})`);
});

test('app pages render inside PluginPage: title, subtitle and breadcrumbs from the app nav', async ({ open, screenshot }) => {
  const { page } = await open('/a/seed-goruntime-app/overview');
  const frame = page.getByTestId('plugin-page');
  await frame.waitFor({ timeout: 20000 });
  assert.equal(await frame.locator('h1').innerText(), 'Overview');
  const crumbs = await frame.getByRole('navigation', { name: 'Breadcrumbs' }).innerText();
  assert.match(crumbs, /Home\s*›\s*Apps\s*›\s*Go Runtime Profiles\s*›\s*Overview/);
  assert.match(await frame.innerText(), /live pprof and Pyroscope history/);
  assert.match(await frame.innerText(), /net\/http\/pprof/, 'the page content renders inside the frame');
  await screenshot(page, 'app-overview.png', { fullPage: false });
});

test('a newer request with the same requestId cancels the older one with Grafana’s cancelled error', async ({ open }) => {
  // No panel queries: the panel's own captures would otherwise hold the queue's 5 slots for their whole length.
  const { page } = await open(`/?targets=${encodeURIComponent('[]')}`);
  await page.getByTestId('plugin-panel').waitFor();
  const outcome = await page.evaluate((proxy) => {
    const result = {};
    const first = new Promise((resolve) =>
      window.sandboxBackendSrv
        .fetch({ url: `${proxy}/debug/pprof/mutex`, params: { seconds: 5 }, responseType: 'arraybuffer', requestId: 'R1' })
        .subscribe({ next: () => resolve({ unexpected: 'response' }), error: (e) => resolve(e), complete: () => (result.completed = true) })
    );
    // Once the first has started, the second (same requestId) cancels it as it starts.
    const second = new Promise((resolve, reject) =>
      setTimeout(
        () =>
          window.sandboxBackendSrv
            .fetch({ url: `${proxy}/debug/pprof/goroutine`, params: { debug: 1 }, responseType: 'text', requestId: 'R1' })
            .subscribe({ next: (r) => resolve(r.status), error: reject }),
        200
      )
    );
    return Promise.all([first, second]).then(([error, status]) => ({
      error: { type: error.type, cancelled: error.cancelled, status: error.status, statusText: error.statusText, data: error.data },
      completedWithoutError: Boolean(result.completed),
      second: status,
    }));
  }, PROXY);
  assert.deepEqual(outcome.error, { type: 'cancelled', cancelled: true, status: -1, statusText: 'Request was aborted', data: null });
  assert.equal(outcome.completedWithoutError, false, 'the cancelled request errors; it does not complete with empty data');
  assert.equal(outcome.second, 200);
});

test(
  'under the 5-request queue, a Prometheus-like query finishes before the panel’s long captures that were running',
  async ({ open }) => {
    // 10 s captures: long enough that a query stuck behind them is plain to see, short enough for the suite.
    const { page } = await open(panelUrl({ from: 'now-5m', seconds: 10 }));
    await page.getByTestId('plugin-panel').waitFor();
    // Wait until the panel's long capture (`?seconds=N`, the live store's CPU window; one per target at a time) is in
    // flight: sent, or queued behind the store's snapshot reads.
    const captures = await waitFor(
      () =>
        page.evaluate(() => {
          const open = window.sandboxHost.requests.filter(
            (r) => (r.state === 'pending' || r.state === 'queued') && /[?&]seconds=\d+/.test(r.url)
          );
          return open.length >= 1 ? open.map((r) => r.id) : undefined;
        }),
      { timeoutMs: 30000, message: 'a capture request in flight' }
    );
    // Another panel's short data-proxy query (the demo service's Prometheus metrics), as a Prometheus panel sends it.
    const id = await page.evaluate((proxy) => {
      window.sandboxBackendSrv.fetch({ url: `${proxy}/metrics`, responseType: 'text' }).subscribe({});
      return window.sandboxHost.requests.at(-1).id;
    }, PROXY);
    const short = await waitFor(
      () => page.evaluate((id) => window.sandboxHost.requests.find((r) => r.id === id && r.endedAt !== undefined), id),
      { timeoutMs: 60000, message: 'the Prometheus-like query to finish' }
    );
    const longOnes = await page.evaluate((ids) => window.sandboxHost.requests.filter((r) => ids.includes(r.id)), captures);
    const report = longOnes.map((r) => `#${r.id} ${r.state} ended ${r.endedAt === undefined ? 'later' : `${Math.round(r.endedAt - short.createdAt)} ms after the query was made`}`);
    console.log(
      `    (Prometheus-like query: ${short.queuedMs} ms queued, ${short.durationMs} ms in flight, ${short.inProgressAtStart} requests in progress when it was sent; captures running when it was made: ${report.join('; ')})`
    );
    assert.equal(short.state, 'ok');
    const endedFirst = longOnes.filter((r) => r.state !== 'cancelled' && r.endedAt !== undefined && r.endedAt <= short.endedAt);
    assert.deepEqual(
      endedFirst.map((r) => r.id),
      [],
      `the query waited for capture(s) ${endedFirst.map((r) => `#${r.id}`).join(', ')} to finish: the queue was full of long captures`
    );
  },
  { timeoutMs: 120000 }
);

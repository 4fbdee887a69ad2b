// The Go Runtime Profiles panel's views in the sandbox, against the live demo service: the flame graph, the
// goroutine-state heatmap on the dashboard's time axis with the shared crosshair, brushing into a baseline
// comparison, and function names that carry markup. Every test also fails on console errors and CSP violations
// (harness.mjs); the page's CSP has no 'unsafe-eval' (loading.spec.mjs proves the browser enforces it).
import assert from 'node:assert/strict';

import { test, waitFor } from './harness.mjs';
import { canvasStats, countOf, heatmapCell, panelUrl, waitForFlame } from './support/panelPage.mjs';
import { cpuProfile, goroutineDump } from './support/craftedProfiles.mjs';

const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until the heatmap has at least `n` columns (its ARIA label names them). */
function waitForColumns(page, n, timeoutMs = 45000) {
  const overlay = page.getByTestId('goruntime-heatmap-overlay');
  return waitFor(
    async () => {
      if (!(await overlay.count())) {
        return undefined;
      }
      const m = /(\d+) buckets/.exec((await overlay.getAttribute('aria-label')) ?? '');
      return m && Number(m[1]) >= n ? Number(m[1]) : undefined;
    },
    { timeoutMs, message: `${n} heatmap columns` }
  );
}

test(
  'busy-select: the flame graph is drawn, search highlights busySelectLoop, all under a CSP without unsafe-eval',
  async ({ open, setScenario, screenshot, sandbox }) => {
    await setScenario('busy-select', true);
    await pause(1500);
    const { page } = await open(panelUrl({ from: 'now-1m', seconds: 4 }));
    const all = await waitForFlame(page, waitFor);
    console.log(`    (flame canvas ${all.width}x${all.height}: ${all.drawn} drawn, ${all.coloured} coloured pixels)`);

    const flame = page.getByTestId('goruntime-flame');
    const canvas = flame.getByTestId('flameGraph');
    const search = flame.getByPlaceholder('Search...');
    // Matches keep their colour, everything else is muted grey (@grafana/flamegraph rendering): a search without
    // matches mutes every bar, searching the hot function brings back exactly its bars.
    await search.fill('zz_no_such_function_zz');
    const none = await waitFor(
      async () => {
        const s = await canvasStats(canvas);
        return s.coloured < all.coloured / 5 ? s : undefined;
      },
      { message: 'every bar muted for a search without matches' }
    );
    await search.fill('busySelectLoop');
    const hot = await waitFor(
      async () => {
        const s = await canvasStats(canvas);
        return s.coloured > none.coloured + 40 && s.coloured < all.coloured * 0.8 ? s : undefined;
      },
      { message: 'only busySelectLoop bars coloured' }
    );
    console.log(
      `    (coloured pixels: all ${all.coloured}, "busySelectLoop" ${hot.coloured}, no match ${none.coloured})`
    );
    await waitFor(() => page.getByText(/Busy select loop/).count(), {
      timeoutMs: 45000,
      message: 'the busy-select finding',
    });
    await search.fill('');
    await waitFor(async () => (await canvasStats(canvas)).coloured > all.coloured * 0.8, { message: 'search cleared' });
    await waitForColumns(page, 4);
    await page.mouse.move(5, 5);
    await screenshot(page, 'panel-busy-select.png', { fullPage: false });

    const response = await fetch(sandbox.url);
    assert.doesNotMatch(response.headers.get('content-security-policy') ?? '', /unsafe-eval/);
    assert.deepEqual(await page.evaluate(() => window.__cspViolations), []);
  },
  { timeoutMs: 120000 }
);

test(
  'goroutine-leak: the heatmap shows the chan send row growing, and its tooltip names the leaking cluster',
  async ({ open, setScenario, screenshot }) => {
    await setScenario('goroutine-leak', true);
    const { page } = await open(panelUrl({ from: 'now-1m', interval: '1s' }));
    // The live store polls goroutines every 1 s or slower (its cost budget stretches the interval while the dumps
    // grow): wait for columns, then for the chan send row to have grown between the first and the newest.
    await waitForColumns(page, 3);
    const rows = ['Home', ...Array(5).fill('ArrowDown')];
    // 20 leaked goroutines a second (demo/internal/scenarios/goroutine_leak.go).
    const [first, last] = await waitFor(
      async () => {
        const oldest = await heatmapCell(page, rows);
        const newest = await heatmapCell(page, ['End']);
        return countOf(newest) - countOf(oldest) >= 100 ? [oldest, newest] : undefined;
      },
      { timeoutMs: 45000, message: 'the chan send row growing by 100 goroutines' }
    );
    assert.match(first, /chan send/, first);
    console.log(`    (first bucket: ${first.split('.')[0]}; last: ${last.split('.')[0]})`);

    // Colour = count: along the chan send row the newest cell is at least as bright as the oldest.
    const canvas = page.getByTestId('goruntime-heatmap-canvas');
    const [left, right] = await canvas.evaluate((c) => {
      const y = Math.floor((5.5 / 15) * c.height);
      const { data } = c.getContext('2d').getImageData(0, y, c.width, 1);
      const lum = (x) => data[x * 4] + data[x * 4 + 1] + data[x * 4 + 2];
      const drawn = [];
      for (let x = 0; x < c.width; x++) {
        if (data[x * 4 + 3] === 255) {
          drawn.push(x);
        }
      }
      return [lum(drawn[0]), lum(drawn[drawn.length - 1])];
    });
    assert.ok(right >= left, `newest chan send cell (${right}) not dimmer than the oldest (${left})`);

    // The tooltip of the newest chan send cell names the cluster behind it.
    const overlay = page.getByTestId('goruntime-heatmap-overlay');
    const box = await overlay.boundingBox();
    const focus = await page.getByTestId('goruntime-heatmap-focus').boundingBox();
    await page.mouse.move(focus.x + focus.width / 2, box.y + (5.5 / 15) * box.height);
    const tooltip = page.getByTestId('goruntime-heatmap-tooltip');
    await waitFor(async () => /leakedResultSender/.test(await tooltip.innerText()), {
      timeoutMs: 20000,
      message: 'leakedResultSender among the top clusters',
    });
    await waitFor(() => page.getByText(/goroutines stuck in chan send/).count(), {
      timeoutMs: 45000,
      message: 'the leak finding',
    });
    // Rows = clusters: the leaking one has its own row, by name.
    const heatmap = page.getByTestId('goruntime-heatmap');
    await heatmap.getByRole('radio', { name: 'Clusters' }).check({ force: true });
    await waitFor(async () => /leakedResultSender/.test(await heatmap.innerText()), {
      message: 'a heatmap row for the leaking cluster',
    });
    assert.match(await overlay.getAttribute('aria-label'), /cluster/);
    await heatmap.getByRole('radio', { name: 'States' }).check({ force: true });
    await page.mouse.move(focus.x + focus.width / 2, box.y + (5.5 / 15) * box.height);
    await tooltip.waitFor();
    await screenshot(page, 'panel-goroutine-leak.png', { fullPage: false });
  },
  { timeoutMs: 120000 }
);

test('hovering the heatmap publishes the crosshair at the hovered time, and follows the CPU panel’s', async ({
  open,
}) => {
  const { page } = await open(panelUrl({ from: 'now-1m' }));
  await waitForColumns(page, 3);
  const overlay = page.getByTestId('goruntime-heatmap-overlay');
  const box = await overlay.boundingBox();
  const before = Number(await overlay.getAttribute('data-range-from'));
  await page.mouse.move(box.x + box.width * 0.75, box.y + box.height / 2);
  await page.mouse.move(box.x + box.width * 0.75 + 1, box.y + box.height / 2);
  const hover = await waitFor(
    () =>
      page.evaluate(() =>
        window.sandboxHost.hovers.findLast((h) => h.type === 'hover' && h.origin.endsWith('panel-4'))
      ),
    { message: 'a DataHoverEvent from the profiles panel' }
  );
  const from = Number(await overlay.getAttribute('data-range-from'));
  const to = Number(await overlay.getAttribute('data-range-to'));
  // The live axis moves with the clock once a second: accept either position, plus 2 px.
  const expected = (f) => f + ((box.width * 0.75 + 1) / box.width) * (to - from);
  const tolerance = (2 * (to - from)) / box.width;
  const error = Math.min(Math.abs(hover.time - expected(from)), Math.abs(hover.time - expected(before)));
  assert.ok(error <= tolerance, `hover at ${hover.time}, expected ${expected(from)} ± ${tolerance} ms`);

  await page.mouse.move(box.x + box.width * 0.75, box.y + box.height + 80); // leave
  await waitFor(
    () =>
      page.evaluate(() => window.sandboxHost.hovers.findLast((h) => h.origin.endsWith('panel-4'))?.type === 'clear'),
    { message: 'a DataHoverClearEvent on leave' }
  );

  // The other way: hovering the CPU time series moves the heatmap's crosshair to the same time.
  const plot = page.getByTestId('metric-panel-cpu').locator('.u-over');
  const cpuBox = await waitFor(() => plot.boundingBox(), { message: 'the CPU plot' });
  await page.mouse.move(cpuBox.x + cpuBox.width * 0.9, cpuBox.y + cpuBox.height / 2);
  await page.mouse.move(cpuBox.x + cpuBox.width * 0.92, cpuBox.y + cpuBox.height / 2, { steps: 3 });
  const cpuHover = await waitFor(
    () =>
      page.evaluate(() =>
        window.sandboxHost.hovers.findLast((h) => h.type === 'hover' && h.origin.endsWith('panel-1'))
      ),
    { message: 'a hover from the CPU panel' }
  );
  const remote = page.getByTestId('goruntime-heatmap-remote-crosshair');
  const shown = await waitFor(
    async () => ((await remote.count()) ? Number(await remote.getAttribute('data-time')) : undefined),
    {
      message: 'the heatmap crosshair following the CPU panel',
    }
  );
  assert.ok(Math.abs(shown - cpuHover.time) < 2500, `heatmap crosshair at ${shown}, CPU hover at ${cpuHover.time}`);
});

test(
  'brushing a window and choosing "compare with baseline" draws a diff flame graph of that window',
  async ({ open, setScenario, screenshot }) => {
    await setScenario('busy-select', true);
    const { page } = await open(panelUrl({ from: 'now-1m', seconds: 2 }));
    await waitForColumns(page, 8);
    const overlay = page.getByTestId('goruntime-heatmap-overlay');
    const box = await overlay.boundingBox();
    const y = box.y + box.height / 2;
    await page.mouse.move(box.x + box.width * 0.7, y);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.85, y, { steps: 4 });
    await page.mouse.move(box.x + box.width * 0.995, y, { steps: 4 });
    await page.mouse.up();
    const selection = page.getByTestId('goruntime-selection');
    await selection.waitFor();
    await selection.getByRole('button', { name: 'Compare with baseline' }).click();

    const windows = page.getByTestId('goruntime-flame-diff-windows');
    await windows.waitFor({ timeout: 60000 });
    const header = await page.getByTestId('goruntime-flame-header').innerText();
    assert.match(header, /Comparison/);
    assert.match(header, /Diff of/);
    console.log(`    (${(await windows.innerText()).trim()})`);
    const canvas = page.getByTestId('goruntime-flame').getByTestId('flameGraph');
    const stats = await waitFor(
      async () => {
        const s = (await canvas.count()) ? await canvasStats(canvas) : undefined;
        return s && s.red + s.green > 200 ? s : undefined;
      },
      { timeoutMs: 30000, message: 'red/green diff bars' }
    );
    console.log(`    (diff canvas: ${stats.red} red, ${stats.green} green pixels)`);
    await page.mouse.move(5, 5);
    await screenshot(page, 'panel-compare.png', { fullPage: false });
  },
  { timeoutMs: 150000 }
);

test('function names containing markup are rendered as text in the flame graph, tooltips and findings', async ({
  open,
}) => {
  const hot = 'main.<img src=x onerror="window.__pwned=1">';
  const generic = 'main.(*T[<script>window.__pwned=2</script>]).Run';
  const parked = 'main.<b>parked</b>';
  const { page } = await open('/', { requirePlugin: true });
  const pprof = (endpoint) => (url) =>
    url.pathname === `/api/datasources/proxy/uid/goruntime-demo-pprof/debug/pprof/${endpoint}`;
  await page.route(pprof('profile'), (route) =>
    route.fulfill({
      status: 200,
      contentType: 'application/octet-stream',
      body: cpuProfile([
        [[hot, 'main.main', 'runtime.main'], 80],
        [[generic, 'main.main', 'runtime.main'], 20],
      ]),
    })
  );
  await page.route(pprof('goroutine'), (route) =>
    route.fulfill({ status: 200, contentType: 'text/plain', body: goroutineDump(`${parked}`, hot, 40) })
  );
  await page.goto(new URL(panelUrl({ from: 'now-1m' }), page.url()).href);
  await waitForFlame(page, waitFor);
  // The top table lists the functions as text, character for character.
  const table = page.getByTestId('goruntime-flame').getByTestId('topTable');
  await table.getByText(hot, { exact: true }).first().waitFor();
  await table.getByText(generic, { exact: true }).first().waitFor();
  await waitForColumns(page, 2);
  // Hover the newest column (the keyboard focus marks it): the strip right of it is time not captured yet.
  await heatmapCell(page, ['End']);
  const overlay = page.getByTestId('goruntime-heatmap-overlay');
  const box = await overlay.boundingBox();
  const newest = await page.getByTestId('goruntime-heatmap-focus').boundingBox();
  await page.mouse.move(newest.x + newest.width / 2, box.y + (5.5 / 15) * box.height);
  const tooltip = page.getByTestId('goruntime-heatmap-tooltip');
  await waitFor(async () => (await tooltip.innerText()).includes('parked'), {
    message: 'the parked cluster in the tooltip',
  });
  const dom = await page.evaluate(() => ({
    pwned: window.__pwned ?? null,
    imgs: document.querySelectorAll('img[src="x"]').length,
    bold: [...document.querySelectorAll('[data-testid="goruntime-heatmap-tooltip"] b')].length,
    scripts: [...document.querySelectorAll('script')].filter((s) => s.textContent.includes('__pwned')).length,
    tooltip: document.querySelector('[data-testid="goruntime-heatmap-tooltip"]').textContent,
  }));
  assert.deepEqual({ ...dom, tooltip: undefined }, { pwned: null, imgs: 0, bold: 0, scripts: 0, tooltip: undefined });
  assert.ok(dom.tooltip.includes(parked) || dom.tooltip.includes('<b>'), dom.tooltip);
});

test('a new panel with only the data source’s default query still shows goroutine states and findings', async ({
  open,
}) => {
  // What Grafana gives a new panel: one query, the data source's default (a CPU flame graph).
  const targets = [{ refId: 'A', queryType: 'flamegraph', profileType: 'cpu', seconds: 2 }];
  const { page } = await open(`/?from=now-1m&to=now&targets=${encodeURIComponent(JSON.stringify(targets))}`);
  await waitForFlame(page, waitFor);
  await waitForColumns(page, 2);
  await waitFor(
    async () => /No problem found|critical|warning|info/.test(await page.getByTestId('goruntime-findings').innerText()),
    {
      timeoutMs: 45000,
      message: 'the findings of the companion query',
    }
  );
  const requests = await page.evaluate(() => window.sandboxHost.requests.map((r) => r.url));
  assert.ok(
    requests.some((u) => u.includes('/debug/pprof/goroutine')),
    'goroutine dumps were requested by the panel'
  );
  // The panel's options render in the options pane with their defaults.
  await page.getByText('Panel options', { exact: true }).click();
  for (const name of ['Views', 'Layout', 'Default profile', 'Heatmap colour scheme', 'Heatmap rows', 'Max nodes']) {
    await page.getByText(name, { exact: true }).first().waitFor();
  }
});

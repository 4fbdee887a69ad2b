// The panel in Pyroscope mode, in Chromium: the sandbox provisions the Pyroscope stand-in of the Node tests
// (tests/support/pyroscopeFake.ts: Grafana Pyroscope's Connect JSON API answering with real demo captures) as the
// `goruntime-pyroscope` data source, and the page uses it (`?datasource=`). A past window, as a user investigating
// an incident would pick: the flame graph comes from SelectMergeStacktraces (the gc-pressure CPU capture), the heatmap
// from one merged goroutine profile per bucket (the goroutine-leak capture: states inferred from stacks), the findings
// from merged profiles. Every request must go through the data proxy to the Pyroscope data source.
import assert from 'node:assert/strict';
import { mkdirSync } from 'fs';
import { join } from 'path';

import { root } from '../../scripts/lib/builds.mjs';
import { test, waitFor } from './harness.mjs';
import { canvasStats, countOf, heatmapCell, waitForFlame } from './support/panelPage.mjs';

const HOUR = 3600 * 1000;

function pyroscopeUrl(from, to, selector) {
  const targets = [
    { refId: 'A', queryType: 'flamegraph', profileType: 'cpu', labelSelector: selector },
    { refId: 'B', queryType: 'goroutineStates', interval: '5m' },
    { refId: 'C', queryType: 'findings' },
  ];
  return `/?datasource=goruntime-pyroscope&from=${from}&to=${to}&targets=${encodeURIComponent(JSON.stringify(targets))}`;
}

test(
  'Pyroscope mode: a past hour gives a flame graph, a goroutine-state heatmap and findings, all through the data proxy',
  async ({ open, screenshot }) => {
    const to = Date.now() - 2 * HOUR;
    const from = to - HOUR;
    const { page } = await open(pyroscopeUrl(from, to));

    const flame = await waitForFlame(page, waitFor);
    const canvas = page.getByTestId('goruntime-flame').getByTestId('flameGraph');
    await page.getByTestId('goruntime-flame').getByPlaceholder('Search...').fill('allocationStorm');
    const hot = await waitFor(
      async () => {
        const s = await canvasStats(canvas);
        return s.coloured > 40 && s.coloured < flame.coloured * 0.8 ? s : undefined;
      },
      { message: 'only the allocationStorm bars coloured' }
    );
    console.log(`    (flame: ${flame.coloured} coloured pixels, "allocationStorm" ${hot.coloured})`);

    // One hour in 5-minute buckets: 12 columns, each a merged goroutine profile whose stacks give the states.
    const overlay = page.getByTestId('goruntime-heatmap-overlay');
    const buckets = await waitFor(
      async () => {
        const m = /(\d+) buckets/.exec(
          (await overlay.count()) ? ((await overlay.getAttribute('aria-label')) ?? '') : ''
        );
        return m && Number(m[1]) >= 12 ? Number(m[1]) : undefined;
      },
      { timeoutMs: 45000, message: '12 heatmap columns' }
    );
    const cell = await heatmapCell(page, ['Home', ...Array(5).fill('ArrowDown')]);
    assert.match(cell, /chan send: [1-9]/, cell);
    console.log(`    (${buckets} buckets; first: ${cell.split('.')[0]})`);

    // The Clusters view: the first bucket's largest cluster, from that bucket's own clusters (per-bucket query).
    await page.getByRole('radio', { name: 'Clusters' }).check({ force: true });
    const clusterCell = await waitFor(
      async () => {
        const text = await heatmapCell(page, ['Home', 'Home']);
        return countOf(text) > 0 ? text : undefined;
      },
      { timeoutMs: 45000, message: 'a cluster row with goroutines in the first bucket' }
    );
    console.log(`    (clusters view, first cell: ${clusterCell.split('.')[0]})`);
    await page.getByRole('radio', { name: 'States' }).check({ force: true });

    await waitFor(() => page.getByText(/Garbage collection takes/).count(), {
      timeoutMs: 45000,
      message: 'the gc-pressure finding from the merged CPU profile',
    });

    const requests = await page.evaluate(() => window.sandboxHost.requests);
    const methods = new Set(
      requests
        .filter((r) => r.url.startsWith('/api/datasources/proxy/uid/goruntime-pyroscope/') && r.state === 'ok')
        .map((r) => r.url.split('?')[0].split('/').pop())
    );
    for (const method of ['SelectMergeStacktraces', 'SelectMergeProfile', 'SelectSeries']) {
      assert.ok(methods.has(method), `${method} through the data proxy; saw ${[...methods].join(', ')}`);
    }
    assert.ok(
      !requests.some((r) => r.url.includes('/goruntime-demo-pprof/')),
      'nothing asked the live pprof data source'
    );
    await page.mouse.move(5, 5);
    await screenshot(page, 'panel-pyroscope.png', { fullPage: false });
  },
  { timeoutMs: 120000 }
);

// Two days: Pyroscope answers metadata calls (label names and values, profile types) over more than its 1d
// max_query_length with 400, so the editor's label picker only works when the data source asks in 1d pieces; the
// findings window must name both dates. The stand-in answers 400 to any call over a day, as the real server does.
test(
  'Pyroscope mode over 2 days: the label picker offers names and values, findings state the 2-day window with dates',
  async ({ open }) => {
    const to = Date.now() - 10 * 60 * 1000;
    const from = to - 48 * HOUR;
    const { page } = await open(pyroscopeUrl(from, to, '{}'));
    await page.setViewportSize({ width: 1400, height: 1250 });

    await waitForFlame(page, waitFor);
    const window = await waitFor(
      async () => {
        const text = (await page.getByTestId('goruntime-panel').innerText()).replace(/\s+/g, ' ');
        return /(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d – \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \(2\.0 days\))/.exec(text)?.[1];
      },
      { timeoutMs: 60000, message: 'the findings window with both dates and "2.0 days"' }
    );
    console.log(`    (findings window: ${window})`);
    const header = await page.getByTestId('goruntime-flame-header').innerText();
    assert.match(header, /\(2\.0 days\)/, `the flame graph header states the length in days: ${header}`);

    // The editor of query A: pick a label name, then see the values the two 1d pieces returned.
    // Grafana's Combobox labels its input by aria-labelledby only: found by placeholder.
    const names = page.getByPlaceholder('label', { exact: true }).first();
    await names.click();
    await waitFor(() => page.getByRole('option', { name: 'service_name', exact: true }).count(), {
      message: 'service_name among the label names of 2 days',
    });
    await page.getByRole('option', { name: 'service_name', exact: true }).click();
    const values = page.getByPlaceholder('value of service_name', { exact: true }).first();
    await values.click();
    const offered = await waitFor(
      async () => {
        const texts = await page.getByRole('option').allInnerTexts();
        return texts.includes('checkout') && texts.includes('goruntime-demo') ? texts : undefined;
      },
      { message: 'checkout and goruntime-demo offered as service_name values' }
    );
    console.log(`    (service_name values: ${offered.join(', ')})`);

    const requests = await page.evaluate(() => window.sandboxHost.requests);
    const metadata = requests.filter((r) => /\/(LabelNames|LabelValues)$/.test(r.url.split('?')[0]));
    assert.ok(metadata.length >= 4, `label names and values asked in 1d pieces; saw ${metadata.length}`);
    assert.ok(
      metadata.every((r) => r.state === 'ok'),
      `no metadata call refused: ${metadata.map((r) => `${r.url} ${r.state}`).join('; ')}`
    );
    const docsImg = join(root, 'docs', 'img');
    mkdirSync(docsImg, { recursive: true });
    await page.screenshot({ path: join(docsImg, 'pyroscope-2-days-label-picker.png'), fullPage: false });
  },
  { timeoutMs: 150000 }
);

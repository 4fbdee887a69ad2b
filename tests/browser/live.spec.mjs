// The live capture store in the sandbox, against the live demo service (no fakes): findings that stay current under
// auto-refresh, a heatmap that keeps its history across refreshes and a zoom, drill-downs into windows in the past,
// and the message for a window older than the store. Screenshots of the first three go to docs/img/.
import assert from 'node:assert/strict';
import { mkdirSync } from 'fs';
import { join } from 'path';

import { root } from '../../scripts/lib/builds.mjs';
import { test, waitFor } from './harness.mjs';
import { canvasStats, panelUrl, waitForFlame } from './support/panelPage.mjs';

const docsImg = join(root, 'docs', 'img');

async function docsShot(page, file) {
  mkdirSync(docsImg, { recursive: true });
  await page.mouse.move(2, 2);
  await page.screenshot({ path: join(docsImg, file), fullPage: false });
}

/** Heatmap columns, from the overlay's ARIA label ("… N buckets …"), or 0. */
async function columns(page) {
  const overlay = page.getByTestId('goruntime-heatmap-overlay');
  if (!(await overlay.count())) {
    return 0;
  }
  const m = /(\d+) buckets/.exec((await overlay.getAttribute('aria-label')) ?? '');
  return m ? Number(m[1]) : 0;
}

const queryRuns = (page) => page.evaluate(() => window.sandboxHost.queryRuns.length);
const lastRun = (page) => page.evaluate(() => window.sandboxHost.queryRuns.at(-1));

/** Drags across the heatmap from time `from` to time `to` (ms), on the axis of the dashboard range `run`. */
async function brush(page, run, from, to) {
  const overlay = page.getByTestId('goruntime-heatmap-overlay');
  const box = await overlay.boundingBox();
  const x = (t) => box.x + ((t - run.from) / (run.to - run.from)) * box.width;
  const y = box.y + box.height / 2;
  await page.mouse.move(x(from), y);
  await page.mouse.down();
  await page.mouse.move((x(from) + x(to)) / 2, y, { steps: 4 });
  await page.mouse.move(x(to), y, { steps: 4 });
  await page.mouse.up();
  const selection = page.getByTestId('goruntime-selection');
  await selection.waitFor();
  return selection;
}

/** The number of CPU windows the flame graph header says it merged ("12 CPU windows 10:01:02–…"). */
async function cpuWindowsInHeader(page) {
  const text = await page.getByTestId('goruntime-flame-header').innerText();
  const m = /(\d+) CPU windows?/.exec(text);
  return m ? Number(m[1]) : 0;
}

/** The States/Groups/Clusters toggle shows its labels whole; cluster row labels are cut at their end, never their start. */
async function checkHeatmapToolbar(page) {
  const heatmap = page.getByTestId('goruntime-heatmap');
  const cut = await heatmap
    .locator('label')
    .evaluateAll((labels) => labels.filter((l) => l.scrollWidth > l.clientWidth + 1).map((l) => l.textContent));
  assert.deepEqual(cut, [], 'toggle labels cut');
  await heatmap.getByRole('radio', { name: 'Clusters' }).check({ force: true });
  const rows = await waitFor(
    async () => {
      const found = await heatmap.locator('div[aria-hidden="true"] > div[title] > span').evaluateAll((spans) =>
        spans.map((s) => ({
          text: s.textContent,
          title: s.parentElement.title,
          overflows: s.scrollWidth > s.clientWidth,
          startsInside: s.getBoundingClientRect().left >= s.parentElement.getBoundingClientRect().left - 1,
        }))
      );
      return found.some((r) => r.title.includes('.')) ? found : undefined;
    },
    { message: 'cluster rows' }
  );
  await docsShot(page, 'live-heatmap-clusters.png');
  assert.ok(
    rows.every((r) => r.startsInside && r.text === r.title),
    JSON.stringify(rows)
  );
  console.log(
    `    (cluster rows: ${rows.length}, ${rows.filter((r) => r.overflows).length} cut at the end with an ellipsis)`
  );
  await heatmap.getByRole('radio', { name: 'States' }).check({ force: true });
}

/** The selection bar is one line, and its close button sits inside it (not over the view below). */
async function checkSelectionBar(page) {
  const bar = await page.getByTestId('goruntime-selection').boundingBox();
  const close = await page
    .getByTestId('goruntime-selection')
    .getByRole('button', { name: 'Clear selection' })
    .boundingBox();
  assert.ok(bar.height <= 40, `selection bar ${bar.height} px high`);
  assert.ok(
    close.x + close.width <= bar.x + bar.width + 1 &&
      close.y >= bar.y - 1 &&
      close.y + close.height <= bar.y + bar.height + 1
  );
}

// One page open ~2.5 minutes serves both checks that need time to pass: the heatmap's history across refreshes and a
// zoom, and drill-downs into a window that ended 2 minutes before it is brushed.
test(
  'the heatmap keeps its history across 5 refreshes; brushing a window 2 minutes in the past gives its flame graph, a diff against the window before it, and a zoom to it',
  async ({ open, setScenario }) => {
    const { page } = await open(panelUrl({ from: 'now-5m', interval: '2s', seconds: 5, extra: '&refresh=5s' }));
    await waitForFlame(page, waitFor);
    // 15 s of the quiet service, then busy-select on: the window after the switch differs from the one before it.
    await waitFor(async () => (await cpuWindowsInHeader(page)) >= 3, { timeoutMs: 120000, message: '3 CPU windows' });
    await setScenario('busy-select', true);
    const switched = Date.now();

    const first = await columns(page);
    let seen = first;
    const runs = await queryRuns(page);
    for (let i = 1; i <= 5; i++) {
      await waitFor(async () => (await queryRuns(page)) >= runs + i, { timeoutMs: 30000, message: `refresh ${i}` });
      // The new query answers from the store: at once with every column it held, never from scratch.
      seen = await waitFor(async () => ((await columns(page)) >= seen ? columns(page) : undefined), {
        message: `refresh ${i} keeps at least ${seen} columns`,
      });
    }
    console.log(`    (heatmap columns: ${first} before the refreshes, ${seen} after 5)`);
    assert.ok(seen > first);
    await docsShot(page, 'live-heatmap-after-5-refreshes.png');
    await checkHeatmapToolbar(page);

    // The brushed window [switch, switch + 20 s] has ended 2 minutes before the dashboard's latest refresh.
    await waitFor(async () => (await lastRun(page)).to >= switched + 20_000 + 120_000, {
      timeoutMs: 240000,
      intervalMs: 1000,
      message: 'a dashboard refresh 2 minutes after the window',
    });
    const run = await lastRun(page);
    const selection = await brush(page, run, switched, switched + 20_000);
    await checkSelectionBar(page);
    await selection.getByRole('button', { name: 'Flame graph of window' }).click();
    const header = page.getByTestId('goruntime-flame-header');
    await waitFor(async () => /^Window /.test(await header.innerText()) && (await cpuWindowsInHeader(page)) >= 2, {
      timeoutMs: 30000,
      message: 'the flame graph of the brushed window, from the store',
    });
    await waitForFlame(page, waitFor);
    console.log(
      `    (window ended ${Math.round((run.to - switched - 20_000) / 1000)} s before the refresh: ` +
        `${(await header.innerText()).replace(/\s+/g, ' ')})`
    );
    await docsShot(page, 'live-past-window-flame.png');

    await header.getByRole('button', { name: /Back to the dashboard/ }).click();
    await page.getByTestId('goruntime-selection').getByRole('button', { name: 'Compare with baseline' }).click();
    const windows = page.getByTestId('goruntime-flame-diff-windows');
    await windows.waitFor({ timeout: 30000 });
    const canvas = page.getByTestId('goruntime-flame').getByTestId('flameGraph');
    const stats = await waitFor(
      async () => {
        const s = (await canvas.count()) ? await canvasStats(canvas) : undefined;
        return s && s.red + s.green > 200 ? s : undefined;
      },
      { timeoutMs: 30000, message: 'red/green diff bars' }
    );
    console.log(`    (${(await windows.innerText()).trim()}; ${stats.red} red, ${stats.green} green pixels)`);
    await docsShot(page, 'live-past-window-diff.png');

    await page.getByTestId('goruntime-selection').getByRole('button', { name: 'Zoom dashboard to window' }).click();
    await waitFor(async () => !(await lastRun(page)).rawFrom.startsWith('now'), { message: 'the zoomed query run' });
    const zoomed = await waitFor(async () => ((await columns(page)) >= 2 ? columns(page) : undefined), {
      message: 'the zoomed window answered from the store',
    });
    console.log(`    (zoomed to the 20 s window: ${zoomed} columns)`);
    assert.equal(await page.getByText(/history needs Pyroscope/).count(), 0);
  },
  // About 3 minutes unloaded (2 of them the window's age); a loaded 2-core machine slows every capture.
  { timeoutMs: 600000 }
);

test(
  'a window older than the store says when live capture began and that older history needs Pyroscope',
  async ({ open }) => {
    const { page } = await open(panelUrl({ from: 'now-1m', interval: '2s', seconds: 2 }));
    await waitForFlame(page, waitFor);
    // Two steps back: the range [now-2m, now-1m] ends before this page began capturing.
    for (let i = 0; i < 2; i++) {
      await page
        .getByRole('button', { name: /backward/i })
        .first()
        .click();
    }
    const error = page.getByTestId('goruntime-flame-error');
    await error.waitFor({ timeout: 30000 });
    const text = await error.innerText();
    console.log(`    (${text.replace(/\s+/g, ' ')})`);
    assert.match(
      text,
      /no live capture covers \d\d:\d\d:\d\d–\d\d:\d\d:\d\d: live capture of .* began at \d\d:\d\d:\d\d/
    );
    assert.match(text, /older history needs Pyroscope/);
  },
  { timeoutMs: 120000 }
);

// Last: the leak scenario leaves its goroutines behind in the shared demo service (they are leaked), which makes
// every later dump larger.
test(
  'auto-refresh 10 s: switching a scenario on brings its finding on screen without a click, stamped "as of"',
  async ({ open, setScenario }) => {
    const { page } = await open(panelUrl({ from: 'now-5m', interval: '2s', seconds: 5, extra: '&refresh=10s' }));
    const stamp = page.getByTestId('goruntime-findings-as-of');
    await stamp.waitFor({ timeout: 60000 });
    const stamps = new Set([await stamp.innerText()]);
    const findings = page.getByTestId('goruntime-findings');
    for (const [scenario, title] of [
      ['busy-select', /Busy select loop/i],
      ['goroutine-leak', /stuck in chan send/i],
    ]) {
      await setScenario(scenario, true);
      const switched = Date.now();
      await waitFor(async () => title.test(await findings.innerText()), {
        timeoutMs: 90000,
        message: `the ${scenario} finding under auto-refresh`,
      });
      stamps.add(await stamp.innerText());
      console.log(
        `    (${scenario}: finding on screen ${((Date.now() - switched) / 1000).toFixed(1)} s after the switch)`
      );
    }
    // Re-evaluated as captures arrive: the stamp moved on.
    assert.ok(stamps.size >= 2, [...stamps].join(' | '));
    assert.match(await stamp.innerText(), /^as of \d\d:\d\d:\d\d · window /);
    await docsShot(page, 'live-findings-auto-refresh.png');
  },
  { timeoutMs: 240000 }
);

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

test(
  'the heatmap keeps its history across 5 refreshes and a zoom to a window',
  async ({ open }) => {
    const { page } = await open(panelUrl({ from: 'now-2m', interval: '1s', seconds: 3, extra: '&refresh=5s' }));
    const first = await waitFor(async () => ((await columns(page)) >= 6 ? columns(page) : undefined), {
      timeoutMs: 60000,
      message: '6 heatmap columns',
    });
    let seen = first;
    const runs = await queryRuns(page);
    for (let i = 1; i <= 5; i++) {
      await waitFor(async () => (await queryRuns(page)) >= runs + i, { timeoutMs: 30000, message: `refresh ${i}` });
      // The new query answers from the store: at once with every column it held, never from scratch.
      const n = await waitFor(async () => ((await columns(page)) >= seen ? columns(page) : undefined), {
        message: `refresh ${i} keeps at least ${seen} columns`,
      });
      seen = n;
    }
    console.log(`    (heatmap columns: ${first} before the refreshes, ${seen} after 5)`);
    assert.ok(seen > first);
    await docsShot(page, 'live-heatmap-after-5-refreshes.png');

    const run = await lastRun(page);
    const selection = await brush(page, run, run.to - 40_000, run.to - 10_000);
    await selection.getByText('Zoom dashboard to window').click();
    await waitFor(async () => !(await lastRun(page)).rawFrom.startsWith('now'), { message: 'the zoomed query run' });
    const zoomed = await waitFor(async () => ((await columns(page)) >= 2 ? columns(page) : undefined), {
      message: 'the zoomed window answered from the store',
    });
    console.log(`    (zoomed to 30 s: ${zoomed} columns)`);
    assert.equal(await page.getByText(/history needs Pyroscope/).count(), 0);
  },
  { timeoutMs: 180000 }
);

test(
  'brushing a window in the past gives its flame graph and a diff against the window before it',
  async ({ open, setScenario }) => {
    const { page } = await open(panelUrl({ from: 'now-3m', interval: '2s', seconds: 5, extra: '&refresh=5s' }));
    await waitForFlame(page, waitFor);
    // 20 s of the quiet service, then busy-select on: the window after the switch differs from the one before it.
    await waitFor(async () => (await cpuWindowsInHeader(page)) >= 5, { timeoutMs: 120000, message: '5 CPU windows' });
    await setScenario('busy-select', true);
    const switched = Date.now();
    // The brushed window [switch, switch + 20 s] ends 20 s in the past when brushed (a longer past works the same
    // way, from the same store; the test keeps the wait short).
    await waitFor(async () => (await lastRun(page)).to >= switched + 40_000, {
      timeoutMs: 120000,
      message: 'a dashboard refresh 40 s after the switch',
    });
    const run = await lastRun(page);
    const selection = await brush(page, run, switched, switched + 20_000);
    await selection.getByText('Flame graph of window').click();
    const header = page.getByTestId('goruntime-flame-header');
    await waitFor(async () => /^Window /.test(await header.innerText()) && (await cpuWindowsInHeader(page)) >= 2, {
      timeoutMs: 30000,
      message: 'the flame graph of the brushed window, from the store',
    });
    await waitForFlame(page, waitFor);
    console.log(`    (window: ${(await header.innerText()).replace(/\s+/g, ' ')})`);
    await docsShot(page, 'live-past-window-flame.png');

    await header.getByRole('button', { name: /Back to the dashboard/ }).click();
    await page.getByTestId('goruntime-selection').getByText('Compare with baseline').click();
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
  },
  { timeoutMs: 300000 }
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

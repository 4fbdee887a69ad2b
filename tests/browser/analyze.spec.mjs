// The app's "Analyze a file" page in the sandbox (served at /a/seed-goruntime-app/analyze, as in Grafana): real crash
// output pasted, a real heap profile dropped, two CPU profiles compared, and the downloaded profile read back by
// the analysis core with the same totals as the file it came from.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

import { root } from '../../scripts/lib/builds.mjs';
import { test, waitFor } from './harness.mjs';
import { canvasStats, panelUrl, waitForFlame } from './support/panelPage.mjs';

const PAGE = '/a/seed-goruntime-app/analyze';
const fixture = (file) => join(root, 'fixtures', file);
const docsImage = (name) => join(root, 'docs', 'img', name);

/**
 * The whole page as README screenshots show it: a viewport as tall as the page (a full-page capture resizes the
 * viewport, which makes the flame graph redraw its canvas mid-capture), once the flame graph is drawn.
 */
async function screenshotPage(page, file) {
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  await page.setViewportSize({ width: 1600, height: Math.min(height + 20, 4000) });
  const canvas = page.getByTestId('goruntime-flame').locator('canvas').first();
  await waitFor(async () => (await canvasStats(canvas)).coloured > 500, { message: 'the flame graph drawn for the screenshot' });
  await page.screenshot({ path: docsImage(file) });
}

/** What the analysis core reads from pprof files (tests/browser/support/profileFacts.ts). */
/**
 * The core's reading of profile files, in a child process (the core is TypeScript). Asynchronous: this runner's
 * process also serves the sandbox and its data proxy, which must keep answering the page meanwhile.
 */
async function profileFacts(...files) {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', join(root, 'tests', 'browser', 'support', 'profileFacts.ts'), ...files],
    { cwd: root, encoding: 'utf8' }
  );
  return stdout.trim().split('\n').map((line) => JSON.parse(line));
}

/** Drops files on an element the way a browser does: dragover, then drop with a DataTransfer holding the files. */
async function dropFiles(page, selector, files) {
  const payload = files.map((file) => ({ name: basename(file), base64: readFileSync(file).toString('base64') }));
  const dataTransfer = await page.evaluateHandle((items) => {
    const transfer = new DataTransfer();
    for (const item of items) {
      const bytes = Uint8Array.from(atob(item.base64), (c) => c.charCodeAt(0));
      transfer.items.add(new File([bytes], item.name, { type: 'application/octet-stream' }));
    }
    return transfer;
  }, payload);
  await page.dispatchEvent(selector, 'dragover', { dataTransfer });
  await page.dispatchEvent(selector, 'drop', { dataTransfer });
}

async function waitForAnalysis(page) {
  await page.getByTestId('analyze-results').waitFor({ timeout: 30000 });
  return page.getByTestId('analyze-status').innerText();
}

async function downloadVia(page, buttonName, dir) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: buttonName }).click()]);
  const file = join(dir, download.suggestedFilename());
  await download.saveAs(file);
  return file;
}

test('analyze page: inside the app page frame (title, breadcrumbs), says nothing is uploaded, keyboard opens the file chooser', async ({ open }) => {
  const { page } = await open(PAGE);
  assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Analyze a file');
  const crumbs = await page.getByRole('navigation', { name: 'Breadcrumbs' }).innerText();
  assert.match(crumbs.replace(/\s+/g, ' '), /Home.*Apps.*Go Runtime Profiles.*Analyze a file/);
  assert.match(await page.getByTestId('analyze-privacy').innerText(), /nothing is uploaded/);
  // The drop zone is in the tab order and Enter on it opens the file chooser; the file input has a label.
  // locator.press focuses the drop zone and presses in one step, so nothing that takes focus while the page settles
  // can receive the key instead.
  const dropZone = page.getByRole('group', { name: /Drop zone/ });
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), dropZone.press('Enter')]);
  assert.equal(await dropZone.evaluate((el) => el === document.activeElement), true);
  assert.equal(chooser.isMultiple(), true);
  assert.equal(await page.getByLabel('Profile or goroutine dump files').count(), 1);
  assert.equal(await page.getByRole('button', { name: 'Choose files…' }).count(), 1);
  assert.equal(await page.getByRole('status').first().innerText(), 'No input yet.');
});

test('analyze page: pasted crash output of a real Go program shows its goroutine clusters and a leak finding', async ({ open }) => {
  const crash = readFileSync(fixture('crash/leak-deadlock.txt'), 'utf8');
  const senders = crash.split('\n').filter((l) => /^goroutine \d+ \[chan send\]:/.test(l)).length;
  const total = crash.split('\n').filter((l) => /^goroutine \d+ \[/.test(l)).length;
  const { page } = await open(PAGE);
  await page.getByLabel('Or paste text').fill(crash);
  await page.getByRole('button', { name: 'Analyze pasted text' }).click();
  const status = await waitForAnalysis(page);
  assert.match(status, /Analysed pasted text: \d+ findings?/);
  assert.match(await page.getByTestId('analyze-cause').innerText(), /fatal error: all goroutines are asleep - deadlock!/);

  const clusters = page.getByTestId('goruntime-bucket-clusters');
  assert.match(await clusters.innerText(), new RegExp(`${total} goroutines of pasted text in 2 clusters`));
  const firstRow = (await clusters.locator('tbody tr').first().innerText()).split('\t').map((s) => s.trim());
  assert.deepEqual(firstRow.slice(0, 3), [String(senders), 'chan send', 'main.produce']);

  // The crash's own finding (the runtime said why it stopped) and the leak the blocked senders are.
  const deadlock = page.getByTestId('goruntime-finding').filter({ hasText: 'Deadlock' }).first();
  await deadlock.waitFor();
  assert.match(await deadlock.innerText(), new RegExp(`${senders} goroutines in main\\.produce .* wait on chan send`));
  const finding = page.getByTestId('goruntime-finding').filter({ hasText: 'stuck in chan send' }).first();
  assert.match(await finding.innerText(), new RegExp(`${senders} goroutines stuck in chan send at main\\.produce`));
  // Selecting the finding focuses the flame graph (goroutine stacks) on its evidence.
  await finding.click();
  assert.match(await page.getByTestId('goruntime-flame-focus').innerText(), /main\.produce/);
  await page.getByRole('button', { name: 'Show whole profile' }).click();

  // "Copy as text" puts panicparse-like text on the clipboard.
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(page.url()).origin });
  await page.getByRole('button', { name: 'Copy as text' }).click();
  await waitFor(async () => /Copied 2 clusters/.test(await page.getByTestId('goruntime-copy-status').innerText()), { message: 'the copy status' });
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  assert.match(copied, new RegExp(`^${senders} goroutines: chan send`, 'm'));
  assert.match(copied, /^ {4}main\.produce\n {8}\/tmp\/app\/leak-deadlock\.go:9$/m);
  await screenshotPage(page, 'analyze-crash-dump.png');
});

test('analyze page: a dropped heap profile shows its flame graph and top table; the download decodes to the same totals', async ({ open }) => {
  const heap = fixture('demo/gc-pressure/heap.pb.gz');
  const [facts] = await profileFacts(heap);
  const { page } = await open(PAGE);
  await dropFiles(page, '[data-testid="analyze-drop-zone"]', [heap]);
  const status = await waitForAnalysis(page);
  assert.match(status, /Analysed heap\.pb\.gz/);
  assert.match(await page.getByTestId('goruntime-flame-profile').innerText(), /heap profile · inuse_space/);
  const canvas = page.getByTestId('goruntime-flame').locator('canvas').first();
  await waitFor(async () => (await canvasStats(canvas)).coloured > 1000, { message: 'a drawn flame graph' });
  // The top table is the core's: its first row is the heaviest function by self value of inuse_space.
  const firstFunction = await page.getByTestId('analyze-top').locator('tbody tr th').first().innerText();
  assert.equal(firstFunction, facts.top);
  // Another sample type redraws the table.
  await page.getByRole('radio', { name: 'alloc_space' }).click({ force: true });
  await waitFor(async () => /alloc_space: total/.test(await page.getByTestId('analyze-top').locator('caption').innerText()), {
    message: 'the alloc_space table',
  });
  const dir = mkdtempSync(join(tmpdir(), 'analyze-download-'));
  try {
    const downloaded = await downloadVia(page, 'Download profile', dir);
    assert.equal(basename(downloaded), 'heap.pb.gz');
    const [back] = await profileFacts(downloaded);
    assert.deepEqual([back.sampleTypes, back.totals, back.samples], [facts.sampleTypes, facts.totals, facts.samples]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  await page.getByRole('radio', { name: 'inuse_space' }).click({ force: true });
  await waitFor(async () => /inuse_space: total/.test(await page.getByTestId('analyze-top').locator('caption').innerText()), {
    message: 'the inuse_space table again',
  });
  await screenshotPage(page, 'analyze-heap-profile.png');
});

test('analyze page: two CPU profiles give a diff against the second (the baseline); each side downloads as it was', async ({ open }) => {
  const comparison = fixture('demo/busy-select/cpu.pb.gz');
  const baseline = fixture('demo/normal-load/cpu.pb.gz');
  const { page } = await open(PAGE);
  await page.getByTestId('analyze-file-input').setInputFiles([comparison, baseline]);
  const status = await waitForAnalysis(page);
  assert.match(status, /Compared cpu\.pb\.gz with the baseline cpu\.pb\.gz/);
  assert.match(await page.getByTestId('analyze-inputs').innerText(), /\(comparison\) against .*\(baseline: the second input\)/);
  assert.equal(await page.getByRole('heading', { name: 'Diff flame graph' }).count(), 1);
  assert.match(await page.getByTestId('goruntime-flame-profile').innerText(), /^Diff of CPU profile/);
  const canvas = page.getByTestId('goruntime-flame').locator('canvas').first();
  const stats = await waitFor(async () => {
    const s = await canvasStats(canvas);
    return s.red > 100 && s.green > 100 && s;
  }, { message: 'red and green diff colours' });
  assert.ok(stats.red > 100 && stats.green > 100, JSON.stringify(stats));
  assert.match(await page.getByTestId('goruntime-findings').innerText(), /busy|select/i);

  const [compFacts, baseFacts] = await profileFacts(comparison, baseline);
  const dir = mkdtempSync(join(tmpdir(), 'analyze-download-'));
  try {
    const [compBack] = await profileFacts(await downloadVia(page, 'Download comparison profile', dir));
    const [baseBack] = await profileFacts(await downloadVia(page, 'Download baseline profile', dir));
    assert.deepEqual(compBack.totals, compFacts.totals);
    assert.deepEqual(baseBack.totals, baseFacts.totals);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  // Swapping makes the first file the baseline.
  await page.getByRole('button', { name: 'Swap comparison and baseline' }).click();
  await waitFor(async () => /Compared/.test(await page.getByTestId('analyze-status').innerText()), { message: 'the swapped diff' });
});

test('analyze page: a file that is neither a profile nor a dump gets a message naming it and the cause', async ({ open }) => {
  const { page } = await open(PAGE);
  await page.getByTestId('analyze-file-input').setInputFiles([{ name: 'index.html', mimeType: 'text/html', buffer: Buffer.from('<!doctype html><title>Sign in</title>') }]);
  const error = page.getByTestId('analyze-error');
  await error.waitFor();
  assert.match(await error.innerText(), /index\.html: neither a pprof profile nor goroutine text: this is an HTML page \("Sign in"\)/);
  assert.match(await page.getByTestId('analyze-status').innerText(), /Could not read the input: index\.html/);
});

test('panel: "Download profile" gives the CPU profile its flame graph is drawn from, readable by the core', async ({ open, setScenario }) => {
  await setScenario('busy-select', true);
  const { page } = await open(panelUrl({ from: 'now-1m', seconds: 3 }));
  await waitForFlame(page, waitFor);
  const dir = mkdtempSync(join(tmpdir(), 'panel-download-'));
  try {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('goruntime-download-profile').first().click()]);
    const file = join(dir, download.suggestedFilename());
    await download.saveAs(file);
    assert.equal(basename(file), 'cpu.pb.gz');
    const [facts] = await profileFacts(file);
    assert.deepEqual(facts.sampleTypes, ['samples', 'cpu']);
    assert.ok(facts.totals[1] > 0, JSON.stringify(facts));
    // The heaviest function of the downloaded profile is in the flame graph's own table.
    const table = await page.getByTestId('goruntime-flame').getByTestId('topTable').innerText();
    assert.ok(table.includes(facts.top.split('.').pop()), `${facts.top} not in the flame graph's table`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// The panel's Timeline view against the live demo service: a `trace` query captures /debug/pprof/trace, the browser
// reads and analyses it, and the goroutine-group lanes are drawn where the trace happened on the dashboard's time
// axis, the axis the CPU panel beside it uses (the shared crosshair ties the two). Under two scenarios the lanes and
// the trace findings are photographed beside the CPU panel for docs/img/.
import assert from 'node:assert/strict';
import { join } from 'path';

import { root } from '../../scripts/lib/builds.mjs';
import { test, waitFor } from './harness.mjs';

const docsImg = (name) => join(root, 'docs', 'img', name);

/** The sandbox with only a trace query and the panel's Timeline (and findings) views, on a short live range. */
function timelineUrl({ seconds, from = 'now-10s', views = ['findings', 'timeline'] }) {
  const targets = [{ refId: 'T', queryType: 'trace', seconds }];
  return (
    `/?from=${from}&to=now&scrape=1000&targets=${encodeURIComponent(JSON.stringify(targets))}` +
    `&panelOptions=${encodeURIComponent(JSON.stringify({ views }))}`
  );
}

/**
 * Reads the lanes canvas in one go (the live axis moves every second): its axis and trace span (data attributes)
 * and the x extent, in CSS pixels, of the saturated pixels the state colours paint (lane labels are grey).
 */
function readLanes(page) {
  return page.getByTestId('goruntime-timeline-lanes').evaluate((canvas) => {
    const scale = canvas.width / canvas.clientWidth;
    const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
    let minX = Infinity;
    let maxX = -Infinity;
    let coloured = 0;
    for (let i = 0; i < data.length; i += 4) {
      const max = Math.max(data[i], data[i + 1], data[i + 2]);
      const min = Math.min(data[i], data[i + 1], data[i + 2]);
      if (data[i + 3] > 200 && max - min > 60) {
        coloured++;
        const x = ((i / 4) % canvas.width) / scale;
        minX = Math.min(minX, x);
        maxX = Math.max(maxX, x);
      }
    }
    const n = (name) => Number(canvas.dataset[name]);
    return {
      lanes: n('lanes'),
      from: n('rangeFrom'),
      to: n('rangeTo'),
      traceFrom: n('traceFrom'),
      traceTo: n('traceTo'),
      width: canvas.clientWidth,
      coloured,
      minX,
      maxX,
    };
  });
}

/** Waits until the lanes are drawn: at least one lane with state colours on it (else fails with the query's error). */
async function waitForLanes(page, timeoutMs = 30000, { onAxis = false } = {}) {
  try {
    return await waitFor(
      async () => {
        if (!(await page.getByTestId('goruntime-timeline-lanes').count())) {
          return undefined;
        }
        const lanes = await readLanes(page);
        const placed = !onAxis || (lanes.traceFrom >= lanes.from && lanes.traceTo <= lanes.to);
        return lanes.lanes > 0 && lanes.coloured > 50 && placed ? lanes : undefined;
      },
      {
        timeoutMs,
        message: `goroutine-group lanes drawn in state colours${onAxis ? ', the whole trace on the axis' : ''}`,
      }
    );
  } catch (e) {
    const run = await page.evaluate(() => window.sandboxHost.queryRuns.at(-1));
    throw new Error(`${e.message}; last query run: ${JSON.stringify(run)}`);
  }
}

/**
 * Moves the mouse over the CPU panel at time `t` (ms) of its axis, which slides with the clock like the lanes';
 * returns where the mouse is.
 */
async function hoverCpuAt(page, t, range) {
  // The dashboard's top in view (filling the query editor below scrolls the page down).
  await page.evaluate(() => window.scrollTo(0, 0));
  const plot = page.getByTestId('metric-panel-cpu').locator('.u-over');
  const box = await waitFor(() => plot.boundingBox(), { message: 'the CPU plot' });
  const x = box.x + ((t - range.from) / (range.to - range.from)) * box.width;
  await page.mouse.move(x - 3, box.y + box.height / 2);
  await page.mouse.move(x, box.y + box.height / 2, { steps: 3 });
  return { x, y: box.y + box.height / 2 };
}

/** The newest hover the sandbox's dashboard bus saw from panel `n` (1 = CPU, 4 = the profiles panel). */
const lastHover = (page, n) =>
  page.evaluate(
    (suffix) => window.sandboxHost.hovers.findLast((h) => h.type === 'hover' && h.origin.endsWith(suffix)),
    `panel-${n}`
  );

test(
  'a live trace query draws goroutine-group lanes where the trace happened on the dashboard axis, crosshair both ways',
  async ({ open }) => {
    const { page } = await open(timelineUrl({ seconds: 1, from: 'now-30s' }));
    // The capture starts when the query runs, after the range was evaluated; the live axis moves on with the clock
    // (once a second) and so covers the whole trace at the latest a second after it arrived.
    const lanes = await waitForLanes(page, 30000, { onAxis: true });
    assert.ok(lanes.traceTo - lanes.traceFrom >= 900, `a 1 s trace, got ${lanes.traceTo - lanes.traceFrom} ms`);
    assert.ok(lanes.traceFrom >= lanes.from && lanes.traceTo <= lanes.to, JSON.stringify(lanes));
    const x = (t) => ((t - lanes.from) / (lanes.to - lanes.from)) * lanes.width;
    // Colours only where the trace is (1 px for rounding, 1 px for a brief state's minimum width).
    assert.ok(lanes.minX >= x(lanes.traceFrom) - 2, `colour at x=${lanes.minX}, trace starts at ${x(lanes.traceFrom)}`);
    assert.ok(lanes.maxX <= x(lanes.traceTo) + 2, `colour at x=${lanes.maxX}, trace ends at ${x(lanes.traceTo)}`);
    const rows = await page.getByTestId('goruntime-timeline').locator('tbody tr').count();
    assert.ok(rows >= lanes.lanes, `${rows} group rows for ${lanes.lanes} lanes`);
    // The trace landed in the live capture store; the Timeline says so.
    assert.match(
      await page.getByTestId('goruntime-timeline-source').innerText(),
      /execution trace (captured .* \(capture \d+ of the live store\)|from the live store)/
    );
    console.log(
      `    (${lanes.lanes} lanes, ${rows} groups, trace ${lanes.traceTo - lanes.traceFrom} ms at x ${Math.round(lanes.minX)}–${Math.round(lanes.maxX)} of ${lanes.width} px)`
    );

    // The CPU panel's hover moves the Timeline's crosshair to the same time...
    const now = Date.now();
    const mouse = await hoverCpuAt(page, now - 5000, { from: now - 30000, to: now });
    const remote = page.getByTestId('goruntime-timeline-remote-crosshair');
    // The live CPU panel redraws every second and may clear its hover before a loaded page rendered the Timeline's
    // crosshair: hover again (1 px apart) until the crosshair shows the CPU panel's newest hover time.
    let nudge = 0;
    const { shown, cpuHover } = await waitFor(
      async () => {
        const cpuHover = await lastHover(page, 1);
        // The crosshair may go between count() and getAttribute() when the CPU panel clears its hover.
        const time = (await remote.count())
          ? await remote.getAttribute('data-time', { timeout: 1000 }).catch(() => null)
          : null;
        if (cpuHover && time !== null && Number(time) === cpuHover.time) {
          return { shown: Number(time), cpuHover };
        }
        await page.mouse.move(mouse.x + (nudge++ % 2), mouse.y);
        return undefined;
      },
      { timeoutMs: 30000, message: 'the Timeline crosshair at the CPU panel\'s hover time' }
    ).catch(async (e) => {
      const hovers = await page.evaluate(() => window.sandboxHost.hovers.slice(-4));
      const axis = await readLanes(page);
      throw new Error(`${e.message}; hovers ${JSON.stringify(hovers)}; lanes axis ${axis.from}–${axis.to}`);
    });
    assert.equal(shown, cpuHover.time);

    // ... and hovering the lanes publishes the time under the cursor for the other panels.
    const canvas = page.getByTestId('goruntime-timeline-lanes');
    const box = await canvas.boundingBox();
    const axisFrom = async () => Number(await canvas.getAttribute('data-range-from'));
    const before = await axisFrom();
    await page.mouse.move(box.x + box.width * 0.6, box.y + 5);
    await page.mouse.move(box.x + box.width * 0.6 + 1, box.y + 5);
    const hover = await waitFor(() => lastHover(page, 4), { message: 'a DataHoverEvent from the Timeline' });
    const after = await axisFrom();
    const span = Number(await canvas.getAttribute('data-range-to')) - after;
    // The live axis moves with the clock once a second: the hover was on one of the axes seen around it (± 2 px).
    const expected = (from) => from + ((box.width * 0.6 + 1) / box.width) * span;
    const error = Math.min(...[before, after, after - 1000].map((from) => Math.abs(hover.time - expected(from))));
    assert.ok(
      error <= (2 * span) / box.width,
      `hover at ${hover.time}, expected ${expected(before)}…${expected(after)}`
    );
  },
  { timeoutMs: 120000 }
);

/**
 * Selects the mutex-contention workers' group by a mouse click on its lane, checks that its blocking stacks show
 * sync.(*Mutex).Lock under "sync / mutex", clicks the lane again to clear, then selects it from the keyboard (Tab to
 * its label, Enter) and checks the same.
 */
async function checkMutexGroupWaits(page) {
  const label = page.locator('[data-testid="goruntime-timeline-lane-label"][data-group*="runMutexContention"]');
  await waitFor(() => label.count(), { message: 'a lane for the mutex-contention workers' });
  const waits = page.getByTestId('goruntime-timeline-group-waits');
  const lockShown = async () => {
    const filter = waits.getByRole('radio', { name: 'sync / mutex' });
    await waitFor(() => filter.count(), { message: 'the sync / mutex filter of the group waits' });
    await filter.click();
    return waitFor(
      async () => {
        const stacks = await waits.getByTestId('goruntime-timeline-wait-stack').allInnerTexts();
        return stacks.some((t) => t.includes('sync.(*Mutex).Lock')) ? stacks : undefined;
      },
      { message: 'a sync / mutex stack with sync.(*Mutex).Lock' }
    );
  };
  // Mouse: the middle of the group's lane on the canvas.
  const canvas = page.getByTestId('goruntime-timeline-lanes');
  const [canvasBox, labelBox] = [await canvas.boundingBox(), await label.boundingBox()];
  await page.mouse.click(canvasBox.x + canvasBox.width / 2, labelBox.y + labelBox.height / 2);
  const group = await label.getAttribute('data-group');
  await waitFor(async () => (await waits.getAttribute('data-group')) === group, { message: `waits of ${group}` });
  const stacks = await lockShown();
  console.log(`    (lane click: ${group.replace(/.*\//, '')}; longest sync waits: ${stacks[0].replace(/\s+/g, ' ')})`);
  await page.mouse.click(canvasBox.x + canvasBox.width / 2, labelBox.y + labelBox.height / 2);
  await waitFor(async () => (await waits.count()) === 0, { message: 'a second click clears the selection' });
  // Keyboard: the label is a focusable option; Enter selects it.
  await label.focus();
  await page.keyboard.press('Enter');
  await waitFor(async () => (await label.getAttribute('aria-selected')) === 'true', { message: 'selected by Enter' });
  await lockShown();
}

test(
  'runnable-backlog names scheduler latency; runnable-backlog and mutex-contention draw lanes beside the CPU panel on the same time axis; a click or Enter on the mutex workers’ lane shows their sync.(*Mutex).Lock waits',
  async ({ open, setScenario }) => {
    for (const { scenario, finding, seconds } of [
      { scenario: 'runnable-backlog', finding: /Scheduler latency: goroutines wait for a P/, seconds: 1 },
      // The blocking finding needs the contention built up inside the 3 s trace, which a fresh scenario on a loaded
      // machine does not always give: it is judged on the captured trace (traceFindings.test.ts, blocking-hotspot).
      { scenario: 'mutex-contention', finding: undefined, seconds: 3 },
    ]) {
      // The page loads without queries and before the scenario starts (runnable-backlog keeps a P busy).
      const views = { views: ['findings', 'timeline'], companionQueries: false };
      const { page } = await open(
        `/?from=now-20s&to=now&scrape=1000&targets=[]&panelOptions=${encodeURIComponent(JSON.stringify(views))}`
      );
      await setScenario(scenario, true);
      await page.getByTestId('targets-json').fill(JSON.stringify([{ refId: 'T', queryType: 'trace', seconds }]));
      // An absolute window from 8 s ago to 12 s ahead: it ends "now" for the live capture (the data source allows
      // 15 s) and stays put however long the browser takes to analyse the trace.
      const now = Date.now();
      const range = { from: now - 8000, to: now + 12000 };
      await page.evaluate(({ from, to }) => window.sandboxHost.setTimeRange(from, to), range);
      await page.getByTestId('targets-apply').click();
      const lanes = await waitForLanes(page, 90000);
      await setScenario(scenario, false);
      assert.ok(lanes.traceFrom >= range.from && lanes.traceTo <= range.to, JSON.stringify(lanes));
      if (finding) {
        await waitFor(() => page.getByText(finding).count(), { message: `the finding ${finding}` });
      }
      const top = await page.getByTestId('goruntime-timeline').locator('tbody tr').first().innerText();
      console.log(`    (${scenario}: ${lanes.lanes} lanes; top group: ${top.replace(/\s+/g, ' ')})`);
      if (scenario === 'mutex-contention') {
        await checkMutexGroupWaits(page);
      }
      // The CPU panel's cursor in the middle of the trace (the first test checks that the crosshair follows it).
      await hoverCpuAt(page, (lanes.traceFrom + lanes.traceTo) / 2, range);
      await page.screenshot({ path: docsImg(`timeline-${scenario}.png`), fullPage: false });
      await page.close();
    }
  },
  { timeoutMs: 240000 }
);

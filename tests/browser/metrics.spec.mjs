// The host's own Prometheus stand-in: the CPU time series of the demo service is scraped and drawn.
import assert from 'node:assert/strict';

import { test, waitFor } from './harness.mjs';

test('draws the demo service CPU as a time series (non-blank pixels in the series colour)', async ({ open, screenshot }) => {
  // A 1-minute range and fast scrapes so the line spans a visible part of the plot within seconds.
  const { page } = await open('/?from=now-1m&to=now&scrape=500', { requirePlugin: false });
  const canvas = page.getByTestId('metric-panel-cpu').locator('canvas');
  await canvas.waitFor();
  const greenPixels = await waitFor(
    () =>
      canvas.evaluate((el) => {
        const { data } = el.getContext('2d').getImageData(0, 0, el.width, el.height);
        let count = 0;
        for (let i = 0; i < data.length; i += 4) {
          // The CPU series is Grafana's "green" (#73BF69): count pixels clearly of that hue.
          if (data[i + 3] > 0 && data[i + 1] > 120 && data[i + 1] > data[i] + 30 && data[i + 1] > data[i + 2] + 30) {
            count++;
          }
        }
        return count > 30 ? count : 0;
      }),
    { timeoutMs: 20000, message: 'green CPU line pixels on the canvas' }
  );
  assert.ok(greenPixels > 30);
  await screenshot(page, 'metrics-cpu.png');
});

test('hovering the CPU panel publishes a crosshair event at the time under the cursor', async ({ open }) => {
  const { page } = await open('/?from=now-1m&to=now&scrape=500');
  const plot = page.getByTestId('metric-panel-cpu').locator('.u-over');
  // A few scrapes first, so the plot has points near the cursor and is not re-created under the mouse.
  await waitFor(() => page.evaluate(() => window.sandboxHost.queryRuns.length > 0), { message: 'the first query run' });
  await page.waitForTimeout(2000);
  const box = await waitFor(() => plot.boundingBox(), { message: 'the CPU plot area' });
  const before = Date.now();
  await page.mouse.move(box.x + box.width * 0.9, box.y + box.height / 2);
  await page.mouse.move(box.x + box.width * 0.95, box.y + box.height / 2, { steps: 5 });
  const hover = await waitFor(
    () => page.evaluate(() => window.sandboxHost.hovers.findLast((h) => h.type === 'hover' && h.origin.endsWith('panel-1'))),
    { message: 'a DataHoverEvent from the CPU panel' }
  );
  // The time is a data point near the cursor: inside the last minute, not in the future.
  assert.ok(hover.time > before - 60000 && hover.time <= Date.now(), `hover time ${new Date(hover.time).toISOString()}`);
});

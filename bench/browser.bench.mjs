// `npm run bench:browser`: first render and hover latency of the built panel (dist/) in Debian's Chromium, on
// synthetic inputs (bench/browser/synthetic.mjs): a 100,000-node flame frame, pruned by the panel to its default
// node budget and unpruned, and a 5,760-bucket x 16-state heatmap, at device pixel ratios 1 and 2. Prints one
// table. Timings come from the page's performance.now(); nothing is asserted (targets are printed beside them).
//   node bench/browser.bench.mjs [--runs N]
import { createRequire } from 'module';

import { ensurePluginBuilt, ensureSandboxHostBuilt } from '../scripts/lib/builds.mjs';
import { measureHovers, measureMounts } from './browser/measure.mjs';
import { flameGraph, stateHeatmap } from './browser/synthetic.mjs';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');
const { startSandbox } = require('../sandbox/server.js');

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 10;
const DEFAULT_MAX_NODES = 2048; // src/panel/types.ts

function quantile(values, q) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}
const ms = (v) => `${v.toFixed(v < 10 ? 2 : 1)} ms`;

async function main() {
  ensurePluginBuilt();
  ensureSandboxHostBuilt();
  const flame = flameGraph(100_000);
  const heat = stateHeatmap();
  // The bench page runs no query: the demo URL only has to be well-formed.
  const sandbox = await startSandbox({ demoUrl: 'http://127.0.0.1:9' });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
  const rows = [];
  try {
    for (const dpr of [1, 2]) {
      const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, deviceScaleFactor: dpr });
      const page = await context.newPage();
      page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
      await page.goto(`${sandbox.url}/?bench=1`);
      await page.waitForFunction(() => window.panelBench !== undefined, null, { timeout: 30000 });
      await page.evaluate((data) => (window.__benchData = data), { flame, heat });

      const heatmapInput = {
        heatmap: 'heat',
        options: { views: ['heatmap'], companionQueries: false },
        range: heat.range,
        width: 1200,
        height: 400,
      };
      const heatMounts = await page.evaluate(measureMounts, { input: heatmapInput, runs: RUNS + 2 });
      const heatHovers = await page.evaluate(measureHovers, {
        testId: 'goruntime-heatmap-overlay',
        count: 300,
        xFrom: 1,
        xTo: 1000,
        yFrom: 1,
        yTo: 300,
        probe: '[data-testid="goruntime-heatmap-tooltip"]',
      });
      rows.push({
        dpr,
        what: 'heatmap 5,760 x 16: first render',
        values: heatMounts.slice(2).map((r) => r.sync),
        target: 50,
        then: heatMounts.slice(2).map((r) => r.frame),
      });
      rows.push({
        dpr,
        what: 'heatmap 5,760 x 16: hover',
        values: heatHovers.times,
        target: 8,
        changed: heatHovers.changed,
      });

      for (const [label, maxNodes, runs] of [
        [`flame 100,000 nodes, pruned to ${DEFAULT_MAX_NODES}`, DEFAULT_MAX_NODES, RUNS],
        ['flame 100,000 nodes, unpruned', 0, Math.max(3, Math.round(RUNS / 3))],
      ]) {
        const input = {
          flame: 'flame',
          options: { views: ['flamegraph'], companionQueries: false, maxNodes },
          range: { from: 0, to: 1 },
          width: 1200,
          height: 800,
        };
        const mounts = await page.evaluate(measureMounts, {
          input,
          runs: runs + 1,
          drawnSelector: '[data-testid="flameGraph"]',
        });
        const hovers = await page.evaluate(measureHovers, {
          testId: 'flameGraph',
          count: 100,
          xFrom: 2,
          xTo: 500,
          yFrom: 2,
          yTo: 120,
          probe: 'body', // the flame graph's tooltip is portalled to the body
        });
        rows.push({
          dpr,
          what: `${label}: first render (canvas drawn)`,
          values: mounts.slice(1).map((r) => r.ready),
          then: mounts.slice(1).map((r) => r.frame),
        });
        rows.push({ dpr, what: `${label}: hover`, values: hovers.times, changed: hovers.changed });
      }
      await context.close();
    }
  } finally {
    await browser.close();
    await sandbox.close();
  }

  const version = (await import('fs')).readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/)?.[1] ?? '';
  console.log(
    `\nBrowser bench: built panel from dist/ in Chromium (${CHROMIUM}), ${RUNS} renders per case${version ? `, ${version}` : ''}`
  );
  console.log('| case | DPR | median | p95 | to next frame (median) | tooltip changes | target |');
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  for (const r of rows) {
    const target = r.target ? `< ${r.target} ms ${quantile(r.values, 0.5) < r.target ? '✓' : '✗'}` : 'as measured';
    const then = r.then ? ms(quantile(r.then, 0.5)) : '';
    const changed = r.changed === undefined ? '' : `${r.changed}/${r.values.length}`;
    console.log(
      `| ${r.what} | ${r.dpr} | ${ms(quantile(r.values, 0.5))} | ${ms(quantile(r.values, 0.95))} | ${then} | ${changed} | ${target} |`
    );
  }
  const pruned = rows.find((r) => r.dpr === 1 && /pruned to/.test(r.what) && /first render/.test(r.what));
  const unpruned = rows.find((r) => r.dpr === 1 && /unpruned: first/.test(r.what));
  if (pruned && unpruned) {
    console.log(
      `\nunpruned / pruned first render (DPR 1): ${(quantile(unpruned.values, 0.5) / quantile(pruned.values, 0.5)).toFixed(1)}x`
    );
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

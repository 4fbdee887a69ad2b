// Browser tests of the sandbox in Debian's Chromium (never a downloaded browser): builds dist/ and the sandbox host
// when stale, starts the demo Go service and the sandbox on free ports, runs every tests/browser/*.spec.mjs (or those
// named on the command line), saves screenshots to test-artifacts/browser/, and ends with
// `browser: N passed, N failed`. Exit code 1 when a test failed.
//   node tests/browser/run.mjs [spec-name-filter...]
//   CHROMIUM=/path/to/chromium to override the browser; PLUGIN_DIST=/path/to/dist to test another build of the plugin;
//   SANDBOX_REACT=18 to run the sandbox host on React 18 (Grafana 12.3/12.4) instead of React 19 (Grafana 13);
//   BROWSER_RESULT_FILE=path to also write the counts as JSON (`npm test` adds them to its summary)
import { spawn } from 'child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'fs';
import { createRequire } from 'module';
import { tmpdir } from 'os';
import { basename, join } from 'path';
import { pathToFileURL } from 'url';

import { ensurePluginBuilt, ensureSandboxHostBuilt, root } from '../../scripts/lib/builds.mjs';
import { artifactsDir, collectCspViolations, describeProblems, openPage, registeredTests } from './harness.mjs';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');
const { startDemoService, getScenarios, setScenario } = require('../../scripts/lib/demo-service.js');
const { startSandbox } = require('../../sandbox/server.js');
const { sandboxReact } = require('../../sandbox/reactVersion.js');

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
// On CI (CI=true) a failed test is run once more; BROWSER_RETRIES=0 turns that off, as a local run is by default.
const RETRIES_ON_FAILURE = Number(process.env.BROWSER_RETRIES ?? (process.env.CI ? 1 : 0));
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

function withTimeout(promise, ms, name) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${name}: timed out after ${ms} ms`)), ms);
    }),
  ]);
}

/**
 * The Pyroscope stand-in of the Node tests (tests/support/pyroscopeFake.ts, TypeScript) in a child process: the
 * sandbox provisions it as the `goruntime-pyroscope` data source, so the panel's Pyroscope paths run in Chromium.
 */
function startPyroscopeStandIn() {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'tests', 'support', 'pyroscopeFakeMain.ts')], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`Pyroscope stand-in did not start: ${out}`)), 60000);
    child.once('exit', (code) => reject(new Error(`Pyroscope stand-in exited (${code}): ${out}`)));
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const m = /PYROSCOPE_FAKE_URL=(\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({
          url: m[1],
          stop: () =>
            new Promise((done) => {
              child.removeAllListeners('exit');
              child.once('exit', () => done());
              child.kill('SIGTERM');
            }),
        });
      }
    });
  });
}

async function main() {
  if (!existsSync(CHROMIUM)) {
    console.error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium (tests never download a browser)`);
    reportCounts(0, 1);
    return 1;
  }
  if (!process.env.PLUGIN_DIST) {
    ensurePluginBuilt();
  }
  ensureSandboxHostBuilt();

  const filters = process.argv.slice(2);
  const specs = readdirSync(join(root, 'tests', 'browser'))
    .filter((f) => f.endsWith('.spec.mjs'))
    .filter((f) => filters.length === 0 || filters.some((filter) => f.includes(filter)))
    .sort();
  for (const spec of specs) {
    await import(pathToFileURL(join(root, 'tests', 'browser', spec)).href);
  }

  const demo = await startDemoService({ load: true });
  const pyroscope = await startPyroscopeStandIn();
  const sandbox = await startSandbox({ demoUrl: demo.url, pyroscopeUrl: pyroscope.url, distDir: process.env.PLUGIN_DIST });
  const profileDir = mkdtempSync(join(tmpdir(), 'goruntime-chromium-'));
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1600, height: 1000 },
  });
  // A loaded 2-core machine can take more than Playwright's 30 s default to load the page's bundles.
  context.setDefaultNavigationTimeout(90_000);
  context.setDefaultTimeout(45_000);
  const artifacts = artifactsDir(root);
  console.log(
    `Chromium ${context.browser()?.version() ?? ''} · React ${sandboxReact()} host · demo ${demo.url} · Pyroscope stand-in ${pyroscope.url} · sandbox ${sandbox.url} · screenshots in ${artifacts}`
  );

  // Runs one test on fresh pages and returns its error (undefined when it passed).
  const runOnce = async ({ name, fn, timeoutMs }) => {
    const opened = [];
    const ctx = {
      sandbox,
      react: sandboxReact(),
      demo,
      pyroscope,
      artifacts,
      // Opens the sandbox page (path and query relative to the sandbox URL) with problem recording, and waits until
      // the host has loaded the plugin. A plugin that cannot be loaded fails the test at once with the host's
      // message, unless the test does not need the plugin ({ requirePlugin: false }).
      open: async (path = '/', { requirePlugin = true } = {}) => {
        const result = await openPage(context, `${sandbox.url}${path}`);
        opened.push(result);
        const settled = result.page
          .locator('[data-testid="plugin-panel"], [data-testid="plugin-app"], [data-testid="plugin-load-error"]')
          .first();
        await settled.waitFor({ timeout: 20000 });
        if (requirePlugin && (await settled.getAttribute('data-testid')) === 'plugin-load-error') {
          throw new Error(`the sandbox could not load the plugin: ${await settled.innerText()}`);
        }
        return result;
      },
      screenshot: (page, file, { fullPage = true } = {}) => page.screenshot({ path: join(artifacts, file), fullPage }),
      scenarios: () => getScenarios(demo.url),
      setScenario: (scenario, on) => setScenario(demo.url, scenario, on),
      expectedProblems: [],
    };
    let error;
    try {
      await withTimeout(fn(ctx), timeoutMs, name);
      for (const { page, problems } of opened) {
        await collectCspViolations(page, problems);
        for (const line of problems.proxyHttpErrors) {
          console.log(`    (data proxy: ${line})`);
        }
        const unexpected = describeProblems(problems).filter((p) => !ctx.expectedProblems.some((re) => re.test(p)));
        if (unexpected.length) {
          throw new Error(`the page reported problems:\n    ${unexpected.join('\n    ')}`);
        }
      }
    } catch (e) {
      error = e;
      const page = opened.at(-1)?.page;
      if (page && !page.isClosed()) {
        await page.screenshot({ path: join(artifacts, `${basename(name).replace(/\W+/g, '-')}-failed.png`), fullPage: true }).catch(() => {});
      }
    } finally {
      await Promise.all(opened.map(({ page }) => page.close().catch(() => {})));
      // Tests share one demo service: leave every scenario off for the next one.
      for (const s of await getScenarios(demo.url)) {
        if (s.on) {
          await setScenario(demo.url, s.name, false);
        }
      }
    }
    return error;
  };

  let passed = 0;
  let failed = 0;
  const flaky = [];
  try {
    for (const test of registeredTests()) {
      const started = Date.now();
      let error = await runOnce(test);
      if (error && RETRIES_ON_FAILURE > 0) {
        // As the e2e suite's playwright.config.ts does on CI: a failed test gets another attempt on fresh pages. It
        // still counts as passed only when that attempt passes, and is listed as flaky with its first failure.
        console.log(`↻ ${test.name}: failed, trying once more\n    ${firstLines(error)}`);
        const retryError = await runOnce(test);
        if (!retryError) {
          flaky.push(test.name);
        }
        error = retryError;
      }
      const ms = Date.now() - started;
      if (error) {
        failed++;
        console.log(`✗ ${test.name} (${ms} ms)\n    ${firstLines(error)}`);
      } else {
        passed++;
        console.log(`✓ ${test.name} (${ms} ms)${flaky.includes(test.name) ? ' (flaky: passed on the second attempt)' : ''}`);
      }
    }
  } finally {
    await context.close();
    await sandbox.close();
    await pyroscope.stop();
    await demo.stop();
    rmSync(profileDir, { recursive: true, force: true });
  }
  reportCounts(passed, failed, flaky);
  return failed ? 1 : 0;
}

function firstLines(error) {
  return String(error?.stack ?? error).split('\n').slice(0, 6).join('\n    ');
}

function reportCounts(passed, failed, flaky = []) {
  console.log(`browser: ${passed} passed, ${failed} failed${flaky.length ? ` (${flaky.length} flaky, passed on the second attempt)` : ''}`);
  if (process.env.BROWSER_RESULT_FILE) {
    writeFileSync(process.env.BROWSER_RESULT_FILE, JSON.stringify({ passed, failed, flaky }));
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    reportCounts(0, 1);
    process.exit(1);
  }
);

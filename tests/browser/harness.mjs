// A tiny test runner for the browser tests: specs register tests with `test(name, fn)`; the runner gives each test a
// fresh page of one Chromium session on the sandbox, and after each test checks what every test must keep true: no
// console errors, no uncaught page errors and no Content-Security-Policy violations (unless the test expected them).
// Kept small on purpose: plain Node, node:assert, playwright-core's page API.
import { mkdirSync } from 'fs';
import { join } from 'path';

const registered = [];

/** Registers a browser test. `fn` receives the test context (see `run` in run.mjs). */
export function test(name, fn, { timeoutMs = 120000 } = {}) {
  registered.push({ name, fn, timeoutMs });
}

export function registeredTests() {
  return registered;
}

/** Opens a page and records its console errors, page errors and CSP violations. */
export async function openPage(context, url) {
  const page = await context.newPage();
  const problems = { consoleErrors: [], pageErrors: [], cspViolations: [], proxyHttpErrors: [] };
  page.on('console', (message) => {
    if (message.type() !== 'error') {
      return;
    }
    const url = message.location()?.url ?? '';
    // The browser logs every non-2xx response as a console error. Through the data proxy that is data (a 404 profile,
    // "cpu profiling already in use"), which the data source must turn into a message, not a page defect: kept apart.
    if (/^Failed to load resource/.test(message.text()) && new URL(url, 'http://x').pathname.startsWith('/api/datasources/proxy/')) {
      problems.proxyHttpErrors.push(`${message.text()} (${url})`);
    } else {
      problems.consoleErrors.push(url ? `${message.text()} (${url})` : message.text());
    }
  });
  page.on('pageerror', (error) => problems.pageErrors.push(error.message));
  // Init scripts are injected by the browser itself, not subject to the page's CSP.
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (event) => {
      window.__cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI || 'inline code'} (${event.sourceFile}:${event.lineNumber})`);
    });
  });
  if (url) {
    await page.goto(url);
  }
  return { page, problems };
}

export async function collectCspViolations(page, problems) {
  try {
    problems.cspViolations.push(...(await page.evaluate(() => window.__cspViolations.splice(0))));
  } catch {
    // the page is gone (closed or crashed): its earlier problems were recorded already
  }
  return problems;
}

export function describeProblems(problems) {
  return [
    ...problems.consoleErrors.map((t) => `console error: ${t}`),
    ...problems.pageErrors.map((t) => `page error: ${t}`),
    ...problems.cspViolations.map((t) => `CSP violation: ${t}`),
  ];
}

export function artifactsDir(root) {
  const dir = join(root, 'test-artifacts', 'browser');
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Waits until `predicate()` resolves truthy, polling; throws `message` with the last value after `timeoutMs`. */
export async function waitFor(predicate, { timeoutMs = 15000, intervalMs = 200, message = 'condition' } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    last = await predicate();
    if (last) {
      return last;
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${message} (last value: ${JSON.stringify(last)})`);
}

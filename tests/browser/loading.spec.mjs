// The sandbox loads the built plugin modules from dist/ the way Grafana does, under a CSP without 'unsafe-eval'.
import assert from 'node:assert/strict';

import { test, waitFor } from './harness.mjs';

test('loads dist/panel and dist/datasource as AMD modules with the shared Grafana packages', async ({ open }) => {
  const { page } = await open('/');
  await page.getByTestId('plugin-panel').waitFor();
  const modules = await page.evaluate(() => window.sandboxHost.modules);
  const byKind = Object.fromEntries(modules.map((m) => [m.kind, m]));
  assert.match(byKind.panel.url, /\/public\/plugins\/seed-goruntime-app\/panel\/module\.js$/);
  assert.match(byKind.datasource.url, /\/public\/plugins\/seed-goruntime-app\/datasource\/module\.js$/);
  for (const m of modules) {
    // Externals stay external: the modules ask the host for @grafana/data and their public path ('module').
    assert.ok(m.deps.includes('@grafana/data'), `${m.kind} imports @grafana/data from the host: ${m.deps}`);
    assert.ok(m.deps.includes('module'), `${m.kind} asks for 'module' (public path): ${m.deps}`);
  }
  const scripts = await page.evaluate(() => [...document.querySelectorAll('script[data-amd-module]')].map((s) => s.src));
  assert.equal(scripts.length, 2, 'each plugin module is loaded once, by a script tag');
});

test('serves the page with a CSP that forbids eval, and the browser enforces it', async ({ open, sandbox, expectedProblems }) => {
  const response = await fetch(`${sandbox.url}/`);
  const csp = response.headers.get('content-security-policy') ?? '';
  assert.match(csp, /script-src 'self'(;|$)/);
  assert.doesNotMatch(csp, /unsafe-eval/);
  const { page } = await open('/');
  await page.getByTestId('plugin-panel').waitFor();
  // Proves the policy is live (so "no CSP violations" in the other tests means something): a same-origin script
  // that calls eval must get an EvalError. (page.evaluate itself is exempt from the page's CSP, so the probe is
  // served as a script of the page, by the test.)
  await page.route('**/csp-probe.js', (route) =>
    route.fulfill({
      contentType: 'text/javascript',
      body: "try { eval('1 + 1'); window.__cspProbe = 'eval ran'; } catch (e) { window.__cspProbe = e.name; }",
    })
  );
  expectedProblems.push(/CSP violation: script-src blocked eval/, /Refused to evaluate a string as JavaScript/);
  await page.addScriptTag({ url: '/csp-probe.js' });
  assert.equal(await page.evaluate(() => window.__cspProbe), 'EvalError');
  await waitFor(() => page.evaluate(() => window.__cspViolations.length > 0), { message: 'a securitypolicyviolation event' });
});

// `npm start`: installs the npm dependencies on a fresh clone, builds the plugin when dist/ is missing or older than
// src/ and the sandbox host when sandbox/.build/ is older than sandbox/host/, starts the demo Go service (with a
// normal request load, scenarios off) or points at your own service, starts the sandbox page, and prints the URL.
// Ctrl-C stops everything.
//   GO_PPROF_URL=http://host:port npm start   (or: npm start -- --target http://host:port)
//       shows that Go service instead of the demo: its net/http/pprof under /debug/pprof/, and its Prometheus
//       /metrics for the page's charts when it serves one (the charts say so when it does not)
//   SANDBOX_PORT (default 3001)  DEMO_SCENARIOS=a,b (demo scenarios on at start)
//   PYROSCOPE_URL=http://localhost:4040: the demo pushes its profiles there (pyroscope-go) and the page offers the
//   Pyroscope data source too (open it with ?datasource=goruntime-pyroscope)
import { execSync } from 'child_process';
import { existsSync } from 'fs';
import { createRequire } from 'module';
import { join } from 'path';

import { ensurePluginBuilt, ensureSandboxHostBuilt, root } from './lib/builds.mjs';

const require = createRequire(import.meta.url);

// A fresh clone has no node_modules: the builds and the sandbox need them (the sandbox serves @grafana/ui's assets).
if (!existsSync(join(root, 'node_modules', '@grafana', 'ui', 'package.json'))) {
  console.log('Installing the npm dependencies (npm ci)…');
  execSync('npm ci --no-audit --no-fund', { cwd: root, stdio: 'inherit' });
}

/** `--target URL` or GO_PPROF_URL: an http(s) URL of a Go service with net/http/pprof. */
function targetUrl() {
  const i = process.argv.indexOf('--target');
  const raw = i >= 0 ? process.argv[i + 1] : process.env.GO_PPROF_URL;
  if (!raw) {
    return undefined;
  }
  let url;
  try {
    url = new URL(raw);
  } catch {
    url = undefined;
  }
  if (!url || !/^https?:$/.test(url.protocol)) {
    console.error(`The target must be an http(s) URL like http://localhost:6060, not "${raw}"`);
    process.exit(2);
  }
  return url.origin + url.pathname.replace(/\/+$/, '');
}

async function checkTarget(url) {
  try {
    const response = await fetch(`${url}/debug/pprof/`);
    if (!response.ok) {
      console.warn(`Warning: ${url}/debug/pprof/ answered HTTP ${response.status}; is net/http/pprof registered?`);
    }
  } catch (e) {
    console.warn(`Warning: ${url}/debug/pprof/ could not be reached (${e.message}); the panel will say so too.`);
  }
  try {
    const metrics = await fetch(`${url}/metrics`);
    return metrics.ok;
  } catch {
    return false;
  }
}

ensurePluginBuilt();
ensureSandboxHostBuilt();

const { startDemoService } = require('./lib/demo-service.js');
const { startSandbox } = require('../sandbox/server.js');

const target = targetUrl();
let demo;
let serviceUrl = target;
if (target) {
  const hasMetrics = await checkTarget(target);
  console.log(`Your Go service: ${target}  (pprof: ${target}/debug/pprof/)`);
  console.log(
    hasMetrics
      ? `Metrics: ${target}/metrics feeds the page's CPU, latency and goroutine charts.`
      : `Note: ${target}/metrics is not served, so the page's metric charts stay empty; the Go Runtime Profiles panel ` +
          'only needs /debug/pprof/. The demo scenario switches do not apply to your service.'
  );
} else {
  const scenarios = (process.env.DEMO_SCENARIOS || '').split(',').filter(Boolean);
  demo = await startDemoService({ scenarios, load: true });
  serviceUrl = demo.url;
  console.log(`Demo Go service: ${demo.url}  (pprof: ${demo.url}/debug/pprof/, metrics: ${demo.url}/metrics)`);
}
const pyroscopeUrl = process.env.PYROSCOPE_URL || undefined;
const sandbox = await startSandbox({ demoUrl: serviceUrl, pyroscopeUrl, port: Number(process.env.SANDBOX_PORT ?? 3001) });
console.log(
  `Sandbox: ${sandbox.url}/  (a dashboard with the service's CPU, latency and goroutines beside the Go Runtime Profiles panel from dist/)`
);
if (pyroscopeUrl) {
  console.log(`Pyroscope history: ${sandbox.url}/?datasource=goruntime-pyroscope  (data source goruntime-pyroscope → ${pyroscopeUrl})`);
}

let stopping = false;
async function stop() {
  if (stopping) {
    return;
  }
  stopping = true;
  await sandbox.close();
  await demo?.stop();
  process.exit(0);
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

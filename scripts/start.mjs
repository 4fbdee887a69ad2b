// `npm start`: builds the plugin when dist/ is missing or older than src/ and the sandbox host when sandbox/.build/ is
// older than sandbox/host/, starts the demo Go service (with a normal request load, scenarios off) and the sandbox
// page, and prints the URL. Ctrl-C stops everything.
//   SANDBOX_PORT (default 3001)  DEMO_SCENARIOS=a,b (scenarios on at start)
//   PYROSCOPE_URL=http://localhost:4040: the demo pushes its profiles there (pyroscope-go) and the page offers the
//   Pyroscope data source too (open it with ?datasource=goruntime-pyroscope)
import { createRequire } from 'module';

import { ensurePluginBuilt, ensureSandboxHostBuilt } from './lib/builds.mjs';

const require = createRequire(import.meta.url);
const { startDemoService } = require('./lib/demo-service.js');
const { startSandbox } = require('../sandbox/server.js');

ensurePluginBuilt();
ensureSandboxHostBuilt();

const scenarios = (process.env.DEMO_SCENARIOS || '').split(',').filter(Boolean);
const demo = await startDemoService({ scenarios, load: true });
console.log(`Demo Go service: ${demo.url}  (pprof: ${demo.url}/debug/pprof/, metrics: ${demo.url}/metrics)`);
const pyroscopeUrl = process.env.PYROSCOPE_URL || undefined;
const sandbox = await startSandbox({ demoUrl: demo.url, pyroscopeUrl, port: Number(process.env.SANDBOX_PORT ?? 3001) });
console.log(`Sandbox: ${sandbox.url}/  (a dashboard with the demo's CPU, latency and goroutines beside the Go Runtime Profiles panel from dist/)`);
if (pyroscopeUrl) {
  console.log(`Pyroscope history: ${sandbox.url}/?datasource=goruntime-pyroscope  (data source goruntime-pyroscope → ${pyroscopeUrl})`);
}

let stopping = false;
async function stop() {
  if (stopping) {return;}
  stopping = true;
  await sandbox.close();
  await demo.stop();
  process.exit(0);
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

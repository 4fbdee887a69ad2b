/**
 * `npm start` pointed at your own Go service (`--target URL` or GO_PPROF_URL): scripts/start.mjs must start no demo
 * and provision the sandbox's pprof data source with that URL, so its data proxy answers from that process. The
 * target here is the real demo service on a free loopback port, started by the test; the sandbox listens on a free
 * port too (SANDBOX_PORT=0). When dist/ or the sandbox host is older than its sources, start.mjs builds it first
 * (the suite builds before the tests, so normally it does not).
 */
import { type ChildProcess, spawn } from 'child_process';
import { join } from 'path';

import { repoRoot } from '../support/fixtures';
import { type DemoService, startDemoService } from '../support/demoService';
import { waitUntil } from '../support/waitUntil';

/** Long enough for start.mjs to build dist/ or the sandbox host when they are stale. */
const START_TIMEOUT_MS = 600_000;

interface Started {
  child: ChildProcess;
  output: () => string;
  sandboxUrl: string;
}

async function startWithTarget(args: string[], env: Record<string, string>): Promise<Started> {
  const environment: Record<string, string | undefined> = { ...process.env, SANDBOX_PORT: '0', ...env };
  delete environment.GO_PPROF_URL;
  delete environment.PYROSCOPE_URL;
  Object.assign(environment, env);
  const child = spawn(process.execPath, [join(repoRoot, 'scripts', 'start.mjs'), ...args], {
    cwd: repoRoot,
    env: environment,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
  let exited = false;
  child.once('exit', () => (exited = true));
  const sandboxUrl = await waitUntil(
    'start.mjs to print the sandbox URL',
    async () => {
      if (exited) {
        throw new Error(`start.mjs exited before serving:\n${text}`);
      }
      return /^Sandbox: (http:\/\/\S+?)\/ /m.exec(text)?.[1];
    },
    { timeoutMs: START_TIMEOUT_MS, intervalMs: 100 }
  );
  return { child, output: () => text, sandboxUrl };
}

async function stop(started: Started): Promise<number | null> {
  const exit = new Promise<number | null>((resolve) => started.child.once('exit', (code) => resolve(code)));
  started.child.kill('SIGTERM');
  return exit;
}

const text = async (url: string) => {
  const response = await fetch(url);
  return { status: response.status, body: await response.text() };
};

let demo: DemoService;

beforeAll(async () => {
  demo = await startDemoService();
});

afterAll(async () => {
  await demo?.stop();
});

describe.each([
  ['--target URL', (url: string) => ({ args: ['--target', url], env: {} })],
  ['GO_PPROF_URL', (url: string) => ({ args: [], env: { GO_PPROF_URL: url } })],
])('npm start with %s', (_how, options) => {
  let started: Started;

  beforeAll(async () => {
    const { args, env } = options(demo.url);
    started = await startWithTarget(args, env);
  }, START_TIMEOUT_MS + 10_000);

  afterAll(async () => {
    if (started) {
      await stop(started);
    }
  });

  it('names the target and its /metrics, and starts no demo service', () => {
    expect(started.output()).toContain(`Your Go service: ${demo.url}  (pprof: ${demo.url}/debug/pprof/)`);
    expect(started.output()).toContain(
      `Metrics: ${demo.url}/metrics feeds the page's CPU, latency and goroutine charts.`
    );
    expect(started.output()).not.toContain('Demo Go service:');
  });

  it("provisions the pprof data source with the target URL: its data proxy answers from the target's process", async () => {
    const list = (await (await fetch(`${started.sandboxUrl}/api/sandbox/datasources`)).json()) as Array<{
      uid: string;
      url: string;
      jsonData: { mode: string };
    }>;
    const pprof = list.find((d) => d.jsonData.mode === 'pprof');
    expect(pprof).toBeDefined();
    const index = await text(`${started.sandboxUrl}${pprof!.url}/debug/pprof/`);
    expect(index.status).toBe(200);
    expect(index.body).toContain('Types of profiles available');
    // The command line of the process behind the proxy is the target's own (its binary and flags, NUL-separated).
    const viaProxy = await text(`${started.sandboxUrl}${pprof!.url}/debug/pprof/cmdline`);
    const direct = await text(`${demo.url}/debug/pprof/cmdline`);
    expect(viaProxy).toEqual({ status: 200, body: direct.body });
    expect(direct.body).toContain('-addr');
  });

  it('stops on SIGTERM with exit code 0', async () => {
    const code = await stop(started);
    expect(code).toBe(0);
    started = undefined as unknown as Started;
  });
});

// Builds and starts the demo Go service (demo/) for live tests, the fixture script and the sandbox.
// CommonJS with Node built-ins only, so plain Node scripts, .mjs files (via createRequire) and jest can all use it.
//
//   const { startDemoService, setScenario, getScenarios } = require('./scripts/lib/demo-service.js');
//   const demo = await startDemoService({ scenarios: ['goroutine-leak'], load: true });
//   ... fetch(`${demo.url}/debug/pprof/goroutine?debug=2`) ...
//   await demo.stop();
'use strict';

const { spawn, execFile } = require('child_process');
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '../..');
const DEMO_DIR = path.join(ROOT, 'demo');
const DEFAULT_BUILD_DIR = path.join(DEMO_DIR, '.cache', 'bin');
const BINARY_NAME = 'demo-service';
const LISTENING_RE = /listening on (http:\/\/\S+)/;
const START_TIMEOUT_MS = 15000;
const STOP_GRACE_MS = 3000;
const STDERR_KEEP = 16 * 1024;

/** Finds the go command: PATH first, then the standard install location. */
function findGo() {
  for (const dir of (process.env.PATH || '').split(path.delimiter)) {
    if (dir && fs.existsSync(path.join(dir, 'go'))) {
      return path.join(dir, 'go');
    }
  }
  if (fs.existsSync('/usr/local/go/bin/go')) {
    return '/usr/local/go/bin/go';
  }
  throw new Error('demo-service: the go command was not found on PATH or at /usr/local/go/bin/go');
}

function run(cmd, args, options) {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { maxBuffer: 16 * 1024 * 1024, ...options }, (err, stdout, stderr) => {
      if (err) {
        err.message = `${cmd} ${args.join(' ')} failed: ${err.message}\n${stderr}`;
        reject(err);
      } else {
        resolve(stdout);
      }
    });
  });
}

/** `go version` output, for manifests and error messages. */
async function goVersion() {
  return (await run(findGo(), ['version'], { cwd: DEMO_DIR })).trim();
}

// One build per process and build directory. Go's build cache makes a rebuild after the first cheap, and building
// every time (rather than comparing mtimes) means a changed toolchain or go.sum is never missed.
const builds = new Map();

/**
 * Builds demo/ into buildDir and resolves to the binary path. buildEnv adds variables to the build only, for example
 * {GOEXPERIMENT: 'goroutineleakprofile'}; such builds get their own default directory so they never replace the
 * plain binary.
 */
function buildDemoService(buildDir, buildEnv = {}) {
  const variant = Object.entries(buildEnv)
    .map(([k, v]) => `${k}=${v}`)
    .join(',')
    .replace(/[^A-Za-z0-9=,._-]/g, '_');
  const dir = path.resolve(buildDir || (variant ? `${DEFAULT_BUILD_DIR}-${variant}` : DEFAULT_BUILD_DIR));
  if (!builds.has(dir)) {
    const build = (async () => {
      fs.mkdirSync(dir, { recursive: true });
      const binary = path.join(dir, BINARY_NAME);
      // Build to a private name and rename: several jest workers may build at once, and a rename never leaves a
      // half-written binary at the shared path (or fails with ETXTBSY while another worker runs it).
      const tmp = `${binary}.${process.pid}.${Date.now()}.tmp`;
      try {
        await run(findGo(), ['build', '-o', tmp, './'], { cwd: DEMO_DIR, env: { ...process.env, ...buildEnv } });
        fs.renameSync(tmp, binary);
      } finally {
        fs.rmSync(tmp, { force: true });
      }
      return binary;
    })();
    build.catch(() => builds.delete(dir)); // let a later call retry
    builds.set(dir, build);
  }
  return builds.get(dir);
}

// Children still running when this Node process exits (a crashed test run, say) are killed with it.
const running = new Set();
process.on('exit', () => {
  for (const child of running) {
    child.kill('SIGKILL');
  }
});

let mountNamespace;
/**
 * Resolves to true when this Linux machine lets an unprivileged process open a private mount namespace
 * (`unshare --mount --map-root-user`, util-linux) and bind-mount a directory in it; false elsewhere.
 */
function canMountPrivately() {
  if (mountNamespace === undefined) {
    mountNamespace =
      process.platform !== 'linux'
        ? Promise.resolve(false)
        : run('unshare', ['--mount', '--map-root-user', 'sh', '-c', 'mount --bind "$1" "$1"', 'sh', DEMO_DIR]).then(
            () => true,
            () => false
          );
  }
  return mountNamespace;
}

/**
 * How to start `binary` so that the running process sees it as `${mountAt}/<name>`: in a private mount namespace
 * where the binary's directory is bind-mounted over mountAt (an existing directory; the host's is untouched). pprof
 * names the executable in its mappings as /proc/self/maps shows it (golang/go:src/runtime/pprof/proto_other.go), so
 * captures then carry mountAt instead of this checkout's path.
 */
function commandMountedAt(binary, mountAt, args) {
  const script = 'mount --bind "$1" "$2" && shift 2 && exec "$@"';
  const seen = path.posix.join(mountAt, path.basename(binary));
  return [
    'unshare',
    ['--mount', '--map-root-user', 'sh', '-c', script, 'sh', path.dirname(binary), mountAt, seen, ...args],
  ];
}

// Captures committed to the repository (fixtures/) are built with -trimpath, so stacks name files by module path
// (github.com/…/demo/internal/x.go) and Go's own by import path (runtime/proc.go) instead of this machine's checkout and
// GOROOT (golang/go:src/cmd/go/alldocs.go `-trimpath`).
const CAPTURE_BUILD_ENV = { GOFLAGS: '-trimpath' };
// pprof mappings still name the executable by the path it runs from, so on Linux captures run the binary as if
// installed in /srv (see commandMountedAt); /srv exists on every FHS system.
const CAPTURE_MOUNT_AT = '/srv';

/**
 * The startDemoService options for captures committed to the repository: {buildEnv, mountAt}, mountAt left out (with
 * a warning) where no private mount namespace can be opened.
 */
async function captureStartOptions() {
  if (await canMountPrivately()) {
    return { buildEnv: CAPTURE_BUILD_ENV, mountAt: CAPTURE_MOUNT_AT };
  }
  console.warn('demo-service: no private mount namespace (unshare): pprof mappings will name the checkout path');
  return { buildEnv: CAPTURE_BUILD_ENV };
}

/**
 * Builds (once) and starts the demo service on a free loopback port.
 * env is added to the service's environment (e.g. PYROSCOPE_URL); buildEnv to the build's (see buildDemoService).
 * mountAt (Linux, see canMountPrivately) runs the binary as if installed in that directory (see commandMountedAt).
 * @param {{scenarios?: string[], load?: boolean, env?: Record<string,string>, buildDir?: string,
 *          buildEnv?: Record<string,string>, mountAt?: string, timeoutMs?: number}} [options]
 * @returns {Promise<{url: string, process: import('child_process').ChildProcess, stop(): Promise<void>}>}
 */
async function startDemoService({
  scenarios = [],
  load = false,
  env = {},
  buildDir,
  buildEnv = {},
  mountAt,
  timeoutMs = START_TIMEOUT_MS,
} = {}) {
  const binary = await buildDemoService(buildDir, buildEnv);
  // Flags always win over DEMO_* variables inherited from the caller's environment.
  const args = ['-addr', '127.0.0.1:0', `-scenarios=${scenarios.join(',')}`, `-load=${load ? 'true' : 'false'}`];
  const [command, commandArgs] = mountAt ? commandMountedAt(binary, mountAt, args) : [binary, args];
  const child = spawn(command, commandArgs, {
    cwd: DEMO_DIR,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);

  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-STDERR_KEEP);
  });
  const exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
    });
  });

  let url;
  try {
    url = await new Promise((resolve, reject) => {
      let stdout = '';
      const fail = (why) => {
        clearTimeout(timer);
        reject(new Error(`demo-service (${binary}) ${why}\n--- stderr ---\n${stderr || '(empty)'}`));
      };
      const timer = setTimeout(() => fail(`printed no "listening on" line within ${timeoutMs} ms`), timeoutMs);
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (chunk) => {
        stdout += chunk;
        const m = LISTENING_RE.exec(stdout);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
      child.once('error', (err) => fail(`could not be started: ${err.message}`));
      exited.then(({ code, signal }) => fail(`exited before listening (code ${code}, signal ${signal})`));
    });
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  child.stdout.resume(); // keep draining so the child never blocks on a full pipe

  let stopping;
  function stop() {
    if (!stopping) {
      stopping = (async () => {
        if (child.exitCode !== null || child.signalCode !== null) {
          return;
        }
        child.kill('SIGTERM');
        let timer;
        const timeout = new Promise((resolve) => {
          timer = setTimeout(resolve, STOP_GRACE_MS, 'timeout');
        });
        if ((await Promise.race([exited, timeout])) === 'timeout') {
          child.kill('SIGKILL');
          await exited;
        }
        clearTimeout(timer);
      })();
    }
    return stopping;
  }

  return { url, process: child, stop };
}

async function requestJSON(method, url) {
  const res = await fetch(url, { method });
  const text = await res.text();
  if (!res.ok) {
    throw new Error(`${method} ${url}: HTTP ${res.status} ${text.trim()}`);
  }
  return JSON.parse(text);
}

/** Switches a scenario on or off and resolves to its status JSON ({name, on, description, finding, stats}). */
function setScenario(url, name, on) {
  return requestJSON('POST', `${url}/scenario/${encodeURIComponent(name)}?on=${on ? 1 : 0}`);
}

/** Resolves to the status JSON of every scenario. */
function getScenarios(url) {
  return requestJSON('GET', `${url}/scenarios`);
}

module.exports = {
  startDemoService,
  buildDemoService,
  canMountPrivately,
  captureStartOptions,
  setScenario,
  getScenarios,
  goVersion,
  findGo,
  ROOT,
  DEMO_DIR,
};

// `npm run fixtures`: regenerates fixtures/ from the real demo Go service.
//
// For `idle`, `normal-load` and each of the 10 scenarios it starts a fresh demo process (so captures never mix),
// switches the scenario on, lets it warm up, then captures every /debug/pprof/ profile the analysis core reads:
// cpu, heap, allocs, goroutine (proto, debug=1, debug=2), mutex, block, threadcreate and a short execution trace.
// The goroutine-leak run also takes a second goroutine snapshot a few seconds later, and records stats.spawned (the
// number of leaked goroutines) with every capture; a last run, goroutine-leak-goexperiment, uses a binary built with
// GOEXPERIMENT=goroutineleakprofile to capture Go 1.26's goroutineleak profile. Files go to
// fixtures/demo/<run>/, and fixtures/manifest.json describes each one. The binary is built with -trimpath and (on
// Linux) run from /srv, so no capture names this machine's checkout. Node built-ins only. About 70 s on 2 cores.
import { createRequire } from 'module';
import { mkdirSync, rmSync, writeFileSync } from 'fs';
import os from 'os';
import { join } from 'path';
import { setTimeout as sleep } from 'timers/promises';

const require = createRequire(import.meta.url);
const {
  startDemoService,
  captureStartOptions,
  setScenario,
  getScenarios,
  goVersion,
  ROOT,
} = require('./lib/demo-service.js');

const OUT = join(ROOT, 'fixtures');
const DEMO_OUT = join(OUT, 'demo');
const MAX_CAPTURE_BYTES = 100 * 1024;
const CPU_SECONDS = 2;
const TRACE_SECONDS = [0.2, 0.1, 0.05, 0.02, 0.01, 0.005, 0.002, 0.001]; // shortened until the trace fits MAX_CAPTURE_BYTES
const WARMUP_MS = 2500;
const LEAK_WARMUP_MS = 3000; // 20 leaked goroutines/s: ~60 at the first snapshot
const LEAK_LATER_MS = 3000; // the second snapshot comes at least this long after the first
const LEAK = 'goroutine-leak';

// Every capture of one run. `format` tells readers how to parse the file without sniffing it.
const CAPTURES = [
  { profile: 'goroutine', file: 'goroutine.pb.gz', endpoint: '/debug/pprof/goroutine', format: 'pprof' },
  { profile: 'goroutine', file: 'goroutine.debug1.txt', endpoint: '/debug/pprof/goroutine?debug=1', format: 'text' },
  { profile: 'goroutine', file: 'goroutine.debug2.txt', endpoint: '/debug/pprof/goroutine?debug=2', format: 'text' },
  { profile: 'cpu', file: 'cpu.pb.gz', endpoint: `/debug/pprof/profile?seconds=${CPU_SECONDS}`, format: 'pprof' },
  { profile: 'heap', file: 'heap.pb.gz', endpoint: '/debug/pprof/heap', format: 'pprof' },
  { profile: 'allocs', file: 'allocs.pb.gz', endpoint: '/debug/pprof/allocs', format: 'pprof' },
  { profile: 'mutex', file: 'mutex.pb.gz', endpoint: '/debug/pprof/mutex', format: 'pprof' },
  { profile: 'block', file: 'block.pb.gz', endpoint: '/debug/pprof/block', format: 'pprof' },
  { profile: 'threadcreate', file: 'threadcreate.pb.gz', endpoint: '/debug/pprof/threadcreate', format: 'pprof' },
];
// Go 1.26's experimental goroutine leak detector, from a binary built with GOEXPERIMENT=goroutineleakprofile. The
// plain dump is taken after the leak profile, whose special GC marks the leaked goroutines "(leaked)".
const LEAK_EXPERIMENT = 'goroutineleakprofile';
const LEAK_EXPERIMENT_CAPTURES = [
  { profile: 'goroutineleak', file: 'goroutineleak.pb.gz', endpoint: '/debug/pprof/goroutineleak', format: 'pprof' },
  {
    profile: 'goroutineleak',
    file: 'goroutineleak.debug1.txt',
    endpoint: '/debug/pprof/goroutineleak?debug=1',
    format: 'text',
  },
  {
    profile: 'goroutineleak',
    file: 'goroutineleak.debug2.txt',
    endpoint: '/debug/pprof/goroutineleak?debug=2',
    format: 'text',
  },
  { profile: 'goroutine', file: 'goroutine.pb.gz', endpoint: '/debug/pprof/goroutine', format: 'pprof' },
  { profile: 'goroutine', file: 'goroutine.debug2.txt', endpoint: '/debug/pprof/goroutine?debug=2', format: 'text' },
];
const LEAK_LATER = [
  {
    profile: 'goroutine',
    file: 'goroutine.later.debug2.txt',
    endpoint: '/debug/pprof/goroutine?debug=2',
    format: 'text',
  },
  { profile: 'goroutine', file: 'goroutine.later.pb.gz', endpoint: '/debug/pprof/goroutine', format: 'pprof' },
];

function checkContent(c, buf) {
  const head = buf.subarray(0, 32).toString('latin1');
  const ok = {
    pprof: buf[0] === 0x1f && buf[1] === 0x8b,
    trace: head.startsWith('go 1.') && head.includes(' trace'),
    text: c.file.endsWith('debug1.txt')
      ? /^\w+ profile: total \d+/.test(head)
      : c.file.endsWith('debug2.txt')
        ? head.startsWith('goroutine ')
        : buf.length > 0,
    html: head.includes('<html>') || buf.toString('utf8').includes('/debug/pprof/'),
  }[c.format];
  if (!ok) {
    throw new Error(`${c.endpoint}: unexpected content for ${c.format} (starts ${JSON.stringify(head)})`);
  }
}

async function fetchBytes(url) {
  const res = await fetch(url);
  const buf = Buffer.from(await res.arrayBuffer());
  if (!res.ok) {
    throw new Error(`GET ${url}: HTTP ${res.status} ${buf.toString('utf8').trim()}`);
  }
  return buf;
}

async function leakSpawned(url) {
  const res = await fetch(`${url}/scenario/${LEAK}`);
  return (await res.json()).stats.spawned;
}

/** One run: a fresh demo process for `scenario` (or none, for idle/normal-load). */
async function captureRun({ name, scenario, load, warmupMs, captures = CAPTURES, trace = true, buildEnv = {} }, ctx) {
  const dir = join(DEMO_OUT, name);
  mkdirSync(dir, { recursive: true });
  buildEnv = { ...ctx.capture.buildEnv, ...buildEnv };
  const demo = await startDemoService({ load, buildEnv, mountAt: ctx.capture.mountAt });
  const startedAt = new Date().toISOString();
  const entries = [];
  try {
    const serviceGo = (await fetchBytes(`${demo.url}/version`)).toString('utf8').trim();
    ctx.serviceGo.add(serviceGo);
    if (scenario) {
      const st = await setScenario(demo.url, scenario, true);
      if (!st.on) {
        throw new Error(`scenario ${scenario} did not switch on: ${JSON.stringify(st)}`);
      }
    }
    await sleep(warmupMs);

    const save = (c, buf, extra = {}) => {
      checkContent(c, buf);
      if (buf.length > MAX_CAPTURE_BYTES) {
        console.warn(`  ! ${name}/${c.file} is ${buf.length} bytes (over ${MAX_CAPTURE_BYTES})`);
      }
      writeFileSync(join(dir, c.file), buf);
      const entry = {
        scenario: name,
        profile: c.profile,
        file: `demo/${name}/${c.file}`,
        endpoint: c.endpoint,
        format: c.format,
        bytes: buf.length,
        capturedAt: new Date().toISOString(),
        goVersion: serviceGo,
        ...(Object.keys(buildEnv).length ? { buildEnv } : {}),
        ...extra,
      };
      entries.push(entry);
      return entry;
    };

    // With the leak on, every capture records stats.spawned. For goroutine snapshots it is read right before and
    // after, and the snapshot is retried if a goroutine was spawned in between, so `spawned` is exactly the number
    // of leaked goroutines in the file.
    const capture = async (c) => {
      if (scenario !== LEAK) {
        return save(c, await fetchBytes(demo.url + c.endpoint));
      }
      if (!c.profile.startsWith('goroutine')) {
        const buf = await fetchBytes(demo.url + c.endpoint);
        return save(c, buf, { spawned: await leakSpawned(demo.url) });
      }
      for (let attempt = 1; ; attempt++) {
        const before = await leakSpawned(demo.url);
        const buf = await fetchBytes(demo.url + c.endpoint);
        const after = await leakSpawned(demo.url);
        if (before === after || attempt === 5) {
          return save(c, buf, before === after ? { spawned: after } : { spawned: after, spawnedBefore: before });
        }
      }
    };

    let firstSnapshot = 0;
    for (const c of captures) {
      if (c.profile === 'goroutine' && !firstSnapshot) {
        firstSnapshot = Date.now();
      }
      await capture(c);
    }
    for (const seconds of trace ? TRACE_SECONDS : []) {
      const c = {
        profile: 'trace',
        file: 'trace.bin',
        endpoint: `/debug/pprof/trace?seconds=${seconds}`,
        format: 'trace',
      };
      const buf = await fetchBytes(demo.url + c.endpoint);
      if (buf.length <= MAX_CAPTURE_BYTES || seconds === TRACE_SECONDS.at(-1)) {
        save(c, buf, scenario === LEAK ? { spawned: await leakSpawned(demo.url) } : {});
        break;
      }
    }
    if (scenario === LEAK && captures === CAPTURES) {
      await sleep(Math.max(0, firstSnapshot + LEAK_LATER_MS - Date.now()));
      for (const c of LEAK_LATER) {
        await capture(c);
      }
    }
    if (name === 'normal-load') {
      // Captured once, from the run with request load, so the histogram has samples.
      for (const c of [
        { profile: 'index', file: '../pprof-index.html', endpoint: '/debug/pprof/', format: 'html' },
        { profile: 'metrics', file: '../metrics.txt', endpoint: '/metrics', format: 'text' },
      ]) {
        const e = save(c, await fetchBytes(demo.url + c.endpoint));
        e.file = `demo/${c.file.slice(3)}`;
      }
    }

    const statuses = await getScenarios(demo.url);
    const st = statuses.find((s) => s.name === scenario);
    ctx.runs.push({
      scenario: name,
      scenariosOn: scenario ? [scenario] : [],
      finding: st ? st.finding : null,
      description: st
        ? st.description
        : name === 'idle'
          ? 'No scenario, no load.'
          : 'No scenario, built-in load of 20 req/s.',
      load,
      warmupMs,
      buildEnv,
      startedAt,
      statsAtEnd: st ? st.stats : null,
    });
  } finally {
    await demo.stop();
  }
  return entries;
}

function table(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  return rows
    .map((r) => r.map((v, i) => (i === 0 ? String(v).padEnd(widths[i]) : String(v).padStart(widths[i]))).join('  '))
    .join('\n');
}

const kb = (n) => `${(n / 1024).toFixed(1)}K`;

async function main() {
  const t0 = Date.now();
  const toolchain = await goVersion();
  console.log(`Regenerating fixtures with ${toolchain}`);
  // -trimpath and a neutral executable path, so no capture names this machine's checkout (see captureStartOptions).
  const capture = await captureStartOptions();
  rmSync(DEMO_OUT, { recursive: true, force: true });
  mkdirSync(DEMO_OUT, { recursive: true });

  // Learn the scenario names from the service itself so this list never drifts from the Go code.
  const probe = await startDemoService();
  const scenarioNames = (await getScenarios(probe.url)).map((s) => s.name);
  await probe.stop();

  const plan = [
    { name: 'idle', scenario: null, load: false, warmupMs: 2000 },
    { name: 'normal-load', scenario: null, load: true, warmupMs: WARMUP_MS },
    ...scenarioNames.map((s) => ({
      name: s,
      scenario: s,
      load: true,
      warmupMs: s === LEAK ? LEAK_WARMUP_MS : WARMUP_MS,
    })),
    {
      name: `${LEAK}-goexperiment`,
      scenario: LEAK,
      load: true,
      warmupMs: LEAK_WARMUP_MS,
      captures: LEAK_EXPERIMENT_CAPTURES,
      trace: false,
      buildEnv: { GOEXPERIMENT: LEAK_EXPERIMENT },
    },
  ];
  const ctx = { runs: [], serviceGo: new Set(), capture };
  const captures = [];
  for (const run of plan) {
    const t = Date.now();
    process.stdout.write(`- ${run.name} … `);
    captures.push(...(await captureRun(run, ctx)));
    console.log(`${((Date.now() - t) / 1000).toFixed(1)} s`);
  }

  const manifest = {
    generatedAt: new Date().toISOString(),
    generator: 'scripts/fixtures.mjs',
    goVersion: { toolchain, service: [...ctx.serviceGo].join(', ') },
    host: {
      os: { win32: 'windows' }[process.platform] ?? process.platform,
      arch: { x64: 'amd64', ia32: '386' }[process.arch] ?? process.arch,
      cpus: os.cpus().length,
    },
    settings: {
      cpuSeconds: CPU_SECONDS,
      maxCaptureBytes: MAX_CAPTURE_BYTES,
      mutexProfileFraction: 5,
      blockProfileRateNanos: 10000,
      loadRequestsPerSecond: 20,
      binaryMountedAt: capture.mountAt ?? null,
    },
    runs: ctx.runs,
    captures,
  };
  writeFileSync(join(OUT, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');

  const rows = [['scenario', 'files', 'total', 'largest', 'cpu', 'goroutine.debug2', 'trace', 'spawned']];
  for (const run of ctx.runs) {
    const mine = captures.filter((c) => c.scenario === run.scenario && c.file.startsWith(`demo/${run.scenario}/`));
    const by = (f) => mine.find((c) => c.file.endsWith(`/${f}`));
    const largest = mine.reduce((a, c) => (c.bytes > a.bytes ? c : a));
    const spawned = mine.filter((c) => c.spawned !== undefined && c.file.includes('debug2')).map((c) => c.spawned);
    rows.push([
      run.scenario,
      mine.length,
      kb(mine.reduce((n, c) => n + c.bytes, 0)),
      `${largest.file.split('/').pop()} ${kb(largest.bytes)}`,
      by('cpu.pb.gz') ? kb(by('cpu.pb.gz').bytes) : '-',
      kb(by('goroutine.debug2.txt').bytes),
      by('trace.bin') ? `${kb(by('trace.bin').bytes)} (${by('trace.bin').endpoint.split('=')[1]} s)` : '-',
      spawned.length ? spawned.join(' → ') : '',
    ]);
  }
  const total = captures.reduce((n, c) => n + c.bytes, 0);
  console.log(`\n${table(rows)}\n`);
  console.log(
    `${captures.length} captures, ${kb(total)} in fixtures/demo, manifest fixtures/manifest.json, ` +
      `${((Date.now() - t0) / 1000).toFixed(0)} s`
  );
  const over = captures.filter((c) => c.bytes > MAX_CAPTURE_BYTES);
  if (over.length) {
    console.warn(`Over ${kb(MAX_CAPTURE_BYTES)}: ${over.map((c) => `${c.file} ${kb(c.bytes)}`).join(', ')}`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

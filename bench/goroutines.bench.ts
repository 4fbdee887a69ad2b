/**
 * Goroutine dump parse + cluster on a 100,000-goroutine debug=2 dump, against panicparse and DataDog/gostackparse on
 * the same file in the same run. Nothing is asserted; the table and the ratios are the output.
 *
 * Input: bench/.data/goroutines-100k-demo.debug2.txt (gitignored), fetched once from the demo service's
 * /debug/pprof/goroutine?debug=2 with `-park-goroutines 100000` (demo/internal/parked): 100,000 goroutines in a
 * server-like mix of states (channel, select, Mutex/RWMutex/WaitGroup/Cond, sleep, IO wait, syscall, runnable, locked
 * to thread) from several creation sites, plus the demo's own — exactly what the endpoint serves. The endpoint serves
 * at most 64 MB (runtime/pprof writeGoroutineStacks grows its runtime.Stack buffer up to 64 MB, then writes what
 * fits), so the stacks are shallow: 2–12 frames, 3.8 on average, ~610 bytes a goroutine, 60.8 MB in all. A dump
 * that reaches the cap or lacks goroutines is refused as truncated.
 *
 * Contenders:
 * - ours: parseGoroutineDump → snapshotFromDump → clusterGoroutines, in this process, as the CLI runs it
 *   (arguments dropped), and with arguments kept;
 * - panicparse 2.3.0: the Debian `panicparse` command on the file (what users run), and the same library version
 *   in-process (ScanSnapshot + Aggregate(AnyPointer), tools/stackbench/cmd/panicparse);
 * - gostackparse v0.7.0 in-process, parse only and parse + a map grouping by state/stack/creator
 *   (tools/stackbench/cmd/gostackparse).
 * Wall time and CPU time (user+system, all threads) are both reported: on a shared machine wall time includes
 * waiting for a core. The in-process contenders run in interleaved rounds so they see the same load; medians. Env: BENCH_RUNS (default 7), BENCH_PP_RUNS (default 3), BENCH_GOROUTINES (default 100000).
 */
import { execFileSync, spawnSync } from 'child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'fs';
import { cpus, loadavg } from 'os';
import { join } from 'path';
import { parseGoroutineDump } from '../src/core/wire/goroutineDump';
import { snapshotFromDump } from '../src/core/model/goroutineSnapshot';
import { clusterGoroutines } from '../src/core/analysis/goroutines/cluster';
import { startDemoService } from '../tests/support/demoService';

const ROOT = join(__dirname, '..');
const DATA = join(__dirname, '.data');
const TOOLS = join(ROOT, 'tools', 'stackbench');
const BIN = join(DATA, 'bin');
const COUNT = Number(process.env.BENCH_GOROUTINES ?? 100000);
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const PP_RUNS = Number(process.env.BENCH_PP_RUNS ?? 3);
const DUMP = join(DATA, `goroutines-${COUNT / 1000}k-demo.debug2.txt`);
/** runtime/pprof writeGoroutineStacks: `if len(buf) >= 64<<20 { break }` — a dump this long was cut off. */
const PPROF_DEBUG2_CAP = 64 << 20;

function go(): string {
  for (const candidate of ['/usr/local/go/bin/go', ...(process.env.PATH ?? '').split(':').map((d) => join(d, 'go'))]) {
    if (existsSync(candidate)) {
      return candidate;
    }
  }
  throw new Error('go not found (install Go 1.26 at /usr/local/go)');
}

function buildTools(): void {
  mkdirSync(BIN, { recursive: true });
  execFileSync(go(), ['build', '-o', BIN + '/', './cmd/gostackparse', './cmd/panicparse'], {
    cwd: TOOLS,
    stdio: 'inherit',
  });
}

async function ensureDump(): Promise<void> {
  if (existsSync(DUMP)) {
    return;
  }
  console.log(`fetching ${DUMP} from the demo service with -park-goroutines ${COUNT}…`);
  const demo = await startDemoService({ env: { PARK_GOROUTINES: String(COUNT) } });
  let body: Buffer;
  try {
    const res = await fetch(`${demo.url}/debug/pprof/goroutine?debug=2`);
    if (!res.ok) {
      throw new Error(`debug=2 dump: HTTP ${res.status} ${await res.text()}`);
    }
    body = Buffer.from(await res.arrayBuffer());
  } finally {
    await demo.stop(); // its runnable goroutines keep two cores busy
  }
  const headers = (body.toString('latin1').match(/^goroutine \d+ \[/gm) ?? []).length;
  if (body.length >= PPROF_DEBUG2_CAP || headers < COUNT) {
    throw new Error(
      `the demo's debug=2 dump is truncated: ${headers} goroutine headers for ${COUNT} parked, ${body.length} bytes ` +
        `(pprof stops at ${PPROF_DEBUG2_CAP}). A checkout path longer than /work/main makes every goroutine longer: ` +
        `lower BENCH_GOROUTINES or make demo/internal/parked's stacks shallower.`
    );
  }
  writeFileSync(`${DUMP}.tmp`, body);
  renameSync(`${DUMP}.tmp`, DUMP); // never leave a partial file that a later run would reuse
  console.log(`  ${headers} goroutines (${headers - COUNT} of them the demo's own), ${body.length} bytes`);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const mb = (bytes: number) => bytes / (1 << 20);

interface Row {
  name: string;
  wallMs: number;
  cpuMs: number;
  runs: number;
  memory: string;
  note: string;
}

interface OursRun {
  wallMs: number;
  cpuMs: number;
  clusters: number;
  goroutines: number;
}

function runOurs(text: string, keepArguments: boolean): OursRun {
  (globalThis as { gc?: () => void }).gc?.();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const result = clusterGoroutines(snapshotFromDump(parseGoroutineDump(text, { keepArguments })));
  const t1 = performance.now();
  const c1 = process.cpuUsage(c0);
  return {
    wallMs: t1 - t0,
    cpuMs: (c1.user + c1.system) / 1000,
    clusters: result.clusters.length,
    goroutines: result.total,
  };
}

/** Heap kept alive by one result (dump + snapshot + clusters), measured once outside the timed runs. */
function retainedMB(text: string, keepArguments: boolean): number | undefined {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) {
    return undefined;
  }
  gc();
  const base = process.memoryUsage().heapUsed;
  const result = clusterGoroutines(snapshotFromDump(parseGoroutineDump(text, { keepArguments })));
  gc();
  const used = process.memoryUsage().heapUsed - base;
  return result.total > 0 ? mb(used) : undefined;
}

function goJSON(binary: string, args: string[]): Record<string, number> {
  return JSON.parse(execFileSync(join(BIN, binary), args, { encoding: 'utf8', maxBuffer: 1 << 20 }));
}

function measurePanicparseCommand(): Row | undefined {
  const pp = ['/usr/bin/panicparse', '/usr/bin/pp'].find((p) => existsSync(p));
  if (!pp) {
    return undefined;
  }
  const timeBin = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
  const wall: number[] = [];
  const cpu: number[] = [];
  let rss = 0;
  let buckets = 0;
  for (let i = 0; i < PP_RUNS; i++) {
    const t0 = performance.now();
    const result = timeBin
      ? spawnSync(timeBin, ['-f', 'TIME %U %S %M', pp, '-no-color', DUMP], { encoding: 'utf8', maxBuffer: 256 << 20 })
      : spawnSync(pp, ['-no-color', DUMP], { encoding: 'utf8', maxBuffer: 256 << 20 });
    wall.push(performance.now() - t0);
    const times = /TIME ([\d.]+) ([\d.]+) (\d+)/.exec(result.stderr ?? '');
    if (times) {
      cpu.push((Number(times[1]) + Number(times[2])) * 1000);
      rss = Math.max(rss, Number(times[3]) / 1024);
    }
    buckets = (result.stdout.match(/^\d+: /gm) ?? []).length;
  }
  return {
    name: 'panicparse 2.3.0 command (Debian)',
    wallMs: median(wall),
    cpuMs: cpu.length ? median(cpu) : NaN,
    runs: PP_RUNS,
    memory: rss ? `max RSS ${rss.toFixed(0)} MB` : '',
    note: `${buckets} buckets (AnyPointer), incl. output`,
  };
}

function fmt(n: number, digits = 0): string {
  return Number.isFinite(n) ? n.toFixed(digits) : '–';
}

async function main(): Promise<void> {
  buildTools();
  await ensureDump();
  const bytes = statSync(DUMP).size;
  const text = readFileSync(DUMP, 'latin1'); // the dump is ASCII; latin1 skips UTF-8 validation in the harness
  console.log(
    `input: ${DUMP} — ${mb(bytes).toFixed(1)} MB, node ${process.version}, ${cpus().length} CPUs, load ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`
  );

  // Rounds interleave the contenders so that each sees the same machine load (2 shared cores here).
  const ours: OursRun[] = [];
  const oursArgs: OursRun[] = [];
  const gspRuns: Array<Record<string, number>> = [];
  const ppLibRuns: Array<Record<string, number>> = [];
  for (let round = 0; round < RUNS; round++) {
    ours.push(runOurs(text, false));
    oursArgs.push(runOurs(text, true));
    gspRuns.push(goJSON('gostackparse', ['-runs', '1', DUMP]));
    if (round < PP_RUNS) {
      ppLibRuns.push(goJSON('panicparse', ['-runs', '1', DUMP]));
    }
  }
  const ppCmd = measurePanicparseCommand();
  const med = (runs: Array<Record<string, number>>, key: string) => median(runs.map((r) => r[key]));
  const gsp = {
    parseMedianMs: med(gspRuns, 'parseMedianMs'),
    parseGroupMedianMs: med(gspRuns, 'parseGroupMedianMs'),
    parseCpuMedianMs: med(gspRuns, 'parseCpuMedianMs'),
    parseGroupCpuMedianMs: med(gspRuns, 'parseGroupCpuMedianMs'),
    maxRssMB: Math.max(...gspRuns.map((r) => r.maxRssMB)),
    groups: gspRuns[0].groups,
    goroutines: gspRuns[0].goroutines,
  };
  const ppLib = {
    medianMs: med(ppLibRuns, 'medianMs'),
    cpuMedianMs: med(ppLibRuns, 'cpuMedianMs'),
    maxRssMB: Math.max(...ppLibRuns.map((r) => r.maxRssMB)),
    buckets: ppLibRuns[0].buckets,
  };
  const oursRow = (runs: OursRun[], name: string, keep: boolean): Row => {
    const retained = retainedMB(text, keep);
    return {
      name,
      wallMs: median(runs.map((r) => r.wallMs)),
      cpuMs: median(runs.map((r) => r.cpuMs)),
      runs: runs.length,
      memory: retained === undefined ? 'run with --expose-gc for memory' : `result ${retained.toFixed(0)} MB heap`,
      note: `${runs[0].clusters} clusters`,
    };
  };
  const oursMain = oursRow(ours, 'ours (CLI path: arguments dropped)', false);
  const oursFull = oursRow(oursArgs, 'ours, arguments kept', true);
  oursMain.memory += `, process max RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`;

  const rows: Row[] = [
    oursMain,
    oursFull,
    {
      name: 'gostackparse v0.7.0, parse + group',
      wallMs: gsp.parseGroupMedianMs,
      cpuMs: gsp.parseGroupCpuMedianMs,
      runs: RUNS,
      memory: `max RSS ${fmt(gsp.maxRssMB)} MB`,
      note: `${gsp.groups} groups`,
    },
    {
      name: 'gostackparse v0.7.0, parse only',
      wallMs: gsp.parseMedianMs,
      cpuMs: gsp.parseCpuMedianMs,
      runs: RUNS,
      memory: '',
      note: `${gsp.goroutines} goroutines`,
    },
    {
      name: 'panicparse 2.3.0 library (Scan+Aggregate)',
      wallMs: ppLib.medianMs,
      cpuMs: ppLib.cpuMedianMs,
      runs: PP_RUNS,
      memory: `max RSS ${fmt(ppLib.maxRssMB)} MB`,
      note: `${ppLib.buckets} buckets (AnyPointer)`,
    },
  ];
  if (ppCmd) {
    rows.push(ppCmd);
  }
  const header = ['contender', 'runs', 'wall ms', 'MB/s', 'cpu ms', 'MB/s (cpu)', 'memory', 'note'];
  const table = rows.map((r) => [
    r.name,
    String(r.runs),
    fmt(r.wallMs),
    fmt(mb(bytes) / (r.wallMs / 1000)),
    fmt(r.cpuMs),
    fmt(mb(bytes) / (r.cpuMs / 1000)),
    r.memory,
    r.note,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i >= 1 && i <= 5 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join(' | ');
  console.log(`\n${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('-|-')}`);
  table.forEach((row) => console.log(line(row)));

  const ratio = (a: number, b: number) => `${fmt(a / b, 1)}x`;
  console.log('\nratios (wall / cpu), ours = CLI path:');
  if (ppCmd) {
    console.log(
      `  vs panicparse command:          ${ratio(ppCmd.wallMs, oursMain.wallMs)} / ${ratio(ppCmd.cpuMs, oursMain.cpuMs)} faster (target ≥ 50x)`
    );
  }
  console.log(
    `  vs panicparse library:          ${ratio(ppLib.medianMs, oursMain.wallMs)} / ${ratio(ppLib.cpuMedianMs, oursMain.cpuMs)} faster`
  );
  console.log(
    `  throughput vs gostackparse parse+group: ${fmt((100 * gsp.parseGroupMedianMs) / oursMain.wallMs)}% / ${fmt((100 * gsp.parseGroupCpuMedianMs) / oursMain.cpuMs)}% (target ≥ 50%)`
  );
  console.log(
    `  throughput vs gostackparse parse only:  ${fmt((100 * gsp.parseMedianMs) / oursMain.wallMs)}% / ${fmt((100 * gsp.parseCpuMedianMs) / oursMain.cpuMs)}%`
  );
  if (ours[0].goroutines !== gsp.goroutines || ours[0].clusters !== gsp.groups) {
    console.log(
      `  note: goroutines ${ours[0].goroutines} vs ${gsp.goroutines}, clusters ${ours[0].clusters} vs groups ${gsp.groups}`
    );
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

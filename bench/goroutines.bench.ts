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
 * Contenders, each doing the same work: parse every goroutine and group them by state, stack and creation site with
 * argument values ignored (our clustering; gostackparse grouped by the same key; panicparse's AnyValue similarity,
 * `pp -aggressive`, without reading sources, `-parse=false`):
 * - in-process, warm, interleaved round by round; every contender forces a full GC before each timed run (ours
 *   gc(), the Go tools runtime.GC()): ours is the CLI's path from the file's bytes, snapshotsFromText (UTF-8 read,
 *   recognise, parse, snapshot) → clusterGoroutines, arguments dropped as the CLI does; the same from one decoded
 *   string of the file (the two alternate in order); and, in rounds of its own afterwards, parseGoroutineDump of
 *   that string with arguments kept → snapshotFromDump → clustering;
 *   gostackparse v0.7.0 parse + group and parse only; panicparse 2.3.0 ScanSnapshot + Aggregate(AnyValue)
 *   (tools/stackbench);
 * - whole process, a fresh process per run, interleaved: `goprof analyze <dump>` (the prebuilt bundle, output
 *   included), `gostackparse -once` (read, parse, group, print counts), Debian's `panicparse -parse=false
 *   -aggressive` (output included).
 * Wall time and CPU time (user+system, all threads) are both reported: on a shared machine wall time includes
 * waiting for a core. Medians. Env: BENCH_RUNS (default 7), BENCH_PP_RUNS (default 3, also the whole-process runs),
 * BENCH_GOROUTINES (default 100000).
 */
import { execFileSync } from 'child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'fs';
import { cpus, loadavg } from 'os';
import { join } from 'path';
import { parseGoroutineDump } from '../src/core/wire/goroutineDump';
import { snapshotFromDump, type GoroutineSnapshot } from '../src/core/model/goroutineSnapshot';
import { snapshotsFromText } from '../src/core/analysis/goroutines/fromText';
import { clusterGoroutines } from '../src/core/analysis/goroutines/cluster';
import { startDemoService } from '../tests/support/demoService';
import { ensureFreshBundle, GOPROF, measureProcesses } from './wholeProcess.mjs';

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

/**
 * How ours reads the dump:
 * - `bytes`: the CLI's path (src/cli/main.ts → goroutineTextReport), the file's bytes read as goroutine text in
 *   64 KiB pieces, arguments dropped;
 * - `string`: one TextDecoder string of the whole file, then the same recogniser (what a caller holding text pays:
 *   the string is encoded back to UTF-8 for the byte reader, src/core/wire/goroutineDumpCleanBlocks.ts);
 * - `string+args`: that string parsed with every frame's argument text kept (no product path keeps them; from pieces
 *   the kept arguments would keep every piece alive).
 */
type OursPath = 'bytes' | 'string' | 'string+args';

function snapshotOf(bytes: Uint8Array, path: OursPath): GoroutineSnapshot {
  if (path === 'string+args') {
    return snapshotFromDump(parseGoroutineDump(new TextDecoder().decode(bytes), { keepArguments: true }));
  }
  const { snapshots } = snapshotsFromText(path === 'bytes' ? bytes : new TextDecoder().decode(bytes));
  return snapshots[snapshots.length - 1].snapshot;
}

function runOurs(bytes: Uint8Array, path: OursPath): OursRun {
  (globalThis as { gc?: () => void }).gc?.();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const result = clusterGoroutines(snapshotOf(bytes, path));
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
function retainedMB(bytes: Uint8Array, path: OursPath): number | undefined {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) {
    return undefined;
  }
  gc();
  const base = process.memoryUsage().heapUsed;
  const result = clusterGoroutines(snapshotOf(bytes, path));
  gc();
  const used = process.memoryUsage().heapUsed - base;
  return result.total > 0 ? mb(used) : undefined;
}

function goJSON(binary: string, args: string[]): Record<string, number> {
  return JSON.parse(execFileSync(join(BIN, binary), args, { encoding: 'utf8', maxBuffer: 1 << 20 }));
}

/** Whole-process rows: a fresh process per run, contenders interleaved (bench/wholeProcess.mjs). */
function measureWholeProcesses(): Row[] {
  ensureFreshBundle();
  const pp = ['/usr/bin/panicparse', '/usr/bin/pp'].find((p) => existsSync(p));
  const measured = measureProcesses(
    [
      { name: 'ours: goprof analyze (bundle), whole process', argv: [process.execPath, GOPROF, 'analyze', DUMP] },
      { name: 'gostackparse -once (parse + group), whole process', argv: [join(BIN, 'gostackparse'), '-once', DUMP] },
      ...(pp
        ? [
            {
              name: 'panicparse 2.3.0 -parse=false -aggressive, whole process',
              argv: [pp, '-no-color', '-parse=false', '-aggressive', DUMP],
            },
          ]
        : []),
    ],
    { runs: PP_RUNS, warmup: 0 }
  );
  return measured.map((m) => {
    let note = 'incl. output';
    if (m.name.startsWith('gostackparse')) {
      note = `${JSON.parse(m.stdout).groups} groups`;
    } else if (m.name.startsWith('panicparse')) {
      note = `${(m.stdout.match(/^\d+: /gm) ?? []).length} buckets, incl. output`;
    } else {
      const total = /Goroutines: (\d+)/.exec(m.stdout);
      note = total ? `${total[1]} goroutines reported, incl. output` : note;
    }
    return { name: m.name, wallMs: median(m.wall), cpuMs: median(m.cpu), runs: m.wall.length, memory: '', note };
  });
}

function fmt(n: number, digits = 0): string {
  return Number.isFinite(n) ? n.toFixed(digits) : '–';
}

async function main(): Promise<void> {
  buildTools();
  await ensureDump();
  const bytes = statSync(DUMP).size;
  const file = readFileSync(DUMP);
  const bytes8 = new Uint8Array(file.buffer, file.byteOffset, file.byteLength);
  console.log(
    `input: ${DUMP} — ${mb(bytes).toFixed(1)} MB, node ${process.version}, ${cpus().length} CPUs, load ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`
  );

  // Rounds interleave the contenders so that each sees the same machine load (2 shared cores here).
  const ours: OursRun[] = [];
  const oursStringRuns: OursRun[] = [];
  const oursArgs: OursRun[] = [];
  const gspRuns: Array<Record<string, number>> = [];
  const ppLibRuns: Array<Record<string, number>> = [];
  // Our two paths swap places every round: a run leaves garbage (60 MB for the one-string path) that the next run's
  // forced GC frees, and V8 then takes fresh pages again, so neither path always follows the other.
  for (let round = 0; round < RUNS; round++) {
    if (round % 2 === 0) {
      ours.push(runOurs(bytes8, 'bytes'));
      oursStringRuns.push(runOurs(bytes8, 'string'));
    } else {
      oursStringRuns.push(runOurs(bytes8, 'string'));
      ours.push(runOurs(bytes8, 'bytes'));
    }
    gspRuns.push(goJSON('gostackparse', ['-runs', '1', DUMP]));
    if (round < PP_RUNS) {
      ppLibRuns.push(goJSON('panicparse', ['-runs', '1', DUMP]));
    }
  }
  // Arguments kept: rounds of its own afterwards; freeing what it keeps (every argument text and the whole string)
  // slowed whichever run came next.
  for (let round = 0; round < RUNS; round++) {
    oursArgs.push(runOurs(bytes8, 'string+args'));
  }
  const whole = measureWholeProcesses();
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
  const oursRow = (runs: OursRun[], name: string, path: OursPath): Row => {
    const retained = retainedMB(bytes8, path);
    return {
      name,
      wallMs: median(runs.map((r) => r.wallMs)),
      cpuMs: median(runs.map((r) => r.cpuMs)),
      runs: runs.length,
      memory: retained === undefined ? 'run with --expose-gc for memory' : `result ${retained.toFixed(0)} MB heap`,
      note: `${runs[0].clusters} clusters`,
    };
  };
  const oursMain = oursRow(ours, 'ours (CLI path: from the bytes, arguments dropped)', 'bytes');
  const oursString = oursRow(oursStringRuns, 'ours, from one decoded string', 'string');
  const oursFull = oursRow(oursArgs, 'ours, one decoded string, arguments kept', 'string+args');
  oursMain.memory += `, process max RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`;

  const rows: Row[] = [
    oursMain,
    oursString,
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
      name: 'panicparse 2.3.0 library (Scan + Aggregate(AnyValue))',
      wallMs: ppLib.medianMs,
      cpuMs: ppLib.cpuMedianMs,
      runs: PP_RUNS,
      memory: `max RSS ${fmt(ppLib.maxRssMB)} MB`,
      note: `${ppLib.buckets} buckets`,
    },
  ];
  rows.push(...whole);
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

  // Ratios are peer time / our time: above 1 means ours is faster.
  const ratio = (peer: { wallMs: number; cpuMs: number }, ourRow: Row) =>
    `${fmt(peer.wallMs / ourRow.wallMs, 2)}x / ${fmt(peer.cpuMs / ourRow.cpuMs, 2)}x`;
  const gspGroup = { wallMs: gsp.parseGroupMedianMs, cpuMs: gsp.parseGroupCpuMedianMs };
  const gspParse = { wallMs: gsp.parseMedianMs, cpuMs: gsp.parseCpuMedianMs };
  const ppLibRow = { wallMs: ppLib.medianMs, cpuMs: ppLib.cpuMedianMs };
  console.log('\nratios, peer time / ours (wall / cpu; above 1: ours faster):');
  console.log('  in-process, warm (ours = UTF-8 read + parse + snapshot + cluster from the bytes, arguments dropped):');
  console.log(`    gostackparse parse + group:  ${ratio(gspGroup, oursMain)} (target >= 1.5x)`);
  console.log(`    gostackparse parse only:     ${ratio(gspParse, oursMain)}`);
  console.log(`    panicparse library AnyValue: ${ratio(ppLibRow, oursMain)}`);
  const oursWhole = whole.find((r) => r.name.startsWith('ours'));
  if (oursWhole) {
    console.log('  whole process (ours = goprof analyze, bundle):');
    for (const peer of whole.filter((r) => r !== oursWhole)) {
      console.log(
        `    ${peer.name.replace(', whole process', '')}: ${ratio(peer, oursWhole)}${peer.name.startsWith('gostackparse') ? ' (target >= 1x)' : ''}`
      );
    }
  }
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

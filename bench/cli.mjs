#!/usr/bin/env node
/**
 * `npm run bench:cli`: whole-process timings of the `goprof` command, as a user runs it, beside the peers a user would
 * run instead on the same file (hyperfine-style: warm-up runs, then several runs, median / min / max). Not a test:
 * nothing is asserted, the table is the output.
 *
 * Rows, each a fresh process per run, the contenders of one input interleaved run by run so that they see the same
 * machine load:
 * - startup: `node -e 0` (the floor of any Node command), `goprof --help` from the prebuilt bundle and from sources;
 * - a small CPU profile and a small goroutine dump from fixtures/demo: `goprof analyze` (bundle and sources) beside
 *   google/pprof's `pprof -top` (the binary `go tool pprof` runs, and `go tool pprof -top` itself) and panicparse;
 * - with --large, when the files exist (bench/.data is filled by `npm run bench`): google/pprof's large.cpu, the
 *   stack-zoo CPU profile and every profile of 1 MB or more in bench/.data (text report, and the JSON report, which
 *   adds the flame graph), and the 100,000-goroutine dump of bench/goroutines.bench.ts, against `pprof -top`,
 *   panicparse `-parse=false` and DataDog/gostackparse parse + group in one process
 *   (tools/stackbench/cmd/gostackparse -once).
 *
 * Wall time is what a user waits; CPU time (user + system of the process and its children, from /usr/bin/time) is
 * printed beside it because on a shared machine wall time includes waiting for a core.
 *
 * Options: --runs N (default 10), --warmup N (default 2), --large, --json (rows as JSON lines on stdout), --only TEXT
 * (the inputs whose title contains TEXT),
 * --baseline DIR (adds the `goprof` of another checkout, e.g. the main branch, to every input).
 */
import { execFileSync } from 'child_process';
import { existsSync, readdirSync, statSync } from 'fs';
import { cpus, loadavg } from 'os';
import { dirname, join, relative } from 'path';
import { fileURLToPath } from 'url';
import { googleLargeCpu } from './googleLargeCpu.mjs';
import { ensureFreshBundle, findGo, GOPROF, measureProcesses, median, pprofBinary } from './wholeProcess.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DATA = join(ROOT, 'bench', '.data');

function option(name, fallback) {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}
const RUNS = option('--runs', 10);
const WARMUP = option('--warmup', 2);
const LARGE = process.argv.includes('--large');
/** --baseline DIR: another checkout with its bundle built (e.g. `git archive main` + `node scripts/build-cli.mjs`),
 * timed in the same runs for a before/after comparison. */
const BASELINE = process.argv.includes('--baseline') ? process.argv[process.argv.indexOf('--baseline') + 1] : undefined;
const JSON_OUT = process.argv.includes('--json');
/** --only TEXT: time only the inputs whose title contains TEXT (e.g. `large.cpu`). */
const ONLY = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;

function fmtMs(ms) {
  return Number.isFinite(ms) ? (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`) : '–';
}

function printTable(title, rows) {
  const header = ['command', 'median', 'min', 'max', 'cpu median', 'vs first'];
  const base = rows.length ? median(rows[0].wall) : NaN;
  const cells = rows.map((r) => {
    const m = median(r.wall);
    return [
      r.name,
      fmtMs(m),
      fmtMs(Math.min(...r.wall)),
      fmtMs(Math.max(...r.wall)),
      fmtMs(median(r.cpu)),
      r === rows[0] ? '1.00x' : `${(m / base).toFixed(2)}x`,
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c) => c.map((v, i) => (i === 0 ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join(' | ');
  console.log(`\n## ${title}`);
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  cells.forEach((c) => console.log(line(c)));
}

function kb(file) {
  const size = statSync(file).size;
  return size >= 1 << 20 ? `${(size / (1 << 20)).toFixed(1)} MB` : `${(size / 1024).toFixed(1)} KB`;
}

const node = process.execPath;
const goprof = (args) => [node, GOPROF, ...args];
/** The baseline's rows beside ours: `name` is what the row runs, `args` the goprof arguments. */
const baseline = (name, args) =>
  BASELINE ? [{ name: `${name} (baseline)`, argv: [node, join(BASELINE, 'bin', 'goprof.js'), ...args] }] : [];
const SOURCES = { GOPROF_FROM_SOURCE: '1' };

function main() {
  ensureFreshBundle();
  const go = findGo();
  const pprof = pprofBinary(go);
  const panicparse = ['/usr/bin/panicparse', '/usr/bin/pp'].find((p) => existsSync(p));
  const gostackparse = join(DATA, 'bin', 'gostackparse');
  if (LARGE && go) {
    // The Go peers of bench/goroutines.bench.ts, rebuilt when their sources changed (Go's build cache makes it quick).
    execFileSync(go, ['build', '-o', join(DATA, 'bin') + '/', './cmd/gostackparse'], {
      cwd: join(ROOT, 'tools', 'stackbench'),
      stdio: 'inherit',
    });
  }

  const cpuSmall = join(ROOT, 'fixtures', 'demo', 'gc-pressure', 'cpu.pb.gz');
  const dumpSmall = join(ROOT, 'fixtures', 'demo', 'runnable-backlog', 'goroutine.debug2.txt');
  const profileRows = (file, withJson = false) => [
    { name: 'goprof analyze (bundle)', argv: goprof(['analyze', file]) },
    // The JSON report also builds, prunes and lays out the flame graph, which the text report does not print.
    ...(withJson
      ? [
          { name: 'goprof analyze --json (bundle)', argv: goprof(['analyze', '--json', file]) },
          ...baseline('goprof analyze --json', ['analyze', '--json', file]),
        ]
      : []),
    ...baseline('goprof analyze', ['analyze', file]),
    { name: 'goprof analyze (sources, tsx)', argv: goprof(['analyze', file]), env: SOURCES },
    ...(pprof ? [{ name: 'pprof -top (the binary go tool pprof runs)', argv: [pprof, '-top', file] }] : []),
    ...(go ? [{ name: 'go tool pprof -top', argv: [go, 'tool', 'pprof', '-top', file] }] : []),
  ];
  const dumpRows = (file, withSources) => [
    { name: 'goprof analyze (bundle)', argv: goprof(['analyze', file]) },
    ...baseline('goprof analyze', ['analyze', file]),
    ...(withSources ? [{ name: 'goprof analyze (sources, tsx)', argv: goprof(['analyze', file]), env: SOURCES }] : []),
    ...(panicparse
      ? [
          {
            name: 'panicparse -parse=false -aggressive (argument-blind)',
            argv: [panicparse, '-no-color', '-parse=false', '-aggressive', file],
          },
          { name: 'panicparse (default: parses sources)', argv: [panicparse, '-no-color', file] },
        ]
      : []),
    ...(existsSync(gostackparse)
      ? [{ name: 'gostackparse parse + group (-once)', argv: [gostackparse, '-once', file] }]
      : []),
  ];

  const groups = [
    {
      title: 'startup',
      rows: [
        { name: 'goprof --help (bundle)', argv: goprof(['--help']) },
        ...baseline('goprof --help', ['--help']),
        { name: 'goprof --help (sources, tsx)', argv: goprof(['--help']), env: SOURCES },
        { name: 'node -e 0 (Node start, the floor)', argv: [node, '-e', '0'], silent: true },
      ],
    },
    { title: `small CPU profile: ${relative(ROOT, cpuSmall)} (${kb(cpuSmall)})`, rows: profileRows(cpuSmall) },
    { title: `small goroutine dump: ${relative(ROOT, dumpSmall)} (${kb(dumpSmall)})`, rows: dumpRows(dumpSmall, true) },
  ];
  if (LARGE) {
    const large = googleLargeCpu();
    if (large) {
      groups.push({
        title: `google/pprof large.cpu (${kb(large)})`,
        rows: profileRows(large, true).filter((r) => !r.env),
      });
    }
    // The stack-zoo CPU profile (long stacks), and every other profile bench/.data holds of 1 MB or more (the
    // stack-zoo heap profile: half a million samples).
    const profiles = existsSync(DATA) ? readdirSync(DATA).filter((f) => /\.pb\.gz$/.test(f)) : [];
    for (const name of profiles) {
      const file = join(DATA, name);
      if (name === 'demo-cpu-stackzoo.pb.gz' || statSync(file).size >= 1 << 20) {
        groups.push({ title: `${name} (${kb(file)})`, rows: profileRows(file, true).filter((r) => !r.env) });
      }
    }
    const dumps = existsSync(DATA) ? readdirSync(DATA).filter((f) => /^goroutines-.*\.debug2\.txt$/.test(f)) : [];
    for (const dump of dumps) {
      const file = join(DATA, dump);
      groups.push({ title: `goroutine dump ${dump} (${kb(file)})`, rows: dumpRows(file, false) });
    }
    if (!large || dumps.length === 0) {
      console.error(
        '--large: run `npm run bench` once to fetch large.cpu and the 100k-goroutine dump into bench/.data'
      );
    }
  }

  console.log(
    `node ${process.version}, ${cpus().length} CPUs, load ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}, ${new Date().toISOString()}; ${RUNS} runs after ${WARMUP} warm-up runs, one process per run, ` +
      `contenders interleaved; wall times, CPU = user + system`
  );
  for (const group of groups.filter((g) => ONLY === undefined || g.title.includes(ONLY))) {
    const rows = measureProcesses(group.rows, { runs: RUNS, warmup: WARMUP });
    if (JSON_OUT) {
      for (const r of rows) {
        console.log(
          JSON.stringify({
            input: group.title,
            name: r.name,
            medianMs: median(r.wall),
            minMs: Math.min(...r.wall),
            maxMs: Math.max(...r.wall),
            cpuMedianMs: median(r.cpu),
          })
        );
      }
    } else {
      printTable(group.title, rows);
    }
  }
  console.log(
    `\nload after: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`
  );
}

main();

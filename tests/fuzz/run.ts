/**
 * The fuzz suite's command line:
 * `npm run fuzz -- [--long] [--cases N] [--from I] [--parser NAME]... [--seed S] [--case I] [--log FILE] [--minutes M]`.
 *
 * Default: 20,000 cases per parser. `--long`: 1,000,000 per parser. `--from I` resumes a run at case I (cases are
 * independent, so cases [0, I) of an earlier run with the same seed plus [I, N) of this one cover [0, N)). `--log FILE`
 * appends a progress line per parser every 30 s and a final line (seed, case range, counts so far), so an interrupted
 * long run still reports how far it got and where to resume. `--minutes M` shares M minutes between the
 * parsers and stops each at its share (the line then says how many cases it reached). Each parser runs in a worker thread with a
 * heap cap, watched by this thread: a case that runs longer than 30 s is a hang (the worker is stopped and the run
 * goes on after that case), a worker that exceeds its heap is a memory blow-up (likewise). Every case is a pure
 * function of (seed, index), so `--case I` re-runs exactly one and prints its outcome and input size.
 *
 * Prints one line per parser and a JSON summary; exits 1 when any case failed untyped, hung, blew up or took more
 * than 2 s of CPU on an input under 1 MB.
 */
import { appendFileSync } from 'fs';
import { isMainThread, parentPort, Worker, workerData } from 'worker_threads';

import { caseInput, emptyStats, fuzzTarget, runCases, runInput, RunStats, TARGET_NAMES, TargetName } from './targets';

const HANG_MS = 30_000;
const WORKER_HEAP_MB = 1536;
const PROGRESS_EVERY = 500;
const LOG_EVERY_MS = 30_000;

interface WorkerJob {
  parser: TargetName;
  seed: number;
  start: number;
  end: number;
  progress: SharedArrayBuffer;
}

interface Summary extends RunStats {
  hangs: number[];
  memoryBlowUps: number[];
  seconds: number;
}

function runWorker(): void {
  const job = workerData as WorkerJob;
  const current = new Int32Array(job.progress);
  const target = fuzzTarget(job.parser);
  for (let start = job.start; start < job.end; start += PROGRESS_EVERY) {
    const count = Math.min(PROGRESS_EVERY, job.end - start);
    const stats = runCases(target, job.seed, start, count, emptyStats(job.parser), (i) => Atomics.store(current, 0, i));
    parentPort!.postMessage(stats);
  }
}

function merge(into: RunStats, part: RunStats): void {
  into.cases += part.cases;
  into.ok += part.ok;
  into.typed += part.typed;
  into.untyped.push(...part.untyped.slice(0, Math.max(0, 1000 - into.untyped.length)));
  into.slow.push(...part.slow.slice(0, Math.max(0, 1000 - into.slow.length)));
  if (part.maxCpuMs > into.maxCpuMs) {
    into.maxCpuMs = part.maxCpuMs;
    into.slowestIndex = part.slowestIndex;
  }
  into.maxRssBytes = Math.max(into.maxRssBytes, part.maxRssBytes);
}

function summaryLine(s: Summary): string {
  return (
    `${s.target}: ${s.cases} cases in ${s.seconds.toFixed(0)} s: ${s.ok} ok, ${s.typed} typed errors, ` +
    `${s.untyped.length} untyped, ${s.hangs.length} hangs, ${s.memoryBlowUps.length} memory blow-ups, ` +
    `${s.slow.length} over 2 s CPU; slowest case ${s.maxCpuMs.toFixed(0)} ms CPU (case ${s.slowestIndex}), peak RSS ${(s.maxRssBytes / 2 ** 20).toFixed(0)} MiB`
  );
}

/** Appends one progress line: enough to report a partial run and to resume it (`--from`). */
function logProgress(log: string | undefined, seed: number, start: number, s: Summary, state: string): void {
  if (log) {
    const cases = `cases [${start}, ${start + s.cases})`;
    const failing = [...s.untyped.map((u) => u.index), ...s.hangs, ...s.memoryBlowUps, ...s.slow.map((x) => x.index)];
    const detail = failing.length ? `; failing cases ${failing.slice(0, 10).join(', ')}` : '';
    appendFileSync(log, `${new Date().toISOString()} ${state} seed ${seed} ${cases} ${summaryLine(s)}${detail}\n`);
  }
}

/** Runs cases [start, end) of one parser in workers, restarting after a hang or a memory blow-up. */
async function fuzzParser(
  parser: TargetName,
  seed: number,
  start: number,
  end: number,
  stopAt = Infinity,
  log?: string
): Promise<Summary> {
  const summary: Summary = { ...emptyStats(parser), hangs: [], memoryBlowUps: [], seconds: 0 };
  const began = Date.now();
  let logged = began;
  logProgress(log, seed, start, summary, 'start');
  let next = start;
  while (next < end && Date.now() < stopAt) {
    const progress = new SharedArrayBuffer(4);
    const current = new Int32Array(progress);
    // -1 until the worker has loaded and starts its first case: loading is not a hang.
    Atomics.store(current, 0, -1);
    // The worker loads this file through tsx's CommonJS hook, as the main thread was.
    const worker = new Worker(`require('tsx/cjs'); require(${JSON.stringify(__filename)});`, {
      eval: true,
      workerData: { parser, seed, start: next, end, progress } satisfies WorkerJob,
      resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
    });
    const outcome = await new Promise<{ kind: 'done' | 'hang' | 'memory' | 'crash'; at: number; detail?: string }>(
      (resolve) => {
        let seen = -1;
        let since = Date.now();
        const watch = setInterval(() => {
          if (Date.now() > stopAt) {
            // Out of time: the batches reported so far are the result.
            clearInterval(watch);
            void worker.terminate();
            resolve({ kind: 'done', at: end });
            return;
          }
          const now = Atomics.load(current, 0);
          if (now < 0) {
            since = Date.now();
          } else if (now !== seen) {
            seen = now;
            since = Date.now();
          } else if (Date.now() - since > HANG_MS) {
            clearInterval(watch);
            void worker.terminate();
            resolve({ kind: 'hang', at: now });
          }
        }, 1000);
        worker.on('message', (stats: RunStats) => {
          merge(summary, stats);
          if (Date.now() - logged > LOG_EVERY_MS) {
            logged = Date.now();
            summary.seconds = (logged - began) / 1000;
            logProgress(log, seed, start, summary, 'progress');
          }
        });
        worker.on('error', (error: Error & { code?: string }) => {
          clearInterval(watch);
          const memory = error.code === 'ERR_WORKER_OUT_OF_MEMORY' || /heap|memory/i.test(error.message);
          resolve({ kind: memory ? 'memory' : 'crash', at: Atomics.load(current, 0), detail: error.message });
        });
        worker.on('exit', () => {
          clearInterval(watch);
          resolve({ kind: 'done', at: end });
        });
      }
    );
    if (outcome.kind === 'done') {
      break;
    }
    outcome.at = Math.max(outcome.at, next);
    if (outcome.kind === 'hang') {
      summary.hangs.push(outcome.at);
    } else if (outcome.kind === 'memory') {
      summary.memoryBlowUps.push(outcome.at);
    } else {
      summary.untyped.push({ index: outcome.at, error: `worker crashed: ${outcome.detail ?? ''}` });
      if (outcome.at === next) {
        break; // the worker cannot start: no point in retrying
      }
    }
    // Cases before the failing one were counted in batches; the rest of its batch is run again.
    summary.cases = Math.max(summary.cases, outcome.at + 1 - start);
    next = outcome.at + 1;
  }
  summary.seconds = (Date.now() - began) / 1000;
  logProgress(log, seed, start, summary, 'end');
  return summary;
}

function arg(argv: string[], flag: string): string | undefined {
  const i = argv.indexOf(flag);
  return i >= 0 ? argv[i + 1] : undefined;
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const seed = Number(arg(argv, '--seed') ?? 1);
  const parsers = argv.flatMap((a, i) => (argv[i - 1] === '--parser' ? [a as TargetName] : []));
  const selected = parsers.length ? parsers : [...TARGET_NAMES];
  const single = arg(argv, '--case');
  if (single !== undefined) {
    for (const parser of selected) {
      const target = fuzzTarget(parser);
      const input = caseInput(target, seed, Number(single));
      console.log(parser, `case ${single}`, JSON.stringify(runInput(target, input)));
    }
    return 0;
  }
  const cases = Number(arg(argv, '--cases') ?? (argv.includes('--long') ? 1_000_000 : 20_000));
  const from = Number(arg(argv, '--from') ?? 0);
  const log = arg(argv, '--log');
  // `--minutes M`: stop each parser after M / parsers minutes, whatever number of cases it reached.
  const minutes = Number(arg(argv, '--minutes') ?? Infinity);
  const perParserMs = (minutes * 60_000) / selected.length;
  let failed = false;
  const summaries: Summary[] = [];
  for (const parser of selected) {
    const s = await fuzzParser(parser, seed, from, cases, Date.now() + perParserMs, log);
    summaries.push(s);
    failed ||= s.untyped.length > 0 || s.hangs.length > 0 || s.memoryBlowUps.length > 0 || s.slow.length > 0;
    console.log(summaryLine(s));
  }
  console.log(
    JSON.stringify(
      summaries.map((s) => ({ ...s, untyped: s.untyped.slice(0, 20), slow: s.slow.slice(0, 20) })),
      null,
      1
    )
  );
  return failed ? 1 : 0;
}

if (isMainThread) {
  main().then((code) => process.exit(code));
} else {
  runWorker();
}

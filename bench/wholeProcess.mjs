/**
 * Whole-process timing shared by the bench scripts: each run is a fresh process, wall time from the parent, CPU time
 * (user + system, children included) from /usr/bin/time when it is installed. Contenders of one input run
 * interleaved, run by run, so that each sees the same machine load.
 */
import { execFileSync, spawnSync } from 'child_process';
import { existsSync } from 'fs';
import { dirname, join } from 'path';
import { fileURLToPath } from 'url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
/** The `goprof` command as installed (bin/goprof.js runs dist-cli/goprof.js when it is fresh). */
export const GOPROF = join(ROOT, 'bin', 'goprof.js');

const TIME_BIN = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

/** One run of argv: wall ms, CPU ms (NaN without /usr/bin/time), exit status, output size, stderr. */
export function runOnce(argv, env) {
  const full = TIME_BIN ? [TIME_BIN, '-f', '\nCPUTIME %U %S', ...argv] : argv;
  const start = process.hrtime.bigint();
  const r = spawnSync(full[0], full.slice(1), {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    maxBuffer: 512 << 20,
  });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  const cpu = /CPUTIME ([\d.]+) ([\d.]+)/.exec(r.stderr ?? '');
  return {
    wallMs,
    cpuMs: cpu ? (Number(cpu[1]) + Number(cpu[2])) * 1000 : NaN,
    status: r.status,
    stdout: r.stdout ?? '',
    stderr: (r.stderr ?? '').replace(/\n?CPUTIME [\d.]+ [\d.]+\n?$/, ''),
  };
}

export const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/**
 * Times contenders `{ name, argv, env?, silent? }` interleaved: one untimed run each (a contender that fails it, or
 * prints nothing unless `silent`, is reported on stderr and dropped), `warmup` untimed rounds, then `runs` timed
 * rounds. Returns the contenders kept, with `wall` and `cpu` arrays (ms) and `stdout` of the first run.
 */
export function measureProcesses(contenders, { runs, warmup }) {
  const live = [];
  for (const c of contenders) {
    const first = runOnce(c.argv, c.env);
    if (first.status !== 0 || (first.stdout.length === 0 && !c.silent)) {
      console.error(
        `  skipped ${c.name}: exit ${first.status}, ${first.stdout.length} bytes out: ${first.stderr.slice(0, 300)}`
      );
      continue;
    }
    live.push({ ...c, stdout: first.stdout, wall: [], cpu: [] });
  }
  for (let run = 0; run < warmup + runs; run++) {
    for (const c of live) {
      const r = runOnce(c.argv, c.env);
      if (r.status !== 0) {
        throw new Error(`${c.name}: exit ${r.status} on run ${run}: ${r.stderr.slice(0, 300)}`);
      }
      if (run >= warmup) {
        c.wall.push(r.wallMs);
        c.cpu.push(r.cpuMs);
      }
    }
  }
  return live;
}

/** Builds dist-cli/goprof.js when bin/goprof.js would not use it (missing or older than a source), so that rows
 * named "bundle" time the bundle. */
export function ensureFreshBundle() {
  const probe = spawnSync(process.execPath, [GOPROF, '--help'], {
    env: { ...process.env, GOPROF_TRACE_LOADER: '1' },
    encoding: 'utf8',
  });
  if (!probe.stderr.includes('running the bundle')) {
    console.error('dist-cli/goprof.js is missing or stale: building it (node scripts/build-cli.mjs) ...');
    execFileSync(process.execPath, [join(ROOT, 'scripts', 'build-cli.mjs')], { stdio: 'inherit' });
  }
}

/** The go command: /usr/local/go/bin first (where the README installs it), then PATH. */
export function findGo() {
  const dirs = ['/usr/local/go/bin', ...(process.env.PATH ?? '').split(':')];
  return dirs.map((d) => join(d, 'go')).find((p) => existsSync(p));
}

/** The pprof binary `go tool pprof` runs (built once into Go's cache; `go tool -n` prints its path, Go 1.24+). */
export function pprofBinary(go) {
  if (!go) {
    return undefined;
  }
  try {
    const path = execFileSync(go, ['tool', '-n', 'pprof'], { encoding: 'utf8' }).trim();
    return existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `npx tsx scripts/reliability-table.ts`: runs each hostile input in a child process of its own and prints a table
 * of input, size, result (typed error name and message, or exit code and message for the CLI), wall time, CPU time
 * and the child's peak RSS (`process.resourceUsage().maxRSS`).
 *
 * Inputs are generated here (nothing large is kept in the repository): gzipped protobufs that inflate to hundreds
 * of MB of repeated cheap fields, a 4 GiB gzip bomb, a goroutine profile with 150,000 inline lines, and HTTP
 * targets on loopback ports (a 2 GB body, a body trickling a byte a second, a redirect loop, a redirect to another
 * host). The files are written before the children start, so each child's peak RSS is its own parsing only.
 */
import { spawn } from 'child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { createServer, Server } from 'http';
import { AddressInfo } from 'net';
import { tmpdir } from 'os';
import { join } from 'path';
import { constants, deflateRawSync, gzipSync } from 'zlib';

import { snapshotFromProfile } from '../src/core/analysis/goroutines/fromProfile';
import { isInputError } from '../src/core/errors';
import { parsePprof } from '../src/core/model/parsePprof';
import { gzipBomb, hostilePprof, HostilePprofKind } from '../src/core/wire/testing/hostilePprof';
import { run as goprof } from '../src/cli/main';
import { nativeGunzip } from '../src/cli/nativeGunzip';

interface Row {
  id: string;
  input: string;
  /** What the child does: `parse <file>`, `parse-native <file>`, `goroutines <file>`, `goprof <args...>`. */
  argv: string[];
  size: string;
}

interface ChildResult {
  result: string;
  cpuMs: number;
  maxRssKiB: number;
}

const MiB = 2 ** 20;

function human(bytes: number): string {
  return bytes >= 2 ** 30
    ? `${(bytes / 2 ** 30).toFixed(1)} GiB`
    : bytes >= MiB
      ? `${(bytes / MiB).toFixed(1)} MiB`
      : bytes >= 1024
        ? `${(bytes / 1024).toFixed(0)} KiB`
        : `${bytes} B`;
}

/** In the child: run one row and print its result as one JSON line. */
async function child(argv: string[]): Promise<void> {
  const [what, ...rest] = argv;
  let result: string;
  try {
    if (what === 'goprof') {
      let stderr = '';
      const code = await goprof(rest, { stdout: () => undefined, stderr: (t) => (stderr += t) });
      result = `exit ${code}: ${stderr.trim().split('\n')[0].slice(0, 220)}`;
    } else {
      const bytes = new Uint8Array(readFileSync(rest[0]));
      const profile = parsePprof(bytes, { gunzip: what === 'parse-native' ? nativeGunzip : undefined });
      if (what === 'goroutines') {
        result = `ok: ${snapshotFromProfile(profile).total} goroutine(s)`;
      } else {
        result = `ok: ${profile.samples.count} samples`;
      }
    }
  } catch (error) {
    result = isInputError(error)
      ? `${error.name}: ${error.describe().slice(0, 220)}`
      : `UNTYPED ${(error as Error).name}: ${(error as Error).message.slice(0, 200)}`;
  }
  const usage = process.resourceUsage();
  const out: ChildResult = { result, cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000, maxRssKiB: usage.maxRSS };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

function runChild(row: Row): Promise<ChildResult & { wallMs: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [...process.execArgv, __filename, '--child', ...row.argv], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('exit', (code, signal) => {
      const wallMs = Date.now() - started;
      const line = stdout.trim().split('\n').pop() ?? '';
      try {
        resolve({ ...(JSON.parse(line) as ChildResult), wallMs });
      } catch {
        resolve({
          result: `CRASH (exit ${code ?? signal}): ${stderr.trim().split('\n').slice(-1)[0] ?? ''}`,
          cpuMs: NaN,
          maxRssKiB: NaN,
          wallMs,
        });
      }
    });
  });
}

async function listen(handler: Parameters<typeof createServer>[1]): Promise<[Server, string]> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return [server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`];
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'goprof-reliability-'));
  const rows: Row[] = [];
  const file = (name: string, bytes: Uint8Array, input: string, argv: (path: string) => string[], raw?: number) => {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    rows.push({
      id: name,
      input,
      argv: argv(path),
      size: raw ? `${human(bytes.length)} (${human(raw)} inflated)` : human(bytes.length),
    });
  };
  const hostile = (kind: HostilePprofKind, size: number, input: string) => {
    const raw = hostilePprof(kind, size);
    file(`${kind}-${size}.pb.gz`, new Uint8Array(gzipSync(raw, { level: 9 })), input, (p) => ['parse', p], raw.length);
  };
  hostile('comments', 300e6, '300 MB of repeated `comment` fields');
  hostile('comments', 200e6, '200 MB of repeated `comment` fields (under the 256 MiB limit)');
  hostile('empty-sample-types', 300e6, '300 MB of empty `sample_type` fields');
  hostile('empty-sample-types', 200e6, '200 MB of empty `sample_type` fields (under the limit)');
  hostile('labels', 200e6, '200 MB of empty labels in one sample');
  hostile('labels-with-values', 200e6, '200 MB of labels with key and value');
  hostile('lines-one-location', 200e6, '200 MB of empty lines in one location');
  hostile('lines-many-locations', 200e6, '200 MB of locations with 1,000 lines each');
  hostile('packed-values-one-sample', 200e6, '200 MB packed value list in one sample');
  hostile('packed-values-many-samples', 200e6, '200 MB of samples with 1,000 packed values');
  const inline = hostilePprof('inline-lines', 150_000);
  file(
    'inline.pb.gz',
    new Uint8Array(gzipSync(inline, { level: 9 })),
    'goroutine profile, 150,000 inline lines',
    (p) => ['goroutines', p]
  );
  const zero = new Uint8Array(
    deflateRawSync(new Uint8Array(64 * MiB), { level: 9, finishFlush: constants.Z_SYNC_FLUSH })
  );
  const bomb = gzipBomb(zero, new Uint8Array(deflateRawSync(new Uint8Array(0))), 64, 0);
  file('bomb.pb.gz', bomb, 'gzip bomb, 4 GiB of zeros (built-in gunzip)', (p) => ['parse', p], 4 * 2 ** 30);
  rows.push({
    ...rows[rows.length - 1],
    id: 'bomb-native',
    input: 'same bomb, native zlib',
    argv: ['parse-native', join(dir, 'bomb.pb.gz')],
  });
  rows.push({
    ...rows[rows.length - 1],
    id: 'bomb-goprof',
    input: 'same bomb, `goprof analyze`',
    argv: ['goprof', 'analyze', join(dir, 'bomb.pb.gz')],
  });
  rows.push({
    ...rows[rows.length - 1],
    id: 'bomb-diagnose',
    input: 'same bomb, `goprof diagnose`',
    argv: ['goprof', 'diagnose', join(dir, 'bomb.pb.gz')],
  });
  const debug1 =
    'goroutine profile: total 1\n1 @ 0x1\n# labels: {"\\U0000ffffffff":"x"}\n#\t0x1\tmain.main+0x1\t/m.go:1\n';
  file(
    'escape.debug1.txt',
    new TextEncoder().encode(debug1),
    'debug=1 label with `\\U0000ffffffff`, `goprof analyze`',
    (p) => ['goprof', 'analyze', p]
  );

  // HTTP targets.
  const timers: NodeJS.Timeout[] = [];
  const [other, otherUrl] = await listen((_req, res) => res.end('elsewhere'));
  const [server, url] = await listen((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (path.startsWith('/huge-declared')) {
      res.writeHead(200, { 'Content-Length': String(2e9) });
      const chunk = new Uint8Array(MiB);
      const pump = () => {
        while (res.write(chunk)) {
          // until the socket buffer is full
        }
      };
      res.on('drain', pump);
      pump();
    } else if (path.startsWith('/huge-chunked')) {
      res.writeHead(200);
      const chunk = new Uint8Array(MiB);
      let sent = 0;
      const pump = () => {
        while (sent < 2e9 && res.write(chunk)) {
          sent += chunk.length;
        }
      };
      res.on('drain', pump);
      pump();
    } else if (path.startsWith('/trickle')) {
      res.writeHead(200);
      const t = setInterval(() => res.write('x'), 1000);
      timers.push(t);
      res.on('close', () => clearInterval(t));
    } else if (path.startsWith('/loop')) {
      res
        .writeHead(302, { Location: path.startsWith('/loop-a') ? '/loop-b/debug/pprof/heap' : '/loop-a/debug/pprof/heap' })
        .end();
    } else if (path.startsWith('/away')) {
      res.writeHead(302, { Location: `${otherUrl}/debug/pprof/heap` }).end();
    } else {
      res.writeHead(404).end();
    }
  });
  const http = (id: string, input: string, path: string, extra: string[] = []) =>
    rows.push({ id, input, argv: ['goprof', 'analyze', `${url}${path}`, '--profile', 'heap', ...extra], size: 'HTTP' });
  http('http-declared', '2 GB body, Content-Length declared', '/huge-declared');
  http('http-chunked', '2 GB body, chunked (no Content-Length)', '/huge-chunked');
  http('http-trickle', 'body trickling 1 byte/s (`--timeout 5`)', '/trickle', ['--timeout', '5']);
  http('http-loop', 'redirect loop', '/loop-a');
  http('http-away', 'redirect to another host', '/away');

  const header = ['input', 'size', 'result', 'wall', 'CPU', 'peak RSS'];
  console.log(`| ${header.join(' | ')} |`);
  console.log(`| ${header.map(() => '---').join(' | ')} |`);
  // Quick rows first; the ones that inflate hundreds of MB last.
  const order = (r: Row) => (r.argv[0] === 'goprof' || r.id.startsWith('inline') ? 0 : r.id.startsWith('bomb') ? 1 : 2);
  for (const row of [...rows].sort((a, b) => order(a) - order(b))) {
    const r = await runChild(row);
    const line = [
      row.input,
      row.size,
      r.result.replace(/\|/g, '\\|').replace(/\/tmp\/goprof-reliability-\w+\//g, ''),
      `${(r.wallMs / 1000).toFixed(2)} s`,
      `${(r.cpuMs / 1000).toFixed(2)} s`,
      `${(r.maxRssKiB / 1024).toFixed(0)} MiB`,
    ];
    console.log(`| ${line.join(' | ')} |`);
  }
  timers.forEach(clearInterval);
  server.closeAllConnections();
  other.closeAllConnections();
  server.close();
  other.close();
  rmSync(dir, { recursive: true, force: true });
}

if (process.argv[2] === '--child') {
  void child(process.argv.slice(3)).then(() => process.exit(0));
} else {
  void main().then(() => process.exit(0));
}

/**
 * `npx tsx scripts/reliability-table.ts [--only REGEX]`: runs each hostile input in a child process of its own and prints a table
 * of input, size, result (typed error name and message, or exit code and message for the CLI), wall time, CPU time
 * and the child's peak RSS (`process.resourceUsage().maxRSS`).
 *
 * Inputs are generated here (nothing large is kept in the repository): gzipped protobufs that inflate to hundreds
 * of MB of repeated cheap fields, a 4 GiB gzip bomb, a goroutine profile with 150,000 inline lines, goroutine text
 * (a `\U` label escape, a truncated dump, escape sequences in names), Grafana Pyroscope answers (deep nesting, huge
 * numbers, 200k root nodes, 150k points, impossible flame graph totals), data source path parts, and HTTP targets on
 * loopback ports (a 2 GB body, a body trickling a byte a second, a redirect loop, a redirect to another host) read by
 * the CLI and by the data source's transport (BackendSrv.chunked as Grafana hands it over, here over Node's http).
 * The files are written before the children start, so each child's peak RSS is its own parsing only.
 */
import { spawn } from 'child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { createServer, Server } from 'http';
import { AddressInfo } from 'net';
import { tmpdir } from 'os';
import { join } from 'path';
import { constants, deflateRawSync, gzipSync } from 'zlib';

import type { BackendSrv } from '@grafana/runtime';
import { lastValueFrom } from 'rxjs';

import { snapshotFromProfile } from '../src/core/analysis/goroutines/fromProfile';
import { snapshotFromText } from '../src/core/analysis/goroutines/fromText';
import { isInputError } from '../src/core/errors';
import { decodeFlameGraph } from '../src/core/wire/pyroscopeFlamegraph';
import { parsePyroscopeJson } from '../src/core/wire/pyroscopeJson';
import { pyroscopeProfileToWire } from '../src/core/wire/pyroscopeProfile';
import { decodeSeries } from '../src/core/wire/pyroscopeQuerier';
import { safeEndpoint, safePath } from '../src/datasource/transport/paths';
import { createBackendSrv } from '../tests/support/backendSrvStandIn';
import { nodeStreamingTransport } from '../tests/support/nodeStreamingTransport';
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

/** Control characters other than tab and newline: what reaches a terminal as an escape sequence. */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** In-process cases: the product's entry point for that input, on the file's bytes. */
const CASES: Record<string, (bytes: Uint8Array) => string | Promise<string>> = {
  'debug2-text': (bytes) => {
    const s = snapshotFromText(new TextDecoder().decode(bytes));
    return `ok: ${s.total} goroutine(s), truncated: ${s.truncated}; ${s.warnings.join('; ').slice(0, 160)}`;
  },
  'pyroscope-flamegraph': (bytes) => {
    const rows = decodeFlameGraph(parsePyroscopeJson(new TextDecoder().decode(bytes)).flamegraph);
    return `ok: ${rows.names.length} names`;
  },
  'pyroscope-profile': (bytes) => {
    const text = new TextDecoder().decode(bytes);
    pyroscopeProfileToWire(parsePyroscopeJson(text), text.length);
    return 'ok';
  },
  'pyroscope-series': (bytes) => {
    const series = decodeSeries(parsePyroscopeJson(new TextDecoder().decode(bytes)));
    return `ok: ${series.length} series, ${series.reduce((n, x) => n + x.values.length, 0)} points`;
  },
  baseline: () => 'ok: nothing parsed',
  paths: (bytes) => {
    const refused: string[] = [];
    for (const part of new TextDecoder().decode(bytes).split('\n')) {
      const [kind, value] = part.split('\t');
      try {
        if (kind === 'endpoint') {
          safeEndpoint(value);
        } else {
          safePath('path prefix', value);
        }
      } catch (error) {
        refused.push(`${(error as Error).name} (${value})`);
        continue;
      }
      return `ACCEPTED ${kind} ${JSON.stringify(value)}`;
    }
    return `all ${refused.length} refused: ${refused.join(', ')}`;
  },
};

/** In the child: run one row and print its result as one JSON line. */
async function child(argv: string[]): Promise<void> {
  const [what, ...rest] = argv;
  let result: string;
  try {
    if (what === 'goprof') {
      let stderr = '';
      const code = await goprof(rest, { stdout: () => undefined, stderr: (t) => (stderr += t) });
      result = `exit ${code}: ${stderr.trim().split('\n')[0].slice(0, 220)}`;
    } else if (what === 'goprof-stdout') {
      let out = '';
      const write = (t: string) => (out += t);
      const code = await goprof(rest, { stdout: write, stderr: write });
      const controls = out.match(CONTROL)?.length ?? 0;
      const shown = out.includes('\\x1b') || out.includes('\\u001b') ? ', escapes shown as text' : '';
      const firstLine =
        out
          .trim()
          .split('\n')
          .find((l) => /goprof:|note:/.test(l)) ?? '';
      result = `exit ${code}: ${out.length} chars of output, ${controls} control characters${shown}; ${firstLine.trim().slice(0, 160)}`;
    } else if (what === 'datasource') {
      // The data source's transport as in Grafana: BackendSrv.chunked() over the network, default 64 MB limit.
      // @grafana/runtime needs a browser to load; the transport uses only its BackendSrv accessors and config.
      let backendSrv: BackendSrv = createBackendSrv(rest[0], nodeStreamingTransport);
      const runtime = require.resolve('@grafana/runtime');
      require.cache[runtime] = {
        id: runtime,
        filename: runtime,
        loaded: true,
        exports: {
          getBackendSrv: () => backendSrv,
          setBackendSrv: (srv: BackendSrv) => (backendSrv = srv),
          config: { bootData: { user: {} } },
          isFetchError: (e: unknown) => typeof e === 'object' && e !== null && 'status' in e && 'data' in e,
        },
      } as unknown as NodeJS.Module;
      const { fetchBinary } =
        require('../src/datasource/transport/proxyFetch') as typeof import('../src/datasource/transport/proxyFetch');
      const bounds = { maxProfileBytes: 64 * MiB, timeout: Number(rest[2] ?? 30) };
      const response = await lastValueFrom(fetchBinary('', { path: rest[1] }, bounds));
      result = `ok: ${response.bytes} bytes`;
    } else if (what === 'case') {
      result = await CASES[rest[0]](new Uint8Array(readFileSync(rest[1])));
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
    if (error && typeof error === 'object' && 'status' in error && !(error instanceof Error)) {
      error = new Error(`HTTP ${(error as { status: number }).status}`);
    }
    const typed =
      isInputError(error) || ['LimitExceededError', 'DeadlineExceededError'].includes(String((error as Error)?.name));
    result = isInputError(error)
      ? `${error.name}: ${error.describe().slice(0, 220)}`
      : `${typed ? '' : 'UNTYPED '}${(error as Error).name}: ${(error as Error).message.slice(0, 200)}`;
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
  const finalBlock = new Uint8Array(deflateRawSync(new Uint8Array(0)));
  file(
    'bomb-declared.pb.gz',
    gzipBomb(zero, finalBlock, 64, 2 ** 32 - 1),
    'gzip bomb, 4 GiB of zeros, trailer declares 4 GiB (built-in gunzip)',
    (p) => ['parse', p],
    4 * 2 ** 30
  );
  const bomb = gzipBomb(zero, finalBlock, 64, 0);
  file(
    'bomb.pb.gz',
    bomb,
    'gzip bomb, 4 GiB of zeros, trailer 0 (= 4 GiB mod 2^32) (built-in gunzip)',
    (p) => ['parse', p],
    4 * 2 ** 30
  );
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

  const text = (name: string, content: string, input: string, argv: (path: string) => string[]) =>
    file(name, new TextEncoder().encode(content), input, argv);
  const dump = readFileSync(join(__dirname, '../fixtures/demo/alloc-conversion/goroutine.debug2.txt'), 'utf8');
  text('truncated.debug2.txt', dump.slice(0, 137), 'first 137 bytes of a 13-goroutine debug=2 dump', (p) => [
    'case',
    'debug2-text',
    p,
  ]);
  text(
    'escapes.debug2.txt',
    dump.replace(/main\./g, 'main.\u001b]0;pwned\u0007\u001b[2J\u001b]8;;http://x\u0007'),
    'escape sequences (window title, clear screen, OSC 8 link) in every `main.` name of a dump, `goprof analyze`',
    (p) => ['goprof-stdout', 'analyze', p]
  );
  text('baseline.txt', '', 'baseline: a child that parses nothing (loading the sources)', (p) => [
    'case',
    'baseline',
    p,
  ]);
  const deep = (levels: number) => `${'['.repeat(levels)}1${']'.repeat(levels)}`;
  text(
    'deep.pyroscope.json',
    `{"flamegraph":{"names":${deep(100_000)},"levels":[]}}`,
    'Pyroscope flame graph, `names` a list nested 100,000 deep',
    (p) => ['case', 'pyroscope-flamegraph', p]
  );
  text(
    'deep-number.pyroscope.json',
    `{"sampleType":[{"type":0,"unit":0}],"timeNanos":${deep(100_000)}}`,
    'Pyroscope profile, `timeNanos` a list nested 100,000 deep',
    (p) => ['case', 'pyroscope-profile', p]
  );
  text(
    'time1e21.pyroscope.json',
    '{"sampleType":[{"type":1,"unit":2}],"stringTable":["","cpu","nanoseconds"],"timeNanos":1e21}',
    'Pyroscope profile, `"timeNanos":1e21`',
    (p) => ['case', 'pyroscope-profile', p]
  );
  const roots = 200_000;
  text(
    'roots.pyroscope.json',
    JSON.stringify({
      flamegraph: {
        names: ['total', 'f'],
        levels: [
          { values: ['0', String(roots), '0', '0'] },
          { values: new Array(roots).fill(['0', '1', '1', '1']).flat() },
        ],
        total: String(roots),
        maxSelf: '1',
      },
    }),
    'Pyroscope flame graph, 200,000 nodes under the root',
    (p) => ['case', 'pyroscope-flamegraph', p]
  );
  text(
    'impossible.pyroscope.json',
    JSON.stringify({
      flamegraph: {
        names: ['total', 'f', 'g'],
        levels: [{ values: ['0', '10', '0', '0'] }, { values: ['0', '8', '0', '1', '0', '8', '9', '2'] }],
        total: '10',
        maxSelf: '9',
      },
    }),
    'Pyroscope flame graph, children summing over the parent, self > total',
    (p) => ['case', 'pyroscope-flamegraph', p]
  );
  const points = 150_000;
  text(
    'series.pyroscope.json',
    JSON.stringify({
      series: [
        {
          labels: [{ name: 'service_name', value: 'x' }],
          points: Array.from({ length: points }, (_, i) => ({ value: 1, timestamp: String(1.7e12 + i * 1000) })),
        },
      ],
    }),
    'Pyroscope SelectSeries, 150,000 points in one piece',
    (p) => ['case', 'pyroscope-series', p]
  );
  text(
    'paths.txt',
    [
      'endpoint\t$word',
      'endpoint\t../../api/admin/users',
      'endpoint\theap/../../x',
      'path\t/svc/..;/admin',
      'path\t/svc/%252e%252e/admin',
      'path\t/svc/%2e%2e/admin',
      'path\t/svc/..%2F..%2Fadmin',
    ].join('\n'),
    'data source path parts: leftover `$word`, `../`, `..;/`, `%252e%252e`, `%2e%2e`, `..%2F`',
    (p) => ['case', 'paths', p]
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
        .writeHead(302, {
          Location: path.startsWith('/loop-a') ? '/loop-b/debug/pprof/heap' : '/loop-a/debug/pprof/heap',
        })
        .end();
    } else if (path.startsWith('/escape-body')) {
      res.writeHead(500).end('\u001b]0;pwned\u0007\u001b[2Jprofiling failed\u001b]8;;http://x\u0007');
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
  rows.push({
    id: 'http-escapes',
    input: 'HTTP 500 whose body holds escape sequences, `goprof analyze`',
    argv: ['goprof-stdout', 'analyze', `${url}/escape-body`, '--profile', 'heap'],
    size: 'HTTP',
  });
  const viaDataSource = (id: string, input: string, path: string, timeout?: number) =>
    rows.push({ id, input, argv: ['datasource', url, path, ...(timeout ? [String(timeout)] : [])], size: 'HTTP' });
  viaDataSource('ds-declared', 'data source: 2 GB body, Content-Length declared', '/huge-declared');
  viaDataSource('ds-chunked', 'data source: 2 GB body, chunked', '/huge-chunked');
  viaDataSource('ds-trickle', 'data source: body trickling 1 byte/s (timeout 5 s)', '/trickle', 5);

  const header = ['input', 'size', 'result', 'wall', 'CPU', 'peak RSS'];
  console.log(`| ${header.join(' | ')} |`);
  console.log(`| ${header.map(() => '---').join(' | ')} |`);
  // Quick rows first; the ones that inflate hundreds of MB last.
  const quick = ['goprof', 'goprof-stdout', 'case', 'datasource'];
  const order = (r: Row) =>
    quick.includes(r.argv[0]) || r.id.startsWith('inline') ? 0 : r.id.startsWith('bomb') ? 1 : 2;
  // `--only REGEX`: just the rows whose file or id matches.
  const onlyAt = process.argv.indexOf('--only');
  const only = onlyAt > 0 ? new RegExp(process.argv[onlyAt + 1]) : undefined;
  for (const row of [...rows].sort((a, b) => order(a) - order(b)).filter((r) => !only || only.test(r.id))) {
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

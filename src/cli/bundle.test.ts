/**
 * The prebuilt `goprof` bundles (scripts/build-cli.mjs → dist-cli/goprof.js and one per command) behave exactly as
 * the TypeScript sources they are built from: bin/goprof.js runs them when they are fresh (with V8's code caches made
 * by the build), the sources through tsx otherwise.
 */
import { spawnSync } from 'child_process';
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { fixturePath, fixturesRoot } from '../../tests/support/fixtures';

const root = resolve(__dirname, '..', '..');
const bin = join(root, 'bin', 'goprof.js');

function goprof(args: string[], fromSource: boolean): { code: number; stdout: string; stderr: string } {
  const env = { ...process.env };
  delete env.GOPROF_FROM_SOURCE;
  if (fromSource) {
    env.GOPROF_FROM_SOURCE = '1';
  }
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env, timeout: 120_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  const build = spawnSync(process.execPath, [join(root, 'scripts', 'build-cli.mjs')], { encoding: 'utf8' });
  expect(build.stderr).toBe('');
  expect(build.status).toBe(0);
}, 120_000);

describe('goprof bundle', () => {
  it('is self-contained files with no tsx loader and no source map', () => {
    const files = readdirSync(join(root, 'dist-cli'));
    expect(files.filter((f) => f.endsWith('.js')).sort()).toEqual([
      'analyze.js',
      'diagnose.js',
      'goprof.js',
      'pyroscope.js',
    ]);
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
    for (const file of files.filter((f) => f.endsWith('.js'))) {
      const text = readFileSync(join(root, 'dist-cli', file), 'utf8');
      expect(text).not.toMatch(/sourceMappingURL/);
      // Node built-ins and the command bundles beside it, nothing from node_modules.
      const required = [...text.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]);
      expect(required.filter((id) => !['fs', 'path'].includes(id) && !/^\.\/\w+\.js$/.test(id))).toEqual([]);
    }
  });

  it('lists every CLI and core source it was built from, for the freshness check', () => {
    const inputs = JSON.parse(readFileSync(join(root, 'dist-cli', 'inputs.json'), 'utf8')) as string[];
    expect(inputs).toEqual(expect.arrayContaining(['src/cli/main.ts', 'src/cli/analyze.ts', 'src/cli/diagnose.ts']));
    expect(inputs.some((p) => p.startsWith('src/core/'))).toBe(true);
    expect(inputs.every((p) => !p.includes('node_modules'))).toBe(true);
    expect(inputs.filter((p) => !existsSync(join(root, p)))).toEqual([]); // a missing one would mean "stale"
  });

  it('is what bin/goprof.js runs once built, each command from its own bundle, and the sources run on request', () => {
    const env: NodeJS.ProcessEnv = { ...process.env, GOPROF_TRACE_LOADER: '1' };
    delete env.GOPROF_FROM_SOURCE;
    const help = spawnSync(process.execPath, [bin, '--help'], { encoding: 'utf8', env });
    expect(help.stderr).toBe('goprof: running the bundle\ngoprof: goprof.js code cache used\n');
    const analyze = spawnSync(process.execPath, [bin, 'analyze', fixturePath('gc-pressure', 'cpu.pb.gz')], {
      encoding: 'utf8',
      env,
    });
    expect(analyze.stderr).toBe(
      'goprof: running the bundle\ngoprof: goprof.js code cache used\ngoprof: analyze.js code cache used\n'
    );
    const diagnoseHelp = spawnSync(process.execPath, [bin, 'diagnose', '--help'], { encoding: 'utf8', env });
    expect(diagnoseHelp.stderr).toBe(
      'goprof: running the bundle\ngoprof: goprof.js code cache used\ngoprof: diagnose.js code cache used\n'
    );
    const sources = spawnSync(process.execPath, [bin, '--help'], {
      encoding: 'utf8',
      env: { ...env, GOPROF_FROM_SOURCE: '1' },
    });
    expect(sources.stderr).toBe('goprof: running the sources through tsx\n');
  });

  it('offers V8 a code cache only when it is not older than the bundle', () => {
    const env: NodeJS.ProcessEnv = { ...process.env, GOPROF_TRACE_LOADER: '1' };
    delete env.GOPROF_FROM_SOURCE;
    const bundle = join(root, 'dist-cli', 'goprof.js');
    const cache = `${bundle}.cache`;
    const cacheTime = statSync(cache).mtime;
    try {
      // The bundle rebuilt after the cache was made (V8 itself checks only the source's length).
      utimesSync(cache, new Date(statSync(bundle).mtimeMs - 60_000), new Date(statSync(bundle).mtimeMs - 60_000));
      const stale = spawnSync(process.execPath, [bin, '--help'], { encoding: 'utf8', env });
      expect(stale.stderr).toBe('goprof: running the bundle\ngoprof: goprof.js code cache absent\n');
      expect(stale.status).toBe(0);
    } finally {
      utimesSync(cache, cacheTime, cacheTime);
    }
  });

  it('runs from an installed package that ships the bundles without the sources or tsx', () => {
    // What `npm pack` ships (its scripts skipped: the bundles are already built).
    const pack = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' });
    expect(pack.status).toBe(0);
    const shipped = (JSON.parse(pack.stdout) as Array<{ files: Array<{ path: string }> }>)[0].files.map((f) => f.path);
    expect(shipped).toEqual(expect.arrayContaining(['bin/goprof.js', 'dist-cli/goprof.js', 'dist-cli/analyze.js']));
    expect(shipped.filter((p) => p.startsWith('src/') || p.startsWith('node_modules/'))).toEqual([]);
    const installed = mkdtempSync(join(tmpdir(), 'goprof-installed-'));
    try {
      for (const file of shipped) {
        cpSync(join(root, file), join(installed, file), { preserveTimestamps: true });
      }
      const env: NodeJS.ProcessEnv = { ...process.env, GOPROF_TRACE_LOADER: '1' };
      delete env.GOPROF_FROM_SOURCE;
      const args = ['analyze', fixturePath('gc-pressure', 'heap.pb.gz'), '--top', '5'];
      const r = spawnSync(process.execPath, [join(installed, 'bin', 'goprof.js'), ...args], { encoding: 'utf8', env });
      expect(r.stderr).toBe(
        'goprof: running the bundle\ngoprof: goprof.js code cache used\ngoprof: analyze.js code cache used\n'
      );
      expect(r.stdout).toBe(goprof(args, true).stdout);
      expect(r.status).toBe(0);
    } finally {
      rmSync(installed, { recursive: true, force: true });
    }
  });

  it('loads no streams, zlib, worker threads or promise file API for --help, no promise file API for a small file', () => {
    // The Node built-ins a command loads beyond Node's own start, as listed by process.moduleLoadList.
    const loadedBy = (args: string[]) => {
      const dir = mkdtempSync(join(tmpdir(), 'goprof-builtins-'));
      const probe = join(dir, 'probe.js');
      writeFileSync(
        probe,
        `const before = new Set(process.moduleLoadList);
process.on('exit', () => {
  const loaded = process.moduleLoadList.filter((m) => !before.has(m)).join('\\n');
  require('fs').writeSync(2, loaded); // not process.stderr, which would load Node's streams itself
});`
      );
      const env: NodeJS.ProcessEnv = { ...process.env };
      delete env.GOPROF_FROM_SOURCE;
      const r = spawnSync(process.execPath, ['-r', probe, bin, ...args], { encoding: 'utf8', env });
      rmSync(dir, { recursive: true, force: true });
      expect(r.status).toBe(0);
      return r.stderr.split('\n');
    };
    const help = loadedBy(['--help']);
    expect(help).toContain('NativeModule vm'); // the probe sees what the bundle loads
    expect(help).not.toContain('NativeModule stream'); // stdout is a pipe here: not even for writing the help
    expect(help).not.toContain('NativeModule net');
    expect(help).not.toContain('NativeModule zlib');
    expect(help).not.toContain('NativeModule worker_threads');
    expect(help).not.toContain('NativeModule fs/promises');
    const analyze = loadedBy(['analyze', fixturePath('gc-pressure', 'cpu.pb.gz')]);
    expect(analyze).toContain('NativeModule zlib');
    expect(analyze).not.toContain('NativeModule worker_threads');
    expect(analyze).not.toContain('NativeModule fs/promises');
  });

  it.each([
    ['a CPU profile as JSON', ['analyze', fixturePath('busy-select', 'cpu.pb.gz'), '--json']],
    ['a heap profile as text', ['analyze', fixturePath('gc-pressure', 'heap.pb.gz'), '--top', '5']],
    ['a goroutine dump', ['analyze', fixturePath('goroutine-leak', 'goroutine.debug2.txt')]],
    ['a goroutine profile', ['analyze', fixturePath('goroutine-leak', 'goroutine.pb.gz'), '--json']],
    ['a usage error', ['analyze', '--top', 'x']],
    ['a diagnosis of capture files', ['diagnose', join(fixturesRoot, 'demo', 'mutex-contention'), '--json']],
    ['a Pyroscope usage error', ['diagnose', '--pyroscope', 'not-a-url']],
  ])(
    'prints the same output and exit code as the sources for %s',
    (_name, args) => {
      const fromBundle = goprof(args, false);
      const fromSource = goprof(args, true);
      expect(fromBundle).toEqual(fromSource);
    },
    120_000
  );
});

/**
 * The compose stack runs current releases: Grafana 13 by default (overridable down to the oldest Grafana the plugin
 * declares, 12.3), Pyroscope 2.x and Prometheus 3.x. Defaults are read from the `${VAR:-default}` substitutions, and
 * `docker-compose config` (Debian's docker-compose, when installed) shows what an override resolves to.
 */
import { spawnSync } from 'child_process';
import { readFileSync } from 'fs';
import { load } from 'js-yaml';
import { join } from 'path';

import { repoRoot } from '../support/fixtures';

const compose = load(readFileSync(join(repoRoot, 'docker-compose.yaml'), 'utf8')) as any;
const plugin = JSON.parse(readFileSync(join(repoRoot, 'src', 'plugin.json'), 'utf8'));

/** Major and minor of a version tag (`13.2.3`, `v3.16.0`). */
function majorMinor(tag: string): [number, number] {
  const m = /^v?(\d+)\.(\d+)/.exec(tag);
  if (!m) {
    throw new Error(`not a version tag: ${tag}`);
  }
  return [Number(m[1]), Number(m[2])];
}

/** `${NAME:-default}` → { name, fallback }. */
function substitution(value: string) {
  const m = /^(.*)\$\{(\w+):-([^}]+)\}$/.exec(value);
  if (!m) {
    throw new Error(`not a \${VAR:-default} value: ${value}`);
  }
  return { prefix: m[1], name: m[2], fallback: m[3] };
}

describe('docker-compose.yaml versions', () => {
  it('runs Grafana 13 by default, overridable with GRAFANA_VERSION', () => {
    const version = substitution(compose.services.grafana.build.args.grafana_version);
    expect(version.name).toBe('GRAFANA_VERSION');
    expect(majorMinor(version.fallback)[0]).toBe(13);
    // At or above the oldest Grafana the plugin declares (`>=12.3.0`).
    const [minMajor, minMinor] = majorMinor(plugin.dependencies.grafanaDependency.replace(/^>=/, ''));
    const [major, minor] = majorMinor(version.fallback);
    expect(major > minMajor || (major === minMajor && minor >= minMinor)).toBe(true);
  });

  it('runs Pyroscope 2.x and Prometheus 3.x by default, each overridable', () => {
    const pyroscope = substitution(compose.services.pyroscope.image);
    expect(pyroscope).toMatchObject({ prefix: 'grafana/pyroscope:', name: 'PYROSCOPE_VERSION' });
    expect(majorMinor(pyroscope.fallback)[0]).toBeGreaterThanOrEqual(2);
    const prometheus = substitution(compose.services.prometheus.image);
    expect(prometheus).toMatchObject({ prefix: 'prom/prometheus:', name: 'PROMETHEUS_VERSION' });
    expect(majorMinor(prometheus.fallback)[0]).toBeGreaterThanOrEqual(3);
  });

  const dockerCompose = spawnSync('docker-compose', ['version'], { encoding: 'utf8' });
  (dockerCompose.status === 0 ? it : it.skip)(
    'resolves GRAFANA_VERSION=12.3.0 into the Grafana build (docker-compose config)',
    () => {
      const result = spawnSync('docker-compose', ['-f', 'docker-compose.yaml', 'config'], {
        cwd: repoRoot,
        encoding: 'utf8',
        env: { ...process.env, GRAFANA_VERSION: '12.3.0' },
      });
      expect(result.status).toBe(0);
      const resolved = load(result.stdout) as any;
      expect(resolved.services.grafana.build.args.grafana_version).toBe('12.3.0');
      expect(resolved.services.grafana.build.args.grafana_image).toBe('grafana-enterprise');
    }
  );
});

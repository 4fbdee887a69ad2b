/**
 * Provisioning is the user's way in ("provision all of it from YAML"): every file must parse, point at our plugin
 * IDs, and agree with the compose stack that mounts it. The compose file itself is validated by docker-compose's own
 * `config` command (Debian package docker-compose) when it is installed, and structurally otherwise.
 */
import { spawnSync } from 'child_process';
import { readdirSync, readFileSync } from 'fs';
import { load } from 'js-yaml';
import { join } from 'path';

import { repoRoot } from '../support/fixtures';

interface ProvisionedDatasource {
  name: string;
  uid: string;
  type: string;
  access: string;
  url: string;
  jsonData?: Record<string, unknown>;
}

const yamlFiles = (dir: string) =>
  readdirSync(join(repoRoot, 'provisioning', dir))
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => join(repoRoot, 'provisioning', dir, f));
const readYaml = (path: string) => load(readFileSync(path, 'utf8')) as any;

const datasources: ProvisionedDatasource[] = yamlFiles('datasources').flatMap((f) => readYaml(f).datasources);
const compose = readYaml(join(repoRoot, 'docker-compose.yaml'));

describe('provisioning/', () => {
  it('enables the app by its plugin id', () => {
    const apps = yamlFiles('plugins').flatMap((f) => readYaml(f).apps);
    expect(apps).toEqual([expect.objectContaining({ type: 'seed-goruntime-app', disabled: false })]);
  });

  it('provisions a pprof-mode and a Pyroscope-mode data source of our type and Prometheus, with fixed unique uids', () => {
    const ours = datasources.filter((d) => d.type === 'seed-goruntime-datasource');
    expect(ours.map((d) => d.jsonData?.mode).sort()).toEqual(['pprof', 'pyroscope']);
    expect(datasources.some((d) => d.type === 'prometheus')).toBe(true);
    const uids = datasources.map((d) => d.uid);
    expect(uids.every(Boolean)).toBe(true);
    expect(new Set(uids).size).toBe(uids.length);
    // Frontend-only: credentials stay server-side only when Grafana proxies the requests.
    expect(ours.every((d) => d.access === 'proxy')).toBe(true);
  });

  it('points every data source at a service the compose stack runs, on the port it listens on', () => {
    for (const ds of datasources) {
      const { hostname, port } = new URL(ds.url);
      const service = compose.services[hostname];
      expect({ ds: ds.uid, service: Boolean(service) }).toEqual({ ds: ds.uid, service: true });
      const published = (service.ports ?? []).map((p: string) => p.split(':')[1].split('/')[0]);
      expect(published).toContain(port);
    }
  });
});

describe('docker-compose.yaml', () => {
  it('runs Grafana, the demo service, Prometheus and Pyroscope, each with a healthcheck', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['demo', 'grafana', 'prometheus', 'pyroscope']);
    for (const [name, service] of Object.entries<any>(compose.services)) {
      expect({ name, test: Array.isArray(service.healthcheck?.test) }).toEqual({ name, test: true });
    }
    expect(compose.services.grafana.environment.GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS.split(',').sort()).toEqual([
      'seed-goruntime-app',
      'seed-goruntime-datasource',
      'seed-goruntime-panel',
    ]);
    expect(compose.services.demo.build.context).toBe('demo');
    expect(compose.services.demo.healthcheck.test).toContain('-healthcheck');
  });

  it('Prometheus scrapes the demo service', () => {
    const prometheus = readYaml(join(repoRoot, 'docker', 'prometheus.yml'));
    const targets = prometheus.scrape_configs.flatMap((c: any) => c.static_configs.flatMap((s: any) => s.targets));
    expect(targets).toContain('demo:6060');
  });

  const dockerCompose = spawnSync('docker-compose', ['version'], { encoding: 'utf8' });
  (dockerCompose.status === 0 ? it : it.skip)('passes `docker-compose config` (schema and extends resolution)', () => {
    const result = spawnSync('docker-compose', ['-f', 'docker-compose.yaml', 'config', '--quiet'], {
      cwd: repoRoot,
      encoding: 'utf8',
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
  if (dockerCompose.status !== 0) {
    console.log('docker-compose not installed (apt-get install docker-compose): compose schema check skipped');
  }
});

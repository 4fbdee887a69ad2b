/**
 * @jest-environment jsdom
 */
/**
 * The provisioned dashboards, checked twice:
 * - offline: JSON parses, panel types are Grafana's or ours, every datasource uid is provisioned, and every query of
 *   our data source passes the same migration and validation the query editor uses;
 * - live: every such query runs through the data source class and the data-proxy stand-in against the real demo
 *   service (pprof mode) and returns non-empty frames. The Pyroscope-mode panel runs against the Pyroscope stand-in
 *   (tests/support/pyroscopeFake.ts: the documented Connect JSON shapes filled from real captures), since no
 *   Pyroscope server runs here.
 */
import { GrafanaStandIn, instanceSettings, queryRequest, startGrafana, templateSrv } from '../support/grafanaRuntime';

import { DataFrame, DataQueryResponse } from '@grafana/data';
import { readFileSync, readdirSync } from 'fs';
import { load } from 'js-yaml';
import { join } from 'path';
import { filter, firstValueFrom, Observable } from 'rxjs';

import { GoRuntimeDataSource } from '../../src/datasource/datasource';
import { migrateQuery } from '../../src/datasource/query/migrate';
import { validateQuery } from '../../src/datasource/query/validate';
import type { GoRuntimeOptions, GoRuntimeQuery, TargetMode } from '../../src/datasource/types';
import { DemoService, setScenario, startDemoService } from '../support/demoService';
import { repoRoot } from '../support/fixtures';
import { FakePyroscope, startFakePyroscope } from '../support/pyroscopeFake';

jest.setTimeout(120_000);

const OUR_TYPE = 'seed-goruntime-datasource';
const dir = join(repoRoot, 'provisioning', 'dashboards');
const dashboards = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .map((file) => ({ file, json: JSON.parse(readFileSync(join(dir, file), 'utf8')) }));
const provisioned: Array<{ uid: string; type: string; jsonData?: GoRuntimeOptions }> = readdirSync(
  join(repoRoot, 'provisioning', 'datasources')
).flatMap((f) => (load(readFileSync(join(repoRoot, 'provisioning', 'datasources', f), 'utf8')) as any).datasources);
const modeOf = (uid: string): TargetMode =>
  (provisioned.find((d) => d.uid === uid)?.jsonData?.mode ?? 'pprof') as TargetMode;

interface Panel {
  id: number;
  type: string;
  title: string;
  datasource?: { uid: string; type: string };
  targets?: Array<GoRuntimeQuery & { datasource?: { uid: string; type: string } }>;
}
const panelsOf = (json: { panels: Panel[] }) => json.panels;
const ourTargets = dashboards.flatMap(({ file, json }) =>
  panelsOf(json).flatMap((panel) =>
    (panel.targets ?? [])
      .filter((t) => (t.datasource ?? panel.datasource)?.type === OUR_TYPE)
      .map((target) => ({ file, panel, target, uid: (target.datasource ?? panel.datasource)!.uid }))
  )
);

describe('provisioning/dashboards (offline)', () => {
  it('has a provider pointing at the folder the compose stack mounts', () => {
    const provider = (load(readFileSync(join(dir, 'dashboards.yaml'), 'utf8')) as any).providers[0];
    expect(provider.type).toBe('file');
    expect(provider.options.path).toBe('/etc/grafana/provisioning/dashboards');
  });

  it.each(dashboards.map((d) => [d.file, d.json] as const))(
    '%s uses known panel types and provisioned data sources',
    (_f, json) => {
      const known = ['timeseries', 'flamegraph', 'heatmap', 'table', 'stat', 'seed-goruntime-panel'];
      const uids = new Set(provisioned.map((d) => d.uid));
      expect(json.uid).toBeTruthy();
      for (const panel of panelsOf(json)) {
        expect({ panel: panel.title, known: known.includes(panel.type) }).toEqual({ panel: panel.title, known: true });
        for (const ref of [panel.datasource, ...(panel.targets ?? []).map((t) => t.datasource)].filter(Boolean)) {
          expect({ panel: panel.title, uid: ref!.uid, provisioned: uids.has(ref!.uid) }).toEqual({
            panel: panel.title,
            uid: ref!.uid,
            provisioned: true,
          });
          expect(provisioned.find((d) => d.uid === ref!.uid)!.type).toBe(ref!.type);
        }
      }
    }
  );

  it('puts our panel beside the Prometheus CPU, latency, goroutine and GC panels with a shared crosshair and a service variable', () => {
    const main = dashboards.find((d) => d.json.uid === 'goruntime-overview')!.json;
    expect(main.graphTooltip).toBe(1);
    expect(main.templating.list.map((v: { name: string }) => v.name)).toContain('service');
    const exprs = panelsOf(main).flatMap((p) => (p.targets ?? []).map((t: any) => t.expr).filter(Boolean));
    for (const metric of [
      'process_cpu_seconds_total',
      'http_request_duration_seconds_bucket',
      'go_goroutines',
      'go_gc_duration_seconds',
    ]) {
      expect(exprs.some((e: string) => e.includes(metric) && e.includes('$service'))).toBe(true);
    }
    expect(panelsOf(main).filter((p) => p.type === 'seed-goruntime-panel')).toHaveLength(2);
  });

  it('lets $service drive the profiles panel and the findings annotations, as it drives the Prometheus panels', () => {
    const main = dashboards.find((d) => d.json.uid === 'goruntime-overview')!.json;
    const byService = panelsOf(main).find((p) => p.type === 'seed-goruntime-panel' && p.title.includes('$service'))!;
    expect(byService.datasource?.uid).toBe('goruntime-pyroscope');
    expect(byService.targets!.map((t) => t.labelSelector)).toEqual([
      '{service_name="$service"}',
      '{service_name="$service"}',
      '{service_name="$service"}',
    ]);
    const [findings] = main.annotations.list;
    expect(findings.datasource.uid).toBe('goruntime-pyroscope');
    expect(findings.target).toMatchObject({ queryType: 'findings', labelSelector: '{service_name="$service"}' });
    // The variable's values (Prometheus `service` label) are Pyroscope's service_name values (docker/prometheus.yml).
    expect(readFileSync(join(repoRoot, 'docker', 'prometheus.yml'), 'utf8')).toMatch(/service: goruntime-demo/);
  });

  it('uses Grafana’s native Flame Graph, Heatmap, Table and Time series panels on our frames in the second dashboard', () => {
    const native = dashboards.find((d) => d.json.uid === 'goruntime-native')!.json;
    expect(new Set(panelsOf(native).map((p) => p.type))).toEqual(
      new Set(['flamegraph', 'heatmap', 'table', 'timeseries'])
    );
  });

  it.each(ourTargets.map((t) => [`${t.file} / ${t.panel.title} / ${t.target.refId}`, t] as const))(
    '%s is a valid query for its data source',
    (_name, { target, uid }) => {
      expect(validateQuery(migrateQuery(target), modeOf(uid))).toEqual([]);
    }
  );
});

/** An answer worth judging: an error, or a frame with rows that is not a "still capturing" placeholder. */
function answered(r: DataQueryResponse): boolean {
  return (
    (r.errors?.length ?? 0) > 0 || (r.data as DataFrame[]).some((f) => f.length > 0 && !f.meta?.custom?.pending)
  );
}

describe('provisioning/dashboards (live)', () => {
  let demo: DemoService;
  let pyroscope: FakePyroscope;
  let grafana: GrafanaStandIn;

  beforeAll(async () => {
    demo = await startDemoService({ load: true });
    pyroscope = await startFakePyroscope();
    grafana = await startGrafana({
      'goruntime-demo-pprof': { url: demo.url, jsonData: { timeout: 30 } },
      'goruntime-pyroscope': { url: pyroscope.url },
    });
  }, 120_000);
  afterAll(async () => {
    await grafana?.close();
    await pyroscope?.close();
    await demo?.stop();
  });

  it.each(ourTargets.map((t) => [`${t.file} / ${t.panel.title} / ${t.target.refId}`, t] as const))(
    '%s returns non-empty frames',
    async (_name, { target, uid }) => {
      const jsonData = provisioned.find((d) => d.uid === uid)!.jsonData!;
      const ds = new GoRuntimeDataSource(instanceSettings(uid, jsonData, uid), {
        templateSrv: templateSrv({ service: 'goruntime-demo' }),
      });
      const { datasource: _ref, ...query } = target;
      // A healthy service rightly has no findings: give the findings query something to find.
      const scenario = query.queryType === 'findings' ? 'gc-pressure' : undefined;
      if (scenario) {
        await setScenario(demo.url, scenario, true);
      }
      // Pyroscope holds what agents pushed (every 15-30 s), so its panels read the dashboard's 15 minutes.
      const lastMs = modeOf(uid) === 'pyroscope' ? 15 * 60_000 : 2000;
      const result = ds.query(queryRequest([{ ...query, refId: query.refId }], { lastMs }));
      // Live queries stream while the dashboard is open (the first answers may say what is still being captured):
      // take the first emission that carries an error or a settled, non-empty frame.
      const response: DataQueryResponse =
        result instanceof Observable ? await firstValueFrom(result.pipe(filter(answered))) : await result;
      if (scenario) {
        await setScenario(demo.url, scenario, false);
      }
      expect(response.errors ?? []).toEqual([]);
      const frames = response.data as DataFrame[];
      expect(frames.length).toBeGreaterThan(0);
      expect(frames.some((f) => f.length > 0)).toBe(true);
    }
  );
});

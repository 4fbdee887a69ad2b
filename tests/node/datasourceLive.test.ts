/**
 * @jest-environment jsdom
 */
/**
 * The data source class against the real demo Go service, through the data-proxy stand-in, the way it runs in
 * Grafana (jsdom environment because @grafana/data needs `window`; see tests/support/grafanaRuntime.ts).
 * Every query type in pprof mode, live, with results checked against the scenario that is switched on.
 */
import { GrafanaStandIn, instanceSettings, queryRequest, startGrafana, templateSrv } from '../support/grafanaRuntime';

import { DataFrame, DataQueryResponse, LoadingState } from '@grafana/data';
import { lastValueFrom, Observable, take, toArray } from 'rxjs';

import { GoRuntimeDataSource } from '../../src/datasource/datasource';
import { framesToEvents } from '../../src/datasource/annotations/annotations';
import type { DiagnosisInputs } from '../../src/datasource/findings/seam';
import type { GoRuntimeOptions, GoRuntimeQuery } from '../../src/datasource/types';
import { DemoService, setScenario, startDemoService } from '../support/demoService';

jest.setTimeout(120_000);

let demo: DemoService;
let grafana: GrafanaStandIn;

function dataSource(jsonData: GoRuntimeOptions = { mode: 'pprof' }, uid = 'demo') {
  return new GoRuntimeDataSource(instanceSettings(uid, jsonData, 'Go demo'), { templateSrv: templateSrv() });
}

function run(ds: GoRuntimeDataSource, query: Partial<GoRuntimeQuery>, lastMs = 2000): Promise<DataQueryResponse> {
  return lastValueFrom(ds.query(queryRequest([{ refId: 'A', ...query }], { lastMs })));
}

function field(frame: DataFrame, name: string) {
  const f = frame.fields.find((x) => x.name === name);
  if (!f) {
    throw new Error(`no field ${name} in ${frame.fields.map((x) => x.name).join(', ')}`);
  }
  return f;
}

function labels(frame: DataFrame): string[] {
  const f = field(frame, 'label');
  const text = f.config.type?.enum?.text ?? [];
  return f.values.map((i: number) => text[i]);
}

beforeAll(async () => {
  demo = await startDemoService({ load: true });
  grafana = await startGrafana({ demo: { url: demo.url, jsonData: { timeout: 30 } } });
}, 120_000);

afterAll(async () => {
  await grafana?.close();
  await demo?.stop();
});

describe('flamegraph (pprof, live CPU)', () => {
  it('captures a CPU profile for the dashboard range and returns a nested-set flame frame', async () => {
    await setScenario(demo.url, 'clock-hot-path', true);
    try {
      const response = await run(dataSource(), { queryType: 'flamegraph', profileType: 'cpu' }, 2000);
      expect(response.errors).toBeUndefined();
      const [frame] = response.data as DataFrame[];
      expect(frame.meta?.preferredVisualisationType).toBe('flamegraph');
      expect(field(frame, 'value').config.unit).toBe('ns');
      const level = field(frame, 'level').values;
      const value = field(frame, 'value').values;
      expect(level[0]).toBe(0);
      expect(level.filter((l: number) => l === 0)).toHaveLength(1);
      expect(value[0]).toBeGreaterThan(0);
      expect(labels(frame)).toContain('time.Now');
      expect(frame.meta?.custom).toMatchObject({ source: 'pprof', profile: 'cpu', seconds: 2 });
      const self = field(frame, 'self').values as number[];
      const hottest = labels(frame)
        .map((l, i) => [l, self[i]] as const)
        .sort((a, b) => b[1] - a[1])
        .slice(0, 3);
      console.log(
        `flamegraph cpu (clock-hot-path): ${frame.length} rows, root ${value[0] / 1e6} ms CPU; hottest self: ${hottest.map(([l, v]) => `${l} ${v / 1e6} ms`).join(', ')}`
      );
      const captured = grafana.proxied.filter((r) => r.path.includes('/debug/pprof/profile'));
      expect(captured[captured.length - 1].path).toContain('seconds=2');
    } finally {
      await setScenario(demo.url, 'clock-hot-path', false);
    }
  });
});

describe('single-flight', () => {
  it('20 concurrent CPU flame graph queries make one upstream capture and get identical results', async () => {
    const ds = dataSource();
    const before = grafana.proxied.filter((r) => r.path.includes('/debug/pprof/profile')).length;
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => run(ds, { queryType: 'flamegraph', profileType: 'cpu' }, 2000))
    );
    const captures = grafana.proxied.filter((r) => r.path.includes('/debug/pprof/profile')).slice(before);
    expect(captures).toHaveLength(1);
    expect(captures[0].status).toBe(200);
    const fingerprints = responses.map((r) => {
      expect(r.errors).toBeUndefined();
      const frame = r.data[0] as DataFrame;
      return JSON.stringify([labels(frame), field(frame, 'value').values, field(frame, 'level').values]);
    });
    expect(new Set(fingerprints).size).toBe(1);
    console.log(
      `single-flight: 20 queries -> ${captures.length} upstream capture (${captures[0].path}), ${new Set(fingerprints).size} distinct result`
    );
  });
});

describe('cancellation', () => {
  it('unsubscribing aborts the capture at the proxy, so the next capture does not meet "already in use"', async () => {
    const ds = dataSource();
    const before = grafana.proxied.length;
    const subscription = (
      ds.query(
        queryRequest([{ refId: 'A', queryType: 'flamegraph', profileType: 'cpu', seconds: 8 } as GoRuntimeQuery], {
          lastMs: 8000,
        })
      ) as Observable<DataQueryResponse>
    ).subscribe();
    await new Promise((r) => setTimeout(r, 500));
    subscription.unsubscribe();
    await new Promise((r) => setTimeout(r, 300));
    const capture = grafana.proxied.slice(before).find((r) => r.path.includes('/debug/pprof/profile'))!;
    expect(capture.aborted).toBe(true);
    expect(capture.endedAt! - capture.startedAt).toBeLessThan(2000);
    const next = await run(ds, { queryType: 'flamegraph', profileType: 'cpu' }, 1000);
    expect(next.errors).toBeUndefined();
  });
});

function stream(
  ds: GoRuntimeDataSource,
  query: Partial<GoRuntimeQuery>,
  emissions: number,
  lastMs = 60_000
): Promise<DataQueryResponse[]> {
  return lastValueFrom(
    (ds.query(queryRequest([{ refId: 'A', ...query }], { lastMs })) as Observable<DataQueryResponse>).pipe(
      take(emissions),
      toArray()
    )
  );
}

function stateCount(frame: DataFrame, state: string, column: number): number {
  const states = frame.meta?.custom?.yOrdinalDisplay as string[];
  const n = states.length;
  return field(frame, 'count').values[column * n + states.indexOf(state)];
}

describe('top (pprof, live heap)', () => {
  it('lists functions by in-use bytes with self and total', async () => {
    const response = await run(dataSource(), { queryType: 'top', profileType: 'heap', limit: 5 });
    expect(response.errors).toBeUndefined();
    const [frame] = response.data as DataFrame[];
    expect(frame.fields.map((f) => f.name)).toEqual(['Function', 'Self', 'Self %', 'Total', 'Total %']);
    expect(frame.length).toBe(5);
    expect(field(frame, 'Self').config.unit).toBe('bytes');
    const self = field(frame, 'Self').values as number[];
    expect([...self].sort((a, b) => b - a)).toEqual(self);
    expect(frame.meta?.custom).toMatchObject({ source: 'pprof', profile: 'heap', sampleType: 'inuse_space' });
    console.log(
      'top heap:',
      field(frame, 'Function')
        .values.map((f: string, i: number) => `${f} ${self[i]}`)
        .join(' | ')
    );
  });
});

describe('diff (pprof, two live halves)', () => {
  it('compares the first half of the window with the second as a diff flame frame', async () => {
    const response = await run(dataSource(), { queryType: 'diff', profileType: 'cpu' }, 4000);
    expect(response.errors).toBeUndefined();
    const [frame] = response.data as DataFrame[];
    expect(frame.fields.map((f) => f.name)).toEqual(['level', 'value', 'self', 'label', 'valueRight', 'selfRight']);
    expect(field(frame, 'value').values[0]).toBeGreaterThan(0);
    expect(field(frame, 'valueRight').values[0]).toBeGreaterThan(0);
    const custom = frame.meta?.custom as { baselineWindow: { to: number }; window: { from: number } };
    console.log(
      `diff cpu: ${frame.length} rows, baseline ${field(frame, 'value').values[0] / 1e6} ms vs comparison ${field(frame, 'valueRight').values[0] / 1e6} ms`
    );
    expect(custom.baselineWindow.to).toBeLessThanOrEqual(custom.window.from + 1000);
  });
});

describe('goroutineStates (pprof, streaming)', () => {
  it('streams heatmap-cells frames whose leak states grow while the leak scenario runs', async () => {
    await setScenario(demo.url, 'goroutine-leak', true);
    try {
      const responses = await stream(
        dataSource(),
        { queryType: 'goroutineStates', profileType: 'goroutine', interval: '1s' },
        4
      );
      responses.forEach((r) => {
        expect(r.errors).toBeUndefined();
        expect(r.state).toBe(LoadingState.Streaming);
      });
      const last = responses[3].data[0] as DataFrame;
      expect(last.meta?.type).toBe('heatmap-cells');
      expect(last.fields.map((f) => f.name)).toEqual(['xMax', 'y', 'count']);
      const states = last.meta?.custom?.yOrdinalDisplay as string[];
      expect(last.length).toBe(4 * states.length);
      const blocked = (col: number) => stateCount(last, 'chan send', col) + stateCount(last, 'waitgroup', col);
      console.log('leak states per snapshot (chan send + waitgroup):', [0, 1, 2, 3].map(blocked).join(' -> '));
      expect(blocked(3)).toBeGreaterThan(blocked(0));
      // The first response carries a zero column so the heatmap can infer the cell width.
      expect((responses[0].data[0] as DataFrame).length).toBe(2 * states.length);
    } finally {
      await setScenario(demo.url, 'goroutine-leak', false);
    }
  });
});

describe('goroutineClusters (pprof)', () => {
  it('groups goroutines by state and stack; streamed, it reports the leak cluster growing', async () => {
    await setScenario(demo.url, 'goroutine-leak', true);
    try {
      const responses = await stream(
        dataSource(),
        { queryType: 'goroutineClusters', profileType: 'goroutine', interval: '1s', stream: true },
        3
      );
      const frame = responses[2].data[0] as DataFrame;
      expect(responses[2].errors).toBeUndefined();
      const growth = field(frame, 'Growth /min').values as number[];
      const fn = field(frame, 'Function').values as string[];
      const growing = fn.filter((_, i) => growth[i] > 0);
      console.log('growing clusters:', growing.map((f) => `${f} +${growth[fn.indexOf(f)]}/min`).join(', '));
      expect(growing.some((f) => /leak/i.test(f))).toBe(true);
    } finally {
      await setScenario(demo.url, 'goroutine-leak', false);
    }
  });
});

describe('cpuSplit (pprof, live CPU)', () => {
  it('splits CPU by frame class; under GC pressure the GC share dominates', async () => {
    await setScenario(demo.url, 'gc-pressure', true);
    try {
      const response = await run(dataSource(), { queryType: 'cpuSplit' }, 2000);
      expect(response.errors).toBeUndefined();
      const [frame] = response.data as DataFrame[];
      expect(frame.meta?.type).toBe('timeseries-wide');
      const shares = frame.fields.slice(1).map((f) => [f.name, f.values[0] as number] as const);
      expect(shares.reduce((a, [, v]) => a + v, 0)).toBeCloseTo(1, 6);
      const gc = shares.find(([n]) => n === 'runtime-gc')![1];
      console.log('cpu split under gc-pressure:', shares.map(([n, v]) => `${n} ${(v * 100).toFixed(1)}%`).join(', '));
      expect(gc).toBeGreaterThan(0.3);
      expect(frame.fields[1].config.unit).toBe('percentunit');
    } finally {
      await setScenario(demo.url, 'gc-pressure', false);
    }
  });
});

describe('cpuSplit (pprof, streaming)', () => {
  it('captures back to back while subscribed, one row per capture', async () => {
    const responses = await stream(dataSource(), { queryType: 'cpuSplit', stream: true, interval: '1s' }, 2);
    const frame = responses[1].data[0] as DataFrame;
    expect(responses[1].state).toBe(LoadingState.Streaming);
    expect(frame.length).toBe(2);
    expect(frame.fields[0].values[1] - frame.fields[0].values[0]).toBeGreaterThanOrEqual(900);
  });
});

describe('findings (pprof)', () => {
  it('gathers CPU, allocs, mutex, block, heap and two goroutine dumps for the rules', async () => {
    let seen: DiagnosisInputs | undefined;
    const ds = new GoRuntimeDataSource(instanceSettings('demo', { mode: 'pprof' }, 'Go demo'), {
      templateSrv: templateSrv(),
      diagnose: (inputs) => {
        seen = inputs;
        return { findings: [], failures: [] };
      },
    });
    const response = await run(ds, { queryType: 'findings' }, 2000);
    expect(response.errors).toBeUndefined();
    expect(seen?.cpu?.sampleTypes.map((t) => t.type)).toEqual(['samples', 'cpu']);
    expect(seen?.allocs && seen.heap && seen.mutex && seen.block).toBeTruthy();
    expect(seen?.goroutines).toHaveLength(2);
    expect(seen?.source).toBe('pprof');
  });

  it('runs the rules: the GC pressure scenario gives a gc-pressure finding, as a table and as annotations', async () => {
    await setScenario(demo.url, 'gc-pressure', true);
    try {
      const response = await run(dataSource(), { queryType: 'findings' }, 3000);
      expect(response.errors).toBeUndefined();
      const [frame] = response.data as DataFrame[];
      const ids = field(frame, 'id').values as string[];
      const titles = field(frame, 'title').values as string[];
      console.log(
        'findings under gc-pressure:',
        ids.map((id, i) => `${id} (${field(frame, 'severity').values[i]}): ${titles[i]}`).join(' | ')
      );
      expect(ids).toContain('gc-pressure');
      const events = framesToEvents([frame]);
      expect(events.find((e) => e.tags?.includes('gc-pressure'))).toMatchObject({ isRegion: true });
    } finally {
      await setScenario(demo.url, 'gc-pressure', false);
    }
  });
});

describe('time semantics and mode limits', () => {
  it('a past range in pprof mode says that history needs Pyroscope', async () => {
    const ds = dataSource();
    const now = Date.now();
    const response = await lastValueFrom(
      ds.query(
        queryRequest([{ refId: 'A', queryType: 'flamegraph', profileType: 'cpu' } as GoRuntimeQuery], {
          from: now - 3 * 3600_000,
          to: now - 2 * 3600_000,
        })
      )
    );
    expect(response.errors?.[0].message).toBe(
      'Go demo (pprof), cpu profile: history needs Pyroscope: this data source reads a live Go process (pprof mode), which can only capture from now, but the dashboard range ends 2h ago. Set the range to end at "now", or query a Pyroscope-mode data source for past ranges.'
    );
  });

  it('series in pprof mode names the mode it needs', async () => {
    const response = await run(dataSource(), { queryType: 'series' });
    expect(response.errors?.[0].message).toContain('series needs a Pyroscope-mode data source');
  });
});

describe('Save & test and variables (pprof)', () => {
  it('reports the Go profiles the target offers', async () => {
    const result = await dataSource().testDatasource();
    expect(result.status).toBe('success');
    expect(result.message).toMatch(/^Go pprof endpoint found at \/debug\/pprof\/: .*goroutine.*heap/);
    console.log('Save & test:', result.message);
  });

  it('lists the target profiles for a profileTypes() variable', async () => {
    const values = await dataSource().metricFindQuery('profileTypes()');
    expect(values.map((v) => v.text)).toEqual(
      expect.arrayContaining(['allocs', 'block', 'cpu', 'goroutine', 'heap', 'mutex'])
    );
  });
});

/**
 * @jest-environment jsdom
 */
/**
 * The data source class against the real demo Go service, through the data-proxy stand-in, the way it runs in
 * Grafana (jsdom environment because @grafana/data needs `window`; see tests/support/grafanaRuntime.ts).
 * Every query type in pprof mode, answered from the live capture store, with results checked against the scenario
 * that is switched on.
 */
import { GrafanaStandIn, instanceSettings, queryRequest, startGrafana, templateSrv } from '../support/grafanaRuntime';

import { DataFrame, DataQueryResponse, LoadingState } from '@grafana/data';
import { filter, firstValueFrom, lastValueFrom, Observable } from 'rxjs';

import { GoRuntimeDataSource } from '../../src/datasource/datasource';
import { framesToEvents } from '../../src/datasource/annotations/annotations';
import { closeLiveSessions, liveSession } from '../../src/datasource/live/registry';
import type { DiagnosisInputs } from '../../src/datasource/findings/seam';
import type { GoRuntimeOptions, GoRuntimeQuery } from '../../src/datasource/types';
import { DemoService, setScenario, startDemoService } from '../support/demoService';

jest.setTimeout(120_000);

let demo: DemoService;
let grafana: GrafanaStandIn;

function dataSource(jsonData: GoRuntimeOptions = { mode: 'pprof' }, uid = 'demo') {
  return new GoRuntimeDataSource(instanceSettings(uid, jsonData, 'Go demo'), { templateSrv: templateSrv() });
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

function stateCount(frame: DataFrame, state: string, column: number): number {
  const states = frame.meta?.custom?.yOrdinalDisplay as string[];
  const n = states.length;
  return field(frame, 'count').values[column * n + states.indexOf(state)];
}

/** A live answer with frames that are not a "still capturing" placeholder. */
function settled(r: DataQueryResponse): boolean {
  const frame = r.data[0] as DataFrame | undefined;
  return !r.errors && frame !== undefined && !frame.meta?.custom?.pending && frame.length > 0;
}

/** The first answer of a live query that `ready` accepts: a range that follows now streams, it never completes. */
function answer(
  ds: GoRuntimeDataSource,
  query: Partial<GoRuntimeQuery>,
  lastMs = 60_000,
  ready: (r: DataQueryResponse) => boolean = settled
): Promise<DataQueryResponse> {
  return firstValueFrom(
    (ds.query(queryRequest([{ refId: 'A', ...query }], { lastMs })) as Observable<DataQueryResponse>).pipe(
      filter(ready)
    )
  );
}

/**
 * A data source whose live session polls goroutines with a loose cost budget (5% instead of 1%), so a test sees a
 * few snapshots in seconds on a loaded machine; the budget itself is tested in src/datasource/live.
 */
function fastGoroutines(ds: GoRuntimeDataSource): GoRuntimeDataSource {
  liveSession(ds.target, ds.clients().pprof, undefined, {
    budget: 0.05,
    goroutineIntervalMs: 1000,
    dumpIntervalMs: 2000,
  });
  return ds;
}

const profileRequests = () => grafana.proxied.filter((r) => r.path.includes('/debug/pprof/profile'));

afterEach(() => closeLiveSessions());

describe('flamegraph (pprof, live store)', () => {
  it('answers with the CPU windows the store captured for the range, and names them in the header', async () => {
    await setScenario(demo.url, 'clock-hot-path', true);
    try {
      const response = await answer(dataSource(), { queryType: 'flamegraph', profileType: 'cpu', seconds: 2 });
      const [frame] = response.data as DataFrame[];
      expect(response.state).toBe(LoadingState.Streaming);
      expect(frame.meta?.preferredVisualisationType).toBe('flamegraph');
      expect(field(frame, 'value').config.unit).toBe('ns');
      const level = field(frame, 'level').values;
      const value = field(frame, 'value').values;
      expect(level.filter((l: number) => l === 0)).toHaveLength(1);
      expect(value[0]).toBeGreaterThan(0);
      expect(labels(frame)).toContain('time.Now');
      expect(frame.meta?.custom).toMatchObject({ source: 'pprof', profile: 'cpu', seconds: 2 });
      expect(frame.meta?.custom?.live).toMatch(
        /^1 CPU window \d\d:\d\d:\d\d–\d\d:\d\d:\d\d cover \d+% of the window · polling CPU in back-to-back 2 s windows/
      );
      console.log(`flamegraph cpu (clock-hot-path): ${frame.length} rows; header: ${frame.meta?.custom?.live}`);
      expect(profileRequests().at(-1)!.path).toContain('seconds=2');
    } finally {
      await setScenario(demo.url, 'clock-hot-path', false);
    }
  });
});

describe('sharing', () => {
  it('20 panels on one target share the store: one CPU window upstream, identical answers', async () => {
    const ds = dataSource();
    const before = profileRequests().length;
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => answer(ds, { queryType: 'flamegraph', profileType: 'cpu', seconds: 2 }))
    );
    const captures = profileRequests().slice(before);
    expect(captures.filter((c) => c.status === 200).length).toBeGreaterThanOrEqual(1);
    const fingerprints = responses.map((r) => {
      const frame = r.data[0] as DataFrame;
      return JSON.stringify(frame.meta?.custom?.captures);
    });
    expect(new Set(fingerprints).size).toBe(1);
    // Back to back, one at a time: no two CPU requests to the process overlap.
    const sorted = captures.sort((a, b) => a.startedAt - b.startedAt);
    sorted.slice(1).forEach((c, i) => expect(c.startedAt).toBeGreaterThanOrEqual(sorted[i].endedAt! - 5));
    console.log(
      `sharing: 20 queries -> ${captures.length} upstream CPU request(s), ${new Set(fingerprints).size} distinct answer`
    );
  });

  it('a refresh re-subscribes to the capture in flight instead of restarting it', async () => {
    const ds = dataSource();
    const before = profileRequests().length;
    const query = { queryType: 'flamegraph' as const, profileType: 'cpu', seconds: 3 };
    const first = (
      ds.query(queryRequest([{ refId: 'A', ...query }], { lastMs: 60_000 })) as Observable<DataQueryResponse>
    ).subscribe();
    await new Promise((r) => setTimeout(r, 500));
    first.unsubscribe();
    const response = await answer(ds, query);
    const captures = profileRequests().slice(before);
    expect(captures[0].aborted).toBeFalsy();
    expect((response.data[0] as DataFrame).meta?.custom?.captures).toHaveLength(1);
    expect(captures.filter((c) => c.startedAt < captures[0].endedAt!)).toHaveLength(1);
  });
});

describe('top (pprof, live heap)', () => {
  it('lists functions by in-use bytes with self and total from the stored heap snapshot', async () => {
    const response = await answer(dataSource(), { queryType: 'top', profileType: 'heap', limit: 5 });
    const [frame] = response.data as DataFrame[];
    expect(frame.fields.map((f) => f.name)).toEqual(['Function', 'Self', 'Self %', 'Total', 'Total %']);
    expect(frame.length).toBe(5);
    expect(field(frame, 'Self').config.unit).toBe('bytes');
    const self = field(frame, 'Self').values as number[];
    expect([...self].sort((a, b) => b - a)).toEqual(self);
    expect(frame.meta?.custom).toMatchObject({ source: 'pprof', profile: 'heap', sampleType: 'inuse_space' });
  });
});

describe('diff (pprof, two stored windows)', () => {
  it('compares the range with the same length before it, both read from the store', async () => {
    const ds = dataSource();
    const response = await answer(
      ds,
      { queryType: 'diff', profileType: 'cpu', seconds: 2 },
      4000,
      (r) => !r.errors && settled(r)
    );
    const [frame] = response.data as DataFrame[];
    expect(frame.fields.map((f) => f.name)).toEqual(['level', 'value', 'self', 'label', 'valueRight', 'selfRight']);
    expect(field(frame, 'value').values[0]).toBeGreaterThan(0);
    expect(field(frame, 'valueRight').values[0]).toBeGreaterThan(0);
    const custom = frame.meta?.custom as { baselineWindow: { to: number }; window: { from: number }; live: string };
    console.log(`diff cpu: ${custom.live}`);
    expect(custom.baselineWindow.to).toBeLessThanOrEqual(custom.window.from + 1000);
  });
});

describe('goroutineStates (pprof, live store)', () => {
  it('streams one heatmap column per stored snapshot; the leak states grow while the leak scenario runs', async () => {
    await setScenario(demo.url, 'goroutine-leak', true);
    try {
      const ds = fastGoroutines(dataSource());
      const query = { queryType: 'goroutineStates' as const, profileType: 'goroutine', interval: '1s' };
      const columns = (r: DataFrame) => r.length / (r.meta?.custom?.yOrdinalDisplay as string[]).length;
      const response = await answer(ds, query, 60_000, (r) => settled(r) && columns(r.data[0] as DataFrame) >= 4);
      const last = response.data[0] as DataFrame;
      expect(last.meta?.type).toBe('heatmap-cells');
      expect(last.fields.map((f) => f.name)).toEqual(['xMax', 'y', 'count']);
      const n = columns(last);
      const blocked = (col: number) => stateCount(last, 'chan send', col) + stateCount(last, 'waitgroup', col);
      console.log(
        'leak states per snapshot (chan send + waitgroup):',
        Array.from({ length: n }, (_, i) => blocked(i)).join(' -> ')
      );
      expect(blocked(n - 1)).toBeGreaterThan(blocked(0));
      // A refresh (a new query on the same target) starts with every column the store holds.
      const again = await answer(ds, query, 60_000);
      expect(columns(again.data[0] as DataFrame)).toBeGreaterThanOrEqual(n);
    } finally {
      await setScenario(demo.url, 'goroutine-leak', false);
    }
  });
});

describe('goroutineClusters (pprof)', () => {
  it('groups goroutines by state and stack, with the leak cluster growing over the stored snapshots', async () => {
    await setScenario(demo.url, 'goroutine-leak', true);
    try {
      const response = await answer(
        fastGoroutines(dataSource()),
        { queryType: 'goroutineClusters', profileType: 'goroutine', interval: '1s', stream: true },
        60_000,
        (r) => settled(r) && ((r.data[0] as DataFrame).meta?.custom?.snapshots ?? 0) >= 2
      );
      const frame = response.data[0] as DataFrame;
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

describe('cpuSplit (pprof, live store)', () => {
  it('splits each stored CPU window by frame class; under GC pressure the GC share dominates', async () => {
    await setScenario(demo.url, 'gc-pressure', true);
    try {
      const response = await answer(dataSource(), { queryType: 'cpuSplit', seconds: 2 });
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

  it('gets one row per CPU window as the back-to-back windows arrive', async () => {
    const response = await answer(
      dataSource(),
      { queryType: 'cpuSplit', seconds: 1 },
      60_000,
      (r) => settled(r) && (r.data[0] as DataFrame).length >= 2
    );
    const frame = response.data[0] as DataFrame;
    expect(response.state).toBe(LoadingState.Streaming);
    expect(frame.fields[0].values[1] - frame.fields[0].values[0]).toBeGreaterThanOrEqual(900);
  });
});

describe('findings (pprof, live store)', () => {
  it('hands the rules CPU, the allocs/mutex/block deltas, the heap and the goroutine dumps of the store', async () => {
    let seen: DiagnosisInputs | undefined;
    const ds = new GoRuntimeDataSource(instanceSettings('demo', { mode: 'pprof' }, 'Go demo'), {
      templateSrv: templateSrv(),
      diagnose: (inputs) => {
        seen = inputs;
        return { findings: [], failures: [], notes: [] };
      },
    });
    // Faster cumulative reads than the 30 s default, so two fall inside the findings' recent minute quickly.
    liveSession(ds.target, ds.clients().pprof, undefined, {
      cumulativeIntervalMs: 2000,
      goroutineIntervalMs: 1000,
      budget: 0.05,
    });
    const response = await answer(ds, { queryType: 'findings', seconds: 2 }, 60_000, () =>
      Boolean(seen?.cpu && seen.allocs && seen.heap && seen.mutex && seen.block && (seen.goroutines?.length ?? 0) >= 2)
    );
    expect(response.errors).toBeUndefined();
    expect(seen?.cpu?.sampleTypes.map((t) => t.type)).toEqual(['samples', 'cpu']);
    expect(seen?.mutex?.durationNanos).toBeGreaterThan(0);
    expect(seen?.source).toBe('pprof');
    const custom = (response.data[0] as DataFrame).meta?.custom;
    expect(custom?.asOf).toBeGreaterThan(Date.now() - 60_000);
  });

  it('runs the rules: the GC pressure scenario gives a gc-pressure finding, as a table and as annotations', async () => {
    await setScenario(demo.url, 'gc-pressure', true);
    try {
      const hasFindings = (r: DataQueryResponse) =>
        settled(r) && (field(r.data[0] as DataFrame, 'id').values as string[]).includes('gc-pressure');
      const response = await answer(dataSource(), { queryType: 'findings', seconds: 2 }, 60_000, hasFindings);
      const [frame] = response.data as DataFrame[];
      const ids = field(frame, 'id').values as string[];
      const titles = field(frame, 'title').values as string[];
      console.log(
        'findings under gc-pressure:',
        ids.map((id, i) => `${id} (${field(frame, 'severity').values[i]}): ${titles[i]}`).join(' | ')
      );
      const events = framesToEvents([frame]);
      expect(events.find((e) => e.tags?.includes('gc-pressure'))).toMatchObject({ isRegion: true });
    } finally {
      await setScenario(demo.url, 'gc-pressure', false);
    }
  });
});

describe('time semantics and mode limits', () => {
  it('a window before live capture began names the window, when capture began, and that history needs Pyroscope', async () => {
    const ds = dataSource();
    await answer(ds, { queryType: 'flamegraph', profileType: 'cpu', seconds: 1 });
    const now = Date.now();
    const response = await lastValueFrom(
      ds.query(
        queryRequest([{ refId: 'A', queryType: 'flamegraph', profileType: 'cpu' } as GoRuntimeQuery], {
          from: now - 3 * 3600_000,
          to: now - 2 * 3600_000,
        })
      )
    );
    expect(response.errors?.[0].message).toMatch(
      /^Go demo \(pprof\), cpu profile: no live capture covers \d\d:\d\d:\d\d–\d\d:\d\d:\d\d: live capture of Go demo began at \d\d:\d\d:\d\d; older history needs Pyroscope/
    );
  });

  it('series in pprof mode names the mode it needs', async () => {
    const response = await lastValueFrom(
      dataSource().query(queryRequest([{ refId: 'A', queryType: 'series' } as GoRuntimeQuery], { lastMs: 2000 }))
    );
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

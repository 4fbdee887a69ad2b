import { dateTime, type DataQueryRequest } from '@grafana/data';

import { toClustersFrame, toFindingsFrame, toFlameFrame, toStateHeatmapFrame } from '../../frames';
import { layoutViews } from '../layout';
import { DEFAULT_PANEL_OPTIONS, resolvePanelOptions } from '../types';
import { buildRequest, specKey } from './panelQuery';
import { pickFrames } from './pickFrames';
import { companionQueries, drillDownQueries, flameBase, type Selection } from './plan';

const request = (targets: object[]) =>
  ({
    requestId: 'Q1',
    interval: '5s',
    intervalMs: 5000,
    range: { from: dateTime(0), to: dateTime(60_000), raw: { from: 'now-1m', to: 'now' } },
    scopedVars: {},
    targets,
    timezone: 'utc',
    app: 'dashboard',
    startTime: 0,
  }) as unknown as DataQueryRequest;

describe('pickFrames', () => {
  it('recognises every kind of frame by shape', () => {
    const flame = toFlameFrame(
      { levels: [0], values: [1], selfs: [1], labelIds: [0], names: ['total'] },
      { unit: 'ns' }
    );
    const states = toStateHeatmapFrame(['a'], [{ time: 1, counts: [1] }]);
    const findings = toFindingsFrame([]);
    const clusters = toClustersFrame([]);
    expect(pickFrames([clusters, findings, states, flame])).toEqual({ flame, states, findings, clusters });
    expect(pickFrames([])).toEqual({});
  });
});

describe('flameBase', () => {
  it('follows the dashboard flame graph query, else the panel options', () => {
    const r = request([
      { refId: 'A', queryType: 'flamegraph', profileType: 'heap', sampleType: 'alloc_space', focus: 'main' },
    ]);
    expect(flameBase(r, 'A', DEFAULT_PANEL_OPTIONS)).toMatchObject({
      profileType: 'heap',
      sampleType: 'alloc_space',
      focus: 'main',
      maxNodes: 2048,
    });
    expect(
      flameBase(undefined, undefined, { ...DEFAULT_PANEL_OPTIONS, profileType: 'mutex', maxNodes: 0 })
    ).toMatchObject({
      profileType: 'mutex',
      maxNodes: 1_048_576,
    });
  });
});

describe("flameBase keeps the dashboard's label selector", () => {
  it('when the flame graph frame is missing (its query failed), companions still ask for that service, not {}', () => {
    const selector = '{service_name="checkout"}';
    const r = request([
      { refId: 'A', queryType: 'flamegraph', profileType: 'cpu', labelSelector: selector },
      { refId: 'B', queryType: 'goroutineStates', labelSelector: selector },
    ]);
    const base = flameBase(r, undefined, DEFAULT_PANEL_OPTIONS);
    expect(base.labelSelector).toBe(selector);
    const q = companionQueries({}, DEFAULT_PANEL_OPTIONS, 'pyroscope', r, base);
    expect(q.map((x) => [x.queryType, x.labelSelector])).toEqual([
      ['flamegraph', selector],
      ['goroutineStates', selector],
      ['goroutineClusters', selector],
      ['findings', selector],
    ]);
  });
});

describe('companionQueries', () => {
  const base = flameBase(undefined, undefined, DEFAULT_PANEL_OPTIONS);
  it('fills every view the targets leave empty (a new panel has only the flame graph query)', () => {
    const flame = toFlameFrame(
      { levels: [0], values: [1], selfs: [1], labelIds: [0], names: ['total'] },
      { unit: 'ns' }
    );
    const q = companionQueries(pickFrames([flame]), DEFAULT_PANEL_OPTIONS, 'pprof', request([]), base);
    expect(q.map((x) => x.queryType)).toEqual(['goroutineStates', 'goroutineClusters', 'findings']);
    expect(q.find((x) => x.queryType === 'goroutineClusters')).toMatchObject({ stream: true, limit: 50 });
  });

  it('streams clusters at the states interval in pprof mode only (Pyroscope: per bucket), and respects the options', () => {
    const r = request([{ refId: 'B', queryType: 'goroutineStates', interval: '2s' }]);
    const states = toStateHeatmapFrame(['a'], []);
    expect(
      companionQueries(pickFrames([states]), DEFAULT_PANEL_OPTIONS, 'pprof', r, base).find(
        (x) => x.queryType === 'goroutineClusters'
      )
    ).toMatchObject({ interval: '2s', stream: true });
    const stored = companionQueries({}, DEFAULT_PANEL_OPTIONS, 'pyroscope', r, base).find(
      (x) => x.queryType === 'goroutineClusters'
    );
    expect(stored?.stream).toBeUndefined();
    // The heatmap's buckets: the same interval as the states, each bucket's own clusters.
    expect(stored).toMatchObject({ interval: '2s', perBucket: true });
    expect(companionQueries({}, { ...DEFAULT_PANEL_OPTIONS, companionQueries: false }, 'pprof', r, base)).toEqual([]);
    expect(
      companionQueries({}, { ...DEFAULT_PANEL_OPTIONS, views: ['flamegraph'] }, 'pprof', r, base).map((x) => x.refId)
    ).toEqual(['panel-flame']);
  });
});

describe('drillDownQueries', () => {
  const base = flameBase(undefined, undefined, DEFAULT_PANEL_OPTIONS);
  const window = { from: 1000, to: 2000 };
  const sel = (patch: Partial<Selection>): Selection => ({ window, origin: 'brush', baseline: 'before', ...patch });

  it('asks for nothing until an action is chosen, and for the bottom-up graph when inverted', () => {
    expect(drillDownQueries(undefined, base, false, false)).toEqual([]);
    expect(drillDownQueries(sel({}), base, false, false)).toEqual([]);
    expect(drillDownQueries(undefined, base, true, false)).toEqual([
      expect.objectContaining({ queryType: 'flamegraph', inverted: true }),
    ]);
  });

  it('compares with the window before by default, or an offset baseline', () => {
    const [d] = drillDownQueries(sel({ action: 'compare' }), base, false, false);
    expect(d).toMatchObject({ queryType: 'diff', profileType: 'cpu' });
    expect(d.baseline).toBeUndefined();
    expect(drillDownQueries(sel({ action: 'compare', baseline: '1d' }), base, true, false)[0]).toMatchObject({
      baseline: { kind: 'offset', offset: '1d' },
      inverted: true,
    });
  });

  it('drills into a bucket with its clusters unless they were recorded', () => {
    expect(
      drillDownQueries(sel({ origin: 'bucket', action: 'flame' }), base, false, true).map((q) => q.queryType)
    ).toEqual(['flamegraph', 'goroutineClusters']);
    expect(
      drillDownQueries(sel({ origin: 'bucket', action: 'flame' }), base, false, false).map((q) => q.queryType)
    ).toEqual(['flamegraph']);
  });
});

describe('panel requests', () => {
  it('reuse the panel request with other targets and an absolute window', () => {
    const spec = {
      datasource: { uid: 'ds', type: 'seed-goruntime-datasource' },
      queries: [{ refId: 'x', queryType: 'diff' as const }],
      window: { from: 5, to: 9 },
    };
    const r = buildRequest(request([{ refId: 'A' }]), spec, 'drill');
    expect(r.requestId).toBe('Q1-drill');
    expect(r.range.from.valueOf()).toBe(5);
    expect(r.range.raw.to.valueOf()).toBe(9);
    expect(r.targets).toEqual([{ refId: 'x', queryType: 'diff', datasource: spec.datasource }]);
    expect(r.intervalMs).toBe(5000);
    const relative = buildRequest(request([]), { ...spec, window: undefined }, 'c');
    expect(relative.range.raw.to).toBe('now');
    expect(specKey(spec)).not.toBe(specKey({ ...spec, window: { from: 5, to: 10 } }));
    expect(specKey(undefined)).toBe('');
  });
});

describe('options and layout', () => {
  it('fills missing saved options with defaults and drops unknown views', () => {
    expect(resolvePanelOptions(undefined)).toEqual(DEFAULT_PANEL_OPTIONS);
    expect(resolvePanelOptions({ views: ['flamegraph', 'nope' as never], maxNodes: -3 })).toMatchObject({
      views: ['flamegraph'],
      maxNodes: 2048,
    });
  });

  it('stacks findings, heatmap and flame graph, the flame graph taking the rest', () => {
    const b = layoutViews(['flamegraph', 'heatmap', 'findings'], 'stacked', 900, 760);
    expect(b.findings!.top).toBe(0);
    expect(b.heatmap!.top).toBeGreaterThan(b.findings!.top + b.findings!.height - 1);
    expect(b.flamegraph!.top + b.flamegraph!.height).toBe(760);
    expect(b.flamegraph!.height).toBeGreaterThan(b.heatmap!.height);
    // At the provisioned size the flame graph gets at least half the panel.
    expect(b.flamegraph!.height).toBeGreaterThanOrEqual((760 - 16) / 2);
  });

  it('puts the flame graph on the right side by side, and gives a lone view the whole panel', () => {
    const b = layoutViews(['flamegraph', 'heatmap', 'findings'], 'side-by-side', 1000, 600);
    expect(b.flamegraph).toMatchObject({ top: 0, height: 600 });
    expect(b.flamegraph!.left).toBeGreaterThan(b.heatmap!.width);
    expect(b.heatmap!.top + b.heatmap!.height).toBe(600);
    expect(layoutViews(['heatmap'], 'stacked', 500, 300)).toEqual({
      heatmap: { left: 0, top: 0, width: 500, height: 300 },
    });
    const short = layoutViews(['flamegraph', 'heatmap', 'findings'], 'stacked', 500, 300);
    expect(short.flamegraph!.height).toBeGreaterThanOrEqual(100);
  });
});

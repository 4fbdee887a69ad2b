import '../testing/flamegraphShims';

import React from 'react';
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import {
  DataHoverClearEvent,
  DataHoverEvent,
  dateTime,
  EventBusSrv,
  LoadingState,
  type DataQueryRequest,
  type DataSourceApi,
  type PanelProps,
} from '@grafana/data';
import { setDataSourceSrv, type DataSourceSrv } from '@grafana/runtime';
import { DashboardCursorSync } from '@grafana/schema';
import { PanelContextProvider } from '@grafana/ui';
import { of } from 'rxjs';

import { toClustersFrame, toFindingsFrame, toFlameFrame, toStateHeatmapFrame } from '../../frames';
import { installCanvasStub } from '../testing/canvasStub';
import { DEFAULT_PANEL_OPTIONS, type GoRuntimePanelOptions } from '../types';
import { GoRuntimePanel } from './GoRuntimePanel';

const MARKUP = '<img src=x onerror="window.__pwned=1">';
const FROM = 1_700_000_000_000;
const TO = FROM + 60_000;
const ds = { uid: 'go', type: 'seed-goruntime-datasource' };

const queries: Array<DataQueryRequest<{ refId: string; queryType?: string }>> = [];
beforeAll(() => {
  installCanvasStub();
  const fake = {
    query: (r: DataQueryRequest) => (queries.push(r as never), of({ data: [] })),
  } as unknown as DataSourceApi;
  setDataSourceSrv({
    get: async () => fake,
    getInstanceSettings: () => ({ type: ds.type, jsonData: { mode: 'pprof' } }),
  } as unknown as DataSourceSrv);
});
beforeEach(() => {
  queries.length = 0;
});

function frames() {
  const flame = toFlameFrame(
    {
      levels: [0, 1, 2],
      values: [10, 10, 7],
      selfs: [0, 3, 7],
      labelIds: [0, 1, 2],
      names: ['total', 'main.run', MARKUP],
    },
    {
      refId: 'A',
      unit: 'ns',
      custom: { source: 'pprof', profile: 'cpu', window: { from: TO - 10_000, to: TO }, seconds: 10 },
    }
  );
  // 12 columns of 5 s over the minute; chan send grows.
  const columns = Array.from({ length: 12 }, (_, i) => ({ time: FROM + (i + 1) * 5000, counts: [1, 10 * (i + 1)] }));
  const states = toStateHeatmapFrame(['running', 'chan send'], columns, {
    refId: 'B',
    custom: { source: 'pprof', intervalMs: 5000 },
  });
  const findings = toFindingsFrame(
    [
      {
        id: 'goroutine-leak-suspect',
        layer: 2,
        severity: 'critical',
        title: `Leak at ${MARKUP}`,
        summary: '120 goroutines',
        nextStep: 'fix',
        from: FROM + 20_000,
        to: FROM + 40_000,
        evidence: { numbers: [{ label: 'goroutines', value: 120, unit: 'short' }], stacks: [[MARKUP, 'main.run']] },
      },
    ],
    { refId: 'C' }
  );
  const clusters = toClustersFrame(
    [
      {
        count: 60,
        state: 'chan send',
        reason: 'chan send',
        function: `${MARKUP}.sender`,
        createdBy: '',
        creationSite: 'main.go:1',
        waitMinutesMin: 0,
        waitMinutesMax: 0,
        leaked: 0,
        growthPerMinute: 120,
      },
    ],
    { refId: 'D', custom: { to: FROM + 30_000 } }
  );
  return [flame, states, findings, clusters];
}

function renderPanel(eventBus = new EventBusSrv(), sync = DashboardCursorSync.Crosshair) {
  const range = { from: dateTime(FROM), to: dateTime(TO), raw: { from: dateTime(FROM), to: dateTime(TO) } };
  const request = {
    requestId: 'Q1',
    interval: '5s',
    intervalMs: 5000,
    range,
    scopedVars: {},
    timezone: 'utc',
    app: 'dashboard',
    startTime: 0,
    targets: ['A', 'B', 'C', 'D'].map((refId) => ({ refId, datasource: ds })),
  } as unknown as DataQueryRequest;
  const onChangeTimeRange = jest.fn();
  const props: PanelProps<GoRuntimePanelOptions> = {
    id: 1,
    data: { state: LoadingState.Done, series: frames(), timeRange: range, request },
    timeRange: range,
    timeZone: 'utc',
    options: DEFAULT_PANEL_OPTIONS,
    fieldConfig: { defaults: {}, overrides: [] },
    transparent: false,
    width: 900,
    height: 760,
    renderCounter: 1,
    title: 'Go',
    eventBus,
    onOptionsChange: jest.fn(),
    onFieldConfigChange: jest.fn(),
    onChangeTimeRange,
    replaceVariables: (s: string) => s,
  };
  const view = render(
    <PanelContextProvider value={{ eventsScope: 'global', eventBus, sync: () => sync }}>
      <GoRuntimePanel {...props} />
    </PanelContextProvider>
  );
  return { ...view, onChangeTimeRange };
}

/** The heatmap plot spans x = 0..764 in jsdom (no layout: the overlay's client rect is at 0,0). */
const PLOT_WIDTH = 900 - 128 - 8;
const xOf = (t: number) => ((t - FROM) / (TO - FROM)) * PLOT_WIDTH;

describe('GoRuntimePanel', () => {
  it('renders function names with markup as text, never as HTML', () => {
    const { container } = renderPanel();
    expect(container.querySelector('img')).toBeNull();
    expect(screen.getByText(`Leak at ${MARKUP}`)).toBeInTheDocument();
    fireEvent.mouseMove(screen.getByTestId('goruntime-heatmap-overlay'), { clientX: xOf(FROM + 28_000), clientY: 120 });
    expect(screen.getByTestId('goruntime-heatmap-tooltip').textContent).toContain(`${MARKUP}.sender`);
    expect(container.querySelector('img')).toBeNull();
  });

  it('says which profile, window and sample type the flame graph shows', () => {
    renderPanel();
    const header = screen.getByTestId('goruntime-flame-header').textContent!;
    expect(header).toContain('cpu');
    expect(header).toContain('cpu (time)');
    expect(header).toContain('live pprof capture of 10 s');
  });

  it('publishes the hovered time as a DataHoverEvent and clears it on leave', () => {
    const bus = new EventBusSrv();
    const seen: Array<number | null> = [];
    bus.subscribe(DataHoverEvent, (e) => seen.push(e.payload.point.time as number));
    bus.subscribe(DataHoverClearEvent, () => seen.push(null));
    renderPanel(bus);
    const overlay = screen.getByTestId('goruntime-heatmap-overlay');
    fireEvent.mouseMove(overlay, { clientX: xOf(FROM + 15_000), clientY: 10 });
    expect(seen[0]).toBeCloseTo(FROM + 15_000, -2);
    fireEvent.mouseLeave(overlay);
    return waitFor(() => expect(seen.at(-1)).toBeNull());
  });

  it('follows other panels’ crosshair, and neither publishes nor follows with cursor sync off', () => {
    const bus = new EventBusSrv();
    renderPanel(bus);
    act(() => bus.publish(new DataHoverEvent({ point: { time: FROM + 45_000 } })));
    expect(screen.getByTestId('goruntime-heatmap-remote-crosshair').dataset.time).toBe(String(FROM + 45_000));
    act(() => bus.publish(new DataHoverClearEvent()));
    expect(screen.queryByTestId('goruntime-heatmap-remote-crosshair')).toBeNull();

    const quiet = new EventBusSrv();
    const seen: unknown[] = [];
    quiet.subscribe(DataHoverEvent, (e) => seen.push(e));
    renderPanel(quiet, DashboardCursorSync.Off);
    fireEvent.mouseMove(screen.getAllByTestId('goruntime-heatmap-overlay')[1], { clientX: 100, clientY: 10 });
    act(() => quiet.publish(new DataHoverEvent({ point: { time: FROM + 45_000 } })));
    expect(seen).toHaveLength(1); // only the one published by the test
    expect(screen.queryAllByTestId('goruntime-heatmap-remote-crosshair')).toHaveLength(0);
  });

  it('moves a focus cell with the keyboard, describes it, and drills into the bucket with Enter', async () => {
    renderPanel();
    const overlay = screen.getByTestId('goruntime-heatmap-overlay');
    act(() => overlay.focus());
    fireEvent.keyDown(overlay, { key: 'ArrowDown' });
    fireEvent.keyDown(overlay, { key: 'ArrowLeft' });
    expect(overlay.getAttribute('aria-label')).toMatch(
      /^22:14:10 to 22:14:15, chan send: 110 of 111 goroutines\. Column 11 of 12, row 2 of 2\./
    );
    fireEvent.keyDown(overlay, { key: 'Enter' });
    await waitFor(() =>
      expect(queries.some((q) => q.targets.some((t) => t.refId === 'panel-window-flame'))).toBe(true)
    );
    const drill = queries.find((q) => q.targets.some((t) => t.refId === 'panel-window-flame'))!;
    expect(drill.range.from.valueOf()).toBe(FROM + 50_000);
    expect(drill.range.to.valueOf()).toBe(FROM + 55_000);
    expect(screen.getByTestId('goruntime-flame-header').textContent).toContain('Bucket');
  });

  it('brushes a window, zooms the dashboard to it, or compares it with the window before', async () => {
    const { onChangeTimeRange } = renderPanel();
    const overlay = screen.getByTestId('goruntime-heatmap-overlay');
    fireEvent.mouseDown(overlay, { clientX: xOf(FROM + 30_000), clientY: 10, button: 0 });
    fireEvent.mouseMove(overlay, { clientX: xOf(FROM + 45_000), clientY: 10 });
    fireEvent.mouseUp(overlay, { clientX: xOf(FROM + 45_000), clientY: 10 });
    expect(screen.getByTestId('goruntime-selection').textContent).toContain('(15 s)');

    fireEvent.click(screen.getByRole('button', { name: 'Compare with baseline' }));
    await waitFor(() => expect(queries.some((q) => q.targets.some((t) => t.queryType === 'diff'))).toBe(true));
    const diff = queries.find((q) => q.targets.some((t) => t.queryType === 'diff'))!;
    expect(Math.abs(diff.range.from.valueOf() - (FROM + 30_000))).toBeLessThan(100);
    expect(Math.abs(diff.range.to.valueOf() - (FROM + 45_000))).toBeLessThan(100);
    expect(diff.targets[0]).toMatchObject({ profileType: 'cpu', datasource: ds });

    fireEvent.click(screen.getByRole('button', { name: 'Zoom dashboard to window' }));
    expect(onChangeTimeRange).toHaveBeenCalledWith({ from: diff.range.from.valueOf(), to: diff.range.to.valueOf() });
  });

  it('asks the data source for the bottom-up flame graph when Inverted is pressed', async () => {
    renderPanel();
    fireEvent.click(screen.getByText('Inverted'));
    await waitFor(() => expect(queries.some((q) => q.targets.some((t) => t.refId === 'panel-inverted'))).toBe(true));
    const inverted = queries.find((q) => q.targets.some((t) => t.refId === 'panel-inverted'))!;
    expect(inverted.targets[0]).toMatchObject({ queryType: 'flamegraph', inverted: true, profileType: 'cpu' });
    expect(inverted.range.from.valueOf()).toBe(FROM); // the dashboard window
    expect(screen.getByTestId('goruntime-flame-header').textContent).toContain('bottom-up');
  });

  it('runs no companion query when the panel queries already return the clusters table', async () => {
    renderPanel();
    // D is a clusters table here, so nothing is missing: no companion query.
    await act(async () => undefined);
    expect(queries.filter((q) => q.requestId.endsWith('companion'))).toHaveLength(0);
  });

  it('focuses the flame graph on a finding’s evidence stack and the heatmap on its window', () => {
    renderPanel();
    fireEvent.click(screen.getByTestId('goruntime-finding'));
    const focus = screen.getByTestId('goruntime-flame-focus').textContent!;
    expect(focus).toContain('Focused on the evidence of');
    expect(focus).toContain('main.run');
    fireEvent.click(screen.getByText('Show whole profile'));
    expect(screen.queryByTestId('goruntime-flame-focus')).toBeNull();
  });
});

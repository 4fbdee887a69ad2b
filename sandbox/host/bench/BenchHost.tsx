// `/?bench=1`: the built panel from dist/ alone on the page, fed synthetic frames, for `npm run bench:browser`
// (bench/browser.bench.mjs). It exposes `window.panelBench` to mount the panel with given columns and time renders
// and hovers, the way Grafana would render it (same shared packages, PanelContext with crosshair sync, event bus).
// Mounting uses flushSync so React's render and commit happen inside the measured interval.
import React from 'react';
import { flushSync } from 'react-dom';
import { createRoot, type Root } from 'react-dom/client';
import {
  createDataFrame,
  DataFrameType,
  DataHoverEvent,
  dateTime,
  EventBusSrv,
  FieldType,
  LoadingState,
  type DataFrame,
  type PanelPlugin,
} from '@grafana/data';
import { DashboardCursorSync } from '@grafana/schema';
import { config } from '@grafana/runtime';
import { PanelContextProvider, ThemeContext } from '@grafana/ui';

export interface FlameInput {
  levels: number[];
  values: number[];
  selfs: number[];
  labels: string[];
}

export interface HeatmapInput {
  times: number[];
  rows: string[];
  /** counts[col * rows + row] */
  counts: number[];
}

interface MountInput {
  flame?: FlameInput;
  heatmap?: HeatmapInput;
  options: Record<string, unknown>;
  range: { from: number; to: number };
  width: number;
  height: number;
}

function flameFrame(f: FlameInput): DataFrame {
  const text: string[] = [];
  const index = new Map<string, number>();
  const labels = f.labels.map((l) => {
    let i = index.get(l);
    if (i === undefined) {
      i = text.push(l) - 1;
      index.set(l, i);
    }
    return i;
  });
  return createDataFrame({
    name: 'response',
    meta: { preferredVisualisationType: 'flamegraph', custom: { source: 'pprof', profile: 'cpu', seconds: 10 } },
    fields: [
      { name: 'level', type: FieldType.number, values: f.levels },
      { name: 'value', type: FieldType.number, values: f.values, config: { unit: 'ns' } },
      { name: 'self', type: FieldType.number, values: f.selfs, config: { unit: 'ns' } },
      { name: 'label', type: FieldType.enum, values: labels, config: { type: { enum: { text } } } },
    ],
  });
}

function heatmapFrame(h: HeatmapInput): DataFrame {
  const xs: number[] = [];
  const ys: number[] = [];
  h.times.forEach((t) => h.rows.forEach((_, r) => (xs.push(t), ys.push(r))));
  return createDataFrame({
    name: 'goroutine states',
    meta: {
      type: DataFrameType.HeatmapCells,
      custom: { yOrdinalDisplay: h.rows, source: 'pyroscope', bucketMs: 15000 },
    },
    fields: [
      { name: 'xMax', type: FieldType.time, values: xs },
      { name: 'y', type: FieldType.number, values: ys },
      { name: 'count', type: FieldType.number, values: h.counts },
    ],
  });
}

declare global {
  interface Window {
    panelBench?: ReturnType<typeof createBench>;
  }
}

export function createBench(plugin: PanelPlugin, container: HTMLElement) {
  let root: Root | undefined;
  const Panel = plugin.panel!;
  const eventBus = new EventBusSrv();
  let hovers = 0;
  eventBus.subscribe(DataHoverEvent, () => hovers++);

  return {
    /** Mounts the panel synchronously; returns the milliseconds React needed to render and commit it. */
    mount(input: MountInput): number {
      root?.unmount();
      container.innerHTML = '';
      const series = [input.flame && flameFrame(input.flame), input.heatmap && heatmapFrame(input.heatmap)].filter(
        (f): f is DataFrame => Boolean(f)
      );
      const range = {
        from: dateTime(input.range.from),
        to: dateTime(input.range.to),
        raw: { from: 'now-24h', to: 'now' },
      };
      const element = (
        <ThemeContext.Provider value={config.theme2}>
          <PanelContextProvider value={{ eventsScope: 'global', eventBus, sync: () => DashboardCursorSync.Crosshair }}>
            <div style={{ width: input.width, height: input.height }}>
              <Panel
                id={1}
                title="bench"
                data={{ state: LoadingState.Done, series, timeRange: range }}
                timeRange={range}
                timeZone="utc"
                options={input.options}
                fieldConfig={{ defaults: {}, overrides: [] }}
                transparent={false}
                width={input.width}
                height={input.height}
                renderCounter={1}
                eventBus={eventBus}
                replaceVariables={(s: string) => s}
                onOptionsChange={() => {}}
                onFieldConfigChange={() => {}}
                onChangeTimeRange={() => {}}
              />
            </div>
          </PanelContextProvider>
        </ThemeContext.Provider>
      );
      const started = performance.now();
      root = createRoot(container);
      flushSync(() => root!.render(element));
      return performance.now() - started;
    },

    /**
     * Dispatches a mousemove at (x, y) in the element's box. React renders a hover in a scheduler task (continuous
     * event priority), so the caller times until a task queued after this one runs (bench/browser/measure.mjs).
     */
    hover(testId: string, x: number, y: number): void {
      const target = container.querySelector(`[data-testid="${testId}"]`) as HTMLElement;
      const box = target.getBoundingClientRect();
      target.dispatchEvent(new MouseEvent('mousemove', { bubbles: true, clientX: box.left + x, clientY: box.top + y }));
    },

    hoverEvents: () => hovers,
    unmount() {
      root?.unmount();
      root = undefined;
    },
  };
}

// The sandbox dashboard: a time range picker and refresh, the demo's scenario switches, three Prometheus-like time
// series of the demo service (CPU, request latency, goroutines) and, beside them, the real Go Runtime Profiles panel
// fed by the real data source, all sharing one time range and one event bus (the shared crosshair).
import React, { useCallback, useEffect, useMemo, useState } from 'react';
import { css } from '@emotion/css';
import {
  DataHoverClearEvent,
  DataHoverEvent,
  EventBusSrv,
  getPanelOptionsWithDefaults,
  rangeUtil,
  type FieldConfigSource,
  type GrafanaTheme2,
  type RawTimeRange,
  type TimeRange,
} from '@grafana/data';
import { DashboardCursorSync, type DataQuery } from '@grafana/schema';
import { Alert, Tab, TabsBar, useStyles2, useTheme2 } from '@grafana/ui';

import { hostLog } from '../hostLog';
import { useElementSize } from '../hooks/useElementSize';
import { useMetricsScraper } from '../hooks/useMetricsScraper';
import { usePanelQuery } from '../hooks/usePanelQuery';
import { useScenarios } from '../hooks/useScenarios';
import type { HostedPlugins } from '../pluginHost';
import { withFieldConfig } from '../queryRunner';
import type { SandboxTemplateSrv } from '../services/templateSrv';
import { absoluteRaw, evaluateRange, isRelative, rawRangeFromUrl, shiftRange, writeUrl, zoomOut } from '../timeRange';
import { DataSourceStatus } from './DataSourceStatus';
import { Inspector } from './Inspector';
import { MetricPanel } from './MetricPanel';
import { OptionsPane } from './OptionsPane';
import { PanelSlotProvider, createPanelSlot } from './panelSlot';
import { PluginPanel } from './PluginPanel';
import { QueriesEditor } from './QueriesEditor';
import { ScenarioBar } from './ScenarioBar';
import { Toolbar } from './Toolbar';

export const DEFAULT_TARGETS: DataQuery[] = [
  { refId: 'A', queryType: 'flamegraph', profileType: 'cpu' } as DataQuery,
  { refId: 'B', queryType: 'goroutineStates' },
  { refId: 'C', queryType: 'findings' },
];

/** `?targets=<JSON array>` replaces the default targets (tests and demos: another interval, a single query). */
function targetsFromUrl(params: URLSearchParams): DataQuery[] | undefined {
  const raw = params.get('targets');
  if (!raw) {
    return undefined;
  }
  try {
    const parsed: unknown = JSON.parse(raw);
    return Array.isArray(parsed) ? (parsed as DataQuery[]) : undefined;
  } catch {
    return undefined;
  }
}

/** `?panelOptions=<JSON object>` overrides the panel's default options (tests and demos: which views, the layout). */
function panelOptionsFromUrl(params: URLSearchParams): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(params.get('panelOptions') ?? '{}');
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

const PANEL_ROW_HEIGHT = 250;
const GAP = 8;

interface Props {
  /** The loaded plugin, or undefined when it failed to load (the dashboard still runs; the panel shows why). */
  hosted?: HostedPlugins;
  loadError?: string;
  templateSrv: SandboxTemplateSrv;
}

export function Dashboard({ hosted, loadError, templateSrv }: Props) {
  const styles = useStyles2(getStyles);
  const theme = useTheme2();
  const params = new URLSearchParams(window.location.search);

  // Time range: raw in state, evaluated on change and on every refresh (a relative range moves with "now").
  const [raw, setRaw] = useState<RawTimeRange>(() => rawRangeFromUrl(window.location.search));
  const [refresh, setRefresh] = useState(params.get('refresh') ?? '');
  const [refreshTick, setRefreshTick] = useState(0);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const range = useMemo(() => evaluateRange(raw), [raw, refreshTick]);
  useEffect(() => writeUrl(raw, refresh), [raw, refresh]);
  useEffect(() => templateSrv.updateTimeRange(range), [templateSrv, range]);
  useEffect(() => {
    if (!refresh) {
      return;
    }
    const timer = setInterval(() => setRefreshTick((t) => t + 1), rangeUtil.intervalToMs(refresh));
    return () => clearInterval(timer);
  }, [refresh]);

  // The host's own Prometheus: the metric panels follow each scrape; with a relative range they slide with "now"
  // between dashboard refreshes, like Grafana's live-streaming time series.
  const scrapeMs = Number(params.get('scrape')) || 2000;
  const metrics = useMetricsScraper(scrapeMs);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const metricsRange: TimeRange = useMemo(() => (isRelative(raw) ? evaluateRange(raw) : range), [raw, range, metrics.revision]);
  const metricFrames = useMemo(
    () => metrics.store.frames(metricsRange.from.valueOf(), metricsRange.to.valueOf()),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [metrics.store, metricsRange, metrics.revision]
  );

  // One event bus for the dashboard; each panel publishes and listens through its own scoped view of it.
  const [cursorSync, setCursorSync] = useState(DashboardCursorSync.Crosshair);
  const dashboardBus = useMemo(() => new EventBusSrv(), []);
  const slots = useMemo(() => [1, 2, 3, 4].map((id) => createPanelSlot(dashboardBus, id, () => cursorSync)), [dashboardBus, cursorSync]);
  useEffect(() => {
    const origin = (event: { origin?: unknown }) => ((event.origin as { path?: string[] } | undefined)?.path ?? ['dashboard']).join('/');
    const hover = dashboardBus.getStream(DataHoverEvent).subscribe((event) =>
      hostLog.addHover({ at: Date.now(), origin: origin(event), time: Number(event.payload.point?.time) || null, type: 'hover' })
    );
    const clear = dashboardBus.getStream(DataHoverClearEvent).subscribe((event) => hostLog.addHover({ at: Date.now(), origin: origin(event), time: null, type: 'clear' }));
    return () => {
      hover.unsubscribe();
      clear.unsubscribe();
    };
  }, [dashboardBus]);

  const scenarios = useScenarios();

  // The profiles panel: options with the plugin's defaults, targets, and data from the real data source.
  const panel = hosted?.panel;
  const datasource = hosted?.datasource;
  const [targets, setTargets] = useState<DataQuery[]>(() => targetsFromUrl(params) ?? DEFAULT_TARGETS);
  const [{ options, fieldConfig }, setPanelState] = useState(() => {
    if (!panel) {
      return { options: {}, fieldConfig: { defaults: {}, overrides: [] } as FieldConfigSource };
    }
    const defaults = getPanelOptionsWithDefaults({ plugin: panel, currentOptions: panelOptionsFromUrl(params), currentFieldConfig: { defaults: {}, overrides: [] }, isAfterPluginChange: false });
    return { options: defaults.options as Record<string, unknown>, fieldConfig: defaults.fieldConfig as FieldConfigSource };
  });
  const [pluginCellRef, pluginCell] = useElementSize<HTMLDivElement>();
  const [metricCellRef, metricCell] = useElementSize<HTMLDivElement>();
  const rawData = usePanelQuery(datasource, targets, range, Math.max(100, pluginCell.width || 800));
  const replaceVariables = useCallback((value: string) => templateSrv.replace(value), [templateSrv]);
  const data = useMemo(
    () => (panel ? withFieldConfig(rawData, panel, fieldConfig, theme, 'browser', replaceVariables) : rawData),
    [rawData, panel, fieldConfig, theme, replaceVariables]
  );

  const onChangeTimeRange = useCallback(({ from, to }: { from: number; to: number }) => setRaw(absoluteRaw(from, to)), [setRaw]);
  useEffect(() => {
    hostLog.setTimeRange = (from, to) => onChangeTimeRange({ from, to });
  }, [onChangeTimeRange]);
  const [tab, setTab] = useState<'queries' | 'options' | 'inspector'>('queries');

  const metricPanels = [
    { slot: slots[0], frame: metricFrames.cpu, title: 'CPU', description: 'rate(process_cpu_seconds_total) of the demo service, scraped by the sandbox' },
    { slot: slots[1], frame: metricFrames.latency, title: 'Request latency', description: 'histogram_quantile(0.5 and 0.99) of http_request_duration_seconds' },
    { slot: slots[2], frame: metricFrames.goroutines, title: 'Goroutines', description: 'go_goroutines' },
  ];

  return (
    <div className={styles.page}>
      <Toolbar
        range={range}
        refresh={refresh}
        loading={rawData.state === 'Loading'}
        cursorSync={cursorSync}
        onRangeChange={(next) => setRaw(next.raw)}
        onMove={(direction) => setRaw(shiftRange(range, direction))}
        onZoomOut={() => setRaw(zoomOut(range))}
        onRefresh={() => setRefreshTick((t) => t + 1)}
        onRefreshIntervalChange={setRefresh}
        onCursorSyncChange={setCursorSync}
      />
      <ScenarioBar scenarios={scenarios.scenarios} error={scenarios.error ?? metrics.error} onToggle={scenarios.toggle} />
      <div className={styles.grid}>
        <div className={styles.metrics} ref={metricCellRef}>
          {metricCell.width > 0 &&
            metricPanels.map(({ slot, frame, title, description }) => (
              <PanelSlotProvider key={slot.id} slot={slot}>
                <MetricPanel
                  title={title}
                  description={description}
                  frame={frame}
                  timeRange={metricsRange}
                  width={metricCell.width}
                  height={PANEL_ROW_HEIGHT}
                  slot={slot}
                  onChangeTimeRange={onChangeTimeRange}
                />
              </PanelSlotProvider>
            ))}
        </div>
        <div className={styles.plugin} ref={pluginCellRef}>
          {loadError && (
            <Alert title="The plugin could not be loaded" severity="error" data-testid="plugin-load-error">
              {loadError}
            </Alert>
          )}
          {panel && pluginCell.width > 0 && (
            <PluginPanel
              plugin={panel}
              title="Go Runtime Profiles"
              data={data}
              options={options}
              fieldConfig={fieldConfig}
              width={pluginCell.width}
              height={pluginCell.height}
              slot={slots[3]}
              replaceVariables={replaceVariables}
              onOptionsChange={(next) => setPanelState((s) => ({ ...s, options: next }))}
              onFieldConfigChange={(next) => setPanelState((s) => ({ ...s, fieldConfig: next }))}
              onChangeTimeRange={onChangeTimeRange}
            />
          )}
        </div>
      </div>
      <section className={styles.editor}>
        <TabsBar>
          <Tab label="Queries" active={tab === 'queries'} onChangeTab={() => setTab('queries')} />
          <Tab label="Panel options" active={tab === 'options'} onChangeTab={() => setTab('options')} />
          <Tab label="Inspector" active={tab === 'inspector'} onChangeTab={() => setTab('inspector')} />
        </TabsBar>
        <div className={styles.tabBody}>
          {tab === 'queries' && hosted && (
            <>
              <DataSourceStatus hosted={hosted} />
              <QueriesEditor datasource={hosted.datasource} targets={targets} data={data} range={range} onChange={setTargets} onRunQuery={() => setRefreshTick((t) => t + 1)} />
            </>
          )}
          {tab === 'options' && panel && (
            <OptionsPane plugin={panel} options={options} series={data.series} onChange={(next) => setPanelState((s) => ({ ...s, options: next }))} />
          )}
          {tab === 'inspector' && <Inspector />}
        </div>
      </section>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  page: css({ minHeight: '100vh', background: theme.colors.background.canvas }),
  grid: css({
    display: 'grid',
    gridTemplateColumns: 'minmax(320px, 2fr) 3fr',
    gap: GAP,
    padding: theme.spacing(0, 2),
    height: PANEL_ROW_HEIGHT * 3 + GAP * 2,
  }),
  metrics: css({ display: 'flex', flexDirection: 'column', gap: GAP, minWidth: 0 }),
  plugin: css({ minWidth: 0, height: '100%' }),
  editor: css({ margin: theme.spacing(2), background: theme.colors.background.primary, border: `1px solid ${theme.colors.border.weak}` }),
  tabBody: css({ padding: theme.spacing(2) }),
});

/** The panel's views; each can be switched off in the options. */
export type PanelView = 'flamegraph' | 'heatmap' | 'findings' | 'timeline';
export const ALL_VIEWS: readonly PanelView[] = ['findings', 'heatmap', 'flamegraph', 'timeline'];
/** Shown by default; the Timeline needs an execution trace query and is switched on where one exists. */
export const DEFAULT_VIEWS: readonly PanelView[] = ['findings', 'heatmap', 'flamegraph'];

export type PanelLayout = 'stacked' | 'side-by-side';

/** Heatmap palettes: colour = goroutine count. */
export type HeatmapColorScheme = 'oranges' | 'blues' | 'greens' | 'purples' | 'viridis';

/** Heatmap rows: one per goroutine state (the data source's 15), or the states folded into a few groups. */
export type StateGrouping = 'state' | 'group';

export interface GoRuntimePanelOptions {
  views: PanelView[];
  layout: PanelLayout;
  /** Profile of the queries the panel runs itself (views without a query, window drill-downs, comparisons). */
  profileType: string;
  /** Sample type of those queries; empty = the profile's default (cpu: cpu time, heap: inuse_space ...). */
  sampleType: string;
  colorScheme: HeatmapColorScheme;
  stateGrouping: StateGrouping;
  /**
   * Node budget of the flame graph: larger frames are pruned in the panel (exact totals, the rest folded into
   * `other` nodes) and the panel's own queries ask for this many. 0 = no limit.
   */
  maxNodes: number;
  /** Run the queries a view needs when the panel's targets lack them (flame graph, goroutine states, findings). */
  companionQueries: boolean;
}

/** The data source's own default (src/datasource/runners/windowProfile.ts DEFAULT_MAX_NODES). */
export const DEFAULT_MAX_NODES = 2048;

export const DEFAULT_PANEL_OPTIONS: GoRuntimePanelOptions = {
  views: [...DEFAULT_VIEWS],
  layout: 'stacked',
  profileType: 'cpu',
  sampleType: '',
  colorScheme: 'oranges',
  stateGrouping: 'state',
  maxNodes: DEFAULT_MAX_NODES,
  companionQueries: true,
};

/** Options as saved dashboards may hold them: anything missing falls back to the defaults. */
export function resolvePanelOptions(saved: Partial<GoRuntimePanelOptions> | undefined): GoRuntimePanelOptions {
  const o = { ...DEFAULT_PANEL_OPTIONS, ...(saved ?? {}) };
  const views = Array.isArray(o.views) ? o.views.filter((v) => ALL_VIEWS.includes(v)) : [...DEFAULT_VIEWS];
  const maxNodes = Number.isFinite(o.maxNodes) && o.maxNodes >= 0 ? Math.floor(o.maxNodes) : DEFAULT_MAX_NODES;
  return { ...o, views, maxNodes };
}

/** A time window in ms since the epoch. */
export interface TimeWindow {
  from: number;
  to: number;
}

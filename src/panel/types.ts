export type PanelView = 'flamegraph' | 'heatmap' | 'findings';

export interface GoRuntimePanelOptions {
  views: PanelView[];
  layout: 'stacked' | 'side-by-side';
}

export const DEFAULT_PANEL_OPTIONS: GoRuntimePanelOptions = {
  views: ['flamegraph', 'heatmap', 'findings'],
  layout: 'stacked',
};

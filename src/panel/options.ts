/**
 * The panel's options (Grafana's panel editor). Every option has a default that works on a new panel: all three
 * views, stacked, CPU, the profile's default sample type, the data source's node budget.
 */
import type { PanelOptionsEditorBuilder, SelectableValue } from '@grafana/data';

import { ALL_VIEWS, DEFAULT_PANEL_OPTIONS as D, type GoRuntimePanelOptions, type HeatmapColorScheme } from './types';

const VIEW_LABELS = {
  findings: 'Findings',
  heatmap: 'Goroutine-state heatmap',
  flamegraph: 'Flame graph',
  timeline: 'Timeline (execution trace)',
};
const PROFILES = ['cpu', 'heap', 'allocs', 'goroutine', 'mutex', 'block'];

export function buildOptions(builder: PanelOptionsEditorBuilder<GoRuntimePanelOptions>) {
  return builder
    .addMultiSelect({
      path: 'views',
      name: 'Views',
      description: 'Which views the panel shows.',
      defaultValue: D.views,
      // The multi-select's value is the array, its options are single views; @grafana/data types both as the array.
      settings: {
        options: ALL_VIEWS.map((v) => ({ value: v, label: VIEW_LABELS[v] })) as unknown as Array<
          SelectableValue<GoRuntimePanelOptions['views']>
        >,
      },
    })
    .addRadio({
      path: 'layout',
      name: 'Layout',
      defaultValue: D.layout,
      settings: {
        options: [
          { value: 'stacked', label: 'Stacked' },
          { value: 'side-by-side', label: 'Side by side' },
        ],
      },
    })
    .addSelect({
      path: 'profileType',
      name: 'Default profile',
      description:
        'Profile of the queries the panel runs itself: views without a query, window drill-downs, comparisons.',
      defaultValue: D.profileType,
      settings: { options: PROFILES.map((p) => ({ value: p, label: p })), allowCustomValue: true },
    })
    .addTextInput({
      path: 'sampleType',
      name: 'Default sample type',
      description: 'e.g. alloc_space, inuse_objects, delay. Empty: the profile’s default.',
      defaultValue: D.sampleType,
      settings: { placeholder: 'profile default' },
    })
    .addSelect({
      path: 'colorScheme',
      name: 'Heatmap colour scheme',
      defaultValue: D.colorScheme,
      settings: {
        options: (['oranges', 'blues', 'greens', 'purples', 'viridis'] as HeatmapColorScheme[]).map((s) => ({
          value: s,
          label: s,
        })),
      },
    })
    .addRadio({
      path: 'stateGrouping',
      name: 'Heatmap rows',
      description: 'One row per goroutine state, or states folded into groups (channels, locks, syscalls, ...).',
      defaultValue: D.stateGrouping,
      settings: {
        options: [
          { value: 'state', label: 'States' },
          { value: 'group', label: 'State groups' },
        ],
      },
    })
    .addNumberInput({
      path: 'maxNodes',
      name: 'Max nodes',
      description:
        'Flame graph node budget: larger profiles are pruned (exact totals, the rest in "other" nodes). 0 = no limit.',
      defaultValue: D.maxNodes,
      settings: { min: 0, integer: true },
    })
    .addBooleanSwitch({
      path: 'companionQueries',
      name: 'Run missing queries',
      description: 'Query goroutine states, clusters and findings itself when the panel’s queries do not include them.',
      defaultValue: D.companionQueries,
    });
}

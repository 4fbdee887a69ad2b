import { PanelPlugin } from '@grafana/data';

import { GoRuntimePanel } from './components/GoRuntimePanel';
import { DEFAULT_PANEL_OPTIONS, GoRuntimePanelOptions } from './types';

export const plugin = new PanelPlugin<GoRuntimePanelOptions>(GoRuntimePanel).setPanelOptions((builder) =>
  builder.addRadio({
    path: 'layout',
    name: 'Layout',
    defaultValue: DEFAULT_PANEL_OPTIONS.layout,
    settings: {
      options: [
        { value: 'stacked', label: 'Stacked' },
        { value: 'side-by-side', label: 'Side by side' },
      ],
    },
  })
);

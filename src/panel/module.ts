import { PanelPlugin } from '@grafana/data';

import { GoRuntimePanel } from './components/GoRuntimePanel';
import { buildOptions } from './options';
import type { GoRuntimePanelOptions } from './types';

export const plugin = new PanelPlugin<GoRuntimePanelOptions>(GoRuntimePanel).setPanelOptions(buildOptions);

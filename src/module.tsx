import { AppPlugin } from '@grafana/data';

import { OverviewPage } from './app/OverviewPage';

export const plugin = new AppPlugin<{}>().setRootPage(OverviewPage);

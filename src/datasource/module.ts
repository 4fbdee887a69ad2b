import { DataSourcePlugin } from '@grafana/data';

import { GoRuntimeDataSource } from './datasource';
import { ConfigEditor } from './components/ConfigEditor';
import { QueryEditor } from './components/QueryEditor';
import type { GoRuntimeOptions, GoRuntimeQuery } from './types';

export const plugin = new DataSourcePlugin<GoRuntimeDataSource, GoRuntimeQuery, GoRuntimeOptions>(GoRuntimeDataSource)
  .setConfigEditor(ConfigEditor)
  .setQueryEditor(QueryEditor);

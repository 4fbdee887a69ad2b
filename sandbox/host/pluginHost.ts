// Loads the built nested plugins from dist/ the way Grafana does: fetch each plugin.json (Grafana gets it from
// /api/plugins), load `<appId>/<subdir>/module.js` through the AMD loader, take its exported `plugin`, set
// `plugin.meta`, and for the data source build the instance from DataSourceInstanceSettings (what
// DatasourceSrv.loadDatasource does: `new plugin.DataSourceClass(settings)` plus `components` and `meta`).
import {
  DataSourceApi,
  DataSourcePlugin,
  PanelPlugin,
  PluginType,
  type DataSourceInstanceSettings,
  type DataSourceJsonData,
  type DataSourcePluginMeta,
  type PanelPluginMeta,
  type ScopedVars,
} from '@grafana/data';
import { config, type DataSourceSrv } from '@grafana/runtime';
import type { DataQuery } from '@grafana/schema';

import type { LoadedModule } from './amdLoader';

export const APP_ID = 'seed-goruntime-app';
export const PLUGIN_BASE = `/public/plugins/${APP_ID}/`;
export const DATASOURCE_UID = 'goruntime-demo-pprof';
/** Names as provisioning/datasources/datasources.yaml gives them. */
const DATASOURCE_NAMES: Record<string, string> = {
  'goruntime-demo-pprof': 'Go service (demo, live pprof)',
  'goruntime-pyroscope': 'Go runtime (Pyroscope history)',
};

/** `?datasource=<uid>` picks another provisioned data source (the Pyroscope one, when the server has it). */
export function chosenDatasourceUid(search: string): string {
  return new URLSearchParams(search).get('datasource') || DATASOURCE_UID;
}

/** What /api/sandbox/datasources lists (the sandbox server's provisioned data sources). */
export interface SandboxDatasource {
  uid: string;
  url: string;
  jsonData: Record<string, unknown>;
}

type AnyDataSourcePlugin = DataSourcePlugin<DataSourceApi<DataQuery, DataSourceJsonData>, DataQuery, DataSourceJsonData>;

export interface HostedPlugins {
  panel: PanelPlugin;
  panelModule: LoadedModule;
  datasourcePlugin: AnyDataSourcePlugin;
  datasourceModule: LoadedModule;
  datasource: DataSourceApi;
  instanceSettings: DataSourceInstanceSettings;
}

type Loader = { load(path: string): Promise<LoadedModule> };

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url);
  if (!response.ok) {
    throw new Error(`GET ${url}: HTTP ${response.status} (is dist/ built? run \`npm run build\`)`);
  }
  return (await response.json()) as T;
}

function exportedPlugin<T>(module: LoadedModule, kind: abstract new (...args: any[]) => T): T {
  const plugin = module.exports.plugin;
  if (!(plugin instanceof kind)) {
    // An instanceof failure means the plugin got a different copy of @grafana/data than the host: the externals
    // contract is broken (or the module exports no `plugin`).
    throw new Error(`${module.url} does not export a \`plugin\` that is a ${kind.name} from the shared @grafana/data`);
  }
  return plugin;
}

export async function loadHostedPlugins(loader: Loader): Promise<HostedPlugins> {
  const [panelMeta, datasourceMeta, datasources] = await Promise.all([
    getJson<PanelPluginMeta>(`${PLUGIN_BASE}panel/plugin.json`),
    getJson<DataSourcePluginMeta>(`${PLUGIN_BASE}datasource/plugin.json`),
    getJson<SandboxDatasource[]>('/api/sandbox/datasources'),
  ]);

  const [panelModule, datasourceModule] = await Promise.all([
    loader.load(`${PLUGIN_BASE}panel/module.js`),
    loader.load(`${PLUGIN_BASE}datasource/module.js`),
  ]);

  const panel = exportedPlugin(panelModule, PanelPlugin);
  panel.meta = { ...panelMeta, type: PluginType.panel, module: `${PLUGIN_BASE}panel/module.js`, baseUrl: `${PLUGIN_BASE}panel` };

  const datasourcePlugin = exportedPlugin(datasourceModule, DataSourcePlugin) as unknown as AnyDataSourcePlugin;
  const meta: DataSourcePluginMeta = {
    ...datasourceMeta,
    type: PluginType.datasource,
    module: `${PLUGIN_BASE}datasource/module.js`,
    baseUrl: `${PLUGIN_BASE}datasource`,
  };
  datasourcePlugin.meta = meta;

  const uid = chosenDatasourceUid(window.location.search);
  const provisioned = datasources.find((ds) => ds.uid === uid);
  if (!provisioned) {
    const known = datasources.map((ds) => ds.uid).join(', ');
    throw new Error(`the sandbox server provisions no data source with uid ${uid} (it has: ${known})`);
  }
  const instanceSettings: DataSourceInstanceSettings = {
    id: 1,
    uid: provisioned.uid,
    type: meta.id,
    name: DATASOURCE_NAMES[provisioned.uid] ?? provisioned.uid,
    meta,
    url: provisioned.url,
    access: 'proxy',
    jsonData: provisioned.jsonData,
    readOnly: true,
    isDefault: true,
  };
  const datasource = new datasourcePlugin.DataSourceClass(instanceSettings);
  datasource.components = datasourcePlugin.components;
  datasource.meta = meta;

  config.datasources[instanceSettings.name] = instanceSettings;
  config.defaultDatasource = instanceSettings.uid;
  config.panels[panelMeta.id] = panel.meta;

  return { panel, panelModule, datasourcePlugin, datasourceModule, datasource, instanceSettings };
}

/** DataSourceSrv over the one data source the sandbox hosts (what `getDataSourceSrv()` gives the plugin). */
export class SandboxDataSourceSrv implements DataSourceSrv {
  constructor(
    private readonly settings: DataSourceInstanceSettings,
    private readonly instance: DataSourceApi
  ) {}

  private matches(ref?: { uid?: string } | string | null): boolean {
    if (!ref) {
      return true; // the default data source
    }
    const key = typeof ref === 'string' ? ref : ref.uid;
    return key === undefined || key === this.settings.uid || key === this.settings.name;
  }

  async get(ref?: { uid?: string } | string | null, _scopedVars?: ScopedVars): Promise<DataSourceApi> {
    if (!this.matches(ref)) {
      throw new Error(`Data source ${JSON.stringify(ref)} was not found in the sandbox`);
    }
    return this.instance;
  }

  getList(): DataSourceInstanceSettings[] {
    return [this.settings];
  }

  getInstanceSettings(ref?: { uid?: string } | string | null): DataSourceInstanceSettings | undefined {
    return this.matches(ref) ? this.settings : undefined;
  }

  async reload(): Promise<void> {}

  registerRuntimeDataSource(): void {
    throw new Error('runtime data sources are not supported in the sandbox');
  }
}

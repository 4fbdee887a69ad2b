// Entry point of the sandbox host: sets up what Grafana's boot does for plugins (boot data, runtime services, option
// editors, the AMD loader with the shared packages), loads the built panel and data source from dist/, and renders
// the dashboard.
import './bootData'; // must run before anything imports @grafana/runtime

import React, { useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { config, setBackendSrv, setDataSourceSrv, setTemplateSrv } from '@grafana/runtime';
import { GlobalStyles, LoadingPlaceholder, ThemeContext } from '@grafana/ui';

import { createAmdLoader } from './amdLoader';
import { APP_URL, AppHost } from './app/AppHost';
import { SandboxPluginPage } from './app/SandboxPluginPage';
import { createBench } from './bench/BenchHost';
import { Dashboard } from './components/Dashboard';
import { hostLog } from './hostLog';
import { registerStandardEditors } from './options/standardEditors';
import { loadHostedPlugins, SandboxDataSourceSrv, type HostedPlugins } from './pluginHost';
import { SandboxBackendSrv } from './services/backendSrv';
import { SandboxTemplateSrv, variablesFromUrl } from './services/templateSrv';
import { sharedModules } from './sharedModules';
// @grafana/runtime keeps setPluginPage internal; webpack.host.config.ts aliases its module file.
import { setPluginPage } from 'grafana-runtime-plugin-page';
import { evaluateRange, rawRangeFromUrl } from './timeRange';

declare global {
  interface Window {
    sandboxBackendSrv?: SandboxBackendSrv;
  }
}

registerStandardEditors();
// As Grafana's boot does (public/app/app.ts): the plugin's `PluginPage` renders the page frame.
setPluginPage(SandboxPluginPage);
hostLog.reactVersion = React.version;

const backendSrv = new SandboxBackendSrv();
backendSrv.requests$.subscribe((entry) => hostLog.recordRequest(entry));
setBackendSrv(backendSrv);
// The browser tests drive the same instance the plugin uses (tests/browser/backendSrv.spec.mjs).
window.sandboxBackendSrv = backendSrv;

// `service` as the provisioned dashboards define it; `?var-service=a&var-service=b` or `?var-service=$__all` selects
// several values or All, as in Grafana's URLs.
const templateSrv = new SandboxTemplateSrv(
  variablesFromUrl(window.location.search, { service: ['demo'] }),
  evaluateRange(rawRangeFromUrl(window.location.search))
);
setTemplateSrv(templateSrv);

const loader = createAmdLoader(sharedModules);
hostLog.sharedModules = loader.sharedNames;

function Root() {
  const [hosted, setHosted] = useState<HostedPlugins>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    loadHostedPlugins(loader)
      .then((plugins) => {
        setDataSourceSrv(new SandboxDataSourceSrv(plugins.instanceSettings, plugins.datasource));
        hostLog.addModule({ kind: 'panel', url: plugins.panelModule.url, deps: plugins.panelModule.deps });
        hostLog.addModule({
          kind: 'datasource',
          url: plugins.datasourceModule.url,
          deps: plugins.datasourceModule.deps,
        });
        setHosted(plugins);
      })
      .catch((e: unknown) => {
        const message = e instanceof Error ? e.message : String(e);
        hostLog.setLoadError(message);
        setError(message);
      });
  }, []);

  if (!hosted && !error) {
    return <LoadingPlaceholder text="Loading the plugin modules from dist/…" />;
  }
  return <Dashboard hosted={hosted} loadError={error} templateSrv={templateSrv} />;
}

const container = document.getElementById('root');
if (container && new URLSearchParams(window.location.search).has('bench')) {
  // The browser benchmark's page: the built panel alone, driven by window.panelBench (bench/BenchHost.tsx).
  loadHostedPlugins(loader).then(
    (plugins) => {
      window.panelBench = createBench(plugins.panel, container);
    },
    (e: unknown) => hostLog.setLoadError(e instanceof Error ? e.message : String(e))
  );
} else if (container && (window.location.pathname === APP_URL || window.location.pathname.startsWith(`${APP_URL}/`))) {
  // The app's pages, at Grafana's URLs.
  createRoot(container).render(
    <ThemeContext.Provider value={config.theme2}>
      <GlobalStyles />
      <AppHost loader={loader} />
    </ThemeContext.Provider>
  );
} else if (container) {
  createRoot(container).render(
    <ThemeContext.Provider value={config.theme2}>
      <GlobalStyles />
      <Root />
    </ThemeContext.Provider>
  );
}

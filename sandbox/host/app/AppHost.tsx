// Hosts the app plugin's pages at Grafana's URLs (`/a/<app id>/...`), as Grafana's AppRootPage does
// (public/app/features/plugins/components/AppRootPage.tsx): load `<app>/module.js`, take its AppPlugin, give it
// `meta` (plugin.json plus the settings Grafana adds), and render `plugin.root` with AppRootProps inside a router
// whose base is the app URL, so the app's own react-router routes resolve relative to it. The app's nav section comes
// from plugin.json `includes` (type page, addToNav), and PluginPage is the sandbox's frame (SandboxPluginPage).
import React, { useEffect, useMemo, useState } from 'react';
import { AppPlugin, PluginType, type AppPluginMeta, type NavModel, type NavModelItem } from '@grafana/data';
import { Alert, LoadingPlaceholder } from '@grafana/ui';
import { BrowserRouter, Route, Routes, useLocation } from 'react-router-dom';

import type { LoadedModule } from '../amdLoader';
import { hostLog } from '../hostLog';
import { APP_ID, PLUGIN_BASE } from '../pluginHost';
import { AppNavContext, type AppNav } from './SandboxPluginPage';

export const APP_URL = `/a/${APP_ID}`;

type Loader = { load(path: string): Promise<LoadedModule> };

interface PluginJson {
  name: string;
  includes?: Array<{ type: string; name: string; path?: string; addToNav?: boolean; defaultNav?: boolean }>;
}

interface LoadedApp {
  plugin: AppPlugin;
  meta: AppPluginMeta;
  pages: NavModelItem[];
}

async function loadApp(loader: Loader): Promise<LoadedApp> {
  const response = await fetch(`${PLUGIN_BASE}plugin.json`);
  if (!response.ok) {
    throw new Error(`GET ${PLUGIN_BASE}plugin.json: HTTP ${response.status} (is dist/ built? run \`npm run build\`)`);
  }
  const json = (await response.json()) as PluginJson & AppPluginMeta;
  const module = await loader.load(`${PLUGIN_BASE}module.js`);
  hostLog.addModule({ kind: 'app', url: module.url, deps: module.deps });
  const plugin = module.exports.plugin;
  if (!(plugin instanceof AppPlugin)) {
    throw new Error(`${module.url} does not export a \`plugin\` that is an AppPlugin from the shared @grafana/data`);
  }
  const meta: AppPluginMeta = {
    ...json,
    type: PluginType.app,
    module: `${PLUGIN_BASE}module.js`,
    baseUrl: PLUGIN_BASE.replace(/\/$/, ''),
    enabled: true,
    jsonData: {},
  };
  plugin.init(meta);
  plugin.meta = meta;
  const pages = (json.includes ?? [])
    .filter((inc) => inc.type === 'page' && inc.addToNav && inc.path?.startsWith('/a/'))
    .map((inc) => ({ text: inc.name, url: inc.path!.replace('%PLUGIN_ID%', APP_ID) }));
  return { plugin, meta, pages };
}

export function AppHost({ loader }: { loader: Loader }) {
  const [app, setApp] = useState<LoadedApp>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    loadApp(loader).then(setApp, (e: unknown) => {
      const message = e instanceof Error ? e.message : String(e);
      hostLog.setLoadError(message);
      setError(message);
    });
  }, [loader]);

  if (error) {
    return (
      <Alert title="The app could not be loaded" severity="error" data-testid="plugin-load-error">
        {error}
      </Alert>
    );
  }
  if (!app) {
    return <LoadingPlaceholder text="Loading the app module from dist/…" />;
  }
  return (
    <BrowserRouter>
      <Routes>
        <Route path={`${APP_URL}/*`} element={<AppRoot app={app} />} />
      </Routes>
    </BrowserRouter>
  );
}

function AppRoot({ app }: { app: LoadedApp }) {
  const location = useLocation();
  const [, setNav] = useState<NavModel>();
  const Root = app.plugin.root;
  const nav: AppNav = useMemo(
    () => ({
      appName: app.meta.name,
      appUrl: app.pages[0]?.url ?? APP_URL,
      current: app.pages.find((p) => location.pathname === p.url || location.pathname.startsWith(`${p.url}/`)),
    }),
    [app, location.pathname]
  );
  if (!Root) {
    return <Alert title={`${app.meta.name} has no root page`} severity="error" data-testid="plugin-load-error" />;
  }
  return (
    <AppNavContext.Provider value={nav}>
      <div data-testid="plugin-app">
        <Root
          meta={app.meta}
          basename={APP_URL}
          path={location.pathname}
          query={Object.fromEntries(new URLSearchParams(location.search)) as never}
          onNavChanged={setNav}
        />
      </div>
    </AppNavContext.Provider>
  );
}

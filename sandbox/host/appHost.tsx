// The app plugin's pages in the sandbox, as Grafana serves them under /a/<plugin id>/: load the root module.js through
// the AMD loader, take its AppPlugin, set `meta` from plugin.json, and render `plugin.root` inside a router for every
// URL under the app (Grafana's AppRootPage does this; the app's own <Routes> are relative to /a/<plugin id>/).
// Grafana frames each page with PluginPage (page title from the nav item of the include, breadcrumbs, subtitle);
// @grafana/runtime exports PluginPage as a placeholder that Grafana replaces at start with setPluginPage, and so does
// the sandbox here, with a frame of the same parts.
import React, { useEffect, useState } from 'react';
import { css } from '@emotion/css';
import { AppPlugin, PluginType, type AppPluginMeta, type GrafanaTheme2 } from '@grafana/data';
import type { PluginPageProps, PluginPageType } from '@grafana/runtime';
import { Alert, LoadingPlaceholder, useStyles2 } from '@grafana/ui';
import { BrowserRouter, Link, Route, Routes, useLocation } from 'react-router-dom';

// @ts-expect-error -- the file has no declaration of its own; typed where it is used below
import * as pluginPageModule from '../../node_modules/@grafana/runtime/dist/esm/components/PluginPage.mjs';

import type { LoadedModule } from './amdLoader';
import { APP_ID, PLUGIN_BASE } from './pluginHost';

interface Include {
  type: string;
  name: string;
  path?: string;
  addToNav?: boolean;
}

type AppMeta = AppPluginMeta & { includes?: Include[] };

/** The app's pages as Grafana's nav lists them: `page` includes with addToNav under /a/<id>/. */
function navPages(meta: AppMeta | undefined): Array<{ name: string; path: string }> {
  return (meta?.includes ?? [])
    .filter((i) => i.type === 'page' && i.addToNav && i.path)
    .map((i) => ({ name: i.name, path: i.path!.replace('%PLUGIN_ID%', APP_ID) }))
    .filter((p) => p.path.startsWith(`/a/${APP_ID}/`));
}

// @grafana/runtime's package exports keep `setPluginPage` internal (Grafana imports it from its own source tree). This
// is the file the package's index re-exports PluginPage from, so setting it here changes what plugins import.
const setPluginPage = (pluginPageModule as { setPluginPage: (component: PluginPageType) => void }).setPluginPage;

let appMeta: AppMeta | undefined;

function SandboxPluginPage({ children, subTitle, actions, pageNav }: PluginPageProps) {
  const styles = useStyles2(getStyles);
  const { pathname } = useLocation();
  const page = navPages(appMeta).find((p) => pathname === p.path || pathname.startsWith(`${p.path}/`));
  const crumbs = [{ text: 'Home', url: '/' }, { text: 'Apps' }, { text: appMeta?.name ?? APP_ID, url: `/a/${APP_ID}` }];
  if (page) {
    crumbs.push({ text: page.name, url: page.path });
  }
  if (pageNav) {
    crumbs.push({ text: pageNav.text, url: pageNav.url ?? pathname });
  }
  const title = pageNav?.text ?? page?.name ?? appMeta?.name ?? APP_ID;
  return (
    <div className={styles.page} data-testid="plugin-page">
      <nav aria-label="Breadcrumbs">
        <ol className={styles.crumbs}>
          {crumbs.map((c, i) => (
            <li key={i}>
              {c.url && i < crumbs.length - 1 ? <Link to={c.url}>{c.text}</Link> : <span>{c.text}</span>}
            </li>
          ))}
        </ol>
      </nav>
      <header className={styles.header}>
        <h1 className={styles.title}>{title}</h1>
        {actions}
      </header>
      {subTitle && <div className={styles.subTitle}>{subTitle}</div>}
      <main>{children}</main>
    </div>
  );
}

async function loadApp(loader: { load(path: string): Promise<LoadedModule> }): Promise<AppPlugin> {
  const response = await fetch(`${PLUGIN_BASE}plugin.json`);
  if (!response.ok) {
    throw new Error(`GET ${PLUGIN_BASE}plugin.json: HTTP ${response.status} (is dist/ built? run \`npm run build\`)`);
  }
  const meta = (await response.json()) as AppMeta;
  const module = await loader.load(`${PLUGIN_BASE}module.js`);
  const plugin = module.exports.plugin;
  if (!(plugin instanceof AppPlugin)) {
    throw new Error(`${module.url} does not export a \`plugin\` that is an AppPlugin from the shared @grafana/data`);
  }
  appMeta = { ...meta, type: PluginType.app, module: `${PLUGIN_BASE}module.js`, baseUrl: PLUGIN_BASE, enabled: true };
  plugin.meta = appMeta;
  plugin.init(appMeta);
  return plugin;
}

/** Stand-in for Grafana's side menu: the dashboard and the app's pages. */
function SandboxNav() {
  const styles = useStyles2(getStyles);
  return (
    <nav aria-label="Sandbox" className={styles.nav}>
      <a href="/">Dashboard</a>
      {navPages(appMeta).map((p) => (
        <Link key={p.path} to={p.path}>
          {p.name}
        </Link>
      ))}
    </nav>
  );
}

export function AppHost({ loader }: { loader: { load(path: string): Promise<LoadedModule> } }) {
  const [plugin, setPlugin] = useState<AppPlugin>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    setPluginPage(SandboxPluginPage);
    loadApp(loader).then(setPlugin, (e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, [loader]);
  if (error) {
    return (
      <Alert title="The app plugin could not be loaded" data-testid="plugin-load-error">
        {error}
      </Alert>
    );
  }
  if (!plugin?.root) {
    return <LoadingPlaceholder text="Loading the app module from dist/…" />;
  }
  const Root = plugin.root;
  const basename = `/a/${APP_ID}`;
  return (
    <BrowserRouter>
      <SandboxNav />
      <Routes>
        <Route
          path={`${basename}/*`}
          element={
            <div data-testid="plugin-app">
              <Root meta={plugin.meta} basename={basename} onNavChanged={() => {}} query={{}} path={basename} />
            </div>
          }
        />
      </Routes>
    </BrowserRouter>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  page: css({ padding: theme.spacing(2, 3), maxWidth: 1600 }),
  crumbs: css({
    display: 'flex',
    gap: theme.spacing(1),
    listStyle: 'none',
    margin: 0,
    padding: 0,
    color: theme.colors.text.secondary,
    'li + li::before': { content: '"›"', marginRight: theme.spacing(1) },
  }),
  header: css({ display: 'flex', alignItems: 'center', gap: theme.spacing(2), margin: theme.spacing(1, 0, 0.5) }),
  title: css({ margin: 0, fontSize: theme.typography.h2.fontSize }),
  subTitle: css({ color: theme.colors.text.secondary, marginBottom: theme.spacing(2) }),
  nav: css({
    display: 'flex',
    gap: theme.spacing(2),
    padding: theme.spacing(1, 3),
    borderBottom: `1px solid ${theme.colors.border.weak}`,
    background: theme.colors.background.secondary,
  }),
});

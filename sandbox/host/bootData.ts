// Grafana's index.html sets `window.grafanaBootData` in an inline script before any bundle runs, and @grafana/runtime
// reads it once, when its `config` module is first evaluated. The sandbox's CSP forbids inline scripts, so this module
// does it instead; index.tsx imports it before anything that imports @grafana/runtime.
import type { BootData } from '@grafana/data';
import { config as zodConfig } from 'zod';

declare global {
  interface Window {
    /** Where @grafana/ui looks for its icons (`build/img/icons/`) and fonts (`fonts/`). */
    __grafana_public_path__?: string;
  }
}

window.__grafana_public_path__ = '/public/';

// (Typed through a cast: @grafana/plugin-e2e declares a narrower `window.grafanaBootData` for its own use.)
const bootData: BootData = {
  assets: { dark: '', light: '' },
  navTree: [],
  user: {
    isSignedIn: true,
    id: 1,
    uid: 'sandbox',
    login: 'sandbox',
    name: 'Sandbox',
    email: '',
    theme: 'dark',
    timezone: 'browser',
    weekStart: 'browser',
    language: 'en-US',
    orgId: 1,
    orgName: 'Sandbox',
    orgRole: 'Editor',
    isGrafanaAdmin: false,
    permissions: {},
  } as unknown as BootData['user'],
  settings: {
    appUrl: `${window.location.origin}/`,
    appSubUrl: '',
    buildInfo: { version: '13.1.0', commit: 'sandbox', env: 'production', edition: 'Open Source' },
    featureToggles: {},
    datasources: {},
    panels: {},
    apps: {},
  } as unknown as BootData['settings'],
};
(window as unknown as { grafanaBootData: BootData }).grafanaBootData = bootData;

// zod (used by @grafana/data) probes once whether `new Function` works, to speed up parsing. Under a CSP without
// 'unsafe-eval' the probe fails harmlessly but is still reported as a CSP violation, which would hide real ones from
// the plugin. `jitless` skips the probe.
zodConfig({ jitless: true });

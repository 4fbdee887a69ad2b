// Packages the host hands to plugins untouched (sharedModules.ts) without using their API, and that ship no types.
declare module 'd3';
declare module 'prismjs';

// @grafana/runtime's PluginPage module file, aliased in webpack.host.config.ts (setPluginPage is not a public export).
declare module 'grafana-runtime-plugin-page' {
  export function setPluginPage(component: import('@grafana/runtime').PluginPageType): void;
}

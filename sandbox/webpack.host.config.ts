import path from 'path';
import type { Configuration } from 'webpack';

import { hostBuildDir, reactPackageDirs, sandboxReact } from './reactVersion';

// Builds the sandbox host (sandbox/host/) into sandbox/.build/: the page that plays Grafana's part for the built
// plugin in dist/. It bundles the Grafana packages the plugin takes as externals and hands them to the plugin's AMD
// modules at run time, as Grafana does. Source maps are separate files, never `eval` (the page runs under a CSP
// without 'unsafe-eval'). Not minified: the build stays fast and the host is a development tool.
// SANDBOX_REACT picks the React the host runs and hands to the plugin (19, as Grafana 13; 18, as Grafana 12.3/12.4):
// every `react`/`react-dom` import in the host bundle, @grafana/ui's included, resolves to that copy.
const root = path.resolve(__dirname, '..');
const react = sandboxReact();
const reactDirs = reactPackageDirs(react);

const config = (_env: unknown, argv: { mode?: Configuration['mode'] }): Configuration => ({
  mode: argv.mode ?? 'production',
  context: root,
  entry: { host: './sandbox/host/index.tsx' },
  devtool: 'source-map',
  cache: { type: 'filesystem', cacheDirectory: path.join(root, '.cache', `webpack-sandbox-host-react${react}`) },
  output: {
    path: hostBuildDir(react),
    publicPath: '/host/',
    filename: '[name].js',
    chunkFilename: 'chunk-[name]-[contenthash:8].js',
    clean: true,
  },
  resolve: {
    extensions: ['.ts', '.tsx', '.mjs', '.js', '.json'],
    alias: {
      ...(reactDirs ? { react: reactDirs.react, 'react-dom': reactDirs['react-dom'], scheduler: path.join(reactDirs.modules, 'scheduler') } : {}),
      // Grafana's boot calls setPluginPage (public/app/app.ts); @grafana/runtime keeps it out of its public exports,
      // so the host reaches the module file itself (the same module instance the package's index imports).
      'grafana-runtime-plugin-page$': path.join(
        path.dirname(require.resolve('@grafana/runtime/package.json')),
        'dist',
        'esm',
        'components',
        'PluginPage.mjs'
      ),
    },
  },
  module: {
    rules: [
      // Some ES packages @grafana/ui imports (OpenLayers) use extensionless specifiers in .mjs files. `javascript/auto`
      // keeps Babel's __esModule interop for CommonJS packages imported from .mjs files: in strict ESM mode a default
      // import of react-custom-scrollbars-2 (used by @grafana/ui's CustomScrollbar, so its Table) is the exports
      // object, not the component, and rendering it fails ("Element type is invalid ... got: object").
      { test: /\.m?js$/, resolve: { fullySpecified: false }, type: 'javascript/auto' },
      {
        test: /\.[tj]sx?$/,
        exclude: /node_modules/,
        use: {
          loader: 'swc-loader',
          options: {
            jsc: {
              target: 'es2020',
              parser: { syntax: 'typescript', tsx: true },
              transform: { react: { runtime: 'automatic' } },
            },
          },
        },
      },
      // @grafana/ui imports a few stylesheets (uPlot, the slider, the data grid); style-loader injects them as
      // <style> elements, which the page's CSP allows ('unsafe-inline' for styles, as Grafana's own CSP does).
      { test: /\.css$/, use: ['style-loader', 'css-loader'] },
      { test: /\.(svg|png|woff2?)$/, type: 'asset/resource' },
    ],
  },
  optimization: { minimize: false },
  performance: { hints: false },
  stats: 'errors-warnings',
});

export default config;

import path from 'path';
import type { Configuration } from 'webpack';

// Builds the sandbox host (sandbox/host/) into sandbox/.build/: the page that plays Grafana's part for the built
// plugin in dist/. It bundles the Grafana packages the plugin takes as externals and hands them to the plugin's AMD
// modules at run time, as Grafana does. Source maps are separate files, never `eval` (the page runs under a CSP
// without 'unsafe-eval'). Not minified: the build stays fast and the host is a development tool.
const root = path.resolve(__dirname, '..');

const config = (_env: unknown, argv: { mode?: Configuration['mode'] }): Configuration => ({
  mode: argv.mode ?? 'production',
  context: root,
  entry: { host: './sandbox/host/index.tsx' },
  devtool: 'source-map',
  cache: { type: 'filesystem', cacheDirectory: path.join(root, '.cache', 'webpack-sandbox-host') },
  output: {
    path: path.join(root, 'sandbox', '.build'),
    publicPath: '/host/',
    filename: '[name].js',
    chunkFilename: 'chunk-[name]-[contenthash:8].js',
    clean: true,
  },
  resolve: { extensions: ['.ts', '.tsx', '.mjs', '.js', '.json'] },
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

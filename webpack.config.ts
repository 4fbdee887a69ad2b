import type { Configuration } from 'webpack';
import CopyWebpackPlugin from 'copy-webpack-plugin';
import { merge } from 'webpack-merge';

import grafanaConfig, { type Env } from './.config/webpack/webpack.config';

// Extends the create-plugin config (never edited: `.config/` is tool-owned). The scaffold copies only the root
// plugin's logos; the nested data source and panel need theirs in dist/datasource/img and dist/panel/img.
// Source maps are separate files in development too: the scaffold's `eval-source-map` wraps every module in eval(),
// which a Grafana (or the sandbox) running with a CSP without 'unsafe-eval' refuses to run.
const config = async (env: Env): Promise<Configuration> =>
  merge(await grafanaConfig(env), {
    devtool: 'source-map',
    // protobufjs reads `global`; webpack's polyfill for it contains `new Function("return this")`, which a strict
    // content security policy (no 'unsafe-eval', as Grafana may run) forbids. Browsers have globalThis.
    node: { global: false },
    // protobufjs/minimal optionally loads long.js for 64-bit values; the core reads varints itself (no Long), and
    // long.js compiles a WebAssembly module on load, which a strict CSP reports as a 'wasm-eval' violation.
    resolve: { alias: { long: false } },
    plugins: [
      new CopyWebpackPlugin({
        patterns: [
          { from: 'datasource/img', to: 'datasource/img' },
          { from: 'panel/img', to: 'panel/img' },
        ],
      }),
    ],
  });

export default config;

/**
 * Lets @grafana/flamegraph load under Jest. In the plugin bundle `d3` is an external (Grafana shares its copy);
 * under Jest the flame graph's CommonJS build requires the `d3` package, whose entry is ES modules only, which the
 * scaffold's transform does not compile. d3's UMD build has the same API. Import after grafanaModuleShims.
 */
const flamegraphShimPath = require('path');

jest.mock('d3', () =>
  jest.requireActual(flamegraphShimPath.resolve(__dirname, '../../../node_modules/d3/dist/d3.min.js'))
);

export {};

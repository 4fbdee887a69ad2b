/**
 * Lets @grafana/data, @grafana/ui and @grafana/runtime load under the scaffold's Jest config. Import it first in a
 * test file, before anything that imports @grafana/*.
 *
 * Why: d3-color 3.1 (a dependency of @grafana/data) ships only ES modules as `.mjs`, and the scaffold's transform
 * only matches `.[jt]sx?`, so Jest fails with "Unexpected token 'export'"; its UMD build is used instead. Files run
 * from the node project (tests/node) also lack the jsdom project's setup (TextEncoder, matchMedia). `.config/` must
 * not be edited, so the gap is closed here; a `moduleNameMapper` entry for d3-color in jest.config.js would make
 * this module unnecessary.
 */
const shimPath = require('path');
const shimUtil = require('util');

jest.mock('d3-color', () =>
  jest.requireActual(shimPath.resolve(__dirname, '../../node_modules/d3-color/dist/d3-color.min.js'))
);

if (typeof globalThis.TextEncoder === 'undefined') {
  Object.assign(globalThis, { TextEncoder: shimUtil.TextEncoder, TextDecoder: shimUtil.TextDecoder });
}
if (typeof window !== 'undefined' && !window.matchMedia) {
  const mql = {
    matches: false,
    addListener() {},
    removeListener() {},
    addEventListener() {},
    removeEventListener() {},
  };
  Object.defineProperty(window, 'matchMedia', { writable: true, value: () => mql });
}

export {};

/**
 * What the Node project's tests that switch to jsdom (`@jest-environment jsdom` in tests/node) need before
 * @grafana/* loads: the jsdom project's setup (the scaffold's .config/jest-setup.js: TextEncoder, matchMedia) does not
 * run for them, since the Node project has no setup files. Import it first. (d3-color's ESM-only build is mapped to
 * its UMD build for every test in jest.config.js.)
 */
const shimUtil = require('util');

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

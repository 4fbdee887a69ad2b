// force timezone to UTC to allow tests to work regardless of local timezone
process.env.TZ = 'UTC';

const base = require('./.config/jest.config');

// Two projects: the analysis core and the CLI run in plain Node (they must not depend on the DOM, and Node is
// what the CLI and the fixture tests use); everything that renders runs in jsdom with the scaffold's setup.
const nodeTests = [
  '<rootDir>/src/core/**/*.test.ts',
  '<rootDir>/src/cli/**/*.test.ts',
  '<rootDir>/tests/node/**/*.test.ts',
];

// Packages whose entry is ES modules only, which the scaffold's transform does not compile: their UMD builds have the
// same API. d3-color 3 is a dependency of @grafana/data; d3 7 is what @grafana/flamegraph's CommonJS build requires
// (in the plugin bundle `d3` is an external: Grafana shares its copy).
const moduleNameMapper = {
  ...base.moduleNameMapper,
  '^d3-color$': '<rootDir>/node_modules/d3-color/dist/d3-color.min.js',
  '^d3$': '<rootDir>/node_modules/d3/dist/d3.min.js',
};

module.exports = {
  testTimeout: 30000,
  projects: [
    {
      ...base,
      moduleNameMapper,
      displayName: 'node',
      testEnvironment: 'node',
      setupFilesAfterEnv: [],
      testMatch: nodeTests,
    },
    {
      ...base,
      moduleNameMapper,
      displayName: 'jsdom',
      testPathIgnorePatterns: ['<rootDir>/src/core/', '<rootDir>/src/cli/', '<rootDir>/node_modules/'],
    },
  ],
};

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

module.exports = {
  testTimeout: 30000,
  projects: [
    {
      ...base,
      displayName: 'node',
      testEnvironment: 'node',
      setupFilesAfterEnv: [],
      testMatch: nodeTests,
    },
    {
      ...base,
      displayName: 'jsdom',
      testPathIgnorePatterns: ['<rootDir>/src/core/', '<rootDir>/src/cli/', '<rootDir>/node_modules/'],
    },
  ],
};

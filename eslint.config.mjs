import { defineConfig } from 'eslint/config';
import baseConfig from './.config/eslint.config.mjs';

// The analysis core (src/core) runs in the browser, in Node tests and in the CLI, so it may depend on nothing but
// itself and platform-neutral libraries. These rules are the enforcement of that layering (see README "Architecture").
const frameworkImports = [
  {
    group: ['@grafana/*'],
    message: 'src/core must not depend on Grafana: put Grafana types in src/frames or the plugins.',
  },
  {
    group: ['react', 'react/*', 'react-dom', 'react-dom/*', '@emotion/*'],
    message: 'src/core must not depend on React.',
  },
  {
    group: ['rxjs', 'rxjs/*'],
    message: 'src/core is synchronous and framework-free: streaming belongs to the data source.',
  },
  { group: ['node:*'], message: 'src/core must not depend on Node: the CLI adapter does the I/O.' },
];
const nodeBuiltins = [
  'fs',
  'fs/promises',
  'path',
  'http',
  'https',
  'os',
  'child_process',
  'zlib',
  'url',
  'util',
  'stream',
  'buffer',
  'crypto',
  'net',
  'process',
  'worker_threads',
];
const platformGlobals = [
  'window',
  'document',
  'navigator',
  'localStorage',
  'sessionStorage',
  'HTMLElement',
  'HTMLCanvasElement',
  'fetch',
  'process',
  'Buffer',
  'require',
  '__dirname',
  '__filename',
  'global',
  'setImmediate',
].map((name) => ({
  name,
  message: `src/core is platform-neutral: '${name}' exists only in the DOM or in Node. Pass what you need in from an adapter.`,
}));

// Each core layer may use only the layers below it: wire <- model <- analysis.
const layerRule = (layer, forbidden) => ({
  files: layer ? [`src/core/${layer}/**/*.ts`] : ['src/core/*.ts'],
  ignores: ['src/core/**/*.test.ts'],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        paths: nodeBuiltins.map((name) => ({ name, message: 'src/core must not depend on Node built-ins.' })),
        patterns: [
          ...frameworkImports,
          ...forbidden.map((upper) => ({
            group: [`**/${upper}/*`, `**/${upper}`],
            message: `src/core/${layer || ''} must not import from the ${upper} layer above it.`,
          })),
        ],
      },
    ],
    'no-restricted-globals': ['error', ...platformGlobals],
  },
});

// Adapters (src/frames, src/datasource, src/panel, src/cli, src/app) use the core only through src/core/index.ts and
// frames only through src/frames/index.ts, so what the core offers them is one file to read; the panel never
// imports the data source (its bundle would carry the data source's code). Tests and test helpers may reach deeper.
const adapterRule = (dir) => ({
  files: [`src/${dir}/**/*.{ts,tsx}`],
  ignores: ['src/**/*.test.{ts,tsx}', 'src/**/testing/**'],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        // The scaffold's own restriction (@grafana/eslint-config), kept: this rule replaces it for these files.
        paths: [{ name: 'moment', message: 'Use dateTime from @grafana/data.' }],
        patterns: [
          {
            group: ['**/core/*'],
            message: 'Adapters import the analysis core through its entry, src/core/index.ts (e.g. ../../core).',
          },
          ...(dir === 'frames'
            ? []
            : [
                {
                  group: ['**/frames/*'],
                  message: 'Adapters use frames through their entry, src/frames/index.ts (e.g. ../../frames).',
                },
              ]),
        ],
      },
    ],
  },
});

export default defineConfig([
  {
    ignores: [
      '**/logs',
      '**/*.log',
      '**/node_modules/',
      '**/coverage',
      '**/dist/',
      '**/artifacts/',
      '.cache/',
      'sandbox/.build/',
      'test-artifacts/',
      'bench/.data/',
      'dist-cli/',
      'demo/',
      'fixtures/',
      'test-results/',
      'playwright-report/',
      'blob-report/',
      'playwright/.cache/',
      'playwright/.auth/',
      '**/.eslintcache',
    ],
  },
  ...baseConfig,
  // The scaffold lints TypeScript only under src/; benchmarks, test support, e2e specs and the sandbox host are code too.
  { files: ['bench/**/*.ts', 'tests/**/*.ts', 'sandbox/**/*.{ts,tsx}', 'tools/**/*.ts'] },
  layerRule('', []),
  layerRule('wire', ['model', 'analysis']),
  layerRule('model', ['analysis']),
  layerRule('analysis', []),
  adapterRule('frames'),
  adapterRule('datasource'),
  adapterRule('cli'),
  adapterRule('app'),
  adapterRule('panel'),
  {
    // The panel never imports the data source, not even its types: the query shape both use is src/query.
    files: ['src/panel/**/*.{ts,tsx}'],
    ignores: ['src/**/*.test.{ts,tsx}', 'src/**/testing/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/datasource', '**/datasource/*'],
              message:
                'The panel never imports the data source: shared facts belong in src/core, frame shapes in src/frames, the query shape in src/query.',
            },
          ],
        },
      ],
    },
  },
]);

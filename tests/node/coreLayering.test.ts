/**
 * The lint rules that keep src/core free of Grafana, React, DOM and Node, one-directional between its layers, and
 * reached by adapters only through its entry (frames through theirs; the panel never through the data source) are
 * checked here against probe sources: a rule that silently stopped matching would let the layering rot.
 */
import { spawnSync } from 'child_process';

import { repoRoot } from '../support/fixtures';

// ESLint's flat config is an ES module, which Jest's module system cannot import: every probe is linted in one child
// process through ESLint's Node API (starting ESLint costs seconds on a loaded machine), under a path inside the
// repository so that the config's file patterns apply. Probes are declared while Jest collects the tests and linted
// together when the first test asks.
const LINT_PROBES = `
const { ESLint } = require('eslint');
const probes = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const eslint = new ESLint({
  overrideConfig: {
    languageOptions: { parserOptions: { project: false, projectService: false } },
    rules: { '@typescript-eslint/no-deprecated': 'off' },
  },
});
(async () => {
  const out = [];
  for (const p of probes) {
    const [result] = await eslint.lintText(p.source, { filePath: p.file });
    out.push(result.messages.map((m) => m.ruleId + ': ' + m.message));
  }
  process.stdout.write('@@' + JSON.stringify(out));
})();
`;

const probes: Array<{ file: string; source: string }> = [];
let linted: string[][] | undefined;

function lintAll(): string[][] {
  const result = spawnSync(process.execPath, ['-e', LINT_PROBES], {
    cwd: repoRoot,
    input: JSON.stringify(probes),
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  const marker = result.stdout.lastIndexOf('@@');
  if (marker < 0) {
    throw new Error(`eslint did not run: ${result.stderr}`);
  }
  return JSON.parse(result.stdout.slice(marker + 2));
}

/** Declares a probe; the returned function gives its rule messages (`ruleId: message`). */
function probe(file: string, source: string): () => string[] {
  const index = probes.push({ file, source }) - 1;
  return () => {
    linted ??= lintAll();
    return linted[index];
  };
}

const importProbe = (file: string, from: string) => probe(file, `import { a } from '${from}';\nexport const x = a;\n`);
const restricted = (messages: string[]) => messages.filter((m) => /no-restricted/.test(m));

describe('src/core layering rule', () => {
  it.each(
    [
      ["import { toDataFrame } from '@grafana/data';", 'Grafana'],
      ["import React from 'react';", 'React'],
      ["import { Observable } from 'rxjs';", 'streaming'],
      ["import { readFileSync } from 'fs';", 'Node built-ins'],
      ["import { readFile } from 'node:fs/promises';", 'Node'],
    ].map(
      ([line, reason]) => [line, reason, probe('src/core/analysis/probe.ts', `${line}\nexport const x = 1;\n`)] as const
    )
  )('rejects %s in the core', (_line, reason, messages) => {
    expect(messages().join('\n')).toContain(reason);
  });

  const globals = probe(
    'src/core/model/probe.ts',
    'export const x = [window.location, process.env, document.title];\n'
  );
  it('rejects DOM and Node globals in the core', () => {
    expect(globals().filter((m) => m.startsWith('no-restricted-globals'))).toHaveLength(3);
  });

  const wire = importProbe('src/core/wire/probe.ts', '../model/a');
  const model = importProbe('src/core/model/probe.ts', '../analysis/a');
  it('rejects imports from a higher core layer', () => {
    expect(wire().join()).toContain('must not import from the model layer');
    expect(model().join()).toContain('must not import from the analysis layer');
  });

  const panelReact = probe('src/panel/probe.ts', "import React from 'react';\nexport const x = React;\n");
  const analysisWire = importProbe('src/core/analysis/probe.ts', '../wire/a');
  it('allows the same imports outside the core and lower layers inside it', () => {
    expect(restricted(panelReact())).toEqual([]);
    expect(restricted(analysisWire())).toEqual([]);
  });
});

describe('adapter entry rules', () => {
  it.each(
    [
      ['src/panel/flame/probe.ts', '../../core/analysis/nestedSet'],
      ['src/datasource/runners/probe.ts', '../../core/model/goProfiles'],
      ['src/cli/probe.ts', '../core/analysis/findings/runner'],
      ['src/frames/probe.ts', '../core/analysis/flameLabels'],
      ['src/app/probe.tsx', '../core/errors'],
    ].map(([file, from]) => [file, from, importProbe(file, from)] as const)
  )('rejects a deep core import in %s (%s)', (_file, _from, messages) => {
    expect(messages().join('\n')).toContain('through its entry, src/core/index.ts');
  });

  it.each(
    [
      ['src/panel/heatmap/probe.ts', '../../frames/heatmap'],
      ['src/datasource/runners/probe.ts', '../../frames/flame'],
      ['src/cli/probe.ts', '../frames/table'],
    ].map(([file, from]) => [file, from, importProbe(file, from)] as const)
  )('rejects a deep frames import in %s (%s)', (_file, _from, messages) => {
    expect(messages().join('\n')).toContain('through their entry, src/frames/index.ts');
  });

  const panelQueryImport = importProbe('src/panel/data/probe.ts', '../../query');
  it('allows the panel the shared query shape (src/query)', () => {
    expect(restricted(panelQueryImport())).toEqual([]);
  });

  const panelTypeImport = probe(
    'src/panel/data/probe.ts',
    "import type { GoRuntimeQuery } from '../../datasource/types';\nexport type Q = GoRuntimeQuery;\n"
  );
  it('rejects even a type-only import of the data source in the panel', () => {
    expect(panelTypeImport().join('\n')).toContain('The panel never imports the data source');
  });

  const panelToDatasource = [
    importProbe('src/panel/flame/probe.ts', '../../datasource/query/profileTypes'),
    importProbe('src/panel/components/probe.tsx', '../../datasource'),
  ];
  it('rejects a data source import in the panel', () => {
    for (const messages of panelToDatasource) {
      expect(messages().join('\n')).toContain('The panel never imports the data source');
    }
  });

  const allowed = [
    importProbe('src/panel/flame/probe.ts', '../../core'),
    importProbe('src/panel/flame/probe.ts', '../../frames'),
    importProbe('src/frames/probe.ts', './flame'),
    importProbe('src/datasource/runners/probe.ts', '../query/profileTypes'),
    importProbe('src/panel/flame/probe.test.ts', '../../core/analysis/nestedSet'),
  ];
  it('allows the entries, imports inside one adapter, and deep imports in tests', () => {
    for (const messages of allowed) {
      expect(restricted(messages())).toEqual([]);
    }
  });
});

/**
 * The lint rule that keeps src/core free of Grafana, React, DOM and Node, and one-directional between its layers,
 * is checked here against probe sources: a rule that silently stopped matching would let the core rot.
 */
import { spawnSync } from 'child_process';
import { join } from 'path';

import { repoRoot } from '../support/fixtures';

// ESLint's flat config is an ES module, which Jest's module system cannot import: lint in a child process, as
// `npm run lint` does, feeding the probe through stdin under a path inside the core.
async function ruleViolations(file: string, source: string): Promise<string[]> {
  const result = spawnSync(
    join(repoRoot, 'node_modules', '.bin', 'eslint'),
    [
      '--format',
      'json',
      '--parser-options',
      'project:false',
      '--rule',
      '@typescript-eslint/no-deprecated: off',
      '--stdin',
      '--stdin-filename',
      file,
    ],
    {
      cwd: repoRoot,
      input: source,
      encoding: 'utf8',
    }
  );
  // A deprecation notice of a scaffold dependency is printed on stdout before the report.
  const [report] = JSON.parse(result.stdout.slice(result.stdout.indexOf('[{')));
  return report.messages.map((m: { ruleId: string; message: string }) => `${m.ruleId}: ${m.message}`);
}

describe('src/core layering rule', () => {
  it.each([
    ["import { toDataFrame } from '@grafana/data';", 'Grafana'],
    ["import React from 'react';", 'React'],
    ["import { Observable } from 'rxjs';", 'streaming'],
    ["import { readFileSync } from 'fs';", 'Node built-ins'],
    ["import { readFile } from 'node:fs/promises';", 'Node'],
  ])('rejects %s in the core', async (importLine, reason) => {
    const messages = await ruleViolations('src/core/analysis/probe.ts', `${importLine}\nexport const x = 1;\n`);
    expect(messages.join('\n')).toContain(reason);
  });

  it('rejects DOM and Node globals in the core', async () => {
    const messages = await ruleViolations(
      'src/core/model/probe.ts',
      'export const x = [window.location, process.env, document.title];\n'
    );
    expect(messages.filter((m) => m.startsWith('no-restricted-globals'))).toHaveLength(3);
  });

  it('rejects imports from a higher core layer', async () => {
    const wire = await ruleViolations(
      'src/core/wire/probe.ts',
      "import { a } from '../model/a';\nexport const x = a;\n"
    );
    const model = await ruleViolations(
      'src/core/model/probe.ts',
      "import { a } from '../analysis/a';\nexport const x = a;\n"
    );
    expect(wire.join()).toContain('must not import from the model layer');
    expect(model.join()).toContain('must not import from the analysis layer');
  });

  it('allows the same imports outside the core and lower layers inside it', async () => {
    const panel = await ruleViolations('src/panel/probe.ts', "import React from 'react';\nexport const x = React;\n");
    const analysis = await ruleViolations(
      'src/core/analysis/probe.ts',
      "import { a } from '../wire/a';\nexport const x = a;\n"
    );
    expect(panel.filter((m) => m.startsWith('no-restricted'))).toEqual([]);
    expect(analysis.filter((m) => m.startsWith('no-restricted'))).toEqual([]);
  });
});

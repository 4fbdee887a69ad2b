// The scenario x finding matrix of the demo fixtures, as a Markdown table.
//
//   node scripts/findings-matrix.mjs                 print the matrix
//   node scripts/findings-matrix.mjs --check         also exit 1 unless it is diagonal
//   node scripts/findings-matrix.mjs --write-readme  refresh the matrix and thresholds tables in README.md
//
// The logic is TypeScript in src/cli/findingsMatrix.ts (typechecked, and tested by src/cli/findingsMatrix.test.ts),
// loaded here through tsx.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const matrix = await tsImport('../src/cli/findingsMatrix.ts', import.meta.url);
const { thresholdsMarkdown } = await tsImport('../src/core/analysis/findings/thresholds.ts', import.meta.url);

const rows = matrix.computeFindingsMatrix(join(root, 'fixtures'));
const table = matrix.matrixMarkdown(rows);
process.stdout.write(`${table}\n`);

const problems = matrix.matrixProblems(rows);
for (const p of problems) {
  process.stderr.write(`not diagonal: ${p}\n`);
}
if (process.argv.includes('--write-readme')) {
  const readme = join(root, 'README.md');
  let text = readFileSync(readme, 'utf8');
  text = matrix.replaceMarked(text, 'findings-matrix', table);
  text = matrix.replaceMarked(text, 'findings-thresholds', thresholdsMarkdown());
  writeFileSync(readme, text);
  process.stderr.write('README.md: findings matrix and thresholds refreshed\n');
}
if (process.argv.includes('--check') && problems.length > 0) {
  process.exitCode = 1;
}

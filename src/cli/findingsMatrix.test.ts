import { readFileSync } from 'fs';
import { join } from 'path';

import { DEMO_FIXTURE_SCENARIOS, fixturesRoot, repoRoot } from '../../tests/support/fixtures';
import { thresholdsMarkdown } from '../core/analysis/findings/thresholds';
import { FINDING_IDS } from '../core/analysis/findings/types';
import { computeFindingsMatrix, markedSection, matrixMarkdown, matrixProblems, type MatrixRow } from './findingsMatrix';

const rows = computeFindingsMatrix(fixturesRoot);
const row = (scenario: string) => rows.find((r) => r.scenario === scenario)!;

describe('scenario x finding matrix of the demo fixtures', () => {
  it('covers every scenario of the demo service, idle and normal load', () => {
    expect(rows.map((r) => r.scenario)).toEqual(expect.arrayContaining([...DEMO_FIXTURE_SCENARIOS]));
    // Every finding id is some scenario's expected finding.
    expect(new Set(rows.map((r) => r.expected).filter(Boolean))).toEqual(new Set(FINDING_IDS));
  });

  it('is diagonal: each scenario fires its finding and no other at warning or above', () => {
    expect(matrixProblems(rows)).toEqual([]);
  });

  it('fires nothing above info with all scenarios off (idle, normal load)', () => {
    for (const scenario of ['idle', 'normal-load']) {
      expect(Object.values(row(scenario).fired).filter((s) => s !== 'info')).toEqual([]);
    }
  });

  it('has exactly the documented off-diagonal entry: scheduler-overhead at info in busy-select', () => {
    const offDiagonal = rows.flatMap((r) =>
      Object.entries(r.fired)
        .filter(([id]) => id !== r.expected)
        .map(([id, severity]) => `${r.scenario}: ${id} ${severity}`)
    );
    expect(offDiagonal).toEqual(['busy-select: scheduler-overhead info']);
  });

  it('reports a miss and a cross-fire as problems', () => {
    const bad: MatrixRow[] = [
      { scenario: 'map-hot', expected: 'map-hot', fired: { 'map-hot': 'info' } },
      { scenario: 'idle', expected: null, fired: { 'gc-pressure': 'warning' } },
    ];
    expect(matrixProblems(bad)).toEqual([
      'map-hot: map-hot did not fire (got info)',
      'idle: gc-pressure fired at warning (a cross-fire)',
    ]);
    expect(matrixMarkdown(bad)).toContain('| map-hot | · | · | · | · | · | · | **MISS** | · | · |');
  });

  it('is printed in the README as generated, with the thresholds of the code (refresh: node scripts/findings-matrix.mjs --write-readme)', () => {
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
    expect(markedSection(readme, 'findings-matrix')).toBe(matrixMarkdown(rows));
    expect(markedSection(readme, 'findings-thresholds')).toBe(thresholdsMarkdown());
  });
});

// Applies each listed mutation (a deliberate small bug in a place where one once survived the unit tests) to a
// scratch copy of the sources, runs the unit tests that guard that place, and prints whether they caught it
// and which tests failed. The working tree is never modified.
//   node scripts/mutation-check.mjs            every mutation
//   node scripts/mutation-check.mjs raster     those whose name contains "raster"
// Exit code 1 when a mutation survives (the guarding tests all passed with the bug in place).
import { spawnSync } from 'child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { dirname, join } from 'path';
import { fileURLToPath } from 'url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** name, file, the exact text to replace, its replacement, and the test files that must catch it. */
const MUTATIONS = [
  {
    name: "'GC sweep wait' mapped to the wrong state",
    file: 'src/core/model/goroutineState.ts',
    from: "['GC sweep wait', 'idle-system'],",
    to: "['GC sweep wait', 'runnable'],",
    tests: ['src/core/model/goroutineState.test.ts'],
  },
  {
    name: 'top table Self column written from the cumulative values',
    file: 'src/frames/table.ts',
    from: 'values: rows.map((r) => r.flat), config: { unit } },',
    to: 'values: rows.map((r) => r.cum), config: { unit } },',
    tests: ['src/frames/contract.test.ts'],
  },
  {
    name: 'heatmap raster column bleeding one pixel right',
    file: 'src/panel/heatmap/rasterize.ts',
    from: 'const px1 = Math.min(plotW, Math.max(px0 + 1, Math.ceil(x1)));',
    to: 'const px1 = Math.min(plotW, Math.max(px0 + 1, Math.ceil(x1) + 1));',
    tests: ['src/panel/heatmap/rasterize.test.ts'],
  },
  {
    name: 'last time-axis tick dropped',
    file: 'src/panel/heatmap/geometry.ts',
    from: 't <= range.to; t += stepMs) {',
    to: 't < range.to; t += stepMs) {',
    tests: ['src/panel/heatmap/geometry.test.ts'],
  },
  {
    name: 'heatmap gap boundary > turned into >=',
    file: 'src/panel/heatmap/geometry.ts',
    from: 'start[i] = times[i] - (gap > 2 * typicalMs ? typicalMs : gap);',
    to: 'start[i] = times[i] - (gap >= 2 * typicalMs ? typicalMs : gap);',
    tests: ['src/panel/heatmap/geometry.test.ts'],
  },
  {
    name: 'baseline "rose" threshold doubled',
    file: 'src/core/analysis/findings/format.ts',
    from: 'if (change >= baselineChangeMin.value && now >= before * baselineChangeRatio.value) {',
    to: 'if (change >= baselineChangeMin.value && now >= before * baselineChangeRatio.value * 2) {',
    tests: ['src/core/analysis/findings/format.test.ts'],
  },
];

/** A scratch tree: src/ and the root files copied (what gets mutated), everything else linked to the checkout. */
function scratchCopy() {
  const dir = mkdtempSync(join(tmpdir(), 'goruntime-mutation-'));
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    if (entry.name === '.git') {
      continue;
    }
    const from = join(root, entry.name);
    if (entry.name === 'src' || !entry.isDirectory()) {
      cpSync(from, join(dir, entry.name), { recursive: true });
    } else {
      symlinkSync(from, join(dir, entry.name));
    }
  }
  return dir;
}

function failedTests(report) {
  return report.testResults.flatMap((suite) =>
    suite.assertionResults.filter((a) => a.status === 'failed').map((a) => a.fullName)
  );
}

const filters = process.argv.slice(2);
const chosen = MUTATIONS.filter((m) => filters.length === 0 || filters.some((f) => m.name.includes(f)));
const dir = scratchCopy();
let survived = 0;
try {
  for (const m of chosen) {
    const path = join(dir, m.file);
    const original = readFileSync(path, 'utf8');
    if (!original.includes(m.from)) {
      console.log(`✗ ${m.name}: the text to mutate is no longer in ${m.file} (update scripts/mutation-check.mjs)`);
      survived++;
      continue;
    }
    writeFileSync(path, original.replace(m.from, m.to));
    const out = join(dir, '.mutation-report.json');
    rmSync(out, { force: true });
    spawnSync('npx', ['jest', '--ci', '--json', `--outputFile=${out}`, ...m.tests], { cwd: dir, encoding: 'utf8' });
    writeFileSync(path, original);
    const failed = existsSync(out) ? failedTests(JSON.parse(readFileSync(out, 'utf8'))) : [];
    if (failed.length) {
      console.log(`✓ caught: ${m.name} (${m.file})\n    by ${failed.slice(0, 3).join('\n    by ')}`);
    } else {
      survived++;
      console.log(`✗ survived: ${m.name} (${m.file}): ${m.tests.join(', ')} all passed`);
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(`mutations: ${chosen.length - survived} caught, ${survived} survived`);
process.exit(survived ? 1 : 0);

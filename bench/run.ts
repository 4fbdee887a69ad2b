/**
 * `npm run bench`: runs every `bench/*.bench.ts` suite in its own Node process (so peak-memory figures of one
 * suite do not include another's) and prints their tables in sequence. Suites print ratios against peers measured
 * in the same run on the same input; nothing here asserts timings.
 */
import { spawnSync } from 'child_process';
import { readdirSync } from 'fs';
import { join } from 'path';

const only = process.argv.slice(2);
const suites = readdirSync(__dirname)
  .filter((name) => name.endsWith('.bench.ts'))
  .filter((name) => only.length === 0 || only.some((filter) => name.includes(filter)))
  .sort();

let failed = 0;
for (const suite of suites) {
  console.log(`\n=== ${suite} ===`);
  const result = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', join(__dirname, suite)], {
    stdio: 'inherit',
  });
  if (result.status !== 0) {
    failed++;
    console.error(`${suite} exited with ${result.status}`);
  }
}
process.exit(failed ? 1 : 0);

#!/usr/bin/env node
// Captures fixtures/leak-series: the demo service's goroutine profile (proto, as the live store polls it) every
// 15 s for 2 minutes while its goroutine-leak scenario runs (20 leaked goroutines a second), with each capture's
// time in series.json. The findings tests judge leak growth per minute on it: windows late in the series hold
// thousands of goroutines that grow by far less than half within the window, yet still leak 1,200 a minute.
//
//   node scripts/fixtures-leak-series.mjs
import { writeFileSync, mkdirSync } from 'fs';
import { join, dirname } from 'path';
import { fileURLToPath } from 'url';
import { createRequire } from 'module';

const require = createRequire(import.meta.url);
const { startDemoService, captureStartOptions } = require('./lib/demo-service.js');

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'fixtures', 'leak-series');
const EVERY_MS = 15_000;
const CAPTURES = 9;

mkdirSync(out, { recursive: true });
// -trimpath and a neutral executable path, so no capture names this machine's checkout (see captureStartOptions).
const demo = await startDemoService({ scenarios: ['goroutine-leak'], ...(await captureStartOptions()) });
const captures = [];
try {
  const start = Date.now();
  for (let i = 0; i < CAPTURES; i++) {
    const due = start + i * EVERY_MS;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - Date.now())));
    const capturedAt = new Date();
    const response = await fetch(`${demo.url}/debug/pprof/goroutine`);
    if (!response.ok) {
      throw new Error(`goroutine profile: HTTP ${response.status}`);
    }
    const file = `goroutine-${String(i).padStart(2, '0')}.pb.gz`;
    writeFileSync(join(out, file), Buffer.from(await response.arrayBuffer()));
    captures.push({ file, capturedAt: capturedAt.toISOString() });
    process.stderr.write(`${file} at ${capturedAt.toISOString()}\n`);
  }
} finally {
  await demo.stop();
}
const goVersion = (await import('child_process')).execFileSync('go', ['version'], { encoding: 'utf8' }).trim();
writeFileSync(
  join(out, 'series.json'),
  JSON.stringify(
    { generator: 'scripts/fixtures-leak-series.mjs', scenario: 'goroutine-leak', goVersion, captures },
    null,
    2
  ) + '\n'
);

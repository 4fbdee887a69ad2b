/**
 * google/pprof's own large test profile (internal/proftest/testdata/large.cpu, 20k samples), found in the Go module
 * cache when google/pprof was downloaded there (tools/pprofcheck does); undefined otherwise. Plain JavaScript so that
 * the Node-only bench scripts (bench/cli.mjs) and the tsx suites share it.
 */
import { existsSync, readdirSync } from 'fs';
import { join } from 'path';

/** @returns {string | undefined} */
export function googleLargeCpu() {
  const root = join(process.env.HOME ?? '/root', 'go', 'pkg', 'mod', 'github.com', 'google');
  if (!existsSync(root)) {
    return undefined;
  }
  return readdirSync(root)
    .filter((d) => d.startsWith('pprof@'))
    .map((d) => join(root, d, 'internal', 'proftest', 'testdata', 'large.cpu'))
    .find((f) => existsSync(f));
}

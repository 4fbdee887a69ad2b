/**
 * The checked-in captures are the real-data basis of every other test: this checks the manifest is complete and
 * honest (each file exists with the recorded size, comes from a Go 1.26 process, and is the format it claims).
 */
import { existsSync, statSync } from 'fs';
import { join } from 'path';
import { gunzipSync } from 'zlib';

import { DEMO_FIXTURE_SCENARIOS, fixturesRoot, loadManifest, readCapture } from '../support/fixtures';

const manifest = loadManifest();
const SCENARIOS = DEMO_FIXTURE_SCENARIOS;
const PER_SCENARIO = [
  'cpu.pb.gz',
  'heap.pb.gz',
  'allocs.pb.gz',
  'goroutine.pb.gz',
  'goroutine.debug1.txt',
  'goroutine.debug2.txt',
  'mutex.pb.gz',
  'block.pb.gz',
  'threadcreate.pb.gz',
  'trace.bin',
];

describe('fixture manifest', () => {
  it('covers every scenario with every capture kind', () => {
    const files = new Set(manifest.captures.map((c) => c.file));
    const missing = SCENARIOS.flatMap((s) => PER_SCENARIO.map((f) => `demo/${s}/${f}`)).filter((f) => !files.has(f));
    expect(missing).toEqual([]);
  });

  it.each(manifest.captures.map((c) => [c.file, c] as const))(
    '%s exists, has the recorded size and a Go 1.26 version',
    (file, capture) => {
      const path = join(fixturesRoot, file);
      expect(existsSync(path)).toBe(true);
      expect(statSync(path).size).toBe(capture.bytes);
      expect(capture.goVersion).toMatch(/^go1\.26(\.\d+)?/);
      expect(Number.isNaN(Date.parse(capture.capturedAt))).toBe(false);
      // Checked-in captures stay small; large benchmark inputs are generated on demand.
      expect(capture.bytes).toBeLessThan(100 * 1024);
    }
  );

  it.each(manifest.captures.filter((c) => c.format === 'pprof').map((c) => [c.file, c] as const))(
    '%s is a gzip-compressed protobuf',
    (_file, capture) => {
      const bytes = readCapture(capture);
      expect([bytes[0], bytes[1]]).toEqual([0x1f, 0x8b]);
      expect(gunzipSync(bytes).length).toBeGreaterThan(0);
    }
  );

  it('records the leak growing between the two goroutine snapshots of the leak scenario', () => {
    const spawned = (file: string) => manifest.captures.find((c) => c.file === `demo/goroutine-leak/${file}`)?.spawned;
    expect(spawned('goroutine.debug2.txt')).toBeGreaterThan(0);
    expect(spawned('goroutine.later.debug2.txt')).toBeGreaterThan(spawned('goroutine.debug2.txt')!);
  });
});

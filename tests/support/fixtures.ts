/**
 * Access to the captures in `fixtures/` (made from the real demo service by `npm run fixtures`).
 * Tests read real data through this one module so the layout lives in one place.
 */
import { readFileSync, existsSync } from 'fs';
import { join, resolve } from 'path';

export const repoRoot = resolve(__dirname, '..', '..');
export const fixturesRoot = join(repoRoot, 'fixtures');

export interface FixtureCapture {
  scenario: string;
  profile: string;
  file: string;
  endpoint: string;
  bytes: number;
  capturedAt: string;
  goVersion: string;
  spawned?: number;
}

export interface FixtureManifest {
  generatedAt: string;
  goVersion: string;
  captures: FixtureCapture[];
  [key: string]: unknown;
}

export function loadManifest(): FixtureManifest {
  return JSON.parse(readFileSync(join(fixturesRoot, 'manifest.json'), 'utf8'));
}

/** Absolute path of a capture, given its scenario folder and file name (e.g. 'gc-pressure', 'cpu.pb.gz'). */
export function fixturePath(scenario: string, file: string): string {
  return join(fixturesRoot, 'demo', scenario, file);
}

export function hasFixture(scenario: string, file: string): boolean {
  return existsSync(fixturePath(scenario, file));
}

export function readFixtureBytes(scenario: string, file: string): Uint8Array {
  return new Uint8Array(readFileSync(fixturePath(scenario, file)));
}

export function readFixtureText(scenario: string, file: string): string {
  return readFileSync(fixturePath(scenario, file), 'utf8');
}

/** Scenario folders present in the manifest, in manifest order. */
export function fixtureScenarios(): string[] {
  return [...new Set(loadManifest().captures.map((c) => c.scenario))];
}

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
  /** cpu, heap, allocs, goroutine, goroutineleak, mutex, block, threadcreate, trace, index, metrics */
  profile: string;
  /** Path relative to fixtures/, e.g. `demo/gc-pressure/cpu.pb.gz`. */
  file: string;
  /** Path and query fetched from the demo service, e.g. `/debug/pprof/profile?seconds=2`. */
  endpoint: string;
  format: 'pprof' | 'text' | 'trace' | 'html' | string;
  bytes: number;
  capturedAt: string;
  /** runtime.Version() of the service that produced the capture. */
  goVersion: string;
  /** goroutine-leak only: leaked goroutines the service reported at the time of the capture. */
  spawned?: number;
}

export interface FixtureManifest {
  generatedAt: string;
  goVersion: { toolchain: string; service: string };
  captures: FixtureCapture[];
  [key: string]: unknown;
}

/**
 * The capture runs `npm run fixtures` makes: every scenario of the demo service plus the two runs with every scenario
 * off (the leak's GOEXPERIMENT variant is extra and not listed).
 */
export const DEMO_FIXTURE_SCENARIOS = [
  'idle',
  'normal-load',
  'goroutine-leak',
  'busy-select',
  'mutex-contention',
  'rwmutex-churn',
  'gc-pressure',
  'clock-hot-path',
  'alloc-conversion',
  'map-hot',
  'runnable-backlog',
  'syscall-heavy',
] as const;

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

/** Reads a capture by its manifest entry. */
export function readCapture(capture: FixtureCapture): Uint8Array {
  return new Uint8Array(readFileSync(join(fixturesRoot, capture.file)));
}

/** Scenario folders present in the manifest, in manifest order. */
export function fixtureScenarios(): string[] {
  return [...new Set(loadManifest().captures.map((c) => c.scenario))];
}

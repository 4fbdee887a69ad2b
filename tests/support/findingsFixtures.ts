/**
 * The diagnosis inputs of a demo fixture folder (fixtures/demo/<scenario>), read exactly as `goprof diagnose <dir>`
 * reads them, with capture times from fixtures/manifest.json. Shared by the findings tests.
 */
import { fixtureInputs } from '../../src/cli/findingsMatrix';
import type { DiagnosisInputs } from '../../src/core/analysis/findings/types';
import { DEMO_FIXTURE_SCENARIOS, fixturesRoot } from './fixtures';

const cache = new Map<string, DiagnosisInputs>();

export function scenarioInputs(scenario: string): DiagnosisInputs {
  let inputs = cache.get(scenario);
  if (!inputs) {
    inputs = fixtureInputs(fixturesRoot, scenario);
    cache.set(scenario, inputs);
  }
  return inputs;
}

/** The demo service's scenarios and the two runs with every scenario off (the leak's GOEXPERIMENT variant is extra). */
export const ALL_SCENARIOS = DEMO_FIXTURE_SCENARIOS;

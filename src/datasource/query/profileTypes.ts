/**
 * Grafana's names for profile units. The Go facts (profiles, sample types, Pyroscope profile type IDs) live in the
 * core: src/core/model/goProfiles.ts.
 */
/** Grafana unit for a sample unit: `ns` (Time), `bytes` (RAM), `short` (Count), as Grafana's flame graph knows them. */
export function grafanaUnit(sampleUnit: string): string {
  switch (sampleUnit) {
    case 'nanoseconds':
      return 'ns';
    case 'bytes':
      return 'bytes';
    default:
      return 'short';
  }
}

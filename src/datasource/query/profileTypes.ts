/**
 * The profiles a Go target offers and how their names map between the two modes.
 *
 * pprof names and sample types: net/http/pprof and runtime/pprof (reference/go-runtime-formats.md section 2).
 * Pyroscope IDs `<name>:<sampleType>:<sampleUnit>:<periodType>:<periodUnit>[:delta]`: profiling-store-apis.md 4.2
 * (SDK push and Alloy scrape spell goroutines differently, so IDs are looked up from ProfileTypes when possible).
 */
export type CaptureKind = 'cpu' | 'delta' | 'snapshot' | 'trace';

export interface PprofProfileInfo {
  name: string;
  /** cpu: `profile?seconds=N`; delta: cumulative counters, `?seconds=N` gives the window; snapshot: now. */
  kind: CaptureKind;
  sampleTypes: string[];
  defaultSampleType: string;
  description: string;
}

export const PPROF_PROFILES: readonly PprofProfileInfo[] = [
  {
    name: 'cpu',
    kind: 'cpu',
    sampleTypes: ['samples', 'cpu'],
    defaultSampleType: 'cpu',
    description: 'CPU time (live capture)',
  },
  {
    name: 'heap',
    kind: 'snapshot',
    sampleTypes: ['inuse_space', 'inuse_objects', 'alloc_space', 'alloc_objects'],
    defaultSampleType: 'inuse_space',
    description: 'Memory in use (alloc_* over the window)',
  },
  {
    name: 'allocs',
    kind: 'delta',
    sampleTypes: ['alloc_space', 'alloc_objects', 'inuse_space', 'inuse_objects'],
    defaultSampleType: 'alloc_space',
    description: 'Allocations over the window',
  },
  {
    name: 'goroutine',
    kind: 'snapshot',
    sampleTypes: ['goroutine'],
    defaultSampleType: 'goroutine',
    description: 'Goroutines by stack',
  },
  {
    name: 'mutex',
    kind: 'delta',
    sampleTypes: ['delay', 'contentions'],
    defaultSampleType: 'delay',
    description: 'Mutex contention',
  },
  {
    name: 'block',
    kind: 'delta',
    sampleTypes: ['delay', 'contentions'],
    defaultSampleType: 'delay',
    description: 'Blocking on sync and channels',
  },
  {
    name: 'threadcreate',
    kind: 'snapshot',
    sampleTypes: ['threadcreate'],
    defaultSampleType: 'threadcreate',
    description: 'OS thread creation',
  },
  {
    name: 'goroutineleak',
    kind: 'snapshot',
    sampleTypes: ['goroutine'],
    defaultSampleType: 'goroutine',
    description: 'Leaked goroutines (Go 1.26)',
  },
];

export function pprofProfile(name: string): PprofProfileInfo | undefined {
  return PPROF_PROFILES.find((p) => p.name === name);
}

/** Sample types whose values are counters since process start; `?seconds=` turns them into the window's delta. */
export function isCumulativeSampleType(sampleType: string): boolean {
  return sampleType.startsWith('alloc_') || sampleType === 'delay' || sampleType === 'contentions';
}

export interface ProfileTypeId {
  id: string;
  name: string;
  sampleType: string;
  sampleUnit: string;
  periodType: string;
  periodUnit: string;
}

export function parseProfileTypeId(id: string): ProfileTypeId | undefined {
  const parts = id.split(':');
  if (parts.length < 5 || parts.length > 6 || parts.slice(0, 5).some((p) => p === '' || /\s/.test(p))) {
    return undefined;
  }
  const [name, sampleType, sampleUnit, periodType, periodUnit] = parts;
  return { id, name, sampleType, sampleUnit, periodType, periodUnit };
}

const SAMPLE_UNITS: Record<string, string> = {
  cpu: 'nanoseconds',
  samples: 'count',
  alloc_space: 'bytes',
  inuse_space: 'bytes',
  alloc_objects: 'count',
  inuse_objects: 'count',
  goroutine: 'count',
  delay: 'nanoseconds',
  contentions: 'count',
  threadcreate: 'count',
};

/** The Pyroscope ID for a pprof profile + sample type, as the Go SDK pushes it (reference 4.2). */
export function pyroscopeIdFor(profile: string, sampleType?: string): string | undefined {
  const info = pprofProfile(profile);
  if (!info) {
    return undefined;
  }
  const st = sampleType && info.sampleTypes.includes(sampleType) ? sampleType : info.defaultSampleType;
  switch (info.name) {
    case 'cpu':
      return `process_cpu:${st}:${SAMPLE_UNITS[st]}:cpu:nanoseconds`;
    case 'heap':
    case 'allocs':
      return `memory:${st}:${SAMPLE_UNITS[st]}:space:bytes`;
    case 'goroutine':
    case 'goroutineleak':
      return 'goroutines:goroutine:count:goroutine:count';
    case 'mutex':
    case 'block':
      return `${info.name}:${st}:${SAMPLE_UNITS[st]}:contentions:count`;
    default:
      return undefined;
  }
}

/** The pprof profile and sample type behind a Pyroscope ID (`memory:alloc_space:…` is `allocs`/`alloc_space`). */
export function pprofFor(id: string): { profile: string; sampleType: string } | undefined {
  const t = parseProfileTypeId(id);
  if (!t) {
    return undefined;
  }
  switch (t.name) {
    case 'process_cpu':
    case 'wall':
      return { profile: 'cpu', sampleType: t.sampleType };
    case 'memory':
      return { profile: t.sampleType.startsWith('alloc_') ? 'allocs' : 'heap', sampleType: t.sampleType };
    case 'goroutine':
    case 'goroutines':
      return { profile: 'goroutine', sampleType: 'goroutine' };
    case 'mutex':
    case 'block':
      return { profile: t.name, sampleType: t.sampleType };
    default:
      return undefined;
  }
}

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

/** The unit of a pprof sample type by name, when the profile is not at hand. */
export function sampleUnitOf(sampleType: string): string {
  return SAMPLE_UNITS[sampleType] ?? 'count';
}

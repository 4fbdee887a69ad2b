/**
 * Facts about Go's profiles, in one place: which profiles a Go process serves, how each is captured, its sample
 * types and their units, how to tell one profile from another by its content, and how Grafana Pyroscope names them.
 *
 * Sources: golang/go:src/runtime/pprof/pprof.go (profiles, `writeHeapProto` default sample types), proto.go and
 * protomem.go (sample and period types), src/net/http/pprof/pprof.go (`seconds=` deltas); Pyroscope's profile type
 * IDs: grafana/pyroscope:pkg/model/profile.go `ParseProfileTypeSelector`, and the IDs Pyroscope's Go SDK
 * (grafana/pyroscope-go) pushes and Grafana Alloy's `pyroscope.scrape` writes (Alloy names goroutines `goroutine`
 * where the SDK says `goroutines`; Pyroscope's own e2e fixture ui/e2e/fixtures/series.json lists the SDK's IDs).
 */
import type { PyroscopeProfileType } from '../wire/pyroscopeQuerier';
import { frameName, type Profile } from './profile';

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

/** The unit of a pprof sample type by name, when the profile is not at hand. */
export function sampleUnitOf(sampleType: string): string {
  return SAMPLE_UNITS[sampleType] ?? 'count';
}

// ---- Which profile a decoded profile is ------------------------------------------------------------------------

/** What a profile is, from its content; `contention` is mutex or block when nothing tells them apart. */
export type ProfileKind =
  | 'cpu'
  | 'heap'
  | 'allocs'
  | 'goroutine'
  | 'goroutineleak'
  | 'mutex'
  | 'block'
  | 'threadcreate'
  | 'contention'
  | 'unknown';

/**
 * The kind of a Go profile from its sample and period types. heap and allocs have the same four sample types and
 * differ only by default_sample_type (allocs: `alloc_space`); a profile with alloc_* columns only (a Pyroscope merge
 * of one) is allocs. mutex and block have identical types: `hint` (the profile requested, a file name) decides, else
 * the result is `contention` (see `contentionKindFromStacks`).
 */
export function inferProfileKind(profile: Profile, hint?: string): ProfileKind {
  const types = new Set(profile.sampleTypes.map((t) => t.type));
  if (types.has('cpu') || profile.periodType.type === 'cpu') {
    return 'cpu';
  }
  if (types.has('alloc_space') || types.has('inuse_space')) {
    return profile.defaultSampleType.startsWith('alloc_') || !types.has('inuse_space') ? 'allocs' : 'heap';
  }
  for (const kind of ['goroutineleak', 'goroutine', 'threadcreate'] as const) {
    if (types.has(kind)) {
      return kind;
    }
  }
  // A Pyroscope merge holds only the type asked for: `delay` or `contentions` alone.
  if (types.has('contentions') || types.has('delay')) {
    return hint === 'mutex' || hint === 'block' ? hint : 'contention';
  }
  return 'unknown';
}

/** Leaf functions of mutex profile stacks: the mutex profile records the Unlock that ended a contention. */
const UNLOCK_LEAF =
  /^(sync\.\(\*(Mutex|RWMutex)\)\.(Unlock|RUnlock)|internal\/sync\.\(\*Mutex\)\.Unlock|runtime\.unlock\w*|runtime\._LostContendedRuntimeLock)$/;

/**
 * mutex or block for a contentions/delay profile, from its stacks: mutex stacks end at an Unlock (golang/go:
 * src/runtime/sema.go `semrelease1` records the event with `mutexevent`), block stacks at the blocking call.
 */
export function contentionKindFromStacks(profile: Profile): 'mutex' | 'block' {
  const { stackStart, stack, count } = profile.samples;
  for (let i = 0; i < count; i++) {
    if (stackStart[i] < stackStart[i + 1] && UNLOCK_LEAF.test(frameName(profile, stack[stackStart[i]], 0))) {
      return 'mutex';
    }
  }
  return 'block';
}

// ---- Pyroscope profile type IDs --------------------------------------------------------------------------------

/** A parsed profile type ID: `<name>:<sampleType>:<sampleUnit>:<periodType>:<periodUnit>[:delta]`. */
export type ProfileTypeId = PyroscopeProfileType;

export function parseProfileTypeId(id: string): ProfileTypeId | undefined {
  const parts = id.split(':');
  if (parts.length < 5 || parts.length > 6 || parts.slice(0, 5).some((p) => p === '' || /\s/.test(p))) {
    return undefined;
  }
  const [name, sampleType, sampleUnit, periodType, periodUnit] = parts;
  return { id, name, sampleType, sampleUnit, periodType, periodUnit };
}

/** The Pyroscope ID for a pprof profile + sample type, as the Go SDK pushes it. */
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

/**
 * Findings: the answer to "what is wrong and where", one per problem the four-layer method finds
 * (README "Findings"). Each finding carries the numbers and stacks a user can
 * check against the flame graph or the goroutine dump, and the next step to take.
 */
import type { Profile } from '../../model/profile';
import type { TimedGoroutineSnapshot } from '../goroutines/series';

export const FINDING_IDS = [
  'goroutine-leak-suspect',
  'busy-select-loop',
  'mutex-contention',
  'gc-pressure',
  'clock-hot-path',
  'alloc-hot-conversion',
  'map-hot',
  'scheduler-overhead',
  'syscall-heavy',
] as const;

/**
 * Profile rules that need goroutines to have waited for minutes, which the demo service's captures of seconds cannot
 * show, so they stay out of its scenario matrix: judged on dumps of real programs that ran that long
 * (fixtures/stuck-lock).
 */
export const LONG_WAIT_FINDING_IDS = ['stuck-lock'] as const;

/** Findings computed from an execution trace (traceFindings.ts), kept apart from the profile rules' matrix. */
export const TRACE_FINDING_IDS = ['scheduler-latency', 'stw-pause', 'gc-assist-share', 'blocking-hotspot'] as const;

/** Findings for a process that died and printed why (crash output, `go test` timeouts); see crash.ts. */
export const CRASH_FINDING_IDS = ['deadlock', 'test-timeout', 'concurrent-map-writes'] as const;

export type FindingId =
  | (typeof FINDING_IDS)[number]
  | (typeof LONG_WAIT_FINDING_IDS)[number]
  | (typeof TRACE_FINDING_IDS)[number]
  | (typeof CRASH_FINDING_IDS)[number];

export type Severity = 'critical' | 'warning' | 'info';

/** Sort order: most severe first. */
export const SEVERITY_RANK: Readonly<Record<Severity, number>> = { critical: 0, warning: 1, info: 2 };

/**
 * The four layers of the diagnosis, in this order: 1 where CPU goes, 2 scheduling, 3 memory, 4 system interaction.
 */
export type Layer = 1 | 2 | 3 | 4;

export const LAYER_TITLES: Readonly<Record<Layer, string>> = {
  1: 'Where CPU goes',
  2: 'Scheduling',
  3: 'Memory',
  4: 'System interaction',
};

/** Milliseconds since the epoch, `from` < `to`. */
export interface TimeWindow {
  from: number;
  to: number;
}

/**
 * Units are Grafana unit ids, so the panel formats evidence the way Grafana formats the same quantity elsewhere:
 * `percentunit` (a 0..1 fraction), `short` (a count), `ns`, `s`, `bytes`, `Bps` (bytes per second).
 */
export type EvidenceUnit = 'percentunit' | 'short' | 'ns' | 's' | 'bytes' | 'Bps';

export interface EvidenceNumber {
  label: string;
  value: number;
  unit: EvidenceUnit;
}

/** A goroutine cluster (same wait, same stack, same creation site) involved in a finding. */
export interface EvidenceCluster {
  /** The code that owns the goroutines: first frame outside the runtime and the standard library. */
  function: string;
  /** Exact wait reason or status as printed (or inferred from a profile). */
  reason: string;
  count: number;
  /** `func file:line` of the `go` statement, '' when unknown (profiles). */
  creationSite: string;
  /** Longest wait in minutes as printed in the dump (debug=2 only; 0 when under a minute or unknown). */
  waitMinutes: number;
  /** Counts per snapshot in time order, when there was more than one. */
  counts?: number[];
  /** Members marked `(leaked)` by Go 1.26's goroutineleak profile. */
  leaked?: number;
}

export interface Evidence {
  numbers: EvidenceNumber[];
  /** Stacks involved, leaf first, function names, at most 16 frames each. */
  stacks?: string[][];
  clusters?: EvidenceCluster[];
}

export interface Finding {
  id: FindingId;
  layer: Layer;
  severity: Severity;
  title: string;
  /** One or two sentences with the numbers, naming the code. */
  summary: string;
  evidence: Evidence;
  /** The window the finding applies to; absent when it is the whole diagnosis window. */
  window?: TimeWindow;
  nextStep: string;
}

/** Everything one window offers; every part is optional, each rule uses what is there. */
export interface DiagnosisProfiles {
  window?: TimeWindow;
  /** CPU profile of the window (pprof: `profile?seconds=N`; Pyroscope: the merge over the window). */
  cpu?: Profile;
  /** In-use heap at the end of the window. */
  heap?: Profile;
  /** Allocations during the window (a delta, `allocs?seconds=N`) or since the process started. */
  allocs?: Profile;
  /** Mutex and block profiles: deltas over the window when `durationNanos` is set, else since the process started. */
  mutex?: Profile;
  block?: Profile;
  /** Goroutine snapshots in any order (debug=2 dumps carry states and wait minutes; profiles get inferred states). */
  goroutines?: readonly TimedGoroutineSnapshot[];
}

export interface DiagnosisInputs extends DiagnosisProfiles {
  /** The same for the time before (or a chosen baseline window): findings then say what changed. */
  baseline?: DiagnosisProfiles;
  /** Where the inputs came from: Pyroscope merges cover exactly the window, which gives rates to cumulative types. */
  source?: 'pprof' | 'pyroscope' | 'files';
}

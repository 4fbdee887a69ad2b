/**
 * The diagnosis context the rules read: the inputs of the window (and of the baseline, when given) with the derived
 * views several rules share, each computed once on first use (CPU gate, snapshots in time order, clusters, series).
 * Pure: building it does no work; nothing here does I/O or reads a clock.
 */
import { Profile } from '../../model/profile';
import { clusterGoroutines, type ClusterResult, type GoroutineCluster } from '../goroutines/cluster';
import { countByState, goroutineSeries, type GoroutineSeries, type TimedGoroutineSnapshot } from '../goroutines/series';
import type { GoroutineState } from '../../model/goroutineState';
import { valueTotal } from './cpuStacks';
import { THRESHOLDS } from './thresholds';
import { severityOf } from './format';
import type { DiagnosisInputs, DiagnosisProfiles, Severity, TimeWindow } from './types';

export interface CpuUse {
  profile: Profile;
  /** CPU time in the profile. */
  seconds: number;
  /** Average cores used over the window, when the window length is known. */
  cores: number | undefined;
  /** Enough CPU for shares to mean something (THRESHOLDS.cpuMinSeconds and cpuMinCores). */
  significant: boolean;
}

/** CPU seconds of a CPU profile: the `cpu` nanoseconds column, else sample counts times the period. */
function cpuSeconds(profile: Profile): number {
  const cpu = profile.sampleTypes.findIndex((t) => t.type === 'cpu' && t.unit === 'nanoseconds');
  if (cpu >= 0) {
    return valueTotal(profile, 'cpu') / 1e9;
  }
  const samples = profile.sampleTypes.findIndex((t) => t.type === 'samples');
  if (samples >= 0 && profile.periodType.unit === 'nanoseconds') {
    return (valueTotal(profile, 'samples') * profile.period) / 1e9;
  }
  return 0;
}

function isLeakOnly(s: TimedGoroutineSnapshot): boolean {
  return s.snapshot.profile === 'goroutineleak' && s.snapshot.source !== 'debug=2';
}

export class ProfileSetView {
  private cpuUseMemo: CpuUse | null | undefined;
  private snapshotsMemo: TimedGoroutineSnapshot[] | undefined;
  private clustersMemo: ClusterResult | null | undefined;
  private seriesMemo: GoroutineSeries | null | undefined;
  private statesMemo: Record<GoroutineState, number> | null | undefined;
  private leakMarkedMemo: GoroutineCluster[] | undefined;

  constructor(
    readonly profiles: DiagnosisProfiles,
    readonly source: DiagnosisInputs['source'],
    /**
     * A baseline answers "was it already like this?", so its CPU is compared even below the significance gate
     * (a quiet window before a spike is the normal case); {@link thinCpu} says so in the text.
     */
    readonly role: 'current' | 'baseline' = 'current'
  ) {}

  /**
   * Length of the window a profile covers, in seconds, when known: the profile's own duration (CPU profiles and
   * `?seconds=N` deltas), else the query window for Pyroscope merges (they cover exactly it). Cumulative
   * profiles read from a process (since it started) have none.
   */
  windowSeconds(profile: Profile): number | undefined {
    if (profile.durationNanos > 0) {
      return profile.durationNanos / 1e9;
    }
    const w = this.profiles.window;
    if (this.source === 'pyroscope' && w && w.to > w.from) {
      return (w.to - w.from) / 1000;
    }
    return undefined;
  }

  get cpuUse(): CpuUse | undefined {
    if (this.cpuUseMemo === undefined) {
      const profile = this.profiles.cpu;
      if (!profile) {
        this.cpuUseMemo = null;
      } else {
        const seconds = cpuSeconds(profile);
        const window = this.windowSeconds(profile);
        const cores = window ? seconds / window : undefined;
        const significant =
          seconds >= THRESHOLDS.cpuMinSeconds.value && (cores === undefined || cores >= THRESHOLDS.cpuMinCores.value);
        this.cpuUseMemo = { profile, seconds, cores, significant };
      }
    }
    return this.cpuUseMemo ?? undefined;
  }

  /** The CPU profile when it passes the significance gate (any CPU at all for a baseline); else undefined. */
  get significantCpu(): Profile | undefined {
    const use = this.cpuUse;
    if (!use) {
      return undefined;
    }
    return use.significant || (this.role === 'baseline' && use.seconds > 0) ? use.profile : undefined;
  }

  /**
   * Severity of a CPU share: undefined below `fires`, or when fewer than THRESHOLDS.cpuMinEvidenceSeconds of CPU
   * stand behind it; `critical` at `critical`.
   */
  cpuSeverity(share: number, fires: number, critical: number): Severity | undefined {
    const seconds = this.cpuUse?.seconds ?? 0;
    // 1e-9: a share of n samples times the total is n samples again only up to float rounding.
    if (share * seconds + 1e-9 < THRESHOLDS.cpuMinEvidenceSeconds.value) {
      return undefined;
    }
    return severityOf(share, fires, critical);
  }

  /** A baseline whose CPU is below the gate: comparisons with it carry a note. */
  get thinCpu(): boolean {
    const use = this.cpuUse;
    return use !== undefined && !use.significant;
  }

  /**
   * Snapshots of all goroutines, in time order. A goroutineleak profile in proto or debug=1 form lists only the
   * leaked goroutines (golang/go:src/runtime/pprof/pprof.go), so it is not a snapshot of the process: it only feeds
   * {@link leakMarkedClusters}. Its debug=2 form is a full dump and counts.
   */
  get snapshots(): readonly TimedGoroutineSnapshot[] {
    if (!this.snapshotsMemo) {
      this.snapshotsMemo = (this.profiles.goroutines ?? [])
        .filter((s) => !isLeakOnly(s))
        .sort((a, b) => a.time - b.time);
    }
    return this.snapshotsMemo;
  }

  /** Clusters marked `(leaked)` in the latest snapshot (full or leak-only) that has any. */
  get leakMarkedClusters(): readonly GoroutineCluster[] {
    if (!this.leakMarkedMemo) {
      const marked = [...(this.profiles.goroutines ?? [])]
        .sort((a, b) => a.time - b.time)
        .filter((s) => s.snapshot.records.some((r) => r.leaked));
      const last = marked[marked.length - 1];
      this.leakMarkedMemo = last ? clusterGoroutines(last.snapshot).clusters.filter((c) => c.leaked > 0) : [];
    }
    return this.leakMarkedMemo;
  }

  get latest(): TimedGoroutineSnapshot | undefined {
    const s = this.snapshots;
    return s[s.length - 1];
  }

  /** Clusters of the latest snapshot. */
  get latestClusters(): ClusterResult | undefined {
    if (this.clustersMemo === undefined) {
      const latest = this.latest;
      this.clustersMemo = latest ? clusterGoroutines(latest.snapshot) : null;
    }
    return this.clustersMemo ?? undefined;
  }

  /** Goroutines per state in the latest snapshot. */
  get latestStates(): Record<GoroutineState, number> | undefined {
    if (this.statesMemo === undefined) {
      const latest = this.latest;
      this.statesMemo = latest ? countByState(latest.snapshot) : null;
    }
    return this.statesMemo ?? undefined;
  }

  /** Clusters across snapshots with their growth, when there are at least two snapshots. */
  get series(): GoroutineSeries | undefined {
    if (this.seriesMemo === undefined) {
      this.seriesMemo = this.snapshots.length >= 2 ? goroutineSeries(this.snapshots) : null;
    }
    return this.seriesMemo ?? undefined;
  }
}

export interface DiagnosisContext {
  current: ProfileSetView;
  baseline: ProfileSetView | undefined;
  /** The diagnosis window, when the inputs state it. */
  window: TimeWindow | undefined;
}

export function diagnosisContext(inputs: DiagnosisInputs): DiagnosisContext {
  return {
    current: new ProfileSetView(inputs, inputs.source),
    baseline: inputs.baseline ? new ProfileSetView(inputs.baseline, inputs.source, 'baseline') : undefined,
    window: inputs.window,
  };
}

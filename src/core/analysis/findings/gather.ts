/**
 * Gathering a diagnosis window's inputs behind injected interfaces (the core does no I/O: the CLI passes a Node
 * fetch, the data source passes Grafana's data proxy).
 *
 * pprof target (on a spike, capture within seconds a full goroutine dump, a short CPU
 * profile, the heap and the mutex/block profiles): a `debug=2` dump at the start; then, in parallel for N seconds,
 * the CPU profile and the allocs/mutex/block deltas (`?seconds=N`, served by net/http/pprof as the difference of two
 * reads, golang/go:src/net/http/pprof/pprof.go); then a second dump (growth) and the heap. When the target's index
 * lists `goroutineleak`
 * (Go 1.26 with GOEXPERIMENT=goroutineleakprofile) the second dump is `goroutineleak?debug=2`: the same full dump with
 * `(leaked)` marks (golang/go:src/runtime/pprof/pprof.go). Each input that fails is named in `missing`; the rules
 * use what is there.
 *
 * Profile store (Pyroscope): the same profile types merged over the window, and goroutine profiles of short slices
 * spread over it (a merge over a long slice would add up every stored snapshot in it).
 */
import type { Profile } from '../../model/profile';
import { type Gunzip, parsePprof } from '../../model/parsePprof';
import { parsePprofIndex } from '../../wire/pprofIndex';
import { snapshotFromProfile } from '../goroutines/fromProfile';
import { snapshotFromText } from '../goroutines/fromText';
import type { TimedGoroutineSnapshot } from '../goroutines/series';
import type { DiagnosisProfiles, TimeWindow } from './types';

/** Reads one endpoint of a target's net/http/pprof. */
export interface PprofFetcher {
  /**
   * GETs `<pprof base>/<path>`, `path` being e.g. `profile?seconds=5`, `goroutine?debug=2` or `` (the index), and
   * resolves to the body. Rejects with an Error whose message names the cause (HTTP status, timeout, network).
   */
  get(path: string): Promise<Uint8Array>;
  /** A platform gunzip for the profiles (ParsePprofOptions.gunzip), e.g. Node's zlib in the CLI. */
  gunzip?: Gunzip;
  /** Wall clock, ms since the epoch (injected so gathering is testable). */
  now(): number;
}

export interface GatherResult {
  profiles: DiagnosisProfiles;
  /** `name: cause` of every input that could not be read. */
  missing: string[];
}

export interface PprofGatherOptions {
  /** Capture length of the CPU profile and the deltas, in seconds. */
  seconds: number;
  /** Where the bytes came from, for error messages (a URL). */
  source?: string;
}

const decoder = new TextDecoder();

async function attempt<T>(name: string, missing: string[], run: () => Promise<T>): Promise<T | undefined> {
  try {
    return await run();
  } catch (error) {
    missing.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}

export async function gatherFromPprof(fetcher: PprofFetcher, options: PprofGatherOptions): Promise<GatherResult> {
  const seconds = Math.max(1, Math.round(options.seconds));
  const missing: string[] = [];
  const where = (path: string) => (options.source ? `${options.source.replace(/\/+$/, '')}/${path}` : path);
  const profile = (name: string, path: string) =>
    attempt(name, missing, async () => parsePprof(await fetcher.get(path), { source: where(path), gunzip: fetcher.gunzip }));
  const dump = (name: string, path: string, profileKind: 'goroutine' | 'goroutineleak') =>
    attempt(name, missing, async (): Promise<TimedGoroutineSnapshot> => {
      const time = fetcher.now();
      const text = decoder.decode(await fetcher.get(path));
      return { time, snapshot: snapshotFromText(text, { source: where(path), timestamp: time, profile: profileKind }) };
    });

  const index = await attempt('pprof index', [], async () => parsePprofIndex(decoder.decode(await fetcher.get(''))));
  const leakProfile = index?.some((e) => e.name === 'goroutineleak') ?? false;
  const from = fetcher.now();
  const first = await dump('goroutine dump (start)', 'goroutine?debug=2', 'goroutine');
  const [cpu, allocs, mutex, block] = await Promise.all([
    profile('cpu', `profile?seconds=${seconds}`),
    profile('allocs', `allocs?seconds=${seconds}`),
    profile('mutex', `mutex?seconds=${seconds}`),
    profile('block', `block?seconds=${seconds}`),
  ]);
  const [last, heap] = await Promise.all([
    leakProfile
      ? dump('goroutine dump (end)', 'goroutineleak?debug=2', 'goroutineleak')
      : dump('goroutine dump (end)', 'goroutine?debug=2', 'goroutine'),
    profile('heap', 'heap'),
  ]);
  const goroutines = [first, last].filter((s): s is TimedGoroutineSnapshot => s !== undefined);
  return { profiles: { window: { from, to: fetcher.now() }, cpu, allocs, mutex, block, heap, goroutines }, missing };
}

/** Profile types a store keeps, by what the rules call them. */
export type StoredProfileKind = 'cpu' | 'heap' | 'allocs' | 'mutex' | 'block' | 'goroutine';

/**
 * A profile store (Grafana Pyroscope), implemented by the data source: profiles of one type, for the selected
 * service, merged over a window (Pyroscope `SelectMergeProfile`, grafana/pyroscope:api/querier/v1/querier.proto).
 * `allocs` is the `alloc_space`/`alloc_objects` view of memory, `heap` the `inuse_*` view.
 */
export interface StoredProfileSource {
  /** Resolves to undefined when the store has no such profile for the window. */
  merged(kind: StoredProfileKind, window: TimeWindow): Promise<Profile | undefined>;
}

export interface StoreGatherOptions {
  /** Goroutine snapshots spread over the window (default 4; at least 2 show growth). */
  goroutineSnapshots?: number;
  /**
   * Length of each goroutine slice, ms (default 15000: pyroscope-go uploads every 15 s, so one slice holds about
   * one stored snapshot and its counts are goroutines, not sums of several snapshots).
   */
  goroutineSliceMs?: number;
}

export async function gatherFromStore(
  source: StoredProfileSource,
  window: TimeWindow,
  options: StoreGatherOptions = {}
): Promise<GatherResult> {
  const missing: string[] = [];
  const merged = (kind: StoredProfileKind, w: TimeWindow = window) =>
    attempt(kind, missing, () => source.merged(kind, w));
  const n = Math.max(1, options.goroutineSnapshots ?? 4);
  const slice = Math.min(options.goroutineSliceMs ?? 15000, (window.to - window.from) / n);
  const ends = Array.from({ length: n }, (_, i) => window.from + ((i + 1) * (window.to - window.from)) / n);
  const [cpu, heap, allocs, mutex, block, ...dumps] = await Promise.all([
    merged('cpu'),
    merged('heap'),
    merged('allocs'),
    merged('mutex'),
    merged('block'),
    ...ends.map((to) => merged('goroutine', { from: to - slice, to })),
  ]);
  const goroutines: TimedGoroutineSnapshot[] = [];
  dumps.forEach((p, i) => {
    if (p) {
      goroutines.push({ time: ends[i], snapshot: snapshotFromProfile(p, ends[i]) });
    }
  });
  return { profiles: { window, cpu, heap, allocs, mutex, block, goroutines }, missing };
}

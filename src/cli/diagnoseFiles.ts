/**
 * `goprof diagnose <file|dir...>`: saved captures -> the diagnosis inputs (src/core/analysis/findings/types.ts).
 *
 * What each file is comes from its content, never its name: gzip/protobuf is a pprof profile, classified by its
 * sample types (cpu; heap vs allocs by default_sample_type; goroutine/goroutineleak; contentions+delay is mutex or
 * block); text holding goroutine dumps (debug=1, debug=2, crash output, a log with a dump) gives one snapshot per
 * dump (wire/goroutineText.ts). The one exception is mutex vs block, which have identical sample types (golang/go:src/runtime/pprof/pprof.go): the name decides when it says
 * `mutex` or `block`, else the stacks do (mutex stacks end at an Unlock, block stacks at the blocking call).
 *
 * Goroutine snapshots need times: proto profiles carry one; text dumps get `timeOf(path)` or the file's mtime.
 * The same moment saved in several forms (as `npm run fixtures` does) is used once: when any debug=2 dump is given,
 * debug=1 and proto goroutine profiles are left out (they hold less: no wait minutes, inferred states).
 */
import { readdirSync, readFileSync, statSync } from 'fs';
import { basename, dirname, join } from 'path';

import {
  contentionKindFromStacks,
  DEFAULT_DECODE_LIMITS,
  type DiagnosisProfiles,
  inferProfileKind,
  parsePprof,
  type Profile,
  snapshotFromProfile,
  snapshotsFromText,
  type TextSnapshots,
  type TimedGoroutineSnapshot,
  type TimeWindow,
} from '../core';
import { nativeGunzip } from './nativeGunzip';
import { isGoroutineTextCandidate } from './goroutines';

export interface LoadedFiles {
  profiles: DiagnosisProfiles;
  /** `path: what it was used as`. */
  used: string[];
  /** `path: why not`. */
  skipped: string[];
  /** When every file came from one directory, messages name files relative to it. */
  directory?: string;
}

export interface LoadOptions {
  /** Capture time of a text dump (ms since the epoch); default the file's mtime. */
  timeOf?: (path: string) => number | undefined;
}

type FileProfileKind = 'cpu' | 'heap' | 'allocs' | 'mutex' | 'block' | 'goroutine' | 'threadcreate' | 'other';

/** What the rules use a profile file as: mutex vs block by the file's name when it says, else by the stacks. */
export function profileKind(profile: Profile, path: string): FileProfileKind {
  const name = basename(path).toLowerCase();
  const hint = name.includes('mutex') ? 'mutex' : name.includes('block') ? 'block' : undefined;
  const kind = inferProfileKind(profile, hint);
  switch (kind) {
    case 'contention':
      return contentionKindFromStacks(profile);
    case 'goroutineleak':
      return 'goroutine';
    case 'unknown':
      return 'other';
    default:
      return kind;
  }
}

function expand(paths: readonly string[]): string[] {
  return paths.flatMap((p) =>
    statSync(p).isDirectory()
      ? readdirSync(p)
          .sort()
          .map((f) => join(p, f))
          .filter((f) => statSync(f).isFile())
      : [p]
  );
}

function msFromNanos(nanos: bigint): number | undefined {
  return nanos > BigInt(0) ? Number(nanos / BigInt(1000000)) : undefined;
}

/** Paths in messages: the file name alone when every file comes from one directory. */
function namer(files: readonly string[]): (path: string) => string {
  const dirs = new Set(files.map((f) => dirname(f)));
  return dirs.size === 1 ? (p) => basename(p) : (p) => p;
}

export function loadDiagnosisFiles(paths: readonly string[], options: LoadOptions = {}): LoadedFiles {
  const profiles: DiagnosisProfiles = {};
  const used: string[] = [];
  const skipped: string[] = [];
  const snapshots: Array<TimedGoroutineSnapshot & { path: string }> = [];
  const times: number[] = [];
  const files = expand(paths);
  const name = namer(files);
  for (const path of files) {
    const size = statSync(path).size;
    if (size > DEFAULT_DECODE_LIMITS.maxInputBytes) {
      skipped.push(`${name(path)}: ${size} bytes, above the maximum input of ${DEFAULT_DECODE_LIMITS.maxInputBytes}`);
      continue;
    }
    const bytes = new Uint8Array(readFileSync(path));
    if (isGoroutineTextCandidate(bytes)) {
      const time = options.timeOf?.(path) ?? statSync(path).mtimeMs;
      let found: TextSnapshots;
      try {
        // The bytes themselves: their common goroutine blocks are read without decoding the text.
        found = snapshotsFromText(bytes, { source: path, timestamp: time });
      } catch (error) {
        skipped.push(`${name(path)}: ${error instanceof Error ? error.message : String(error)}`);
        continue;
      }
      if (found.snapshots.length === 0) {
        skipped.push(`${name(path)}: a race-detector report with no goroutine dump`);
        continue;
      }
      for (const s of found.snapshots) {
        snapshots.push({ path, time: s.time, snapshot: s.snapshot });
        times.push(s.time);
      }
      continue;
    }
    let profile: Profile;
    try {
      profile = parsePprof(bytes, { source: path, gunzip: nativeGunzip });
    } catch (error) {
      skipped.push(`${name(path)}: ${error instanceof Error ? error.message : String(error)}`);
      continue;
    }
    const kind = profileKind(profile, path);
    const start = msFromNanos(profile.timeNanos);
    if (kind === 'goroutine') {
      const time = start ?? options.timeOf?.(path) ?? statSync(path).mtimeMs;
      snapshots.push({ path, time, snapshot: snapshotFromProfile(profile, time) });
      times.push(time);
      continue;
    }
    if (kind === 'threadcreate' || kind === 'other') {
      skipped.push(
        `${name(path)}: a ${kind === 'other' ? 'pprof profile of a type' : 'threadcreate profile'} the rules do not use`
      );
      continue;
    }
    if (profiles[kind]) {
      skipped.push(`${name(path)}: a second ${kind} profile (the first one given is used)`);
      continue;
    }
    profiles[kind] = profile;
    used.push(`${name(path)}: ${kind}`);
    if (start !== undefined) {
      times.push(start, start + profile.durationNanos / 1e6);
    }
  }
  const hasDebug2 = snapshots.some((s) => s.snapshot.source === 'debug=2');
  const hasProto = snapshots.some((s) => s.snapshot.source === 'profile' && s.snapshot.profile === 'goroutine');
  const kept = snapshots.filter((s) => {
    // goroutineleak profiles in proto/debug=1 form list only leaked goroutines: kept for their marks.
    const leakOnly = s.snapshot.profile === 'goroutineleak' && s.snapshot.source !== 'debug=2';
    const redundant =
      !leakOnly && ((hasDebug2 && s.snapshot.source !== 'debug=2') || (hasProto && s.snapshot.source === 'debug=1'));
    (redundant ? skipped : used).push(
      `${name(s.path)}: ${redundant ? 'same moments as a fuller goroutine dump given too' : `goroutines (${s.snapshot.source}${leakOnly ? ', leaked only' : ''})`}`
    );
    return !redundant;
  });
  profiles.goroutines = kept.map(({ time, snapshot }) => ({ time, snapshot }));
  profiles.window = windowOf(times);
  const dir = files.length > 0 && name(files[0]) !== files[0] ? dirname(files[0]) : undefined;
  return { profiles, used, skipped, directory: dir };
}

function windowOf(times: readonly number[]): TimeWindow | undefined {
  if (times.length === 0) {
    return undefined;
  }
  const from = Math.min(...times);
  const to = Math.max(...times);
  return to > from ? { from, to } : undefined;
}

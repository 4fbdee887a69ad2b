/**
 * Test-only builders of real inputs for the rules (not used by the product): pprof profiles encoded with the
 * wire-level test encoder and decoded by the real decoder, and goroutine dumps written in Go's debug=2 text and
 * parsed by the real parser. Borderline tests put a measure exactly at, or one sample under, each threshold.
 */
import { parsePprof } from '../../../model/parsePprof';
import type { Profile } from '../../../model/profile';
import { encodeProfile, SpecBuilder } from '../../../wire/testing/pprofEncoder';
import { snapshotFromText } from '../../goroutines/fromText';
import type { TimedGoroutineSnapshot } from '../../goroutines/series';

/** Go's CPU profiling period: 100 Hz (golang/go:src/runtime/pprof/pprof.go). */
export const PERIOD_NS = 10_000_000;

/** A stack given root first (readable), with how many 10 ms CPU samples it got. */
export type CpuStack = [rootFirst: string[], samples: number];

/** A neutral user stack that matches no rule, to fill a profile up to its total. */
export const FILLER: string[] = ['main.main', 'main.serve', 'main.handle'];

export function cpuProfile(stacks: readonly CpuStack[], durationSeconds = 2): Profile {
  const b = new SpecBuilder().sampleType('samples', 'count').sampleType('cpu', 'nanoseconds');
  for (const [stack, n] of stacks) {
    if (n > 0) {
      b.sample(stack, [n, n * PERIOD_NS]);
    }
  }
  b.spec.periodType = { type: b.str('cpu'), unit: b.str('nanoseconds') };
  b.spec.period = PERIOD_NS;
  b.spec.durationNanos = Math.round(durationSeconds * 1e9);
  b.spec.timeNanos = BigInt(1_700_000_000_000) * BigInt(1_000_000);
  return parsePprof(encodeProfile(b.spec));
}

/** `matched` samples on `stack` and the rest of `total` on {@link FILLER}. */
export function cpuShare(stack: string[], matched: number, total: number, durationSeconds = 2): Profile {
  return cpuProfile(
    [
      [stack, matched],
      [FILLER, total - matched],
    ],
    durationSeconds
  );
}

/** A mutex or block profile: stacks root first with their delay in seconds. `durationSeconds` 0 = cumulative. */
export function delayProfile(stacks: ReadonlyArray<[string[], number]>, durationSeconds = 0): Profile {
  const b = new SpecBuilder().sampleType('contentions', 'count').sampleType('delay', 'nanoseconds');
  for (const [stack, seconds] of stacks) {
    b.sample(stack, [Math.max(1, Math.round(seconds * 10)), Math.round(seconds * 1e9)]);
  }
  b.spec.periodType = { type: b.str('contentions'), unit: b.str('count') };
  b.spec.period = 1;
  b.spec.durationNanos = Math.round(durationSeconds * 1e9);
  return parsePprof(encodeProfile(b.spec));
}

/** An allocs profile (default sample type alloc_space): stacks root first with allocated bytes. */
export function allocsProfile(stacks: ReadonlyArray<[string[], number]>, durationSeconds = 0): Profile {
  const b = new SpecBuilder()
    .sampleType('alloc_objects', 'count')
    .sampleType('alloc_space', 'bytes')
    .sampleType('inuse_objects', 'count')
    .sampleType('inuse_space', 'bytes');
  for (const [stack, bytes] of stacks) {
    b.sample(stack, [Math.max(1, Math.round(bytes / 64)), bytes, 0, 0]);
  }
  b.spec.defaultSampleType = b.str('alloc_space');
  b.spec.durationNanos = Math.round(durationSeconds * 1e9);
  return parsePprof(encodeProfile(b.spec));
}

export interface DumpGroup {
  count: number;
  /** The header's status or wait reason, e.g. `chan send`, `runnable`, `sync.Mutex.Lock`. */
  reason: string;
  /** Frames leaf first, function names. */
  frames: string[];
  createdBy?: string;
  minutes?: number;
  leaked?: boolean;
}

/** A debug=2 goroutine dump as Go prints it (golang/go:src/runtime/traceback.go goroutineheader). */
export function dumpText(groups: readonly DumpGroup[]): string {
  let id = 1;
  const out: string[] = [];
  for (const g of groups) {
    for (let i = 0; i < g.count; i++) {
      const status = `${g.reason}${g.leaked ? ' (leaked)' : ''}${g.minutes ? `, ${g.minutes} minutes` : ''}`;
      out.push(`goroutine ${id++} [${status}]:`);
      g.frames.forEach((f, depth) => out.push(`${f}(...)`, `\t/src/app/${f.split('.')[0]}.go:${10 + depth} +0x1f`));
      if (g.createdBy) {
        out.push(`created by ${g.createdBy} in goroutine 1`, `\t/src/app/spawn.go:7 +0x2a`);
      }
      out.push('');
    }
  }
  return out.join('\n');
}

export function snapshot(groups: readonly DumpGroup[], time = 0): TimedGoroutineSnapshot {
  return { time, snapshot: snapshotFromText(dumpText(groups), { timestamp: time }) };
}

/**
 * The parsers under fuzz, each through the entry point the product uses, with seeds from the real captures in
 * fixtures/ (pprof and goroutine text from the demo service) and tests/fuzz/seeds/ (Grafana Pyroscope answers).
 *
 * A case passes when the parser returns or throws one of the core's typed errors (InputError: NotThisFormat,
 * Malformed, LimitExceeded). Anything else thrown is an untyped failure; the engine also records CPU time per case
 * and the process's memory, which the suite bounds.
 */
import { readdirSync, readFileSync } from 'fs';
import { join, resolve } from 'path';
import { gunzipSync, gzipSync } from 'zlib';

import { snapshotFromText } from '../../src/core/analysis/goroutines/fromText';
import { isInputError } from '../../src/core/errors';
import { parsePprof } from '../../src/core/model/parsePprof';
import { profileFromWire } from '../../src/core/model/validate';
import { decodeFlameGraph, decodeFlameGraphDiff } from '../../src/core/wire/pyroscopeFlamegraph';
import { parsePyroscopeJson } from '../../src/core/wire/pyroscopeJson';
import { pyroscopeProfileToWire } from '../../src/core/wire/pyroscopeProfile';
import {
  decodeConnectError,
  decodeNames,
  decodeProfileTypes,
  decodeSeries,
} from '../../src/core/wire/pyroscopeQuerier';
import { caseRng, int, mutateBytes, mutateJson, mutateText, pick, Rng } from './mutate';

const ROOT = resolve(__dirname, '../..');
const DEMO = join(ROOT, 'fixtures/demo');

export type FuzzInput = Uint8Array | string;

export interface FuzzTarget {
  name: string;
  /** Builds case input from the case's generator. */
  generate(r: Rng): FuzzInput;
  /** Runs the parser; throws whatever the parser throws. */
  run(input: FuzzInput): void;
}

function demoFiles(match: (name: string) => boolean): string[] {
  return readdirSync(DEMO, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) =>
      readdirSync(join(DEMO, d.name))
        .filter(match)
        .map((f) => join(DEMO, d.name, f))
    )
    .sort();
}

function mutations(r: Rng): number {
  return 1 + int(r, r() < 0.2 ? 8 : 3);
}

function pprofTarget(): FuzzTarget {
  const seeds = demoFiles((f) => f.endsWith('.pb.gz')).map((f) => new Uint8Array(gunzipSync(readFileSync(f))));
  return {
    name: 'pprof',
    generate(r) {
      let bytes: Uint8Array = pick(r, seeds);
      for (let k = mutations(r); k > 0; k--) {
        bytes = mutateBytes(r, bytes, pick(r, seeds));
      }
      const form = r();
      if (form < 0.3) {
        return bytes;
      }
      const gz = new Uint8Array(gzipSync(bytes, { level: 1 }));
      // Sometimes damage the gzip layer itself (header, deflate data, trailer).
      return form < 0.85 ? gz : mutateBytes(r, gz, gz);
    },
    run(input) {
      parsePprof(input as Uint8Array);
    },
  };
}

function textTarget(name: string, file: string): FuzzTarget {
  const seeds = demoFiles((f) => f === file).map((f) => readFileSync(f, 'utf8'));
  return {
    name,
    generate(r) {
      let text = pick(r, seeds);
      for (let k = mutations(r); k > 0; k--) {
        text = mutateText(r, text, pick(r, seeds));
      }
      return text;
    },
    run(input) {
      // As pasted text, and as the bytes of a file or HTTP body (read without one string of the whole text).
      snapshotFromText(input as string);
      snapshotFromText(new TextEncoder().encode(input as string));
    },
  };
}

type PyroscopeKind = 'types' | 'flamegraph' | 'diff' | 'profile' | 'series' | 'names' | 'error';

function pyroscopeKind(file: string): PyroscopeKind {
  if (/ProfileTypes/.test(file)) {
    return 'types';
  }
  if (/SelectMergeStacktraces/.test(file)) {
    return 'flamegraph';
  }
  if (/Diff/.test(file)) {
    return 'diff';
  }
  if (/SelectMergeProfile/.test(file)) {
    return 'profile';
  }
  if (/Series/.test(file)) {
    return 'series';
  }
  return /names/.test(file) ? 'names' : 'error';
}

/** Runs the decoder the data source applies to a response of that kind. */
export function decodePyroscope(kind: PyroscopeKind, text: string): void {
  if (kind === 'error') {
    decodeConnectError(text);
    return;
  }
  const body = parsePyroscopeJson(text);
  switch (kind) {
    case 'types':
      decodeProfileTypes(body);
      return;
    case 'flamegraph':
      decodeFlameGraph(body.flamegraph);
      return;
    case 'diff':
      decodeFlameGraphDiff(body.flamegraph);
      return;
    case 'profile':
      profileFromWire(pyroscopeProfileToWire(body, text.length));
      return;
    case 'series':
      decodeSeries(body);
      return;
    case 'names':
      decodeNames(body);
  }
}

function pyroscopeTarget(): FuzzTarget {
  const dir = join(ROOT, 'tests/fuzz/seeds/pyroscope');
  const seeds = readdirSync(dir)
    .sort()
    .map((f) => ({ kind: pyroscopeKind(f), text: readFileSync(join(dir, f), 'utf8') }));
  return {
    name: 'pyroscope',
    generate(r) {
      const seed = pick(r, seeds);
      let text = seed.text;
      for (let k = mutations(r); k > 0; k--) {
        text = mutateJson(r, text, pick(r, seeds).text);
      }
      // The kind travels with the input so that a case reproduces from its bytes alone.
      return `${seed.kind}\n${text}`;
    },
    run(input) {
      const text = input as string;
      const nl = text.indexOf('\n');
      decodePyroscope(text.slice(0, nl) as PyroscopeKind, text.slice(nl + 1));
    },
  };
}

export const TARGET_NAMES = ['pprof', 'goroutine-debug2', 'goroutine-debug1', 'pyroscope'] as const;
export type TargetName = (typeof TARGET_NAMES)[number];

export function fuzzTarget(name: TargetName): FuzzTarget {
  switch (name) {
    case 'pprof':
      return pprofTarget();
    case 'goroutine-debug2':
      return textTarget(name, 'goroutine.debug2.txt');
    case 'goroutine-debug1':
      return textTarget(name, 'goroutine.debug1.txt');
    case 'pyroscope':
      return pyroscopeTarget();
  }
}

export interface CaseOutcome {
  result: 'ok' | 'typed' | 'untyped';
  /** For failures: the error's name and the start of its message. */
  error?: string;
  cpuMs: number;
  inputBytes: number;
}

function size(input: FuzzInput): number {
  return typeof input === 'string' ? input.length : input.byteLength;
}

/** Runs one input, timing it in CPU time (user + system), which other processes' load does not inflate. */
export function runInput(target: FuzzTarget, input: FuzzInput): CaseOutcome {
  const before = process.cpuUsage();
  let result: CaseOutcome['result'] = 'ok';
  let error: string | undefined;
  try {
    target.run(input);
  } catch (e) {
    result = isInputError(e) ? 'typed' : 'untyped';
    if (result === 'untyped') {
      const err = e instanceof Error ? e : new Error(String(e));
      error = `${err.name}: ${err.message.slice(0, 200)}`;
    }
  }
  const used = process.cpuUsage(before);
  return { result, error, cpuMs: (used.user + used.system) / 1000, inputBytes: size(input) };
}

/** The input of case `index` of run `runSeed`. */
export function caseInput(target: FuzzTarget, runSeed: number, index: number): FuzzInput {
  return target.generate(caseRng(runSeed, index));
}

export interface RunStats {
  target: string;
  cases: number;
  ok: number;
  typed: number;
  untyped: Array<{ index: number; error: string }>;
  /** Cases over the time bound (CPU ms), with their index. */
  slow: Array<{ index: number; cpuMs: number; inputBytes: number }>;
  maxCpuMs: number;
  /** The case that took `maxCpuMs`, to re-run with `--case`. */
  slowestIndex: number;
  maxRssBytes: number;
}

export const CASE_CPU_LIMIT_MS = 2000;

export function emptyStats(target: string): RunStats {
  return { target, cases: 0, ok: 0, typed: 0, untyped: [], slow: [], maxCpuMs: 0, slowestIndex: -1, maxRssBytes: 0 };
}

/** Runs cases [start, start + count) into `stats`; `onProgress` after each (for a watchdog). */
export function runCases(
  target: FuzzTarget,
  runSeed: number,
  start: number,
  count: number,
  stats: RunStats = emptyStats(target.name),
  onProgress?: (index: number) => void
): RunStats {
  for (let index = start; index < start + count; index++) {
    onProgress?.(index);
    const outcome = runInput(target, caseInput(target, runSeed, index));
    stats.cases++;
    if (outcome.result === 'ok') {
      stats.ok++;
    } else if (outcome.result === 'typed') {
      stats.typed++;
    } else if (stats.untyped.length < 1000) {
      stats.untyped.push({ index, error: outcome.error ?? '' });
    }
    if (outcome.cpuMs > stats.maxCpuMs) {
      stats.maxCpuMs = outcome.cpuMs;
      stats.slowestIndex = index;
    }
    if (outcome.cpuMs > CASE_CPU_LIMIT_MS && outcome.inputBytes < 1_000_000 && stats.slow.length < 1000) {
      stats.slow.push({ index, cpuMs: outcome.cpuMs, inputBytes: outcome.inputBytes });
    }
    if ((index & 255) === 0) {
      stats.maxRssBytes = Math.max(stats.maxRssBytes, process.memoryUsage.rss());
    }
  }
  return stats;
}

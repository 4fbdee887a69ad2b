/**
 * The flame graph header's facts: which profile, which window and which sample type is on screen. They come from
 * the frame's `meta.custom`, which the data source fills (runners/flamegraph.ts, runners/diff.ts): `source`,
 * `profile` (a pprof name or a Pyroscope profile type ID), `sampleType`, `window`, `seconds`, `baselineWindow`.
 */
import type { DataFrame } from '@grafana/data';

import { parseProfileTypeId, pprofProfile } from '../../core';
import type { TimeWindow } from '../types';
import { isDiffFrame } from '../../frames';

export interface FlameDescription {
  profile: string;
  sampleType?: string;
  unit?: string;
  source?: 'pprof' | 'pyroscope' | string;
  window?: TimeWindow;
  baselineWindow?: TimeWindow;
  /** pprof: capture length in seconds (0 = a snapshot). */
  seconds?: number;
  isDiff: boolean;
  total?: number;
}

function asWindow(value: unknown): TimeWindow | undefined {
  const w = value as Partial<TimeWindow> | undefined;
  return w && typeof w.from === 'number' && typeof w.to === 'number' ? { from: w.from, to: w.to } : undefined;
}

/** `process_cpu:cpu:nanoseconds:cpu:nanoseconds` -> profile `process_cpu`, sample type `cpu`, unit `nanoseconds`. */
export function splitProfileTypeId(id: string): { name: string; sampleType?: string; unit?: string } {
  const t = parseProfileTypeId(id);
  return t ? { name: t.name, sampleType: t.sampleType, unit: t.sampleUnit } : { name: id };
}

export function describeFlame(frame: DataFrame): FlameDescription {
  const custom = (frame.meta?.custom ?? {}) as Record<string, unknown>;
  const raw = typeof custom.profile === 'string' ? custom.profile : '';
  const id = splitProfileTypeId(raw);
  const unit = frame.fields.find((f) => f.name === 'value')?.config?.unit;
  return {
    profile: id.name || 'profile',
    // A pprof query without a sample type gets the profile's default (cpu -> cpu, heap -> inuse_space ...).
    sampleType:
      typeof custom.sampleType === 'string' && custom.sampleType
        ? custom.sampleType
        : (id.sampleType ?? pprofProfile(id.name)?.defaultSampleType),
    unit,
    source: typeof custom.source === 'string' ? custom.source : undefined,
    window: asWindow(custom.window),
    baselineWindow: asWindow(custom.baselineWindow),
    seconds: typeof custom.seconds === 'number' ? custom.seconds : undefined,
    isDiff: isDiffFrame(frame),
    total: typeof custom.total === 'number' ? custom.total : undefined,
  };
}

const UNIT_NAMES: Record<string, string> = { ns: 'time', bytes: 'bytes', short: 'count' };

/** "cpu time", "alloc_space (bytes)": the sample type, or what the unit says when the profile's default is used. */
export function sampleTypeText(d: FlameDescription): string {
  const unit = d.unit ? (UNIT_NAMES[d.unit] ?? d.unit) : undefined;
  if (d.sampleType) {
    return unit ? `${d.sampleType} (${unit})` : d.sampleType;
  }
  return unit ? `default sample type (${unit})` : 'default sample type';
}

/** How the window was obtained, in words a user can act on. */
export function sourceText(d: FlameDescription): string {
  if (d.source === 'pprof') {
    if (d.isDiff) {
      return 'live pprof: two back-to-back captures (a live process has no past; Pyroscope compares any windows)';
    }
    return d.seconds ? `live pprof capture of ${d.seconds} s` : 'live pprof snapshot';
  }
  if (d.source === 'pyroscope') {
    return 'Pyroscope, merged over the window';
  }
  return d.source ?? '';
}

/**
 * What the query editor asks the data source: profile types the target offers (pprof index or Pyroscope
 * ProfileTypes) and label names/values for selector autocompletion. Failures come back as one option-less answer
 * with the message, so the editor can show why the list is empty.
 */
import { lastValueFrom } from 'rxjs';

import type { PprofClient } from './pprof/pprofClient';
import type { PyroscopeClient } from './pyroscope/pyroscopeClient';
import { pprofProfile } from '../core';
import type { TimeRangeMs } from './pyroscope/requests';
import type { TargetMode } from './types';

export interface EditorOption {
  label: string;
  value: string;
  description?: string;
}

const NOT_PROFILES = new Set(['cmdline', 'symbol', 'trace']);

export async function profileTypeOptions(
  mode: TargetMode,
  clients: { pprof: PprofClient; pyroscope: PyroscopeClient },
  range: TimeRangeMs,
  instance?: string
): Promise<EditorOption[]> {
  if (mode === 'pprof') {
    const entries = await lastValueFrom(clients.pprof.index(instance));
    return entries
      .filter((e) => !NOT_PROFILES.has(e.name))
      .map((e) => {
        const name = e.name === 'profile' ? 'cpu' : e.name;
        const info = pprofProfile(name);
        const count = e.count !== undefined ? ` (${e.count} now)` : '';
        return { label: name, value: name, description: `${info?.description ?? 'runtime/pprof profile'}${count}` };
      });
  }
  const types = await lastValueFrom(clients.pyroscope.profileTypes(range));
  return types.map((t) => ({ label: `${t.name} ${t.sampleType} (${t.sampleUnit})`, value: t.id, description: t.id }));
}

export function labelNames(
  clients: { pyroscope: PyroscopeClient },
  selector: string | undefined,
  range: TimeRangeMs
): Promise<string[]> {
  return lastValueFrom(clients.pyroscope.labelNames(selector, range));
}

export function labelValues(
  clients: { pyroscope: PyroscopeClient },
  name: string,
  selector: string | undefined,
  range: TimeRangeMs
): Promise<string[]> {
  return lastValueFrom(clients.pyroscope.labelValues(name, selector, range));
}

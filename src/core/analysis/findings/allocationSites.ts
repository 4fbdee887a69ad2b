/**
 * Top allocation sites (layer 3, memory: "allocation hot spots (alloc_space / alloc_objects)"), from the allocs
 * profile of the window, else the heap profile (both carry `alloc_space`, golang/go:src/runtime/pprof/protomem.go).
 * Heap stacks have their
 * leading runtime frames trimmed (`hideRuntime`, protomem.go), so the caller is the code that allocated.
 */
import type { ProfileSetView } from './context';
import { ANY_STACK, type CallerShare, stackShare } from './cpuStacks';
import { formatBytes } from '../textFormat';
import { num, pct, shortName } from './format';
import type { EvidenceNumber } from './types';

export interface AllocationSites {
  sites: CallerShare[];
  /** Bytes allocated per second, when the profile covers a known window (a delta or a Pyroscope merge). */
  bytesPerSecond: number | undefined;
  text: string;
  numbers: EvidenceNumber[];
}

const EMPTY: AllocationSites = { sites: [], bytesPerSecond: undefined, text: '', numbers: [] };

export function allocationSites(view: ProfileSetView, limit: number): AllocationSites {
  const profile = view.profiles.allocs ?? view.profiles.heap;
  if (!profile || !profile.sampleTypes.some((t) => t.type === 'alloc_space')) {
    return EMPTY;
  }
  const all = stackShare(profile, ANY_STACK, { sampleType: 'alloc_space' });
  if (all.value <= 0) {
    return EMPTY;
  }
  const sites = all.byCaller.slice(0, limit);
  const seconds = view.windowSeconds(profile);
  const bytesPerSecond = seconds ? all.value / seconds : undefined;
  const listed = sites.map((s) => `${shortName(s.caller)} (${pct(s.share)})`).join(', ');
  const rate = bytesPerSecond !== undefined ? ` at ${formatBytes(bytesPerSecond)}/s` : '';
  return {
    sites,
    bytesPerSecond,
    text: `Top allocation sites by bytes${rate}: ${listed}.`,
    numbers: [
      ...sites.map((s) => num(`allocated bytes under ${shortName(s.caller)}`, s.share, 'percentunit')),
      ...(bytesPerSecond !== undefined ? [num('allocation rate', bytesPerSecond, 'Bps')] : []),
    ],
  };
}

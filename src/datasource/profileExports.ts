/**
 * The profiles flame frames were drawn from, kept so that "download the profile" gives exactly those bytes: the
 * live capture (or the window merged from several), or the Pyroscope merge of the window (fetched only when asked:
 * the server drew the flame graph itself). Bounded: the most recent {@link MAX_EXPORTS} frames' profiles.
 */
import { encodePprofGzip, type Profile } from '../core';
import type { ExportedProfile, ExportRef } from '../frames';

export const MAX_EXPORTS = 24;

interface Entry {
  fileName: string;
  load: () => Promise<Profile | undefined>;
}

const entries = new Map<string, Entry>();
let counter = 0;

/** Keeps a profile (or how to get it) and returns the reference a frame carries. */
export function registerExport(
  datasourceUid: string,
  name: string,
  profile: Profile | (() => Promise<Profile | undefined>)
): ExportRef {
  const key = `${++counter}`;
  const fileName = `${name.replace(/[^\w.-]+/g, '-') || 'profile'}.pb.gz`;
  entries.set(key, { fileName, load: typeof profile === 'function' ? profile : async () => profile });
  while (entries.size > MAX_EXPORTS) {
    entries.delete(entries.keys().next().value!);
  }
  return { datasourceUid, key, fileName };
}

/** The gzipped pprof bytes of a registered profile; undefined when it has been dropped (older frames). */
export async function exportProfile(key: string): Promise<ExportedProfile | undefined> {
  const entry = entries.get(key);
  const profile = await entry?.load();
  return entry && profile ? { fileName: entry.fileName, bytes: encodePprofGzip(profile) } : undefined;
}

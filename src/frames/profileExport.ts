/**
 * "Download the profile" between the data source and the panel: a flame frame drawn from a pprof profile names it
 * in `meta.custom` (`exportProfile`, and `exportBaseline` for the baseline side of a diff) with a key the data source
 * instance that made the frame can turn back into the profile's bytes (`GoRuntimeDataSource.exportProfile`).
 * The panel reaches that instance through Grafana's data source service, never by importing the data source.
 */
import type { DataFrame } from '@grafana/data';

export const EXPORT_FIELDS = { profile: 'exportProfile', baseline: 'exportBaseline' } as const;

export interface ExportRef {
  /** The data source that holds the profile. */
  datasourceUid: string;
  key: string;
  /** A file name for it (`cpu.pb.gz`). */
  fileName: string;
}

export interface ExportedProfile {
  fileName: string;
  /** Gzipped pprof, as `go tool pprof` reads it. */
  bytes: Uint8Array;
}

/** What a data source offers when it can give back the profiles of its frames. */
export interface ProfileExporter {
  exportProfile(key: string): Promise<ExportedProfile | undefined>;
}

export function isProfileExporter(value: unknown): value is ProfileExporter {
  return typeof (value as Partial<ProfileExporter> | undefined)?.exportProfile === 'function';
}

function isRef(value: unknown): value is ExportRef {
  const r = value as Partial<ExportRef> | undefined;
  return typeof r?.datasourceUid === 'string' && typeof r.key === 'string' && typeof r.fileName === 'string';
}

/** The profiles a frame can be downloaded as: the one it is drawn from, and a diff's baseline. */
export function exportRefs(frame: DataFrame | undefined): { profile?: ExportRef; baseline?: ExportRef } {
  const custom = (frame?.meta?.custom ?? {}) as Record<string, unknown>;
  const profile = custom[EXPORT_FIELDS.profile];
  const baseline = custom[EXPORT_FIELDS.baseline];
  return { profile: isRef(profile) ? profile : undefined, baseline: isRef(baseline) ? baseline : undefined };
}

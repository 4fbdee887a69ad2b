/**
 * The errors a view shows: those of the dashboard's query of its type, and those of the panel's own queries for it
 * (companion or drill-down), by refId. One function for every view, so each attributes errors the same way.
 */
import type { DataQueryError, DataQueryRequest } from '@grafana/data';

/** The refId of the dashboard's query of a type. */
export function refIdOf(request: DataQueryRequest | undefined, queryType: string): string | undefined {
  return request?.targets.find((t) => (t as { queryType?: string }).queryType === queryType)?.refId;
}

export interface ErrorSources {
  /** The dashboard query's errors (`PanelData.errors`). */
  dashboard?: DataQueryError[];
  /** Errors of the panel's own queries. */
  own?: DataQueryError[];
}

/**
 * Messages for a view: dashboard errors of the query `dashboardRefId`, and own-query errors whose refId is in
 * `ownRefIds` (or that carry none). Undefined when there are none.
 */
export function viewErrors(
  sources: ErrorSources,
  dashboardRefId: string | undefined,
  ownRefIds: readonly string[]
): string | undefined {
  const messages = [
    ...(dashboardRefId ? (sources.dashboard ?? []).filter((e) => e.refId === dashboardRefId) : []),
    ...(sources.own ?? []).filter((e) => !e.refId || ownRefIds.includes(e.refId)),
  ].map((e) => e.message ?? String(e));
  return messages.length ? messages.join('\n') : undefined;
}

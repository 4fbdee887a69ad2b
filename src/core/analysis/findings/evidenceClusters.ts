/**
 * Goroutine clusters as finding evidence: the same fields for every rule, so the panel's findings list and the CLI
 * show a cluster alike whichever rule cited it.
 */
import type { GoroutineCluster } from '../goroutines/cluster';
import type { ProfileSetView } from './context';
import type { EvidenceCluster } from './types';

export function toEvidenceCluster(cluster: GoroutineCluster): EvidenceCluster {
  return {
    function: cluster.function,
    reason: cluster.reason,
    count: cluster.count,
    creationSite: cluster.creationSite,
    waitMinutes: cluster.waitMinutes.max,
  };
}

/**
 * The latest snapshot's clusters that satisfy `include`, largest first as clustered, at most `limit` of them (a
 * finding cites the few that explain it, not every goroutine).
 */
export function latestClustersWhere(
  view: ProfileSetView,
  include: (cluster: GoroutineCluster) => boolean,
  limit = Infinity
): EvidenceCluster[] {
  return (view.latestClusters?.clusters ?? []).filter(include).slice(0, limit).map(toEvidenceCluster);
}

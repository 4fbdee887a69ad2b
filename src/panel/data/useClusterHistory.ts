import { useState } from 'react';
import type { DataFrame } from '@grafana/data';

import { ClusterHistory, readClusterSnapshots } from '../heatmap/clusters';

interface HistoryState {
  frames: ReadonlyArray<DataFrame | undefined>;
  history: ClusterHistory;
  revision: number;
}

/** A new history with the snapshots of `frames` added to those of `previous` (never changes `previous`). */
function extended(previous: ClusterHistory, frames: ReadonlyArray<DataFrame | undefined>): ClusterHistory | undefined {
  const snapshots = frames.flatMap((f) =>
    (f ? readClusterSnapshots(f) : []).filter((s) => !previous.all().some((p) => p.time === s.time))
  );
  if (snapshots.length === 0) {
    return undefined;
  }
  const next = new ClusterHistory();
  previous.all().forEach((s) => next.add(s));
  snapshots.forEach((s) => next.add(s));
  return next;
}

/**
 * The goroutine clusters the panel has seen, one snapshot per time (streams send the newest snapshot with every
 * capture), kept across refreshes so a past heatmap column still names its clusters. New frames give a new history
 * object (React's "adjust state when a prop changes" during render, with no mutation of what earlier renders saw);
 * `revision` counts the changes.
 */
export function useClusterHistory(
  dashboard: DataFrame | undefined,
  companion: DataFrame | undefined,
  drilled: DataFrame | undefined
): { history: ClusterHistory; revision: number } {
  const [state, setState] = useState<HistoryState>(() => ({
    frames: [],
    history: new ClusterHistory(),
    revision: 0,
  }));
  const frames = [dashboard, companion, drilled];
  if (frames.some((f, i) => f !== state.frames[i])) {
    const next = extended(state.history, frames);
    setState({
      frames,
      history: next ?? state.history,
      revision: next ? state.revision + 1 : state.revision,
    });
  }
  return { history: state.history, revision: state.revision };
}

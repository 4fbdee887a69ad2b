/**
 * Which frame feeds which view. Frames are recognised by shape, not by refId, so any query order works and frames
 * from Grafana's own Pyroscope data source (nested set) or another heatmap-cells source work too.
 */
import type { DataFrame } from '@grafana/data';

import { isFlameFrame } from '../../frames';
import { isFindingsFrame } from '../findings/readFindings';
import { isClustersFrame } from '../heatmap/clusters';
import { isStatesFrame } from '../heatmap/matrix';

export interface PanelFrames {
  flame?: DataFrame;
  states?: DataFrame;
  findings?: DataFrame;
  clusters?: DataFrame;
}

export type FrameKind = keyof PanelFrames;

export function frameKind(frame: DataFrame): FrameKind | undefined {
  if (isFlameFrame(frame)) {
    return 'flame';
  }
  if (isStatesFrame(frame)) {
    return 'states';
  }
  if (isFindingsFrame(frame)) {
    return 'findings';
  }
  if (isClustersFrame(frame)) {
    return 'clusters';
  }
  return undefined;
}

/** The first frame of each kind. */
export function pickFrames(series: readonly DataFrame[]): PanelFrames {
  const out: PanelFrames = {};
  for (const frame of series) {
    const kind = frameKind(frame);
    if (kind && !out[kind]) {
      out[kind] = frame;
    }
  }
  return out;
}

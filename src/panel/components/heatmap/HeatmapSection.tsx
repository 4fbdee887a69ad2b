import React, { useEffect, useMemo, useState } from 'react';
import { css } from '@emotion/css';
import type { DataFrame, EventBus, GrafanaTheme2, TimeRange } from '@grafana/data';
import { Alert, useStyles2 } from '@grafana/ui';

import type { Selection } from '../../data/plan';
import type { ClusterHistory } from '../../heatmap/clusters';
import { emptyMatrix, readStatesFrame } from '../../heatmap/matrix';
import type { HeatmapColorScheme, StateGrouping, TimeWindow } from '../../types';
import { SelectionActions } from '../SelectionActions';
import { HeatmapView } from './HeatmapView';

interface Props {
  frame?: DataFrame;
  /** Changes (by identity) with every response, since a streaming frame grows in place. */
  revision: unknown;
  loading: boolean;
  error?: string;
  history: ClusterHistory;
  historyRevision: number;
  timeRange: TimeRange;
  timeZone: string;
  width: number;
  height: number;
  devicePixelRatio: number;
  colorScheme: HeatmapColorScheme;
  stateGrouping: StateGrouping;
  eventBus?: EventBus;
  crosshair: boolean;
  selection?: Selection;
  highlight?: TimeWindow;
  onSelect: (s: Selection | undefined) => void;
  onZoom: (w: TimeWindow) => void;
}

const ACTIONS_HEIGHT = 34;

/**
 * The dashboard range as the heatmap's x axis. A live pprof stream keeps adding snapshots after the query ran, so
 * with a range relative to now ("last 15 minutes") the axis moves with the clock, as Grafana's time series do for
 * streaming data (the dashboard's "live now" behaviour) and as the sandbox's metric panels do; absolute ranges and
 * stored (Pyroscope) data stay put.
 */
function useLiveRange(timeRange: TimeRange, live: boolean): TimeWindow {
  const from = timeRange.from.valueOf();
  const to = timeRange.to.valueOf();
  const relative = typeof timeRange.raw.to === 'string' && timeRange.raw.to.startsWith('now');
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!live || !relative) {
      return;
    }
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [live, relative]);
  return useMemo(() => {
    const shift = live && relative ? Math.max(0, now - to) : 0;
    return { from: from + shift, to: to + shift };
  }, [from, to, now, live, relative]);
}

export function HeatmapSection(props: Props) {
  const styles = useStyles2(getStyles);
  const { frame, revision } = props;
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const states = useMemo(() => (frame ? readStatesFrame(frame) : emptyMatrix()), [frame, revision, frame?.length]);
  const custom = (frame?.meta?.custom ?? {}) as Record<string, unknown>;
  const live = custom.source === 'pprof';
  const range = useLiveRange(props.timeRange, live);
  const intervalMs = Number(custom.intervalMs ?? custom.bucketMs) || 5000;
  const note =
    custom.source === 'pyroscope'
      ? 'Pyroscope: average goroutines per bucket, states inferred from stacks'
      : live
        ? typeof custom.live === 'string'
          ? `live store: ${custom.live}`
          : `live: a goroutine snapshot every ${Math.round(intervalMs / 1000)} s`
        : undefined;
  const actions = props.selection ? ACTIONS_HEIGHT : 0;

  return (
    <div className={styles.section} style={{ width: props.width, height: props.height }}>
      {props.error && (
        <Alert title="Goroutine states" severity="error" data-testid="goruntime-heatmap-error">
          {props.error}
        </Alert>
      )}
      {!frame && !props.error && (
        <div className={styles.empty}>
          {props.loading ? 'Taking the first goroutine snapshot…' : 'No goroutine states query.'}
        </div>
      )}
      {frame && (
        <HeatmapView
          states={states}
          fallbackMs={intervalMs}
          history={props.history}
          historyRevision={props.historyRevision}
          range={range}
          timeZone={props.timeZone}
          width={props.width}
          height={props.height - actions}
          devicePixelRatio={props.devicePixelRatio}
          colorScheme={props.colorScheme}
          initialRows={props.stateGrouping}
          eventBus={props.eventBus}
          crosshair={props.crosshair}
          selection={props.selection}
          highlight={props.highlight}
          note={note}
          onSelect={props.onSelect}
        />
      )}
      {props.selection && (
        <SelectionActions
          selection={props.selection}
          timeZone={props.timeZone}
          width={props.width}
          onZoom={props.onZoom}
          onChange={props.onSelect}
        />
      )}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  section: css({ display: 'flex', flexDirection: 'column', minHeight: 0 }),
  empty: css({ padding: theme.spacing(2), color: theme.colors.text.secondary }),
});

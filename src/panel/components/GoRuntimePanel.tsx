import React, { useCallback, useMemo, useState } from 'react';
import { css } from '@emotion/css';
import type { PanelProps } from '@grafana/data';
import { DashboardCursorSync } from '@grafana/schema';
import { usePanelContext, useStyles2 } from '@grafana/ui';

import type { Selection } from '../data/plan';
import { datasourceMode, goRuntimeDatasource } from '../data/panelQuery';
import type { PanelFrames } from '../data/pickFrames';
import { useClusterHistory } from '../data/useClusterHistory';
import { useDrillDown, usePanelFrames } from '../data/usePanelFrames';
import { refIdOf, viewErrors } from '../data/viewErrors';
import { readFindings, type PanelFinding } from '../findings/readFindings';
import { ClusterHistory, readClustersFrame, topClusters } from '../heatmap/clusters';
import { layoutViews } from '../layout';
import { resolvePanelOptions, type GoRuntimePanelOptions, type TimeWindow } from '../types';
import { ClustersList } from './ClustersList';
import { FindingsList, readFindingsFacts } from './FindingsList';
import { FlameView, type FocusRequest } from './flame/FlameView';
import { TimelineView } from './timeline/TimelineView';
import { HeatmapSection } from './heatmap/HeatmapSection';
import { formatWindow } from './SelectionActions';

/**
 * The Go Runtime Profiles panel: findings, the goroutine-state heatmap on the dashboard's time axis and the flame
 * graph, wired together — brushing the heatmap offers zoom and a baseline comparison, clicking a column drills into
 * that bucket, selecting a finding focuses both views on its evidence.
 */
export function GoRuntimePanel(props: PanelProps<GoRuntimePanelOptions>) {
  const { data, width, height, timeZone, eventBus, onChangeTimeRange } = props;
  const options = useMemo(() => resolvePanelOptions(props.options), [props.options]);
  const styles = useStyles2(getStyles);
  const panelContext = usePanelContext();
  const crosshair = (panelContext.sync?.() ?? DashboardCursorSync.Off) !== DashboardCursorSync.Off;
  const request = data.request;
  const datasource = useMemo(() => goRuntimeDatasource(request), [request]);
  const mode = datasourceMode(datasource) ?? 'pprof';

  const { own, extra, frames, companion, companions, base } = usePanelFrames(
    data.series,
    request,
    options,
    datasource,
    mode
  );

  // Interaction state.
  const [selection, setSelection] = useState<Selection>();
  const [inverted, setInverted] = useState(false);
  const [leftHeavy, setLeftHeavy] = useState(false);
  const [activeFinding, setActiveFinding] = useState<PanelFinding>();
  const [focus, setFocus] = useState<FocusRequest>();

  const drill = useDrillDown(request, datasource, selection, base, inverted);
  const { history, revision: historyRevision } = useClusterHistory(own.clusters, extra.clusters, drill.frames.clusters);

  const onSelect = useCallback(
    (next: Selection | undefined) =>
      setSelection(
        next && next.origin === 'bucket'
          ? { ...next, recorded: history.within(next.window.from, next.window.to) !== undefined }
          : next
      ),
    [history]
  );
  const onZoom = useCallback(
    (w: TimeWindow) => {
      setSelection(undefined);
      onChangeTimeRange({ from: w.from, to: w.to });
    },
    [onChangeTimeRange]
  );
  const onFinding = useCallback((f: PanelFinding) => {
    setActiveFinding(f);
    const stack = f.evidence.stacks?.[0];
    setFocus(stack && stack.length ? { title: f.title, stack } : undefined);
  }, []);

  // A view's errors: the dashboard query's (by refId, or the query of the view's type) and the panel's own.
  const errors = (dashboardRefId: string | undefined, ownRefIds: string[], own = companion.errors) =>
    viewErrors({ dashboard: data.errors, own }, dashboardRefId, ownRefIds);
  const boxes = layoutViews(options.views, options.layout, width, height);
  const findings = useMemo(() => (frames.findings ? readFindings(frames.findings) : undefined), [frames.findings]);
  const bucketClusters =
    selection?.origin === 'bucket' && selection.action === 'flame'
      ? bucketClusterFacts(
          selection,
          history,
          drill.frames,
          errors(undefined, ['panel-window-clusters'], drill.result.errors)
        )
      : undefined;
  const flame = drill.active
    ? {
        frame: drill.frames.flame,
        loading: drill.result.state === 'Loading',
        error: errors(
          undefined,
          drill.queries.filter((q) => q.queryType !== 'goroutineClusters').map((q) => q.refId),
          drill.result.errors
        ),
      }
    : {
        frame: frames.flame,
        loading: !frames.flame && companion.state === 'Loading',
        error: errors(own.flame?.refId ?? refIdOf(request, 'flamegraph'), ['panel-flame']),
      };

  return (
    <div className={styles.panel} style={{ width, height }} data-testid="goruntime-panel">
      {boxes.findings && (
        <div className={styles.box} style={boxes.findings}>
          <FindingsList
            findings={findings}
            facts={frames.findings ? readFindingsFacts(frames.findings) : undefined}
            // Until their frame arrives, any requested findings query is running.
            loading={
              !frames.findings &&
              (refIdOf(request, 'findings') !== undefined || companions.some((q) => q.queryType === 'findings'))
            }
            error={errors(refIdOf(request, 'findings'), ['panel-findings'])}
            notices={frames.findings?.meta?.notices?.map((n) => n.text)}
            active={activeFinding}
            timeZone={timeZone}
            onSelect={onFinding}
            height={boxes.findings.height}
          />
        </div>
      )}
      {boxes.heatmap && (
        <div className={styles.heatmapBox} style={boxes.heatmap}>
          <HeatmapSection
            frame={frames.states}
            revision={own.states ? data.series : companion.revision}
            loading={companion.state === 'Loading' || data.state === 'Loading'}
            error={errors(refIdOf(request, 'goroutineStates'), ['panel-states'])}
            history={history}
            historyRevision={historyRevision}
            timeRange={props.timeRange}
            timeZone={timeZone}
            width={boxes.heatmap.width}
            height={boxes.heatmap.height}
            devicePixelRatio={window.devicePixelRatio || 1}
            colorScheme={options.colorScheme}
            stateGrouping={options.stateGrouping}
            eventBus={eventBus}
            crosshair={crosshair}
            selection={selection}
            highlight={activeFinding?.window}
            onSelect={onSelect}
            onZoom={onZoom}
          />
        </div>
      )}
      {boxes.timeline && (
        <div className={styles.box} style={boxes.timeline}>
          <TimelineView
            frames={data.series}
            timeRange={props.timeRange}
            width={boxes.timeline.width}
            height={boxes.timeline.height}
            devicePixelRatio={window.devicePixelRatio || 1}
            timeZone={timeZone}
            eventBus={eventBus}
            crosshair={crosshair}
          />
        </div>
      )}
      {boxes.flamegraph && (
        <div className={styles.box} style={boxes.flamegraph}>
          <FlameView
            frame={flame.frame}
            context={flameContext(selection, inverted, timeZone)}
            loading={flame.loading}
            error={flame.error}
            timeZone={timeZone}
            maxNodes={options.maxNodes}
            leftHeavy={leftHeavy}
            inverted={inverted}
            onLeftHeavy={setLeftHeavy}
            onInverted={setInverted}
            onBack={selection?.action ? () => setSelection({ ...selection, action: undefined }) : undefined}
            focus={focus}
            onClearFocus={() => {
              setFocus(undefined);
              setActiveFinding(undefined);
            }}
            footer={
              bucketClusters && (
                <ClustersList
                  title="Goroutine clusters of the bucket"
                  clusters={bucketClusters.clusters}
                  note={bucketClusters.note}
                  error={bucketClusters.error}
                  maxHeight={Math.round(boxes.flamegraph.height * 0.35)}
                />
              )
            }
            width={boxes.flamegraph.width}
            height={boxes.flamegraph.height}
          />
        </div>
      )}
    </div>
  );
}

/** What the flame graph area shows, in the header's words. */
function flameContext(selection: Selection | undefined, inverted: boolean, timeZone: string): string {
  if (selection?.action) {
    const what = selection.action === 'compare' ? 'Comparison' : selection.origin === 'bucket' ? 'Bucket' : 'Window';
    return `${what} ${formatWindow(selection.window, timeZone)}`;
  }
  return inverted ? 'Dashboard window, bottom-up' : 'Dashboard window';
}

function bucketClusterFacts(selection: Selection, history: ClusterHistory, drilled: PanelFrames, error?: string) {
  const recorded = history.within(selection.window.from, selection.window.to);
  if (recorded) {
    return {
      clusters: topClusters(recorded, undefined, 20),
      note: recorded.window ? 'aggregated over the window' : 'from the goroutine snapshot of this bucket',
      error: undefined,
    };
  }
  const fetched = drilled.clusters ? readClustersFrame(drilled.clusters) : undefined;
  return {
    clusters: fetched ? topClusters(fetched, undefined, 20) : undefined,
    note: 'queried for this bucket',
    error,
  };
}

const getStyles = () => ({
  panel: css({ position: 'relative', overflow: 'hidden' }),
  box: css({ position: 'absolute', overflow: 'hidden' }),
  // The heatmap's tooltip may extend over the flame graph below it.
  heatmapBox: css({ position: 'absolute', overflow: 'visible', zIndex: 2 }),
});

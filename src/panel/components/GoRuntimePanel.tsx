import React, { useCallback, useMemo, useState } from 'react';
import { css } from '@emotion/css';
import type { DataFrame, GrafanaTheme2, PanelProps } from '@grafana/data';
import { DashboardCursorSync } from '@grafana/schema';
import { usePanelContext, useStyles2 } from '@grafana/ui';

import { companionQueries, drillDownQueries, flameBase, type Selection } from '../data/plan';
import { datasourceMode, goRuntimeDatasource, type QueryResult } from '../data/panelQuery';
import { pickFrames, type PanelFrames } from '../data/pickFrames';
import { usePanelQuery } from '../data/usePanelQuery';
import { readFindings, type PanelFinding } from '../findings/readFindings';
import { ClusterHistory, readClustersFrame, topClusters } from '../heatmap/clusters';
import { layoutViews } from '../layout';
import { resolvePanelOptions, type GoRuntimePanelOptions, type TimeWindow } from '../types';
import { ClustersList } from './ClustersList';
import { FindingsList } from './FindingsList';
import { FlameView, type FocusRequest } from './flame/FlameView';
import { TimelineView } from './timeline/TimelineView';
import { HeatmapSection } from './heatmap/HeatmapSection';
import { formatWindow } from './SelectionActions';

const errorsFor = (result: QueryResult, refIds: string[]) =>
  result.errors?.filter((e) => !e.refId || refIds.includes(e.refId)).map((e) => e.message ?? String(e));

function panelErrors(errors: Array<{ refId?: string; message?: string }> | undefined, refId: string | undefined) {
  return errors?.filter((e) => e.refId === refId).map((e) => e.message ?? '') ?? [];
}

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

  // The dashboard's frames, then the panel's own queries for the views they leave empty.
  const own = useMemo(() => pickFrames(data.series), [data.series]);
  const base = useMemo(() => flameBase(request, own.flame?.refId, options), [request, own.flame, options]);
  // Only which kinds of frames the dashboard sends matters here, not every new frame of a stream.
  const has = { flame: own.flame !== undefined, states: own.states !== undefined };
  const hasMore = { findings: own.findings !== undefined, clusters: own.clusters !== undefined };
  const companions = useMemo(
    () => (datasource ? companionQueries({ ...has, ...hasMore }, options, mode, request, base) : []),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [datasource, has.flame, has.states, hasMore.findings, hasMore.clusters, options, mode, base]
  );
  const companion = usePanelQuery(
    request,
    datasource && companions.length ? { datasource, queries: companions } : undefined,
    'companion'
  );
  const extra = useMemo(() => pickFrames(companion.frames), [companion.frames]);
  const frames: PanelFrames = {
    flame: own.flame ?? extra.flame,
    states: own.states ?? extra.states,
    findings: own.findings ?? extra.findings,
    clusters: own.clusters ?? extra.clusters,
  };

  // Interaction state.
  const [selection, setSelection] = useState<Selection>();
  const [inverted, setInverted] = useState(false);
  const [leftHeavy, setLeftHeavy] = useState(false);
  const [activeFinding, setActiveFinding] = useState<PanelFinding>();
  const [focus, setFocus] = useState<FocusRequest>();

  // Goroutine clusters seen so far (streams send one snapshot per interval).
  const [history] = useState(() => new ClusterHistory());

  const drillQueries = useMemo(
    () => drillDownQueries(selection, base, inverted, selection?.origin === 'bucket' && !selection.recorded),
    [selection, base, inverted]
  );
  const drill = usePanelQuery(
    request,
    datasource && drillQueries.length
      ? { datasource, queries: drillQueries, window: selection?.action ? selection.window : undefined }
      : undefined,
    'drill'
  );
  const drilled = useMemo(() => pickFrames(drill.frames), [drill.frames]);

  // Recording is idempotent (snapshots are keyed by time), so deriving it during render is safe; the count of
  // history's version is the revision the heatmap's cluster rows depend on.
  const historyRevision = useMemo(() => {
    for (const frame of [own.clusters, extra.clusters, drilled.clusters]) {
      const snapshot = frame ? readClustersFrame(frame) : undefined;
      if (snapshot) {
        history.add(snapshot);
      }
    }
    return history.version;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [own.clusters, extra.clusters, drilled.clusters, companion.revision, drill.revision, history]);

  const onSelect = useCallback(
    (next: Selection | undefined) => {
      setSelection(
        next && next.origin === 'bucket'
          ? { ...next, recorded: history.within(next.window.from, next.window.to) !== undefined }
          : next
      );
    },
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

  const boxes = layoutViews(options.views, options.layout, width, height);
  const drillActive = drillQueries.length > 0;
  const flameFrame: DataFrame | undefined = drillActive ? drilled.flame : frames.flame;
  const flameLoading = drillActive ? drill.state === 'Loading' : !frames.flame && companion.state === 'Loading';
  const flameErrors = drillActive
    ? errorsFor(
        drill,
        drillQueries.filter((q) => q.queryType !== 'goroutineClusters').map((q) => q.refId)
      )
    : [
        ...panelErrors(data.errors, own.flame?.refId ?? findRefId(request, 'flamegraph')),
        ...(errorsFor(companion, ['panel-flame']) ?? []),
      ];
  const flameContext = selection?.action
    ? `${selection.action === 'compare' ? 'Comparison' : selection.origin === 'bucket' ? 'Bucket' : 'Window'} ${formatWindow(selection.window, timeZone)}`
    : inverted
      ? 'Dashboard window, bottom-up'
      : 'Dashboard window';

  const bucketClusters =
    selection?.origin === 'bucket' && selection.action === 'flame'
      ? bucketClusterFacts(selection, history, drilled, errorsFor(drill, ['panel-window-clusters'])?.join('\n'))
      : undefined;
  const findings = useMemo(() => (frames.findings ? readFindings(frames.findings) : undefined), [frames.findings]);
  const findingsNotices = frames.findings?.meta?.notices?.map((n) => n.text);

  return (
    <div className={styles.panel} style={{ width, height }} data-testid="goruntime-panel">
      {boxes.findings && (
        <div className={styles.box} style={boxes.findings}>
          <FindingsList
            findings={findings}
            // Findings take a CPU capture first: until their frame arrives, any requested findings query is running.
            loading={
              !frames.findings &&
              (findRefId(request, 'findings') !== undefined || companions.some((q) => q.queryType === 'findings'))
            }
            error={
              [
                ...panelErrors(data.errors, findRefId(request, 'findings')),
                ...(errorsFor(companion, ['panel-findings']) ?? []),
              ].join('\n') || undefined
            }
            notices={findingsNotices}
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
            error={
              [
                ...panelErrors(data.errors, findRefId(request, 'goroutineStates')),
                ...(errorsFor(companion, ['panel-states']) ?? []),
              ].join('\n') || undefined
            }
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
            range={{ from: props.timeRange.from.valueOf(), to: props.timeRange.to.valueOf() }}
            width={boxes.timeline.width}
            height={boxes.timeline.height}
            devicePixelRatio={window.devicePixelRatio || 1}
            timeZone={timeZone}
          />
        </div>
      )}
      {boxes.flamegraph && (
        <div className={styles.box} style={boxes.flamegraph}>
          <FlameView
            frame={flameFrame}
            context={flameContext}
            loading={flameLoading}
            error={flameErrors?.join('\n') || undefined}
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
                  error={'error' in bucketClusters ? bucketClusters.error : undefined}
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

/** The refId of the dashboard query of a type, to attribute its errors to the right view. */
function findRefId(request: PanelProps['data']['request'], queryType: string): string | undefined {
  return request?.targets.find((t) => (t as { queryType?: string }).queryType === queryType)?.refId;
}

function bucketClusterFacts(selection: Selection, history: ClusterHistory, drilled: PanelFrames, error?: string) {
  const recorded = history.within(selection.window.from, selection.window.to);
  if (recorded) {
    return {
      clusters: topClusters(recorded, undefined, 20),
      note: recorded.window ? 'aggregated over the window' : 'from the goroutine dump of this bucket',
    };
  }
  const fetched = drilled.clusters ? readClustersFrame(drilled.clusters) : undefined;
  return {
    clusters: fetched ? topClusters(fetched, undefined, 20) : undefined,
    note: 'queried for this bucket',
    error: error || undefined,
  };
}

const getStyles = (theme: GrafanaTheme2) => ({
  panel: css({ position: 'relative', overflow: 'hidden' }),
  box: css({ position: 'absolute', overflow: 'hidden' }),
  // The heatmap's tooltip may extend over the flame graph below it.
  heatmapBox: css({ position: 'absolute', overflow: 'visible', zIndex: 2 }),
});

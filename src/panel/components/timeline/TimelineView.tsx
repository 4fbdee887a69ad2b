/**
 * The Timeline view: an execution trace's goroutine-group lanes in state colours on the dashboard's time axis, GC
 * mark phases and stop-the-world pauses as bands behind them, the group table, and the four latency flame graphs.
 * Selecting a group (its lane, its label — focusable, Enter — or its table row) shows where that group waited:
 * its scheduler wait, syscall and blocking stacks by reason, as a flame graph and a top list.
 * Reads the trace frames only through their readers (src/frames/stateTimeline.ts, traceTables.ts); the geometry is
 * in src/panel/timeline/geometry.ts.
 */
import { css, cx } from '@emotion/css';
import type { DataFrame, EventBus, GrafanaTheme2, TimeRange } from '@grafana/data';
import { RadioButtonGroup, useStyles2, useTheme2 } from '@grafana/ui';
import React, { useEffect, useMemo, useRef, useState } from 'react';

import { readStateTimeline, readTraceGroups, readTraceGroupWaits, readTraceSpans, STATE_COLORS } from '../../../frames';
import {
  bandRects,
  ellipsizeStart,
  fitLaneHeight,
  laneAt,
  laneColumns,
  laneLabelBoxes,
  laneRects,
  timeToX,
  xToTime,
} from '../../timeline/geometry';
import { GroupWaits, WaitFlame } from './GroupWaits';
import { useSharedCrosshair } from '../heatmap/useSharedCrosshair';
import { useLiveRange } from '../useLiveRange';

const LATENCY = ['sched', 'net', 'sync', 'syscall'] as const;
type Latency = (typeof LATENCY)[number];
const LATENCY_LABELS: Record<Latency, string> = {
  sched: 'Scheduler wait',
  net: 'Network',
  sync: 'Sync',
  syscall: 'Syscall',
};

interface Props {
  frames: DataFrame[];
  /** The dashboard range; relative to now, the axis moves with the clock (a live trace ends after the query ran). */
  timeRange: TimeRange;
  width: number;
  height: number;
  devicePixelRatio: number;
  timeZone: string;
  eventBus?: EventBus;
  /** The dashboard's shared crosshair is on: publish hovers, follow the other panels'. */
  crosshair: boolean;
}

const GAP = 2;
/** A label button's horizontal padding and right margin, plus a pixel of slack for sub-pixel text widths. */
const LABEL_INSET = 14;
const ms = (ns: number) => `${(ns / 1e6).toFixed(1)} ms`;

export function TimelineView({
  frames,
  timeRange,
  width,
  height,
  devicePixelRatio,
  timeZone,
  eventBus,
  crosshair,
}: Props) {
  const theme = useTheme2();
  const styles = useStyles2(getStyles);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [latency, setLatency] = useState<Latency>('sched');
  const [selectedGroup, setSelectedGroup] = useState<string>();
  const timeline = useMemo(() => frames.map(readStateTimeline).find((t) => t !== undefined), [frames]);
  const spans = useMemo(() => frames.map(readTraceSpans).find((s) => s !== undefined) ?? [], [frames]);
  const groups = useMemo(() => frames.map(readTraceGroups).find((g) => g !== undefined) ?? [], [frames]);
  const waits = useMemo(() => frames.map(readTraceGroupWaits).find((w) => w !== undefined) ?? [], [frames]);
  const selectedLane = timeline?.lanes.findIndex((l) => l.name === selectedGroup) ?? -1;
  const toggleGroup = (name: string | undefined) => setSelectedGroup(name === selectedGroup ? undefined : name);
  const labelRefs = useRef<Array<HTMLButtonElement | null>>([]);
  const flame = frames.find((f) => f.name === `${latency} latency`);
  const range = useLiveRange(timeRange, timeline !== undefined);
  const { remoteTime, publishTime } = useSharedCrosshair(eventBus, crosshair);
  const [hoverX, setHoverX] = useState<number>();

  const lanesHeight = Math.max(60, Math.round(height * 0.4));
  const laneCount = timeline?.lanes.length ?? 0;
  const laneHeight = fitLaneHeight(laneCount, lanesHeight, GAP);
  const layout = useMemo(() => ({ top: 0, laneHeight, gap: GAP }), [laneHeight]);
  const labelFont = `${Math.max(9, Math.min(12, laneHeight - 2))}px ${theme.typography.fontFamily}`;
  const labels = useMemo(() => {
    const texts = (timeline?.lanes ?? []).map((lane) => `${lane.name} (${lane.count})`);
    const measure = textMeasure(labelFont);
    const columns = laneColumns(width, Math.max(0, ...texts.map(measure)));
    return { columns, texts, shown: texts.map((t) => ellipsizeStart(t, columns.labelWidth - LABEL_INSET, measure)) };
  }, [timeline, labelFont, width]);
  const plotWidth = labels.columns.plotWidth;

  useEffect(() => {
    const canvas = canvasRef.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx || !timeline) {
      return;
    }
    ctx.setTransform(devicePixelRatio, 0, 0, devicePixelRatio, 0, 0);
    ctx.clearRect(0, 0, plotWidth, lanesHeight);
    for (const band of bandRects(spans, range, plotWidth, lanesHeight)) {
      ctx.fillStyle = band.kind === 'stw' ? theme.colors.error.transparent : theme.colors.warning.transparent;
      ctx.fillRect(band.x, band.y, band.w, band.h);
    }
    for (const r of laneRects(timeline, range, plotWidth, layout)) {
      ctx.fillStyle = theme.visualization.getColorByName(STATE_COLORS[r.state] ?? 'gray');
      ctx.globalAlpha = r.lane === selectedLane || selectedLane < 0 ? 0.9 : 0.45;
      ctx.fillRect(r.x, r.y, r.w, r.h);
    }
    ctx.globalAlpha = 1;
  }, [timeline, spans, range, plotWidth, lanesHeight, devicePixelRatio, theme, selectedLane, layout]);

  if (!timeline) {
    return <div className={styles.empty}>No execution trace in the data: add a query of type Execution trace.</div>;
  }
  const traceSpan = (timeline.times.length ? [timeline.times[0], timeline.end] : [0, 0]).map(Math.round);
  const crossX =
    hoverX ??
    (remoteTime !== undefined && remoteTime >= range.from && remoteTime <= range.to
      ? timeToX(remoteTime, range, plotWidth)
      : undefined);
  // The data source says where the trace came from (a fresh capture or the live store, and what it covers).
  const storeNote = frames
    .filter((f) => f.meta?.custom?.kind === 'trace')
    .map((f) => f.meta?.custom?.live)
    .find((t): t is string => typeof t === 'string');
  const legend = [...new Set(timeline.lanes.flatMap((l) => l.states).filter((s): s is string => !!s))];
  return (
    <div className={styles.container} style={{ width, height }} data-testid="goruntime-timeline">
      <div className={styles.lanes} style={{ height: lanesHeight }}>
        <div
          className={styles.labels}
          style={{ width: labels.columns.labelWidth, height: lanesHeight }}
          role="listbox"
          aria-label="Goroutine groups: select one to see where it waited"
          data-testid="goruntime-timeline-labels"
        >
          {laneLabelBoxes(laneCount, layout).map((box, i) => (
            <button
              key={timeline.lanes[i].name}
              ref={(el) => {
                labelRefs.current[i] = el;
              }}
              type="button"
              role="option"
              aria-selected={i === selectedLane}
              className={cx(styles.label, i === selectedLane && styles.selected)}
              style={{ top: box.top, height: box.height, font: labelFont }}
              title={labels.texts[i]}
              data-testid="goruntime-timeline-lane-label"
              data-group={timeline.lanes[i].name}
              onClick={() => toggleGroup(timeline.lanes[i].name)}
              onKeyDown={(e) => {
                const next = e.key === 'ArrowDown' ? i + 1 : e.key === 'ArrowUp' ? i - 1 : -1;
                if (next >= 0 && next < laneCount) {
                  e.preventDefault();
                  labelRefs.current[next]?.focus();
                } else if (e.key === 'Escape') {
                  setSelectedGroup(undefined);
                }
              }}
            >
              {labels.shown[i]}
            </button>
          ))}
        </div>
        <canvas
          ref={canvasRef}
          className={styles.plot}
          width={Math.round(plotWidth * devicePixelRatio)}
          height={Math.round(lanesHeight * devicePixelRatio)}
          style={{ left: labels.columns.plotLeft, width: plotWidth, height: lanesHeight }}
          onClick={(e) => {
            const rect = e.currentTarget.getBoundingClientRect();
            const lane = laneAt(e.clientY - rect.top, laneCount, layout);
            toggleGroup(lane < 0 ? undefined : timeline.lanes[lane].name);
          }}
          onMouseMove={(e) => {
            const x = e.clientX - e.currentTarget.getBoundingClientRect().left;
            setHoverX(x);
            publishTime(Math.round(xToTime(x, range, plotWidth)));
          }}
          onMouseLeave={() => {
            setHoverX(undefined);
            publishTime(undefined);
          }}
          aria-label={`goroutine group lanes: ${laneCount} lanes`}
          data-testid="goruntime-timeline-lanes"
          data-lanes={laneCount}
          data-range-from={Math.round(range.from)}
          data-range-to={Math.round(range.to)}
          data-trace-from={traceSpan[0]}
          data-trace-to={traceSpan[1]}
        />
        {crossX !== undefined && (
          <div
            className={styles.crosshair}
            style={{ left: labels.columns.plotLeft + crossX, height: lanesHeight }}
            data-testid={hoverX === undefined ? 'goruntime-timeline-remote-crosshair' : undefined}
            data-time={hoverX === undefined ? remoteTime : undefined}
          />
        )}
      </div>
      <div className={styles.legend}>
        {legend.map((s) => (
          <span key={s}>
            <span
              className={styles.swatch}
              style={{ background: theme.visualization.getColorByName(STATE_COLORS[s] ?? 'gray') }}
            />
            {s}
          </span>
        ))}
        <span>
          <span className={styles.swatch} style={{ background: theme.colors.warning.transparent }} />
          GC
        </span>
        <span>
          <span className={styles.swatch} style={{ background: theme.colors.error.transparent }} />
          stop-the-world
        </span>
        {storeNote && (
          <span className={styles.storeNote} data-testid="goruntime-timeline-source">
            {storeNote}
          </span>
        )}
      </div>
      <div className={styles.bottom}>
        <div className={styles.tableBox}>
          <table className={styles.table}>
            <thead>
              <tr>
                <th>Goroutines</th>
                <th>Start function</th>
                <th>Execution</th>
                <th>Sched wait</th>
                <th>Syscall</th>
                <th>Blocked</th>
                <th>Blocked most on</th>
              </tr>
            </thead>
            <tbody>
              {groups.slice(0, 12).map((g) => (
                <tr
                  key={g.name}
                  className={g.name === selectedGroup ? styles.selected : undefined}
                  onClick={() => toggleGroup(g.name)}
                >
                  <td>{g.count}</td>
                  <td title={g.name}>{g.name}</td>
                  <td>{ms(g.running)}</td>
                  <td>{ms(g.runnable)}</td>
                  <td>{ms(g.syscall)}</td>
                  <td>{ms(g.blocked)}</td>
                  <td>{g.topReason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {selectedGroup !== undefined ? (
          <GroupWaits
            group={selectedGroup}
            records={waits}
            onClose={() => setSelectedGroup(undefined)}
            timeZone={timeZone}
            width={Math.max(200, Math.round(width * 0.5))}
            height={Math.max(120, height - lanesHeight - 40)}
          />
        ) : (
          <div className={styles.flame}>
            <RadioButtonGroup<Latency>
              size="sm"
              options={LATENCY.map((value) => ({ value, label: LATENCY_LABELS[value] }))}
              value={latency}
              onChange={setLatency}
            />
            <WaitFlame
              frame={flame}
              context={`${LATENCY_LABELS[latency]} latency of the trace`}
              timeZone={timeZone}
              width={Math.max(200, Math.round(width * 0.5))}
              height={Math.max(120, height - lanesHeight - 40)}
            />
          </div>
        )}
      </div>
    </div>
  );
}

/** Text width in px for a CSS font (a detached canvas; in tests without a canvas, ~0.6 em per character). */
function textMeasure(font: string): (text: string) => number {
  const ctx = typeof document === 'undefined' ? null : document.createElement('canvas').getContext('2d');
  if (!ctx) {
    const px = Number(/(\d+)px/.exec(font)?.[1] ?? 12);
    return (text) => text.length * px * 0.6;
  }
  ctx.font = font;
  return (text) => ctx.measureText(text).width;
}

const getStyles = (theme: GrafanaTheme2) => ({
  lanes: css({ position: 'relative', flex: 'none' }),
  plot: css({ position: 'absolute', top: 0 }),
  labels: css({ position: 'absolute', top: 0, left: 0 }),
  label: css({
    position: 'absolute',
    left: 0,
    right: 4,
    padding: '0 4px',
    border: 'none',
    borderRadius: 2,
    background: 'transparent',
    color: theme.colors.text.primary,
    textAlign: 'left',
    whiteSpace: 'nowrap',
    overflow: 'hidden',
    cursor: 'pointer',
    lineHeight: 1,
    '&:focus-visible': { outline: `2px solid ${theme.colors.primary.main}`, outlineOffset: -2 },
  }),
  crosshair: css({
    position: 'absolute',
    top: 0,
    width: 1,
    pointerEvents: 'none',
    background: theme.colors.text.primary,
    opacity: 0.7,
  }),
  container: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(0.5), overflow: 'hidden' }),
  empty: css({ padding: theme.spacing(2), color: theme.colors.text.secondary }),
  legend: css({
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(1),
    fontSize: theme.typography.bodySmall.fontSize,
    color: theme.colors.text.secondary,
  }),
  storeNote: css({ marginLeft: 'auto', fontStyle: 'italic' }),
  swatch: css({ display: 'inline-block', width: 10, height: 10, marginRight: 4, borderRadius: 2 }),
  bottom: css({ display: 'flex', gap: theme.spacing(1), minHeight: 0, flex: 1 }),
  tableBox: css({ flex: '1 1 50%', minWidth: 0, overflow: 'auto' }),
  table: css({
    fontSize: theme.typography.bodySmall.fontSize,
    borderCollapse: 'collapse',
    alignSelf: 'flex-start',
    'td, th': { padding: '2px 6px', textAlign: 'left', whiteSpace: 'nowrap' },
    'td:nth-child(2)': { maxWidth: 280, overflow: 'hidden', textOverflow: 'ellipsis' },
    tr: { cursor: 'pointer' },
  }),
  selected: css({ background: theme.colors.action.selected }),
  flame: css({ flex: '1 1 50%', display: 'flex', flexDirection: 'column', minWidth: 0 }),
});

import React, { useMemo, useRef, useState } from 'react';
import { cx } from '@emotion/css';
import { dateTimeFormat, type EventBus } from '@grafana/data';
import { RadioButtonGroup, useStyles2, useTheme2 } from '@grafana/ui';

import type { Selection } from '../../data/plan';
import { ClusterHistory, clusterMatrix, topClusters } from '../../heatmap/clusters';
import { buildPalette, paletteCss, PALETTE_SIZE } from '../../heatmap/colors';
import { describeCell, keyAction, type Cell } from '../../heatmap/focusCell';
import {
  brushWindow,
  cellRect,
  columnAtTime,
  columnSpans,
  rowAt,
  timeToX,
  xToTime,
  type Rect,
} from '../../heatmap/geometry';
import { columnTotal, countAt, groupRows, type HeatmapMatrix } from '../../heatmap/matrix';
import { stateGroupOf, statesOfGroup } from '../../heatmap/stateGroups';
import type { HeatmapColorScheme, StateGrouping, TimeWindow } from '../../types';
import { HeatmapCanvas } from './HeatmapCanvas';
import { getStyles } from './heatmapStyles';
import { HeatmapTooltip, type TooltipContent } from './HeatmapTooltip';
import { TimeAxis } from './TimeAxis';
import { useSharedCrosshair } from './useSharedCrosshair';

export type RowMode = StateGrouping | 'cluster';

interface Props {
  states: HeatmapMatrix;
  /** Usual distance between snapshots when the frame has a single column (data source's interval). */
  fallbackMs: number;
  history: ClusterHistory;
  historyRevision: number;
  range: TimeWindow;
  timeZone: string;
  width: number;
  height: number;
  devicePixelRatio: number;
  colorScheme: HeatmapColorScheme;
  initialRows: StateGrouping;
  eventBus?: EventBus;
  crosshair: boolean;
  selection?: Selection;
  /** A finding's window, shown as a band. */
  highlight?: TimeWindow;
  note?: string;
  onSelect: (selection: Selection | undefined) => void;
}

const GUTTER = 128;
const TOOLBAR = 30;
const AXIS = 18;
const MIN_BRUSH_PX = 4;
const CLUSTER_ROWS = 12;
const ROW_MODES: Array<{ value: RowMode; label: string; description: string }> = [
  { value: 'state', label: 'States', description: 'One row per goroutine state (running, runnable, chan receive…)' },
  {
    value: 'group',
    label: 'Groups',
    description: 'States grouped: running/runnable, syscall/IO, channels, locks/sync, sleep, GC',
  },
  {
    value: 'cluster',
    label: 'Clusters',
    description: 'One row per goroutine cluster (same wait, stack and creation site)',
  },
];

export function HeatmapView(props: Props) {
  const { states, range, timeZone, width, height, history, historyRevision } = props;
  const styles = useStyles2(getStyles);
  const theme = useTheme2();
  const [rowMode, setRowMode] = useState<RowMode>(props.initialRows);
  const [hover, setHover] = useState<{ cell: Cell; x: number; y: number }>();
  const [focus, setFocus] = useState<Cell>();
  const [drag, setDrag] = useState<{ x0: number; x1: number }>();
  const overlay = useRef<HTMLDivElement>(null);
  const { remoteTime, publishTime } = useSharedCrosshair(props.eventBus, props.crosshair);

  const plot: Rect = useMemo(
    () => ({ left: 0, top: 0, width: Math.max(1, width - GUTTER - 8), height: Math.max(1, height - TOOLBAR - AXIS) }),
    [width, height]
  );
  const spans = useMemo(() => columnSpans(states.times, states.xIsEnd, props.fallbackMs), [states, props.fallbackMs]);
  const matrix = useMemo(() => {
    if (rowMode === 'group') {
      return groupRows(states, stateGroupOf);
    }
    if (rowMode === 'cluster') {
      return clusterMatrix(history, { ...spans, times: states.times }, CLUSTER_ROWS);
    }
    return states;
    // historyRevision: the history object is mutated in place.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [rowMode, states, spans, history, historyRevision]);
  const rows = matrix.rows.length;
  const cols = matrix.times.length;
  const fmt = (t: number) => dateTimeFormat(t, { format: 'HH:mm:ss', timeZone });

  const content = (cell: Cell): TooltipContent => {
    const from = spans.start[cell.col];
    const to = spans.end[cell.col];
    const label = matrix.rows[cell.row];
    const snapshot = history.within(from, to);
    let clusters;
    let clustersNote: string | undefined;
    if (rowMode !== 'cluster') {
      const wanted = rowMode === 'group' ? statesOfGroup(label) : [label];
      clusters = snapshot ? topClusters(snapshot, wanted.length ? wanted : [label], 3) : undefined;
      clustersNote = snapshot
        ? snapshot.window
          ? 'over the whole window'
          : `dump at ${fmt(snapshot.time)}`
        : 'no goroutine dump recorded for this bucket';
    }
    return {
      from: fmt(from),
      to: fmt(to),
      row: label,
      rowKind: rowMode,
      count: countAt(matrix, cell.col, cell.row),
      total: columnTotal(states, cell.col),
      clusters,
      clustersNote,
    };
  };

  const localPoint = (e: React.MouseEvent) => {
    const box = overlay.current!.getBoundingClientRect();
    return { x: e.clientX - box.left, y: e.clientY - box.top };
  };
  const cellAt = (x: number, y: number): Cell | undefined => {
    const col = columnAtTime(spans, xToTime(x, range, plot));
    const row = rowAt(y, rows, plot);
    return col >= 0 && row >= 0 ? { col, row } : undefined;
  };
  const selectColumn = (col: number) =>
    props.onSelect({
      window: { from: spans.start[col], to: spans.end[col] },
      origin: 'bucket',
      action: 'flame',
      baseline: props.selection?.baseline ?? 'before',
    });

  const onMouseMove = (e: React.MouseEvent) => {
    const { x, y } = localPoint(e);
    publishTime(Math.round(xToTime(x, range, plot)));
    if (drag) {
      setDrag({ ...drag, x1: x });
    }
    const cell = cellAt(x, y);
    setHover(cell ? { cell, x, y } : undefined);
  };
  const finishDrag = (x: number) => {
    if (!drag) {
      return;
    }
    setDrag(undefined);
    if (Math.abs(x - drag.x0) >= MIN_BRUSH_PX) {
      const window = brushWindow(drag.x0, x, range, plot);
      if (window.to > window.from) {
        props.onSelect({ window, origin: 'brush', baseline: props.selection?.baseline ?? 'before' });
      }
      return;
    }
    const col = columnAtTime(spans, xToTime(x, range, plot));
    if (col >= 0) {
      setFocus({ col, row: hover?.cell.row ?? 0 });
      selectColumn(col);
    }
  };

  const onKeyDown = (e: React.KeyboardEvent) => {
    const start = focus ?? { col: Math.max(0, cols - 1), row: 0 };
    const action = keyAction(e.key, e.shiftKey, start, cols, rows);
    if (action.kind === 'none') {
      return;
    }
    e.preventDefault();
    if (action.kind === 'clear') {
      props.onSelect(undefined);
    } else if (action.kind === 'select') {
      setFocus(action.cell);
      selectColumn(action.cell.col);
    } else if (action.kind === 'extend') {
      const a = Math.min(start.col, action.cell.col);
      const b = Math.max(start.col, action.cell.col);
      const current = props.selection?.window;
      const from = Math.min(spans.start[a], current?.from ?? Infinity);
      const to = Math.max(spans.end[b], current && current.to >= spans.start[a] ? current.to : -Infinity);
      setFocus(action.cell);
      props.onSelect({ window: { from, to }, origin: 'brush', baseline: props.selection?.baseline ?? 'before' });
    } else {
      setFocus(action.cell);
    }
    if (action.kind !== 'clear') {
      publishTime(Math.round((spans.start[action.cell.col] + spans.end[action.cell.col]) / 2));
    }
  };

  const focusCell = focus && focus.col < cols && focus.row < rows ? focus : undefined;
  const focusLabel = focusCell
    ? describeCell({
        ...content(focusCell),
        col: focusCell.col,
        cols,
        rowIndex: focusCell.row,
        rows,
      })
    : `Goroutine ${rowMode === 'cluster' ? 'clusters' : 'states'} over time, ${cols} buckets, ${rows} rows. ` +
      'Use the arrow keys to move between cells.';
  const band = (w: TimeWindow) => {
    const x0 = Math.max(0, timeToX(w.from, range, plot));
    const x1 = Math.min(plot.width, timeToX(w.to, range, plot));
    return { left: x0, width: Math.max(2, x1 - x0), top: 0, height: plot.height };
  };
  const crossTime = hover ? undefined : remoteTime;
  const palette = useMemo(() => buildPalette(props.colorScheme, theme.isDark), [props.colorScheme, theme.isDark]);
  const tooltipLeft = hover
    ? hover.x + GUTTER + 16 + 300 > width
      ? hover.x + GUTTER - 316
      : hover.x + GUTTER + 16
    : 0;

  return (
    <div className={styles.container} style={{ width, height }} data-testid="goruntime-heatmap">
      <div className={styles.toolbar} style={{ height: TOOLBAR }}>
        <span className={styles.title} title="Goroutine states">
          Goroutine states
        </span>
        {/* The toggle keeps its width; the title and the note give way (they carry tooltips and ellipses). */}
        <div className={styles.toggle}>
          <RadioButtonGroup size="sm" value={rowMode} onChange={setRowMode} options={ROW_MODES} />
        </div>
        <span className={styles.legend} aria-label={`Colour scale: 0 to ${matrix.max} goroutines, logarithmic`}>
          0
          <span
            className={styles.ramp}
            style={{
              background: `linear-gradient(to right, ${[1, 64, 128, 192, PALETTE_SIZE - 1]
                .map((i) => paletteCss(palette, i))
                .join(', ')})`,
            }}
          />
          {Math.round(matrix.max)}
        </span>
        {props.note && (
          <span className={styles.note} title={props.note}>
            {props.note}
          </span>
        )}
      </div>
      <div className={styles.body}>
        <div className={styles.labels} style={{ width: GUTTER, height: plot.height }} aria-hidden>
          {matrix.rows.map((label, r) => (
            <div
              key={label}
              className={cx(styles.label, (hover?.cell.row === r || focusCell?.row === r) && styles.labelActive)}
              style={{ top: (r * plot.height) / rows, height: plot.height / rows }}
              title={label}
            >
              {/* A block inside the flex row: a long cluster name is cut at its end, keeping the function. */}
              <span className={styles.labelText}>{label}</span>
            </div>
          ))}
        </div>
        <div className={styles.plot} style={{ width: plot.width, height: plot.height }}>
          <HeatmapCanvas
            matrix={matrix}
            spans={spans}
            range={range}
            width={plot.width}
            height={plot.height}
            devicePixelRatio={props.devicePixelRatio}
            scheme={props.colorScheme}
            isDark={theme.isDark}
          />
          <div
            ref={overlay}
            className={styles.overlay}
            tabIndex={0}
            role="grid"
            aria-label={focusLabel}
            aria-rowcount={rows}
            aria-colcount={cols}
            data-testid="goruntime-heatmap-overlay"
            data-focus-col={focusCell?.col}
            data-focus-row={focusCell?.row}
            data-range-from={range.from}
            data-range-to={range.to}
            onMouseDown={(e) => {
              if (e.button === 0) {
                const { x } = localPoint(e);
                setDrag({ x0: x, x1: x });
              }
            }}
            onMouseMove={onMouseMove}
            onMouseUp={(e) => finishDrag(localPoint(e).x)}
            onMouseLeave={() => {
              setHover(undefined);
              publishTime(undefined);
              if (drag) {
                finishDrag(drag.x1);
              }
            }}
            onKeyDown={onKeyDown}
            onFocus={() => !focus && cols > 0 && setFocus({ col: cols - 1, row: 0 })}
          >
            {props.highlight && <div className={styles.highlight} style={band(props.highlight)} />}
            {props.selection && <div className={styles.selection} style={band(props.selection.window)} />}
            {drag && Math.abs(drag.x1 - drag.x0) >= MIN_BRUSH_PX && (
              <div
                className={styles.brush}
                style={{
                  left: Math.min(drag.x0, drag.x1),
                  width: Math.abs(drag.x1 - drag.x0),
                  top: 0,
                  height: plot.height,
                }}
              />
            )}
            {hover && (
              <div className={styles.cell} style={cellRect(spans, hover.cell.col, hover.cell.row, rows, range, plot)} />
            )}
            {focusCell && (
              <div
                className={styles.focus}
                style={cellRect(spans, focusCell.col, focusCell.row, rows, range, plot)}
                data-testid="goruntime-heatmap-focus"
              />
            )}
            {hover && <div className={styles.crosshair} style={{ left: hover.x, height: plot.height }} />}
            {crossTime !== undefined && crossTime >= range.from && crossTime <= range.to && (
              <div
                className={styles.crosshair}
                style={{ left: timeToX(crossTime, range, plot), height: plot.height }}
                data-testid="goruntime-heatmap-remote-crosshair"
                data-time={crossTime}
              />
            )}
          </div>
        </div>
        {hover && (
          <HeatmapTooltip
            content={content(hover.cell)}
            left={tooltipLeft}
            // In the lower half the tooltip opens upwards, so it stays inside the panel.
            top={hover.y > plot.height / 2 ? hover.y - 12 : hover.y + 12}
            above={hover.y > plot.height / 2}
          />
        )}
      </div>
      <div style={{ marginLeft: GUTTER }}>
        <TimeAxis range={range} plot={plot} timeZone={timeZone} />
      </div>
      {cols === 0 && (
        <div className={styles.empty} style={{ left: GUTTER, top: TOOLBAR, width: plot.width, height: plot.height }}>
          Waiting for the first goroutine snapshot…
        </div>
      )}
    </div>
  );
}

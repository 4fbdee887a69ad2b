/**
 * Goroutine states over time as a dense `heatmap-cells` frame, the form Grafana's Heatmap panel reads without any
 * calculation (grafana/grafana:public/app/plugins/panel/heatmap/fields.ts `prepareHeatmapData`,
 * features/transformers/calculateHeatmap/heatmap.ts `rowsToCellsHeatmap`; reference 6.2):
 * - field 0 `xMax`: the snapshot time, so a cell covers the interval that ends at its snapshot;
 * - field 1 `y`: the state's ordinal 0..N-1, named through `meta.custom.yOrdinalDisplay`;
 * - field 2 `count`: goroutines in that state;
 * - a full scanline grid (every state for every time, zeros included), because the panel infers bucket sizes
 *   from repetition.
 * The live variant is a StreamingDataFrame (@grafana/data) that gets one scanline per snapshot.
 */
import {
  DataFrame,
  DataFrameJSON,
  DataFrameType,
  FieldType,
  StreamingDataFrame,
  StreamingFrameAction,
  createDataFrame,
} from '@grafana/data';

export interface StateColumn {
  time: number;
  /** Count per state, in `states` order. */
  counts: readonly number[];
}

function meta(states: readonly string[], custom?: Record<string, unknown>) {
  return {
    type: DataFrameType.HeatmapCells,
    typeVersion: [0, 1] as [number, number],
    custom: { yOrdinalDisplay: [...states], ...custom },
  };
}

function fieldsOf(states: readonly string[], columns: readonly StateColumn[]) {
  const xs: number[] = [];
  const ys: number[] = [];
  const counts: number[] = [];
  for (const col of columns) {
    states.forEach((_, s) => {
      xs.push(col.time);
      ys.push(s);
      counts.push(col.counts[s] ?? 0);
    });
  }
  return { xs, ys, counts };
}

export function stateHeatmapFrame(
  states: readonly string[],
  columns: readonly StateColumn[],
  options: { refId?: string; custom?: Record<string, unknown> } = {}
): DataFrame {
  const { xs, ys, counts } = fieldsOf(states, columns);
  return createDataFrame({
    name: 'goroutine states',
    refId: options.refId,
    meta: meta(states, options.custom),
    fields: [
      { name: 'xMax', type: FieldType.time, values: xs },
      { name: 'y', type: FieldType.number, values: ys, config: { unit: 'short' } },
      { name: 'count', type: FieldType.number, values: counts, config: { unit: 'short', displayName: 'goroutines' } },
    ],
  });
}

/** An empty streaming heatmap keeping the last `maxColumns` snapshots. */
export function streamingStateHeatmap(
  states: readonly string[],
  maxColumns: number,
  options: { refId?: string; custom?: Record<string, unknown> } = {}
): StreamingDataFrame {
  const json: DataFrameJSON = {
    schema: {
      name: 'goroutine states',
      refId: options.refId,
      meta: meta(states, options.custom),
      fields: [
        { name: 'xMax', type: FieldType.time },
        { name: 'y', type: FieldType.number, config: { unit: 'short' } },
        { name: 'count', type: FieldType.number, config: { unit: 'short', displayName: 'goroutines' } },
      ],
    },
    data: { values: [[], [], []] },
  };
  return StreamingDataFrame.fromDataFrameJSON(json, {
    maxLength: Math.max(1, maxColumns) * states.length,
    action: StreamingFrameAction.Append,
  });
}

export function pushStateColumn(frame: StreamingDataFrame, states: readonly string[], column: StateColumn): void {
  const { xs, ys, counts } = fieldsOf(states, [column]);
  frame.pushNewValues([xs, ys, counts]);
}

/**
 * Goroutine states over time as a dense `heatmap-cells` frame, the form Grafana's Heatmap panel reads without any
 * calculation (grafana/grafana:public/app/plugins/panel/heatmap/fields.ts `prepareHeatmapData`,
 * features/transformers/calculateHeatmap/heatmap.ts `rowsToCellsHeatmap`):
 * - field 0 `xMax`: the snapshot time, so a cell covers the interval that ends at its snapshot;
 * - field 1 `y`: the state's ordinal 0..N-1, named through `meta.custom.yOrdinalDisplay`;
 * - field 2 `count`: goroutines in that state;
 * - a full scanline grid (every state for every time, zeros included), because the panel infers bucket sizes
 *   from repetition.
 * The live variant is a StreamingDataFrame (@grafana/data) that gets one scanline per snapshot.
 * `fromStateHeatmapFrame` reads such a frame back, and any other heatmap-cells frame (`xMin`/`x` start times,
 * `yMin`/`yMax` ordinals, cells in any order).
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

export const STATE_HEATMAP_FIELDS = { time: 'xMax', state: 'y', count: 'count' } as const;

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

export function toStateHeatmapFrame(
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
      { name: STATE_HEATMAP_FIELDS.time, type: FieldType.time, values: xs },
      { name: STATE_HEATMAP_FIELDS.state, type: FieldType.number, values: ys, config: { unit: 'short' } },
      {
        name: STATE_HEATMAP_FIELDS.count,
        type: FieldType.number,
        values: counts,
        config: { unit: 'short', displayName: 'goroutines' },
      },
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
        { name: STATE_HEATMAP_FIELDS.time, type: FieldType.time },
        { name: STATE_HEATMAP_FIELDS.state, type: FieldType.number, config: { unit: 'short' } },
        {
          name: STATE_HEATMAP_FIELDS.count,
          type: FieldType.number,
          config: { unit: 'short', displayName: 'goroutines' },
        },
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

export function isStateHeatmapFrame(frame: DataFrame): boolean {
  return frame.meta?.type === DataFrameType.HeatmapCells;
}

export interface StateHeatmap {
  states: string[];
  /** One column per distinct time, ascending; counts in `states` order, 0 where a cell is missing. */
  columns: StateColumn[];
  /** True when a column's time is the end of its interval (`xMax`), false for a start time (`xMin`, `x`). */
  xIsEnd: boolean;
}

/** The states and columns of a heatmap-cells frame: the inverse of `toStateHeatmapFrame`. */
export function fromStateHeatmapFrame(frame: DataFrame): StateHeatmap {
  const F = STATE_HEATMAP_FIELDS;
  const xField = frame.fields.find((f) => f.type === FieldType.time) ?? frame.fields[0];
  const yField = frame.fields.find((f) => f.name === F.state || f.name === 'yMin' || f.name === 'yMax');
  const vField =
    frame.fields.find((f) => f.name === F.count) ??
    frame.fields.find((f) => f !== xField && f !== yField && f.type === FieldType.number);
  const display = (frame.meta?.custom as { yOrdinalDisplay?: unknown } | undefined)?.yOrdinalDisplay;
  const named = Array.isArray(display) ? display : [];
  if (!xField || !yField || !vField) {
    return { states: named.map(String), columns: [], xIsEnd: true };
  }
  const xs = xField.values as ArrayLike<number>;
  const ys = yField.values as ArrayLike<number>;
  const vs = vField.values as ArrayLike<unknown>;
  const n = Math.min(xs.length, ys.length, vs.length);
  let stateCount = named.length;
  for (let i = 0; i < n; i++) {
    stateCount = Math.max(stateCount, ys[i] + 1);
  }
  const states = Array.from({ length: stateCount }, (_, s) => (named[s] !== undefined ? String(named[s]) : String(s)));
  const byTime = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    let counts = byTime.get(xs[i]);
    if (!counts) {
      counts = new Array(stateCount).fill(0);
      byTime.set(xs[i], counts);
    }
    counts[ys[i]] = Number(vs[i]) || 0;
  }
  const columns = [...byTime.entries()].sort((a, b) => a[0] - b[0]).map(([time, counts]) => ({ time, counts }));
  return { states, columns, xIsEnd: xField.name !== 'xMin' && xField.name !== 'x' };
}

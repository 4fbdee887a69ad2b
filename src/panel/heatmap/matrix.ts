/**
 * The goroutine-state heatmap as a dense matrix: one column per snapshot time, one row per state, counts.
 *
 * Input is the data source's dense `heatmap-cells` frame, read by src/frames/heatmap.ts `fromStateHeatmapFrame`
 * (cells are placed by their x and y, so streaming frames that grow by whole scanlines and foreign frames alike work).
 */
import type { DataFrame } from '@grafana/data';

import { fromStateHeatmapFrame, isStateHeatmapFrame } from '../../frames';

export interface HeatmapMatrix {
  /** Column times in ms, ascending. With `xIsEnd` a column covers the interval ending at its time. */
  times: Float64Array;
  rows: string[];
  /** counts[col * rows.length + row]. */
  counts: Float32Array;
  max: number;
  xIsEnd: boolean;
  /** Columns with no data at all (1), drawn as gaps rather than as zero counts. */
  missing?: Uint8Array;
}

export { isStateHeatmapFrame as isStatesFrame };

export function emptyMatrix(rows: string[] = []): HeatmapMatrix {
  return { times: new Float64Array(0), rows, counts: new Float32Array(0), max: 0, xIsEnd: true };
}

export function readStatesFrame(frame: DataFrame): HeatmapMatrix {
  const { states, columns, xIsEnd } = fromStateHeatmapFrame(frame);
  const rowCount = states.length;
  const counts = new Float32Array(columns.length * rowCount);
  let max = 0;
  columns.forEach((column, c) => {
    for (let r = 0; r < rowCount; r++) {
      const v = column.counts[r];
      counts[c * rowCount + r] = v;
      max = Math.max(max, v);
    }
  });
  return { times: Float64Array.from(columns, (column) => column.time), rows: states, counts, max, xIsEnd };
}

/** Count at (col, row). */
export function countAt(m: HeatmapMatrix, col: number, row: number): number {
  return m.counts[col * m.rows.length + row] ?? 0;
}

/** Goroutines in a column (all rows). */
export function columnTotal(m: HeatmapMatrix, col: number): number {
  let sum = 0;
  for (let r = 0; r < m.rows.length; r++) {
    sum += countAt(m, col, r);
  }
  return sum;
}

/** Rows folded by `groupOf(label)`: counts summed, rows ordered by first appearance. */
export function groupRows(m: HeatmapMatrix, groupOf: (label: string) => string): HeatmapMatrix {
  const groups: string[] = [];
  const target = m.rows.map((label) => {
    const g = groupOf(label);
    let k = groups.indexOf(g);
    if (k < 0) {
      k = groups.push(g) - 1;
    }
    return k;
  });
  const cols = m.times.length;
  const counts = new Float32Array(cols * groups.length);
  let max = 0;
  for (let c = 0; c < cols; c++) {
    for (let r = 0; r < m.rows.length; r++) {
      const k = c * groups.length + target[r];
      counts[k] += m.counts[c * m.rows.length + r];
      max = Math.max(max, counts[k]);
    }
  }
  return { ...m, rows: groups, counts, max };
}

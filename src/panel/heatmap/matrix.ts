/**
 * The goroutine-state heatmap as a dense matrix: one column per snapshot time, one row per state, counts.
 *
 * Input is the data source's dense `heatmap-cells` frame (src/frames/heatmap.ts; reference 6.2): field `xMax`
 * (time; the cell ends at the snapshot), `y` (state ordinal, named by `meta.custom.yOrdinalDisplay`), `count`.
 * Streaming frames grow by whole scanlines, but nothing here relies on order: cells are placed by their x and y.
 */
import { DataFrameType, FieldType, type DataFrame } from '@grafana/data';

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

export function isStatesFrame(frame: DataFrame): boolean {
  return frame.meta?.type === DataFrameType.HeatmapCells;
}

export function emptyMatrix(rows: string[] = []): HeatmapMatrix {
  return { times: new Float64Array(0), rows, counts: new Float32Array(0), max: 0, xIsEnd: true };
}

export function readStatesFrame(frame: DataFrame): HeatmapMatrix {
  const xField = frame.fields.find((f) => f.type === FieldType.time) ?? frame.fields[0];
  const yField = frame.fields.find((f) => f.name === 'y' || f.name === 'yMin' || f.name === 'yMax');
  const vField =
    frame.fields.find((f) => f.name === 'count') ??
    frame.fields.find((f) => f !== xField && f !== yField && f.type === FieldType.number);
  const display = (frame.meta?.custom as { yOrdinalDisplay?: unknown } | undefined)?.yOrdinalDisplay;
  if (!xField || !yField || !vField) {
    return emptyMatrix(Array.isArray(display) ? display.map(String) : []);
  }
  const xs = xField.values as ArrayLike<number>;
  const ys = yField.values as ArrayLike<number>;
  const vs = vField.values as ArrayLike<number>;
  const n = Math.min(xs.length, ys.length, vs.length);

  let rowCount = Array.isArray(display) ? display.length : 0;
  for (let i = 0; i < n; i++) {
    rowCount = Math.max(rowCount, ys[i] + 1);
  }
  const rows = Array.from({ length: rowCount }, (_, r) =>
    Array.isArray(display) && display[r] !== undefined ? String(display[r]) : String(r)
  );

  const distinct = Array.from(new Set(Array.from({ length: n }, (_, i) => xs[i]))).sort((a, b) => a - b);
  const times = Float64Array.from(distinct);
  const column = new Map<number, number>();
  distinct.forEach((t, c) => column.set(t, c));
  const counts = new Float32Array(times.length * rowCount);
  let max = 0;
  for (let i = 0; i < n; i++) {
    const c = column.get(xs[i])!;
    const v = Number(vs[i]) || 0;
    counts[c * rowCount + ys[i]] = v;
    max = Math.max(max, v);
  }
  return { times, rows, counts, max, xIsEnd: xField.name !== 'xMin' && xField.name !== 'x' };
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

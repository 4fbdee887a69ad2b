/**
 * Keyboard use of the heatmap: a focus cell moved with the arrow keys (Home/End: first/last column, PageUp/PageDown:
 * ten columns), Enter selects its column, Shift+Left/Right grows a window from it. Pure: the component maps keys
 * to these results and the description feeds the ARIA label.
 */
export interface Cell {
  col: number;
  row: number;
}

export type KeyAction =
  | { kind: 'move'; cell: Cell }
  | { kind: 'extend'; cell: Cell }
  | { kind: 'select'; cell: Cell }
  | { kind: 'clear' }
  | { kind: 'none' };

const clamp = (v: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, v));

export function keyAction(key: string, shift: boolean, cell: Cell, cols: number, rows: number): KeyAction {
  if (cols === 0 || rows === 0) {
    return { kind: 'none' };
  }
  const at = (col: number, row: number): Cell => ({ col: clamp(col, 0, cols - 1), row: clamp(row, 0, rows - 1) });
  switch (key) {
    case 'ArrowLeft':
      return { kind: shift ? 'extend' : 'move', cell: at(cell.col - 1, cell.row) };
    case 'ArrowRight':
      return { kind: shift ? 'extend' : 'move', cell: at(cell.col + 1, cell.row) };
    case 'ArrowUp':
      return { kind: 'move', cell: at(cell.col, cell.row - 1) };
    case 'ArrowDown':
      return { kind: 'move', cell: at(cell.col, cell.row + 1) };
    case 'Home':
      return { kind: 'move', cell: at(0, cell.row) };
    case 'End':
      return { kind: 'move', cell: at(cols - 1, cell.row) };
    case 'PageUp':
      return { kind: 'move', cell: at(cell.col - 10, cell.row) };
    case 'PageDown':
      return { kind: 'move', cell: at(cell.col + 10, cell.row) };
    case 'Enter':
    case ' ':
      return { kind: 'select', cell: at(cell.col, cell.row) };
    case 'Escape':
      return { kind: 'clear' };
    default:
      return { kind: 'none' };
  }
}

export interface CellFacts {
  /** Formatted bucket start and end. */
  from: string;
  to: string;
  row: string;
  count: number;
  total: number;
  col: number;
  cols: number;
  rowIndex: number;
  rows: number;
  rowKind: 'state' | 'group' | 'cluster';
}

/** What a screen reader says for the focused cell. */
export function describeCell(f: CellFacts): string {
  const what = f.rowKind === 'cluster' ? `cluster ${f.row}` : f.row;
  const count = Number.isInteger(f.count) ? String(f.count) : f.count.toFixed(2);
  const of = f.total > 0 ? ` of ${Number.isInteger(f.total) ? f.total : f.total.toFixed(1)}` : '';
  return (
    `${f.from} to ${f.to}, ${what}: ${count}${of} goroutines. ` +
    `Column ${f.col + 1} of ${f.cols}, row ${f.rowIndex + 1} of ${f.rows}. ` +
    'Arrows move, Enter shows this bucket, Shift+arrows select a window.'
  );
}

import { describeCell, keyAction } from './focusCell';

describe('keyboard focus', () => {
  const at = { col: 3, row: 2 };
  it('moves with arrows, clamped to the grid, and jumps with Home/End/PageUp/PageDown', () => {
    expect(keyAction('ArrowLeft', false, at, 10, 5)).toEqual({ kind: 'move', cell: { col: 2, row: 2 } });
    expect(keyAction('ArrowRight', false, { col: 9, row: 0 }, 10, 5)).toEqual({
      kind: 'move',
      cell: { col: 9, row: 0 },
    });
    expect(keyAction('ArrowUp', false, { col: 0, row: 0 }, 10, 5)).toEqual({ kind: 'move', cell: { col: 0, row: 0 } });
    expect(keyAction('ArrowDown', false, at, 10, 5)).toEqual({ kind: 'move', cell: { col: 3, row: 3 } });
    expect(keyAction('Home', false, at, 10, 5)).toEqual({ kind: 'move', cell: { col: 0, row: 2 } });
    expect(keyAction('End', false, at, 10, 5)).toEqual({ kind: 'move', cell: { col: 9, row: 2 } });
    expect(keyAction('PageDown', false, at, 10, 5)).toEqual({ kind: 'move', cell: { col: 9, row: 2 } });
    expect(keyAction('PageUp', false, at, 100, 5)).toEqual({ kind: 'move', cell: { col: 0, row: 2 } });
  });

  it('selects with Enter or Space, extends with Shift+Left/Right, clears with Escape, ignores other keys', () => {
    expect(keyAction('Enter', false, at, 10, 5)).toEqual({ kind: 'select', cell: at });
    expect(keyAction(' ', false, at, 10, 5)).toEqual({ kind: 'select', cell: at });
    expect(keyAction('ArrowRight', true, at, 10, 5)).toEqual({ kind: 'extend', cell: { col: 4, row: 2 } });
    expect(keyAction('Escape', false, at, 10, 5)).toEqual({ kind: 'clear' });
    expect(keyAction('a', false, at, 10, 5)).toEqual({ kind: 'none' });
    expect(keyAction('ArrowLeft', false, at, 0, 0)).toEqual({ kind: 'none' });
  });

  it('describes the focused cell for screen readers', () => {
    const text = describeCell({
      from: '12:00:00',
      to: '12:00:05',
      row: 'chan send',
      rowKind: 'state',
      count: 240,
      total: 300,
      col: 4,
      cols: 120,
      rowIndex: 5,
      rows: 15,
    });
    expect(text).toContain('12:00:00 to 12:00:05, chan send: 240 of 300 goroutines');
    expect(text).toContain('Column 5 of 120, row 6 of 15');
    expect(
      describeCell({
        from: 'a',
        to: 'b',
        row: 'f · chan send',
        rowKind: 'cluster',
        count: 1.5,
        total: 0,
        col: 0,
        cols: 1,
        rowIndex: 0,
        rows: 1,
      })
    ).toContain('cluster f · chan send: 1.50 goroutines');
  });
});

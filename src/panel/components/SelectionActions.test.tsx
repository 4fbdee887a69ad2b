import React from 'react';
import { fireEvent, render, screen } from '@testing-library/react';

import type { Selection } from '../data/plan';
import { COMPACT_ACTIONS_WIDTH, SelectionActions } from './SelectionActions';

const selection: Selection = {
  window: { from: Date.UTC(2026, 0, 1, 13, 41, 6), to: Date.UTC(2026, 0, 1, 13, 41, 26) },
  origin: 'brush',
  baseline: 'before',
};

function renderBar(width: number) {
  const onZoom = jest.fn();
  const onChange = jest.fn();
  render(<SelectionActions selection={selection} timeZone="utc" width={width} onZoom={onZoom} onChange={onChange} />);
  return { onZoom, onChange };
}

const ACTIONS = ['Zoom dashboard to window', 'Compare with baseline', 'Flame graph of window'];

describe('SelectionActions', () => {
  it('keeps full labels on a wide bar', () => {
    renderBar(COMPACT_ACTIONS_WIDTH);
    const bar = screen.getByTestId('goruntime-selection');
    expect(bar.dataset.compact).toBeUndefined();
    for (const name of ACTIONS) {
      expect(screen.getByRole('button', { name }).textContent).toBe(name);
    }
  });

  it('shows short labels on a narrow bar, keeping the full ones as accessible names, and still acts', () => {
    const { onZoom, onChange } = renderBar(COMPACT_ACTIONS_WIDTH - 1);
    expect(screen.getByTestId('goruntime-selection').dataset.compact).toBe('true');
    expect(ACTIONS.map((name) => screen.getByRole('button', { name }).textContent)).toEqual([
      'Zoom',
      'Compare',
      'Flame graph',
    ]);
    fireEvent.click(screen.getByRole('button', { name: 'Zoom dashboard to window' }));
    expect(onZoom).toHaveBeenCalledWith(selection.window);
    fireEvent.click(screen.getByRole('button', { name: 'Flame graph of window' }));
    expect(onChange).toHaveBeenLastCalledWith({ ...selection, action: 'flame' });
  });

  it('keeps the close button in the one-line bar, after the actions, and it clears the selection', () => {
    const { onChange } = renderBar(600);
    const bar = screen.getByTestId('goruntime-selection');
    const close = screen.getByRole('button', { name: 'Clear selection' });
    expect(bar.lastElementChild?.contains(close)).toBe(true);
    expect(getComputedStyle(bar).flexWrap).toBe('nowrap');
    fireEvent.click(close);
    expect(onChange).toHaveBeenLastCalledWith(undefined);
  });

  it('shows the window with its length, the full text as its tooltip', () => {
    renderBar(600);
    const text = screen.getByTitle('13:41:06 – 13:41:26 (20 s)');
    expect(text.textContent).toBe('13:41:06 – 13:41:26 (20 s)');
  });
});

import React from 'react';
import { css, cx } from '@emotion/css';
import { dateTimeFormat, type GrafanaTheme2 } from '@grafana/data';
import { Button, IconButton, Select, useStyles2 } from '@grafana/ui';

import type { BaselineChoice, Selection } from '../data/plan';
import type { TimeWindow } from '../types';

const BASELINES: Array<{ value: BaselineChoice; label: string }> = [
  { value: 'before', label: 'vs the window before' },
  { value: '1h', label: 'vs 1 hour earlier' },
  { value: '1d', label: 'vs 1 day earlier' },
  { value: '7d', label: 'vs 1 week earlier' },
];

interface Props {
  selection: Selection;
  timeZone: string;
  /** Width of the bar: narrow bars get short button labels. */
  width: number;
  onZoom: (w: TimeWindow) => void;
  onChange: (s: Selection | undefined) => void;
}

export function formatWindow(w: TimeWindow, timeZone: string): string {
  const seconds = Math.round((w.to - w.from) / 1000);
  const length =
    seconds >= 2 * 86400
      ? `${(seconds / 86400).toFixed(1)} days`
      : seconds >= 7200
        ? `${(seconds / 3600).toFixed(1)} h`
        : seconds >= 120
          ? `${Math.round(seconds / 60)} min`
          : `${seconds} s`;
  const f = (t: number, format: string) => dateTimeFormat(t, { format, timeZone });
  // A window over midnight (or a multi-day range) needs its dates, else "08:10 – 08:10" hides two days.
  const time = f(w.from, 'YYYY-MM-DD') === f(w.to, 'YYYY-MM-DD') ? 'HH:mm:ss' : 'YYYY-MM-DD HH:mm:ss';
  return `${f(w.from, time)} – ${f(w.to, time)} (${length})`;
}

/**
 * Below this width the bar's buttons show short labels (the full ones stay their accessible names and tooltips), so
 * the bar stays one line and the close button never wraps under the label or onto the view below.
 */
export const COMPACT_ACTIONS_WIDTH = 1040;

/** What a brushed window (or clicked bucket, or a finding's window) offers: zoom, compare, drill down. */
export function SelectionActions({ selection, timeZone, width, onZoom, onChange }: Props) {
  const styles = useStyles2(getStyles);
  const set = (patch: Partial<Selection>) => onChange({ ...selection, ...patch });
  const compact = width < COMPACT_ACTIONS_WIDTH;
  const label = (full: string, short: string) =>
    compact ? { 'aria-label': full, tooltip: full, children: short } : { children: full };
  const windowText = formatWindow(selection.window, timeZone);
  return (
    <div className={styles.bar} data-testid="goruntime-selection" data-compact={compact || undefined}>
      <span className={styles.window} title={windowText}>
        {windowText}
      </span>
      <Button
        className={styles.fixed}
        size="sm"
        variant="secondary"
        icon="search-plus"
        onClick={() => onZoom(selection.window)}
        {...label('Zoom dashboard to window', 'Zoom')}
      />
      <Button
        className={styles.fixed}
        size="sm"
        variant={selection.action === 'compare' ? 'primary' : 'secondary'}
        icon="code-branch"
        onClick={() => set({ action: 'compare' })}
        {...label('Compare with baseline', 'Compare')}
      />
      <div className={cx(styles.fixed, compact ? styles.baselineCompact : styles.baseline)}>
        <Select
          aria-label="Baseline"
          options={BASELINES}
          value={selection.baseline}
          onChange={(v) => set({ baseline: v.value ?? 'before' })}
        />
      </div>
      <Button
        className={styles.fixed}
        size="sm"
        variant={selection.action === 'flame' ? 'primary' : 'secondary'}
        icon="fire"
        onClick={() => set({ action: 'flame' })}
        {...label('Flame graph of window', 'Flame graph')}
      />
      <IconButton
        className={styles.fixed}
        name="times"
        size="md"
        tooltip="Clear selection"
        onClick={() => onChange(undefined)}
      />
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  // One line: the window text gives way first (ellipsis, full text in its tooltip); the controls keep their size.
  bar: css({ display: 'flex', alignItems: 'center', gap: theme.spacing(1), flexWrap: 'nowrap', overflow: 'hidden' }),
  window: css({
    fontVariantNumeric: 'tabular-nums',
    color: theme.colors.text.primary,
    minWidth: 0,
    overflow: 'hidden',
    whiteSpace: 'nowrap',
    textOverflow: 'ellipsis',
  }),
  fixed: css({ flexShrink: 0 }),
  baseline: css({ width: 190 }),
  baselineCompact: css({ width: 170 }),
});

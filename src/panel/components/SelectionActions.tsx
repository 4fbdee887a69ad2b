import React from 'react';
import { css } from '@emotion/css';
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
  onZoom: (w: TimeWindow) => void;
  onChange: (s: Selection | undefined) => void;
}

/** A window's length in the unit that reads best: "45 s", "12 min", "3.5 h", "2.0 days". */
export function windowLength(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return seconds >= 2 * 86400
    ? `${(seconds / 86400).toFixed(1)} days`
    : seconds >= 7200
      ? `${(seconds / 3600).toFixed(1)} h`
      : seconds >= 120
        ? `${Math.round(seconds / 60)} min`
        : `${seconds} s`;
}

export function formatWindow(w: TimeWindow, timeZone: string): string {
  const length = windowLength(w.to - w.from);
  const f = (t: number, format: string) => dateTimeFormat(t, { format, timeZone });
  // A window over midnight (or a multi-day range) needs its dates, else "08:10 – 08:10" hides two days.
  const time = f(w.from, 'YYYY-MM-DD') === f(w.to, 'YYYY-MM-DD') ? 'HH:mm:ss' : 'YYYY-MM-DD HH:mm:ss';
  return `${f(w.from, time)} – ${f(w.to, time)} (${length})`;
}

/** What a brushed window (or clicked bucket, or a finding's window) offers: zoom, compare, drill down. */
export function SelectionActions({ selection, timeZone, onZoom, onChange }: Props) {
  const styles = useStyles2(getStyles);
  const set = (patch: Partial<Selection>) => onChange({ ...selection, ...patch });
  return (
    <div className={styles.bar} data-testid="goruntime-selection">
      <span className={styles.window}>{formatWindow(selection.window, timeZone)}</span>
      <Button size="sm" variant="secondary" icon="search-plus" onClick={() => onZoom(selection.window)}>
        Zoom dashboard to window
      </Button>
      <Button
        size="sm"
        variant={selection.action === 'compare' ? 'primary' : 'secondary'}
        icon="code-branch"
        onClick={() => set({ action: 'compare' })}
      >
        Compare with baseline
      </Button>
      <div className={styles.baseline}>
        <Select
          aria-label="Baseline"
          options={BASELINES}
          value={selection.baseline}
          onChange={(v) => set({ baseline: v.value ?? 'before' })}
        />
      </div>
      <Button
        size="sm"
        variant={selection.action === 'flame' ? 'primary' : 'secondary'}
        icon="fire"
        onClick={() => set({ action: 'flame' })}
      >
        Flame graph of window
      </Button>
      <IconButton name="times" size="md" tooltip="Clear selection" onClick={() => onChange(undefined)} />
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  bar: css({ display: 'flex', alignItems: 'center', gap: theme.spacing(1), flexWrap: 'wrap' }),
  window: css({ fontVariantNumeric: 'tabular-nums', color: theme.colors.text.primary }),
  baseline: css({ width: 190 }),
});

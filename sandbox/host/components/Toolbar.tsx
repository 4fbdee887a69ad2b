// The dashboard toolbar: Grafana's own time range picker (quick ranges and absolute from/to), refresh picker and the
// dashboard's "graph tooltip" (cursor sync) setting.
import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2, TimeRange } from '@grafana/data';
import { DashboardCursorSync } from '@grafana/schema';
import { RadioButtonGroup, RefreshPicker, TimeRangePicker, useStyles2 } from '@grafana/ui';

import { QUICK_RANGES } from '../timeRange';

interface Props {
  range: TimeRange;
  refresh: string;
  loading: boolean;
  cursorSync: DashboardCursorSync;
  onRangeChange: (range: TimeRange) => void;
  onMove: (direction: -1 | 1) => void;
  onZoomOut: () => void;
  onRefresh: () => void;
  onRefreshIntervalChange: (interval: string) => void;
  onCursorSyncChange: (sync: DashboardCursorSync) => void;
}

const SYNC_OPTIONS = [
  { label: 'No sync', value: DashboardCursorSync.Off },
  { label: 'Crosshair', value: DashboardCursorSync.Crosshair },
  { label: 'Tooltip', value: DashboardCursorSync.Tooltip },
];

export function Toolbar(props: Props) {
  const styles = useStyles2(getStyles);
  return (
    <header className={styles.toolbar}>
      <h1 className={styles.title}>
        Go service <span className={styles.subtitle}>sandbox dashboard · Go Runtime Profiles plugin from dist/</span>
      </h1>
      <div className={styles.controls}>
        <RadioButtonGroup size="sm" options={SYNC_OPTIONS} value={props.cursorSync} onChange={props.onCursorSyncChange} aria-label="Cursor sync" />
        <TimeRangePicker
          value={props.range}
          quickRanges={QUICK_RANGES}
          timeZone="browser"
          onChange={props.onRangeChange}
          onChangeTimeZone={() => {}}
          onMoveBackward={() => props.onMove(-1)}
          onMoveForward={() => props.onMove(1)}
          onZoom={props.onZoomOut}
        />
        <RefreshPicker
          value={props.refresh}
          intervals={['5s', '10s', '30s', '1m', '5m']}
          isLoading={props.loading}
          onRefresh={props.onRefresh}
          onIntervalChanged={props.onRefreshIntervalChange}
        />
      </div>
    </header>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  toolbar: css({
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'space-between',
    flexWrap: 'wrap',
    gap: theme.spacing(1),
    padding: theme.spacing(1, 2),
    borderBottom: `1px solid ${theme.colors.border.weak}`,
    background: theme.colors.background.primary,
  }),
  title: css({ margin: 0, fontSize: theme.typography.h4.fontSize }),
  subtitle: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize, fontWeight: theme.typography.fontWeightRegular }),
  controls: css({ display: 'flex', alignItems: 'center', gap: theme.spacing(1) }),
});

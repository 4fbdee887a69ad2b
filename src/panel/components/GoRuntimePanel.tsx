import React from 'react';
import type { GrafanaTheme2, PanelProps } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import { css } from '@emotion/css';

import type { GoRuntimePanelOptions } from '../types';

/**
 * The Go Runtime Profiles panel. This first version lists what the query returned so the data path can be seen
 * end to end; the flame graph, goroutine-state heatmap and findings views render the same frames (README roadmap).
 */
export function GoRuntimePanel({ data, width, height }: PanelProps<GoRuntimePanelOptions>) {
  const styles = useStyles2(getStyles);
  if (data.series.length === 0) {
    return (
      <div className={styles.empty} style={{ width, height }}>
        No profile data for this time range. Pick the Go Runtime Profiles data source in the query editor.
      </div>
    );
  }
  return (
    <ul className={styles.list} style={{ width, height }} aria-label="Returned frames">
      {data.series.map((frame, index) => (
        <li key={frame.refId ?? index}>
          {frame.name ?? frame.refId ?? `frame ${index + 1}`}: {frame.length} rows ({frame.fields.map((f) => f.name).join(', ')})
        </li>
      ))}
    </ul>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  empty: css({ display: 'flex', alignItems: 'center', justifyContent: 'center', color: theme.colors.text.secondary }),
  list: css({ overflow: 'auto', margin: 0, padding: theme.spacing(1) }),
});

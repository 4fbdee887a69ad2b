import React from 'react';
import { css } from '@emotion/css';
import { dateTimeFormat, type GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';

import { timeTicks, timeToX, type Rect } from '../../heatmap/geometry';
import type { TimeWindow } from '../../types';

interface Props {
  range: TimeWindow;
  plot: Rect;
  timeZone: string;
}

/** Tick labels under the plot, at round times (DOM text, so it stays crisp and readable by screen readers). */
export function TimeAxis({ range, plot, timeZone }: Props) {
  const styles = useStyles2(getStyles);
  const { stepMs, ticks } = timeTicks(range, plot);
  const format = stepMs < 60_000 ? 'HH:mm:ss' : stepMs < 86_400_000 ? 'HH:mm' : 'MM/DD HH:mm';
  return (
    <div className={styles.axis} style={{ left: plot.left, width: plot.width }} aria-hidden>
      {ticks.map((t) => (
        <span key={t} className={styles.tick} style={{ left: timeToX(t, range, plot) - plot.left }}>
          {dateTimeFormat(t, { format, timeZone })}
        </span>
      ))}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  axis: css({ position: 'relative', height: 18, fontSize: theme.typography.bodySmall.fontSize }),
  tick: css({
    position: 'absolute',
    transform: 'translateX(-50%)',
    color: theme.colors.text.secondary,
    whiteSpace: 'nowrap',
    '&::before': {
      content: '""',
      position: 'absolute',
      left: '50%',
      top: -3,
      height: 3,
      borderLeft: `1px solid ${theme.colors.border.medium}`,
    },
  }),
});

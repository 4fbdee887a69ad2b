import React from 'react';
import { css } from '@emotion/css';
import { dateTimeFormat, type GrafanaTheme2 } from '@grafana/data';
import { Button, IconButton, Spinner, useStyles2 } from '@grafana/ui';

import { sampleTypeText, sourceText, type FlameDescription } from '../../flame/describeFlame';
import type { TimeWindow } from '../../types';
import { windowLength } from '../SelectionActions';

interface Props {
  description?: FlameDescription;
  /** What the flame graph area shows, e.g. "Dashboard window", "Bucket 12:01:00 – 12:01:05". */
  context: string;
  loading: boolean;
  timeZone: string;
  leftHeavy: boolean;
  inverted: boolean;
  onLeftHeavy: (on: boolean) => void;
  onInverted: (on: boolean) => void;
  /** Set when the area shows a drill-down: goes back to the dashboard's flame graph. */
  onBack?: () => void;
  /** Shown beside the toggles (export buttons). */
  actions?: React.ReactNode;
}

function windowText(w: TimeWindow, timeZone: string): string {
  const sameDay = new Date(w.from).toDateString() === new Date(w.to).toDateString();
  const f = (t: number, format: string) => dateTimeFormat(t, { format, timeZone });
  const length = windowLength(w.to - w.from);
  return `${f(w.from, 'YYYY-MM-DD HH:mm:ss')} – ${f(w.to, sameDay ? 'HH:mm:ss' : 'YYYY-MM-DD HH:mm:ss')} (${length})`;
}

/** Which profile, window and sample type is on screen, and the view toggles @grafana/flamegraph lacks. */
export function FlameHeader(props: Props) {
  const styles = useStyles2(getStyles);
  const d = props.description;
  return (
    <div className={styles.header} data-testid="goruntime-flame-header">
      <div className={styles.facts}>
        <span className={styles.context}>{props.context}</span>
        {d && (
          <>
            <span className={styles.fact} data-testid="goruntime-flame-profile">
              {d.isDiff ? 'Diff of ' : ''}
              <strong>{d.profile}</strong> · {sampleTypeText(d)}
            </span>
            {d.window && !d.isDiff && <span className={styles.fact}>{windowText(d.window, props.timeZone)}</span>}
            {d.isDiff && d.window && (
              <span className={styles.fact} data-testid="goruntime-flame-diff-windows">
                comparison {windowText(d.window, props.timeZone)}
                {d.baselineWindow ? ` vs baseline ${windowText(d.baselineWindow, props.timeZone)}` : ''}
              </span>
            )}
            {sourceText(d) && <span className={styles.source}>{sourceText(d)}</span>}
          </>
        )}
        {props.loading && <Spinner inline size="sm" />}
      </div>
      <div className={styles.toggles}>
        {props.actions}
        <Button
          size="sm"
          variant={props.leftHeavy ? 'primary' : 'secondary'}
          fill={props.leftHeavy ? 'solid' : 'outline'}
          aria-pressed={props.leftHeavy}
          tooltip="Order callees heaviest first (siblings sorted by value instead of by name)"
          onClick={() => props.onLeftHeavy(!props.leftHeavy)}
        >
          Left-heavy
        </Button>
        <Button
          size="sm"
          variant={props.inverted ? 'primary' : 'secondary'}
          fill={props.inverted ? 'solid' : 'outline'}
          aria-pressed={props.inverted}
          tooltip="Bottom-up: the functions where time is spent at the top, their callers below (asks the data source again)"
          onClick={() => props.onInverted(!props.inverted)}
        >
          Inverted
        </Button>
        {props.onBack && (
          <IconButton
            name="times"
            size="md"
            tooltip="Back to the dashboard window's flame graph"
            onClick={props.onBack}
          />
        )}
      </div>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  header: css({
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'space-between',
    gap: theme.spacing(1),
    minHeight: 30,
  }),
  facts: css({
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'baseline',
    columnGap: theme.spacing(1.5),
    minWidth: 0,
    fontSize: theme.typography.bodySmall.fontSize,
  }),
  context: css({ fontWeight: theme.typography.fontWeightMedium, fontSize: theme.typography.body.fontSize }),
  fact: css({ fontVariantNumeric: 'tabular-nums' }),
  source: css({ color: theme.colors.text.secondary }),
  toggles: css({ display: 'flex', gap: theme.spacing(0.5), flexShrink: 0 }),
});

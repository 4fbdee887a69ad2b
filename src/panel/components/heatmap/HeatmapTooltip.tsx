import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';

import type { ClusterRow } from '../../../frames';

export interface TooltipContent {
  from: string;
  to: string;
  row: string;
  rowKind: 'state' | 'group' | 'cluster';
  count: number;
  total: number;
  /** Largest clusters in this row's state(s) at this bucket; undefined when none were recorded. */
  clusters?: ClusterRow[];
  /** Where the clusters come from ("this bucket's dump", "the whole window"). */
  clustersNote?: string;
}

interface Props {
  content: TooltipContent;
  left: number;
  top: number;
  /** Anchor the tooltip's bottom edge at `top`. */
  above?: boolean;
}

const fmt = (v: number) => (Number.isInteger(v) ? String(v) : Math.abs(v) >= 10 ? String(Math.round(v)) : v.toFixed(2));

/** Hover details. Every string is rendered as React text: function names such as `main.(*T[...])` stay literal. */
export function HeatmapTooltip({ content: c, left, top, above }: Props) {
  const styles = useStyles2(getStyles);
  return (
    <div
      className={styles.tooltip}
      style={{ left, top, transform: above ? 'translateY(-100%)' : undefined }}
      role="tooltip"
      data-testid="goruntime-heatmap-tooltip"
    >
      <div className={styles.time}>
        {c.from} – {c.to}
      </div>
      <div>
        <span className={styles.row}>{c.row}</span>: <strong>{fmt(c.count)}</strong> goroutines
        {c.total > 0 && c.rowKind !== 'cluster' && (
          <span className={styles.dim}>
            {' '}
            ({((c.count / c.total) * 100).toFixed(0)}% of {fmt(c.total)})
          </span>
        )}
      </div>
      {c.clusters && c.clusters.length > 0 && (
        <div className={styles.clusters}>
          <div className={styles.dim}>Top clusters{c.clustersNote ? ` (${c.clustersNote})` : ''}</div>
          {c.clusters.map((cl, i) => (
            <div key={i} className={styles.cluster}>
              <strong>{fmt(cl.count)}</strong> {cl.function || '(unknown)'}
              <span className={styles.dim}>
                {' '}
                {cl.reason || cl.state}
                {cl.waitMinutesMax > 0 ? `, ${cl.waitMinutesMax} min` : ''}
                {cl.growthPerMinute ? `, ${cl.growthPerMinute > 0 ? '+' : ''}${fmt(cl.growthPerMinute)}/min` : ''}
              </span>
              {cl.creationSite && <div className={styles.site}>created at {cl.creationSite}</div>}
            </div>
          ))}
        </div>
      )}
      {c.clusters === undefined && c.clustersNote && <div className={styles.dim}>{c.clustersNote}</div>}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  tooltip: css({
    position: 'absolute',
    zIndex: 10,
    pointerEvents: 'none',
    maxWidth: 420,
    padding: theme.spacing(1),
    background: theme.colors.background.elevated,
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
    boxShadow: theme.shadows.z3,
    fontSize: theme.typography.bodySmall.fontSize,
  }),
  time: css({ color: theme.colors.text.secondary, marginBottom: 2 }),
  row: css({ fontWeight: theme.typography.fontWeightMedium }),
  dim: css({ color: theme.colors.text.secondary }),
  clusters: css({ marginTop: theme.spacing(0.5), borderTop: `1px solid ${theme.colors.border.weak}`, paddingTop: 4 }),
  cluster: css({ wordBreak: 'break-all' }),
  site: css({ color: theme.colors.text.secondary, paddingLeft: theme.spacing(2) }),
});

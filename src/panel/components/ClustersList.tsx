import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';

import type { ClusterRow } from '../../frames';
import { CopyClustersButton } from '../export/CopyClustersButton';

interface Props {
  title: string;
  clusters?: ClusterRow[];
  note?: string;
  error?: string;
  maxHeight: number;
  /** What "Copy as text" copies (default: the rows as shown). */
  copyText?: () => string;
}

const fmt = (v: number) => (Number.isInteger(v) ? String(v) : Math.abs(v) >= 10 ? String(Math.round(v)) : v.toFixed(2));

/** Goroutine clusters of a bucket: how many, doing what, in which function, started where. Text only. */
export function ClustersList({ title, clusters, note, error, maxHeight, copyText }: Props) {
  const styles = useStyles2(getStyles);
  return (
    <section
      className={styles.section}
      style={{ maxHeight }}
      aria-label={title}
      data-testid="goruntime-bucket-clusters"
    >
      <div className={styles.title}>
        {title}
        {note && <span className={styles.note}> · {note}</span>}
        {clusters && clusters.length > 0 && <CopyClustersButton clusters={clusters} title={title} text={copyText} />}
      </div>
      {clusters && clusters.length > 0 ? (
        <table className={styles.table}>
          <thead>
            <tr>
              <th>Goroutines</th>
              <th>State</th>
              <th>Function</th>
              <th>Created at</th>
              <th>Wait</th>
              <th>Growth</th>
            </tr>
          </thead>
          <tbody>
            {clusters.map((c, i) => (
              <tr key={i}>
                <td className={styles.num}>{fmt(c.count)}</td>
                <td>{c.reason || c.state}</td>
                <td className={styles.fn}>{c.function}</td>
                <td className={styles.fn}>{c.creationSite}</td>
                <td className={styles.num}>{c.waitMinutesMax > 0 ? `${c.waitMinutesMax} min` : ''}</td>
                <td className={styles.num}>{c.growthPerMinute ? `${fmt(c.growthPerMinute)}/min` : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <div className={styles.note}>
          {error ? `Not available: ${error}` : clusters ? 'No goroutines.' : 'Loading…'}
        </div>
      )}
    </section>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  section: css({ overflow: 'auto', flexShrink: 0, fontSize: theme.typography.bodySmall.fontSize }),
  title: css({ fontWeight: theme.typography.fontWeightMedium, marginBottom: 2 }),
  note: css({ color: theme.colors.text.secondary, fontWeight: 'normal' }),
  table: css({
    width: '100%',
    borderCollapse: 'collapse',
    'th, td': { padding: '1px 6px', textAlign: 'left', borderBottom: `1px solid ${theme.colors.border.weak}` },
    th: { color: theme.colors.text.secondary, fontWeight: 'normal' },
  }),
  num: css({ textAlign: 'right', fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }),
  fn: css({ wordBreak: 'break-all' }),
});

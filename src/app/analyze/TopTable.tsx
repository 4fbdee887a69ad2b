import React from 'react';
import { css } from '@emotion/css';
import { formattedValueToString, getValueFormat, type GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';

import type { TopView } from './analysis';

/**
 * Functions by self value, as `go tool pprof -top` lists them (flat, flat%, cum, cum%), exact from the profile
 * rather than from the pruned flame graph.
 */
export function TopTable({ top }: { top: TopView }) {
  const styles = useStyles2(getStyles);
  const format = getValueFormat(top.unit);
  const value = (v: number) => formattedValueToString(format(v, Number.isInteger(v) && top.unit === 'short' ? 0 : 2));
  const pct = (v: number) => (top.total !== 0 ? `${((v / top.total) * 100).toFixed(2)}%` : '');
  return (
    <table className={styles.table} data-testid="analyze-top">
      <caption className={styles.caption}>
        {top.sampleType}: total {value(top.total)} in {top.functions.toLocaleString('en-US')} functions
        {top.functions > top.rows.length ? `, the ${top.rows.length} heaviest by self value` : ''}
      </caption>
      <thead>
        <tr>
          <th scope="col">Self</th>
          <th scope="col">Self %</th>
          <th scope="col">Total</th>
          <th scope="col">Total %</th>
          <th scope="col">Function</th>
        </tr>
      </thead>
      <tbody>
        {top.rows.map((r) => (
          <tr key={r.name}>
            <td className={styles.num}>{value(r.flat)}</td>
            <td className={styles.num}>{pct(r.flat)}</td>
            <td className={styles.num}>{value(r.cum)}</td>
            <td className={styles.num}>{pct(r.cum)}</td>
            <th scope="row" className={styles.fn}>
              {r.name}
            </th>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  table: css({
    width: '100%',
    borderCollapse: 'collapse',
    fontSize: theme.typography.bodySmall.fontSize,
    'th, td': { padding: '2px 8px', textAlign: 'left', borderBottom: `1px solid ${theme.colors.border.weak}` },
    'thead th': { color: theme.colors.text.secondary, fontWeight: 'normal' },
  }),
  caption: css({ captionSide: 'top', textAlign: 'left', color: theme.colors.text.secondary, paddingBottom: 4 }),
  num: css({ textAlign: 'right !important' as 'right', fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }),
  fn: css({ fontWeight: 'normal', wordBreak: 'break-all', fontFamily: theme.typography.fontFamilyMonospace }),
});

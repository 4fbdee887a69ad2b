import React from 'react';
import { css, cx } from '@emotion/css';
import { formattedValueToString, getValueFormat, type GrafanaTheme2 } from '@grafana/data';
import { Badge, Spinner, useStyles2, type BadgeColor } from '@grafana/ui';

import { type EvidenceNumber, type Layer, LAYER_TITLES } from '../../core';
import type { PanelFinding } from '../findings/readFindings';
import { formatWindow } from './SelectionActions';

interface Props {
  findings?: PanelFinding[];
  loading: boolean;
  error?: string;
  notices?: string[];
  active?: PanelFinding;
  timeZone: string;
  onSelect: (finding: PanelFinding) => void;
  height: number;
}

const SEVERITY_COLOR: Record<string, BadgeColor> = { critical: 'red', warning: 'orange', info: 'blue' };

/** Grafana's formatting for the unit; counts stay whole ("346", not "346.00"). */
export function formatEvidence(n: EvidenceNumber): string {
  // Whole counts stay whole; past 1000 Grafana scales ("1.20 K"), where 0 decimals would say "1 K".
  const decimals = n.unit === 'percentunit' ? 1 : Number.isInteger(n.value) && Math.abs(n.value) < 1000 ? 0 : undefined;
  return formattedValueToString(getValueFormat(n.unit)(n.value, decimals));
}

/**
 * What is wrong and where, before any chart: severity, the numbers behind it, the window it applies to and the
 * next step. Selecting a finding focuses the flame graph on its evidence stack and the heatmap on its window.
 */
export function FindingsList({ findings, loading, error, notices, active, timeZone, onSelect, height }: Props) {
  const styles = useStyles2(getStyles);
  return (
    <section className={styles.section} style={{ height }} aria-label="Findings" data-testid="goruntime-findings">
      <div className={styles.heading}>
        Findings {findings && findings.length > 0 && <span className={styles.dim}>({findings.length})</span>}
        {loading && !error && <Spinner inline size="sm" />}
        {loading && !findings && !error && (
          <span className={styles.dim}>diagnosing the window (capturing profiles)…</span>
        )}
      </div>
      {error && <div className={styles.error}>{error}</div>}
      {findings && findings.length === 0 && !error && (
        <div className={styles.dim}>No problem found in this window: every rule stayed under its threshold.</div>
      )}
      <ul className={styles.list}>
        {(findings ?? []).map((f, i) => (
          <li key={`${f.id}-${i}`}>
            <button
              type="button"
              className={cx(styles.item, active === f && styles.active)}
              aria-pressed={active === f}
              onClick={() => onSelect(f)}
              data-testid="goruntime-finding"
            >
              <div className={styles.line}>
                <Badge text={f.severity} color={SEVERITY_COLOR[f.severity] ?? 'blue'} />
                <strong className={styles.title}>{f.title}</strong>
                <span className={styles.dim}>{LAYER_TITLES[f.layer as Layer] ?? ''}</span>
                {Number.isFinite(f.window.from) && (
                  <span className={styles.window}>{formatWindow(f.window, timeZone)}</span>
                )}
              </div>
              <div className={styles.summary}>{f.summary}</div>
              {f.evidence.numbers.length > 0 && (
                <div className={styles.numbers}>
                  {f.evidence.numbers.map((n, k) => (
                    <span key={k} className={styles.number}>
                      {n.label}: <strong>{formatEvidence(n)}</strong>
                    </span>
                  ))}
                </div>
              )}
              {f.nextStep && <div className={styles.dim}>Next step: {f.nextStep}</div>}
            </button>
          </li>
        ))}
      </ul>
      {notices?.map((n, i) => (
        <div key={i} className={styles.dim}>
          {n}
        </div>
      ))}
    </section>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  section: css({ overflow: 'auto', fontSize: theme.typography.bodySmall.fontSize, minHeight: 0 }),
  heading: css({
    display: 'flex',
    gap: theme.spacing(1),
    alignItems: 'center',
    fontWeight: theme.typography.fontWeightMedium,
    fontSize: theme.typography.body.fontSize,
  }),
  list: css({ listStyle: 'none', margin: 0, padding: 0 }),
  item: css({
    display: 'block',
    width: '100%',
    textAlign: 'left',
    background: 'none',
    border: 'none',
    borderLeft: '2px solid transparent',
    color: 'inherit',
    padding: theme.spacing(0.5, 1),
    cursor: 'pointer',
    '&:hover': { background: theme.colors.action.hover },
    '&:focus-visible': { outline: `2px solid ${theme.colors.primary.main}` },
  }),
  active: css({ borderLeftColor: theme.colors.primary.main, background: theme.colors.action.selected }),
  line: css({ display: 'flex', flexWrap: 'wrap', alignItems: 'center', columnGap: theme.spacing(1) }),
  title: css({ fontSize: theme.typography.body.fontSize }),
  window: css({ marginLeft: 'auto', color: theme.colors.text.secondary, fontVariantNumeric: 'tabular-nums' }),
  summary: css({ margin: '2px 0' }),
  numbers: css({ display: 'flex', flexWrap: 'wrap', columnGap: theme.spacing(2), fontVariantNumeric: 'tabular-nums' }),
  number: css({ whiteSpace: 'nowrap' }),
  dim: css({ color: theme.colors.text.secondary, fontWeight: 'normal' }),
  error: css({ color: theme.colors.error.text }),
});

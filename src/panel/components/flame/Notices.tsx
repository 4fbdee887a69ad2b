import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Button, Icon, useStyles2 } from '@grafana/ui';

import type { StackMatch } from '../../flame/focusStack';
import type { PruningSummary } from '../../flame/transform';

/**
 * Why a node called `other` is there: users lose cost to truncation without noticing (grafana/grafana#109035,
 * #125033). Says how much is folded, what `other` stands for, and how to see more.
 */
export function PrunedNotice({ summary, maxNodes }: { summary: PruningSummary; maxNodes: number }) {
  const styles = useStyles2(getStyles);
  const pct = (summary.otherShare * 100).toFixed(summary.otherShare < 0.01 ? 2 : 1);
  return (
    <div className={styles.notice} data-testid="goruntime-flame-pruned">
      <Icon name="info-circle" />
      <span>
        {summary.prunedFrom
          ? `${summary.prunedFrom.toLocaleString()} call paths pruned to ${summary.nodes.toLocaleString()} nodes. `
          : ''}
        {summary.otherNodes > 0 && (
          <>
            <strong>{summary.otherNodes.toLocaleString()}</strong> <code>other</code> node
            {summary.otherNodes === 1 ? '' : 's'} hold <strong>{pct}%</strong> of the total: each stands for the smaller
            callees of its parent, added up (totals stay exact).{' '}
          </>
        )}
        Raise <em>Max nodes</em> (now {maxNodes > 0 ? maxNodes.toLocaleString() : 'unlimited'}) in the panel options or
        the query to see them.
      </span>
    </div>
  );
}

interface FocusProps {
  title: string;
  stack: readonly string[];
  match?: StackMatch;
  onClear: () => void;
}

/** The finding whose evidence stack the flame graph is focused on, and how well the stack was found. */
export function FocusNotice({ title, stack, match, onClear }: FocusProps) {
  const styles = useStyles2(getStyles);
  const outermost = stack[stack.length - 1];
  return (
    <div className={styles.notice} data-testid="goruntime-flame-focus">
      <Icon name="crosshair" />
      <span>
        {match ? (
          <>
            Focused on the evidence of <strong>{title}</strong>: <code>{outermost}</code>
            {match.matched < stack.length ? ` (${match.matched} of ${stack.length} frames found on one path)` : ''}
            {match.candidates > 1 ? `, the heaviest of ${match.candidates} call paths` : ''}.
          </>
        ) : (
          <>
            The evidence stack of <strong>{title}</strong> (<code>{stack[0]}</code>) is not in this flame graph: it was
            captured over another window or profile.
          </>
        )}
      </span>
      <Button size="sm" variant="secondary" fill="text" onClick={onClear}>
        Show whole profile
      </Button>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  notice: css({
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
    padding: theme.spacing(0.25, 1),
    fontSize: theme.typography.bodySmall.fontSize,
    color: theme.colors.text.secondary,
    background: theme.colors.background.secondary,
    borderRadius: theme.shape.radius.default,
    code: { fontSize: 'inherit' },
  }),
});

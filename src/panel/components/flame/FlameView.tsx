import React, { useMemo } from 'react';
import { css } from '@emotion/css';
import type { DataFrame, GrafanaTheme2 } from '@grafana/data';
import { FlameGraph } from '@grafana/flamegraph';
import { config } from '@grafana/runtime';
import { Alert, useStyles2 } from '@grafana/ui';

import { describeFlame } from '../../flame/describeFlame';
import { focusOnRow, matchStack } from '../../flame/focusStack';
import { flameFrameLike, summarizePruning, transformFlame } from '../../flame/transform';
import { DownloadProfileButtons } from '../../export/DownloadProfileButtons';
import { FlameHeader } from './FlameHeader';
import { FocusNotice, PrunedNotice } from './Notices';

export interface FocusRequest {
  title: string;
  /** Leaf first, as findings carry them. */
  stack: string[];
}

interface Props {
  frame?: DataFrame;
  context: string;
  loading: boolean;
  error?: string;
  timeZone: string;
  maxNodes: number;
  leftHeavy: boolean;
  inverted: boolean;
  onLeftHeavy: (on: boolean) => void;
  onInverted: (on: boolean) => void;
  onBack?: () => void;
  focus?: FocusRequest;
  onClearFocus: () => void;
  /** Shown under the flame graph (a bucket's goroutine clusters). */
  footer?: React.ReactNode;
  width: number;
  height: number;
}

const getTheme = () => config.theme2;

/**
 * The flame graph area: Grafana's own @grafana/flamegraph (search, focus, sandwich, top table and diff colouring
 * as in Grafana) under a header that says what is shown, with the panel's additions: node budget, left-heavy
 * order, bottom-up (via the data source), the explanation of `other`, and focus on a finding's evidence stack.
 */
export function FlameView(props: Props) {
  const styles = useStyles2(getStyles);
  const { frame, maxNodes, leftHeavy, focus } = props;

  const transformed = useMemo(
    () => (frame ? transformFlame(frame, { maxNodes, leftHeavy }) : undefined),
    [frame, maxNodes, leftHeavy]
  );
  const focused = useMemo(() => {
    if (!transformed || !focus) {
      return undefined;
    }
    const match = matchStack(transformed.columns, focus.stack);
    return {
      match,
      frame: match ? flameFrameLike(focusOnRow(transformed.columns, match.row), transformed.frame) : undefined,
    };
  }, [transformed, focus]);
  const description = useMemo(() => (frame ? describeFlame(frame) : undefined), [frame]);
  const pruning = useMemo(() => {
    if (!transformed || !frame) {
      return undefined;
    }
    const fromSource = (frame.meta?.custom as { prunedFrom?: number } | undefined)?.prunedFrom;
    return summarizePruning(transformed.columns, Math.max(fromSource ?? 0, transformed.prunedHere?.from ?? 0));
  }, [transformed, frame]);

  const shown = focused?.frame ?? transformed?.frame;
  const empty = shown !== undefined && shown.length <= 1;
  return (
    <div
      className={styles.container}
      style={{ width: props.width, height: props.height }}
      data-testid="goruntime-flame"
    >
      <FlameHeader
        description={description}
        context={props.context}
        loading={props.loading}
        timeZone={props.timeZone}
        leftHeavy={leftHeavy}
        inverted={props.inverted}
        onLeftHeavy={props.onLeftHeavy}
        onInverted={props.onInverted}
        onBack={props.onBack}
        actions={<DownloadProfileButtons frame={frame} />}
      />
      {props.error && (
        <Alert title="The flame graph could not be loaded" severity="error" data-testid="goruntime-flame-error">
          {props.error}
        </Alert>
      )}
      {pruning && <PrunedNotice summary={pruning} maxNodes={maxNodes} />}
      {focus && (
        <FocusNotice title={focus.title} stack={focus.stack} match={focused?.match} onClear={props.onClearFocus} />
      )}
      <div className={styles.graph}>
        {shown && !empty && (
          <FlameGraph
            data={shown}
            getTheme={getTheme}
            stickyHeader={false}
            showAnalyzeWithAssistant={false}
            // No auto-collapsing of single-child chains: a collapsed group is drawn under its first frame's name, so
            // searching (or a finding's evidence) for a function inside it would highlight nothing.
            disableCollapsing
            keepFocusOnDataChange
          />
        )}
        {empty && !props.loading && <div className={styles.empty}>No samples in this window for this profile.</div>}
        {!shown && !props.error && (
          <div className={styles.empty}>{props.loading ? 'Capturing the profile…' : 'No flame graph query.'}</div>
        )}
      </div>
      {props.footer}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  container: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(0.5), minHeight: 0 }),
  graph: css({ flex: 1, minHeight: 0, overflow: 'auto' }),
  empty: css({ padding: theme.spacing(2), color: theme.colors.text.secondary }),
});

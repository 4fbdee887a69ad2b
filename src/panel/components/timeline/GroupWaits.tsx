/**
 * Where one goroutine group waited, from the trace's group-waits frame: a flame graph whose first level is the wait
 * category (scheduler wait, sync / mutex, channel / select, network, syscall…) and then the stacks, root first, with
 * the time the group's goroutines spent there; above it the longest stacks as a list. A category filter narrows both.
 */
import { css } from '@emotion/css';
import type { DataFrame, GrafanaTheme2 } from '@grafana/data';
import { IconButton, RadioButtonGroup, useStyles2 } from '@grafana/ui';
import React, { useMemo, useState } from 'react';

import { groupWaitCallTree, toNestedSet, WAIT_CATEGORIES, waitCategory, type WaitCategory } from '../../../core';
import { type GroupWaitRow, toFlameFrame } from '../../../frames';
import { FlameView } from '../flame/FlameView';

interface Props {
  group: string;
  records: readonly GroupWaitRow[];
  onClose: () => void;
  timeZone: string;
  width: number;
  height: number;
}

type Filter = 'all' | WaitCategory;

const TOP_STACKS = 5;
const ms = (ns: number) => `${(ns / 1e6).toFixed(ns < 1e5 ? 3 : 1)} ms`;

/** The panel's flame graph for trace wait times: fixed left-heavy, top-down, no focus. */
export function WaitFlame(props: {
  frame?: DataFrame;
  context: string;
  timeZone: string;
  width: number;
  height: number;
}) {
  return (
    <FlameView
      {...props}
      loading={false}
      maxNodes={2048}
      leftHeavy={true}
      inverted={false}
      onLeftHeavy={() => undefined}
      onInverted={() => undefined}
      onClearFocus={() => undefined}
    />
  );
}

export function GroupWaits({ group, records, onClose, timeZone, width, height }: Props) {
  const styles = useStyles2(getStyles);
  const [filter, setFilter] = useState<Filter>('all');
  const mine = useMemo(() => records.filter((r) => r.group === group), [records, group]);
  const present = useMemo(() => {
    const totals = new Map<WaitCategory, number>();
    for (const r of mine) {
      const c = waitCategory(r.kind, r.reason);
      totals.set(c, (totals.get(c) ?? 0) + r.time);
    }
    return WAIT_CATEGORIES.filter((c) => totals.has(c)).map((c) => ({ category: c, time: totals.get(c)! }));
  }, [mine]);
  const active: Filter = filter !== 'all' && present.some((p) => p.category === filter) ? filter : 'all';
  const shown = useMemo(
    () => mine.filter((r) => active === 'all' || waitCategory(r.kind, r.reason) === active),
    [mine, active]
  );
  const frame = useMemo(
    () =>
      // groupWaitCallTree picks the group's records of the chosen category itself.
      toFlameFrame(toNestedSet(groupWaitCallTree(records, group, active === 'all' ? undefined : new Set([active]))), {
        unit: 'ns',
        name: 'group waits',
        custom: { group },
      }),
    [records, group, active]
  );
  const top = [...shown].sort((a, b) => b.time - a.time).slice(0, TOP_STACKS);
  const total = shown.reduce((sum, r) => sum + r.time, 0);
  return (
    <div className={styles.box} data-testid="goruntime-timeline-group-waits" data-group={group}>
      <div className={styles.header}>
        <span className={styles.title} title={group}>
          Where <b>{group}</b> waited: {ms(total)}
        </span>
        <IconButton name="times" size="sm" tooltip="Back to the trace's latency profiles" onClick={onClose} />
      </div>
      {present.length === 0 ? (
        <div className={styles.none}>Its goroutines never waited in this trace.</div>
      ) : (
        <>
          <div className={styles.filter}>
            <RadioButtonGroup<Filter>
              size="sm"
              options={[
                { value: 'all', label: 'All' },
                ...present.map((p) => ({ value: p.category, label: p.category, description: ms(p.time) })),
              ]}
              value={active}
              onChange={setFilter}
            />
          </div>
          <ol className={styles.top} aria-label={`Longest waits of ${group}`}>
            {top.map((r, i) => (
              <li key={i} title={r.funcs.join('\n')} data-testid="goruntime-timeline-wait-stack">
                <span className={styles.time}>{ms(r.time)}</span>
                <span className={styles.category}>{waitCategory(r.kind, r.reason)}</span>
                <span className={styles.stack}>
                  {r.funcs.length ? r.funcs.slice(0, 3).join(' ← ') : '(no stack in the trace)'}
                </span>
              </li>
            ))}
          </ol>
          <WaitFlame
            frame={frame}
            context={`Wait time of ${group}`}
            timeZone={timeZone}
            width={width}
            height={Math.max(100, height - 40 - 18 * top.length)}
          />
        </>
      )}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  box: css({ flex: '1 1 50%', display: 'flex', flexDirection: 'column', minWidth: 0, gap: theme.spacing(0.5) }),
  header: css({ display: 'flex', alignItems: 'center', gap: theme.spacing(1), minWidth: 0 }),
  title: css({ flex: 1, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }),
  filter: css({ overflowX: 'auto', flex: 'none' }),
  none: css({ color: theme.colors.text.secondary }),
  top: css({
    margin: 0,
    paddingLeft: theme.spacing(2),
    fontSize: theme.typography.bodySmall.fontSize,
    li: { whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' },
  }),
  time: css({ display: 'inline-block', minWidth: 70, fontVariantNumeric: 'tabular-nums' }),
  category: css({ display: 'inline-block', minWidth: 110, color: theme.colors.text.secondary }),
  stack: css({ fontFamily: theme.typography.fontFamilyMonospace }),
});

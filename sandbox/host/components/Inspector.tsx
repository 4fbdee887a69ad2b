// What the host saw: plugin modules and the shared packages they asked for, query runs, HTTP requests made through
// backendSrv (the data-proxy traffic) and crosshair events. A development aid, like Grafana's query inspector.
import React, { useEffect, useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Tab, TabsBar, useStyles2 } from '@grafana/ui';
import { auditTime } from 'rxjs';

import { hostLog } from '../hostLog';

type TabId = 'runs' | 'requests' | 'events' | 'modules';

function useHostLog() {
  const [, setTick] = useState(0);
  useEffect(() => {
    const subscription = hostLog.changed$.pipe(auditTime(250)).subscribe(() => setTick((t) => t + 1));
    return () => subscription.unsubscribe();
  }, []);
  return hostLog;
}

const time = (ms: number) => new Date(ms).toLocaleTimeString();

export function Inspector() {
  const styles = useStyles2(getStyles);
  const log = useHostLog();
  const [tab, setTab] = useState<TabId>('runs');
  const tabs: Array<[TabId, string, number]> = [
    ['runs', 'Query runs', log.queryRuns.length],
    ['requests', 'Requests', log.requests.length],
    ['events', 'Crosshair events', log.hovers.length],
    ['modules', 'Plugin modules', log.modules.length],
  ];

  return (
    <div data-testid="inspector">
      <TabsBar>
        {tabs.map(([id, label, count]) => (
          <Tab key={id} label={label} counter={count} active={tab === id} onChangeTab={() => setTab(id)} />
        ))}
      </TabsBar>
      <div className={styles.body}>
        {tab === 'runs' && (
          <table className={styles.table} data-testid="query-runs">
            <thead>
              <tr><th>started</th><th>request</th><th>range</th><th>targets</th><th>state</th><th>frames</th><th>error</th></tr>
            </thead>
            <tbody>
              {[...log.queryRuns].reverse().slice(0, 30).map((run) => (
                <tr key={run.requestId}>
                  <td>{time(run.startedAt)}</td>
                  <td>{run.requestId}</td>
                  <td>{run.rawFrom} → {run.rawTo} ({time(run.from)}–{time(run.to)})</td>
                  <td>{run.targets.map((t) => JSON.stringify(t)).join(' ')}</td>
                  <td>{run.state}</td>
                  <td>{run.frames}</td>
                  <td>{run.error}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {tab === 'requests' && (
          <table className={styles.table}>
            <thead>
              <tr><th>#</th><th>method</th><th>url</th><th>state</th><th>status</th><th>bytes</th><th>ms</th></tr>
            </thead>
            <tbody>
              {[...log.requests].reverse().slice(0, 50).map((r) => (
                <tr key={r.id}>
                  <td>{r.id}</td><td>{r.method}</td><td>{r.url}</td><td>{r.state}</td><td>{r.status}</td><td>{r.bytes}</td><td>{r.durationMs}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {tab === 'events' && (
          <table className={styles.table}>
            <thead>
              <tr><th>at</th><th>from</th><th>event</th><th>time</th></tr>
            </thead>
            <tbody>
              {[...log.hovers].reverse().slice(0, 30).map((h, i) => (
                <tr key={i}>
                  <td>{time(h.at)}</td><td>{h.origin}</td><td>{h.type}</td><td>{h.time === null ? '' : new Date(h.time).toISOString()}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {tab === 'modules' && (
          <div>
            {log.modules.map((m) => (
              <p key={m.url}>
                <strong>{m.kind}</strong> {m.url} — define([{m.deps.map((d) => JSON.stringify(d)).join(', ')}])
              </p>
            ))}
            <p className={styles.muted}>Shared with plugins: {log.sharedModules.join(', ')}</p>
          </div>
        )}
      </div>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  body: css({ padding: theme.spacing(1, 0), maxHeight: 320, overflow: 'auto', fontSize: theme.typography.bodySmall.fontSize }),
  table: css({
    width: '100%',
    borderCollapse: 'collapse',
    'th, td': { textAlign: 'left', padding: theme.spacing(0.25, 1), borderBottom: `1px solid ${theme.colors.border.weak}`, verticalAlign: 'top' },
    td: { fontFamily: theme.typography.fontFamilyMonospace, wordBreak: 'break-all' },
  }),
  muted: css({ color: theme.colors.text.secondary }),
});

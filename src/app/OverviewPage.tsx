import React from 'react';
import type { AppRootProps, GrafanaTheme2 } from '@grafana/data';
import { PluginPage } from '@grafana/runtime';
import { useStyles2 } from '@grafana/ui';
import { css } from '@emotion/css';
import { Link } from 'react-router-dom';

import { APP_ROUTES, appUrl } from './routes';

/** The app's landing page: what the bundle contains and how to start. Inside Grafana's page frame (title, breadcrumb). */
export function OverviewPage(_props: AppRootProps) {
  const styles = useStyles2(getStyles);
  return (
    <PluginPage subTitle="Go runtime profiles on your dashboards: live pprof and Pyroscope history">
      <div className={styles.page}>
        <p>
          See why a Go service is slow or hot, on the dashboards you already use. This app bundles a data source that
          reads Go <code>net/http/pprof</code> endpoints (live) and Grafana Pyroscope (history), and a panel that shows
          flame graphs, goroutine states over time and findings.
        </p>
        <ol>
          <li>
            Add a data source of type <strong>Go Runtime Profiles</strong> pointing at a Go service or at Pyroscope.
          </li>
          <li>
            Add the <strong>Go Runtime Profiles</strong> panel next to your CPU and latency panels.
          </li>
        </ol>
        <p>
          Have a profile or a goroutine dump already? <Link to={appUrl(APP_ROUTES.analyze)}>Analyze a file</Link>:
          drop or paste it, and see its flame graph, goroutine clusters and findings without sending it anywhere.
        </p>
      </div>
    </PluginPage>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  page: css({ maxWidth: 800, padding: theme.spacing(2) }),
});

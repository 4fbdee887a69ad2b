// Grafana's PluginPage (public/app/core/components/Page/PluginPage.tsx, installed by `setPluginPage` at boot in
// public/app/app.ts): an app page's frame. Grafana renders the page inside its chrome: breadcrumbs from the app's
// nav section (Home › Apps › <app> › <page>), the page title (`pageNav.text`, else the nav item of the current
// page), the subtitle, info items and actions beside the title, then the page's content. The sandbox draws the same
// parts without Grafana's mega menu.
import React, { createContext, useContext } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2, NavModelItem } from '@grafana/data';
import type { PluginPageProps } from '@grafana/runtime';
import { useStyles2 } from '@grafana/ui';

/** The app's nav section, as Grafana's AppRootPage builds it from plugin.json `includes` (pages with addToNav). */
export interface AppNav {
  appName: string;
  appUrl: string;
  /** The nav item of the page at the current URL. */
  current?: NavModelItem;
}

export const AppNavContext = createContext<AppNav | undefined>(undefined);

export function SandboxPluginPage({ children, pageNav, subTitle, actions, info, renderTitle }: PluginPageProps) {
  const styles = useStyles2(getStyles);
  const nav = useContext(AppNavContext);
  const title = pageNav?.text ?? nav?.current?.text ?? nav?.appName ?? '';
  const crumbs: Array<{ text: string; url?: string }> = [
    { text: 'Home', url: '/' },
    { text: 'Apps' },
    ...(nav ? [{ text: nav.appName, url: nav.appUrl }] : []),
    ...(nav?.current && nav.current.text !== nav.appName ? [{ text: nav.current.text, url: nav.current.url }] : []),
    ...(pageNav ? [{ text: pageNav.text, url: pageNav.url }] : []),
  ];
  return (
    <div className={styles.page} data-testid="plugin-page">
      <nav aria-label="Breadcrumbs" className={styles.breadcrumbs}>
        {crumbs.map((crumb, i) => (
          <span key={i}>
            {i > 0 && <span className={styles.separator}>›</span>}
            {crumb.url && i < crumbs.length - 1 ? <a href={crumb.url}>{crumb.text}</a> : <span>{crumb.text}</span>}
          </span>
        ))}
      </nav>
      <header className={styles.header}>
        <div>
          {renderTitle ? renderTitle(title) : <h1 className={styles.title}>{title}</h1>}
          {subTitle && <div className={styles.subTitle}>{subTitle}</div>}
          {info && (
            <div className={styles.info}>
              {info.map((item) => (
                <span key={item.label}>
                  {item.label}: {item.value}
                </span>
              ))}
            </div>
          )}
        </div>
        {actions && <div>{actions}</div>}
      </header>
      <div className={styles.content}>{children}</div>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  page: css({ padding: theme.spacing(2, 3) }),
  breadcrumbs: css({
    color: theme.colors.text.secondary,
    fontSize: theme.typography.bodySmall.fontSize,
    marginBottom: theme.spacing(2),
  }),
  separator: css({ margin: theme.spacing(0, 1) }),
  header: css({
    display: 'flex',
    justifyContent: 'space-between',
    gap: theme.spacing(2),
    marginBottom: theme.spacing(2),
  }),
  title: css({ margin: 0 }),
  subTitle: css({ color: theme.colors.text.secondary, marginTop: theme.spacing(0.5) }),
  info: css({ display: 'flex', gap: theme.spacing(2), marginTop: theme.spacing(1) }),
  content: css({ position: 'relative' }),
});

import React from 'react';
import type { AppRootProps } from '@grafana/data';
import { Route, Routes } from 'react-router-dom';

import { AnalyzePage } from './analyze/AnalyzePage';
import { OverviewPage } from './OverviewPage';
import { APP_ROUTES } from './routes';

/**
 * The app's root: Grafana renders it for every URL under `/a/<plugin id>/` (one route per page of plugin.json's
 * `includes`), inside its router, so the routes here are relative to that base.
 */
export function App(props: AppRootProps) {
  return (
    <Routes>
      <Route path={APP_ROUTES.analyze} element={<AnalyzePage />} />
      <Route path="*" element={<OverviewPage {...props} />} />
    </Routes>
  );
}

// The packages Grafana hands to plugins at run time instead of letting them bundle their own copies: the same names
// as Grafana's `sharedDependenciesMap` (public/app/features/plugins/loader/sharedDependencies.ts) and create-plugin's
// externals list (.config/bundler/externals.ts). One copy of React, @grafana/ui, @emotion/css and rxjs on the page is
// what makes the plugin's theme, its emotion cache, its `instanceof` checks and its uPlot cursor sync work with the
// host's.
//
// The values are what the plugin's AMD factory receives. CommonJS packages (react, lodash, moment) are passed as their
// `module.exports` (webpack's interop in the plugin then finds the default itself); ES packages as their namespace.
// Rarely used, large packages load lazily, as in Grafana. Legacy Angular-era names (jquery/flot, app/core/*) are
// left out: this plugin is React-only and Grafana 12+ no longer runs Angular plugins.
import * as emotionCss from '@emotion/css';
import * as emotionReact from '@emotion/react';
import * as grafanaData from '@grafana/data';
import * as grafanaRuntime from '@grafana/runtime';
import * as grafanaUIraw from '@grafana/ui';
import i18next from 'i18next';
import lodash from 'lodash';
// eslint-disable-next-line no-restricted-imports -- Grafana shares moment with plugins; the host must too.
import moment from 'moment';
import React from 'react';
import ReactDOM from 'react-dom';
import * as ReactDOMClient from 'react-dom/client';
import * as jsxRuntime from 'react/jsx-runtime';
import * as rxjs from 'rxjs';
import * as rxjsOperators from 'rxjs/operators';

import type { SharedModules } from './amdLoader';

// Grafana exposes the plugin base classes under @grafana/ui too, for plugins written before they moved to
// @grafana/data (Grafana 6.5). The ES namespace object is frozen, so copy it.
const grafanaUI = {
  ...grafanaUIraw,
  PanelPlugin: grafanaData.PanelPlugin,
  DataSourcePlugin: grafanaData.DataSourcePlugin,
  AppPlugin: grafanaData.AppPlugin,
  DataSourceApi: grafanaData.DataSourceApi,
};

export const sharedModules: SharedModules = {
  '@emotion/css': () => emotionCss,
  '@emotion/react': () => emotionReact,
  emotion: () => emotionCss,
  '@grafana/data': () => grafanaData,
  '@grafana/data/unstable': () => import('@grafana/data/unstable'),
  '@grafana/runtime': () => grafanaRuntime,
  '@grafana/runtime/unstable': () => import('@grafana/runtime/unstable'),
  '@grafana/ui': () => grafanaUI,
  '@grafana/ui/unstable': () => import('@grafana/ui/unstable'),
  d3: () => import('d3'),
  // Grafana shares its i18next instance (the one @grafana/i18n initialised) so plugins that bundle @grafana/ui
  // translate with the same state.
  i18next: () => i18next,
  // (Grafana also adds a legacy `move` helper to lodash for old plugins; not needed here.)
  lodash: () => lodash,
  moment: () => moment,
  prismjs: () => import('prismjs'),
  react: () => React,
  'react/jsx-runtime': () => jsxRuntime,
  'react/jsx-dev-runtime': () => jsxRuntime,
  'react-dom': () => ReactDOM,
  'react-dom/client': () => ReactDOMClient,
  'react-redux': () => import('react-redux'),
  redux: () => import('redux'),
  // Grafana shares react-router-dom v5 plus a v6 compat build under 'react-router'; the sandbox has v6 only, which
  // is what a plugin built today imports.
  'react-router-dom': () => import('react-router-dom'),
  'react-router': () => import('react-router-dom'),
  rxjs: () => rxjs,
  'rxjs/operators': () => rxjsOperators,
};


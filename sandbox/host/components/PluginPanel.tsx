// Renders the real panel plugin (`plugin.panel` from dist/panel/module.js) inside Grafana's PanelChrome, with the
// props Grafana's panel renderer passes (PanelProps), an error boundary like Grafana's PanelErrorBoundary, and the
// panel's context (event bus, cursor sync) from its dashboard slot.
import React from 'react';
import type { FieldConfigSource, InterpolateFunction, PanelData, PanelPlugin } from '@grafana/data';
import { Alert, ErrorBoundary, PanelChrome } from '@grafana/ui';

import { PanelSlotProvider, type PanelSlot } from './panelSlot';

interface Props {
  plugin: PanelPlugin;
  title: string;
  data: PanelData;
  options: Record<string, unknown>;
  fieldConfig: FieldConfigSource;
  width: number;
  height: number;
  slot: PanelSlot;
  replaceVariables: InterpolateFunction;
  onOptionsChange: (options: Record<string, unknown>) => void;
  onFieldConfigChange: (config: FieldConfigSource) => void;
  onChangeTimeRange: (range: { from: number; to: number }) => void;
}

export function PluginPanel(props: Props) {
  const { plugin, title, data, width, height, slot } = props;
  const renderCounter = renderCountFor(data);
  const Panel = plugin.panel;
  const errorMessage = data.errors?.map((e) => e.message).join('\n');

  return (
    <PanelSlotProvider slot={slot}>
      <PanelChrome
        title={title}
        width={width}
        height={height}
        loadingState={data.state}
        statusMessage={errorMessage}
        padding={plugin.noPadding ? 'none' : 'md'}
      >
        {(innerWidth, innerHeight) => (
          <div data-testid="plugin-panel" style={{ width: innerWidth, height: innerHeight }}>
            <ErrorBoundary dependencies={[data]}>
              {({ error }) =>
                error ? (
                  <Alert title="The panel plugin threw while rendering" severity="error" data-testid="plugin-panel-error">
                    {error.message}
                  </Alert>
                ) : Panel ? (
                  <Panel
                    id={slot.id}
                    title={title}
                    data={data}
                    timeRange={data.timeRange}
                    timeZone="browser"
                    options={props.options}
                    fieldConfig={props.fieldConfig}
                    transparent={false}
                    width={innerWidth}
                    height={innerHeight}
                    renderCounter={renderCounter}
                    eventBus={slot.eventBus}
                    replaceVariables={props.replaceVariables}
                    onOptionsChange={props.onOptionsChange}
                    onFieldConfigChange={props.onFieldConfigChange}
                    onChangeTimeRange={props.onChangeTimeRange}
                  />
                ) : (
                  <Alert title="The panel plugin has no panel component" severity="error" />
                )
              }
            </ErrorBoundary>
          </div>
        )}
      </PanelChrome>
    </PanelSlotProvider>
  );
}

// Grafana counts the renders caused by new data (PanelProps.renderCounter); a panel may use it to redraw.
const renderCounts = new WeakMap<PanelData, number>();
let lastRenderCount = 0;
function renderCountFor(data: PanelData): number {
  let count = renderCounts.get(data);
  if (count === undefined) {
    count = ++lastRenderCount;
    renderCounts.set(data, count);
  }
  return count;
}

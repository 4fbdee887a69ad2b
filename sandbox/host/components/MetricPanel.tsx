// A Prometheus-like time series panel drawn with @grafana/ui's uPlot TimeSeries, wired like Grafana's core time
// series panel: it publishes and follows DataHoverEvent on the dashboard's event bus (EventBusPlugin) so the crosshair
// moves together with the profiles panel, and a drag-select zooms the dashboard time range (TooltipPlugin2 queryZoom).
import React, { useMemo } from 'react';
import { css } from '@emotion/css';
import {
  applyFieldOverrides,
  dateTimeFormat,
  FieldConfigOptionsRegistry,
  formattedValueToString,
  type DataFrame,
  type GrafanaTheme2,
  type TimeRange,
} from '@grafana/data';
import { DashboardCursorSync } from '@grafana/schema';
import { EventBusPlugin, PanelChrome, TimeSeries, TooltipPlugin2, useStyles2, useTheme2 } from '@grafana/ui';

import type { PanelSlot } from './panelSlot';

// TooltipHoverMode is a const enum that @grafana/ui does not export by value; xAll = 1 shows every series at the
// hovered time, as the time series panel's "All" tooltip mode does.
const HOVER_ALL_SERIES = 1;

interface Props {
  title: string;
  description: string;
  frame: DataFrame;
  timeRange: TimeRange;
  width: number;
  height: number;
  slot: PanelSlot;
  onChangeTimeRange: (range: { from: number; to: number }) => void;
}

export function MetricPanel({ title, description, frame, timeRange, width, height, slot, onChangeTimeRange }: Props) {
  const theme = useTheme2();
  const styles = useStyles2(getStyles);
  const frames = useMemo(
    () =>
      applyFieldOverrides({
        data: [frame],
        fieldConfig: { defaults: {}, overrides: [] },
        fieldConfigRegistry: new FieldConfigOptionsRegistry(),
        replaceVariables: (value) => value,
        theme,
        timeZone: 'browser',
      }),
    [frame, theme]
  );
  const hasPoints = frame.length > 1;

  return (
    <PanelChrome title={title} description={description} width={width} height={height}>
      {(innerWidth, innerHeight) =>
        hasPoints ? (
          <div data-testid={`metric-panel-${frame.refId}`}>
            <TimeSeries
              frames={frames}
              timeRange={timeRange}
              timeZone="browser"
              width={innerWidth}
              height={innerHeight}
              legend={{ showLegend: true, displayMode: 'list' as never, placement: 'bottom', calcs: [] }}
            >
              {(builder, alignedFrame) => (
                <>
                  {slot.sync() !== DashboardCursorSync.Off && <EventBusPlugin config={builder} eventBus={slot.eventBus} frame={alignedFrame} />}
                  <TooltipPlugin2
                    config={builder}
                    hoverMode={HOVER_ALL_SERIES as never}
                    syncMode={slot.sync()}
                    syncScope={slot.eventsScope}
                    queryZoom={onChangeTimeRange}
                    render={(_u, dataIdxs) => <Tooltip frame={alignedFrame} dataIdxs={dataIdxs} className={styles.tooltip} />}
                  />
                </>
              )}
            </TimeSeries>
          </div>
        ) : (
          <div className={styles.waiting} style={{ width: innerWidth, height: innerHeight }}>
            Waiting for scrapes of /demo/metrics…
          </div>
        )
      }
    </PanelChrome>
  );
}

function Tooltip({ frame, dataIdxs, className }: { frame: DataFrame; dataIdxs: Array<number | null>; className: string }) {
  const row = dataIdxs[0];
  if (row == null) {
    return null;
  }
  const [time, ...values] = frame.fields;
  return (
    <div className={className}>
      <div>{dateTimeFormat(time.values[row], { timeZone: 'browser' })}</div>
      {values.map((field, i) => {
        const index = dataIdxs[i + 1] ?? row;
        const value = field.values[index];
        return (
          <div key={field.name}>
            {field.config.displayName ?? field.name}: <strong>{field.display ? formattedValueToString(field.display(value)) : String(value)}</strong>
          </div>
        );
      })}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  tooltip: css({ padding: theme.spacing(1), fontSize: theme.typography.bodySmall.fontSize }),
  waiting: css({ display: 'flex', alignItems: 'center', justifyContent: 'center', color: theme.colors.text.secondary }),
});

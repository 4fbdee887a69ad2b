// Runs the plugin panel's queries whenever the dashboard time range, the targets or the refresh tick change, and
// returns the PanelData to render. A new run unsubscribes the previous one (cancelling its requests), like
// PanelQueryRunner.
import { useEffect, useState } from 'react';
import { isDateTime, LoadingState, type DataSourceApi, type PanelData, type TimeRange } from '@grafana/data';
import type { DataQuery } from '@grafana/schema';

import { hostLog } from '../hostLog';
import { buildRequest, runRequest } from '../queryRunner';

export function usePanelQuery(datasource: DataSourceApi | undefined, targets: DataQuery[], range: TimeRange, maxDataPoints: number): PanelData {
  const [data, setData] = useState<PanelData>({ state: LoadingState.NotStarted, series: [], timeRange: range });

  useEffect(() => {
    if (!datasource) {
      return;
    }
    const request = buildRequest({ datasource, targets, range, timeZone: 'browser', maxDataPoints, panelId: 4 });
    hostLog.addQueryRun({
      requestId: request.requestId,
      startedAt: Date.now(),
      from: range.from.valueOf(),
      to: range.to.valueOf(),
      rawFrom: isDateTime(range.raw.from) ? range.raw.from.toISOString() : String(range.raw.from),
      rawTo: isDateTime(range.raw.to) ? range.raw.to.toISOString() : String(range.raw.to),
      targets: request.targets,
      state: LoadingState.Loading,
      frames: 0,
    });
    const subscription = runRequest(datasource, request).subscribe((next) => {
      setData(next);
      hostLog.updateQueryRun(request.requestId, {
        state: next.state,
        frames: next.series.length,
        error: next.errors?.map((e) => e.message).join('; ') || undefined,
      });
    });
    return () => subscription.unsubscribe();
    // maxDataPoints follows the panel width; re-querying on every pixel of a resize would be wasteful.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [datasource, targets, range]);

  return data;
}

import { useEffect, useMemo, useState } from 'react';
import type { TimeRange } from '@grafana/data';

import type { TimeWindow } from '../types';

/**
 * The dashboard range as a view's x axis. Live pprof data keeps arriving after the query ran (a goroutine stream,
 * a trace captured from the query's "now" forwards), so with a range relative to now ("last 15 minutes") the axis
 * moves with the clock, as Grafana's time series do for streaming data (the dashboard's "live now" behaviour) and as
 * the sandbox's metric panels do; absolute ranges and stored (Pyroscope) data stay put.
 */
export function useLiveRange(timeRange: TimeRange, live: boolean): TimeWindow {
  const from = timeRange.from.valueOf();
  const to = timeRange.to.valueOf();
  const relative = typeof timeRange.raw.to === 'string' && timeRange.raw.to.startsWith('now');
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!live || !relative) {
      return;
    }
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [live, relative]);
  return useMemo(() => {
    const shift = live && relative ? Math.max(0, now - to) : 0;
    return { from: from + shift, to: to + shift };
  }, [from, to, now, live, relative]);
}

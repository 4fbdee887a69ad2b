// Scrapes the demo service's Prometheus metrics into a MetricsStore every `intervalMs`; the returned revision changes
// after each scrape so panels re-render.
import { useEffect, useMemo, useState } from 'react';

import { MetricsStore } from '../metrics/metricsStore';
import { parsePromText } from '../metrics/promText';

export function useMetricsScraper(intervalMs: number) {
  const store = useMemo(() => new MetricsStore(), []);
  const [revision, setRevision] = useState(0);
  const [error, setError] = useState<string>();

  useEffect(() => {
    let cancelled = false;
    const scrape = async () => {
      try {
        const response = await fetch('/demo/metrics');
        if (!response.ok) {
          throw new Error(`GET /demo/metrics: HTTP ${response.status}`);
        }
        const text = await response.text();
        if (!cancelled) {
          store.add(Date.now(), parsePromText(text));
          setRevision((r) => r + 1);
          setError(undefined);
        }
      } catch (e) {
        if (!cancelled) {
          setError(e instanceof Error ? e.message : String(e));
        }
      }
    };
    scrape();
    const timer = setInterval(scrape, intervalMs);
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
  }, [store, intervalMs]);

  return { store, revision, error };
}

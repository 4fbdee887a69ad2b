import { useEffect, useState } from 'react';
import { LoadingState, type DataQueryRequest } from '@grafana/data';
import { getDataSourceSrv } from '@grafana/runtime';
import type { Subscription } from 'rxjs';

import { buildRequest, IDLE, QueryResult, QuerySpec, runPanelRequest, specKey } from './panelQuery';

const LOADING: QueryResult = { ...IDLE, state: LoadingState.Loading };

function failed(error: unknown): QueryResult {
  const message = error instanceof Error ? error.message : String((error as { message?: unknown })?.message ?? error);
  return { state: LoadingState.Error, frames: [], errors: [{ message }], revision: 0 };
}

/**
 * Runs `spec` against the data source while it stays the same (by value), cancelling the previous run when it
 * changes or the panel unmounts: unsubscribing aborts the data source's HTTP requests and stops its polling.
 */
export function usePanelQuery(base: DataQueryRequest | undefined, spec: QuerySpec | undefined, tag: string) {
  // The base request matters for its interval and variables; a new one alone (every refresh) is not a reason to
  // re-run a drill-down into a fixed window, but a new range is for queries that follow the dashboard range.
  const baseRange = spec?.window ? '' : `${base?.range.from.valueOf()}-${base?.range.to.valueOf()}`;
  const key = spec && base ? `${specKey(spec)}|${baseRange}|${tag}` : '';
  // Results are stored with the key they answer, so a new key reads as "loading" without a reset in the effect.
  const [answer, setAnswer] = useState<{ key: string; result: QueryResult }>({ key: '', result: IDLE });

  useEffect(() => {
    if (!spec || !base) {
      return;
    }
    let subscription: Subscription | undefined;
    let cancelled = false;
    const set = (result: QueryResult) => !cancelled && setAnswer({ key, result });
    getDataSourceSrv()
      .get(spec.datasource)
      .then((ds) => {
        if (!cancelled) {
          subscription = runPanelRequest(ds, buildRequest(base, spec, tag)).subscribe({
            next: set,
            error: (e: unknown) => set(failed(e)),
          });
        }
      })
      .catch((e: unknown) => set(failed(e)));
    return () => {
      cancelled = true;
      subscription?.unsubscribe();
    };
    // `spec` and `base` are compared by value through `key`.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);

  if (!key) {
    return IDLE;
  }
  return answer.key === key ? answer.result : LOADING;
}

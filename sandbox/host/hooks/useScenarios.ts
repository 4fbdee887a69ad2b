// The demo service's scenario switches, read from /demo/scenarios (the sandbox server passes /demo/* through to the
// demo service) and polled so the stats (e.g. leaked goroutines) stay current.
import { useEffect, useState } from 'react';
import { catchError, from, map, merge, of, Subject, switchMap, timer } from 'rxjs';

export interface Scenario {
  name: string;
  on: boolean;
  description: string;
  finding: string;
  stats?: Record<string, number>;
}

async function fetchScenarios(): Promise<Scenario[]> {
  const response = await fetch('/demo/scenarios');
  if (!response.ok) {
    throw new Error(`GET /demo/scenarios: HTTP ${response.status}`);
  }
  return (await response.json()) as Scenario[];
}

export function useScenarios(pollMs = 5000) {
  const [state, setState] = useState<{ scenarios: Scenario[]; error?: string }>({ scenarios: [] });
  const [reload$] = useState(() => new Subject<void>());

  useEffect(() => {
    const subscription = merge(timer(0, pollMs), reload$)
      .pipe(
        switchMap(() =>
          from(fetchScenarios()).pipe(
            map((scenarios) => ({ scenarios })),
            catchError((e: unknown) => of({ error: e instanceof Error ? e.message : String(e) }))
          )
        )
      )
      .subscribe((next) => setState((old) => ('scenarios' in next ? { scenarios: next.scenarios ?? [] } : { ...old, error: next.error })));
    return () => subscription.unsubscribe();
  }, [reload$, pollMs]);

  const toggle = async (name: string, on: boolean) => {
    const response = await fetch(`/demo/scenario/${encodeURIComponent(name)}?on=${on ? 1 : 0}`, { method: 'POST' });
    if (!response.ok) {
      setState((old) => ({ ...old, error: `switching ${name} ${on ? 'on' : 'off'}: HTTP ${response.status}` }));
    }
    reload$.next();
  };

  return { scenarios: state.scenarios, error: state.error, toggle };
}

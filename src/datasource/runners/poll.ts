/**
 * Live polling of a pprof target while a dashboard is open: the frontend-only way to stream (Grafana Live's
 * `RunStream` needs a backend plugin). The Observable emits `LoadingState.Streaming` responses with a fixed `key`
 * ("multiple responses with same key are replaced", @grafana/data DataQueryResponse), as TestData's frontend
 * streams do (grafana/grafana:public/app/plugins/datasource/grafana-testdata-datasource/runStreams.ts).
 *
 * One sample at a time: the next poll starts `interval` after the previous one finished, so a slow target is never
 * hit by overlapping requests. Unsubscribing (the panel goes away, the query is re-run) stops the timer and
 * aborts the request in flight. A failed poll is reported in the response and polling goes on, so a restart of
 * the target shows as a gap, not a dead panel.
 */
import { DataQueryResponse, LoadingState } from '@grafana/data';
import { Observable, Subscription } from 'rxjs';

export interface PollOptions<T> {
  key: string;
  intervalMs: number;
  sample: () => Observable<T>;
  /** Folds a sample into the response to emit. */
  onSample: (sample: T) => DataQueryResponse['data'];
  /** Names the failure for the panel (target, profile, cause). */
  describeError: (error: unknown) => string;
}

export function poll<T>(options: PollOptions<T>): Observable<DataQueryResponse> {
  return new Observable<DataQueryResponse>((subscriber) => {
    let inflight: Subscription | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    let lastData: DataQueryResponse['data'] = [];

    const schedule = () => {
      if (!stopped) {
        timer = setTimeout(tick, options.intervalMs);
      }
    };
    const tick = () => {
      timer = undefined;
      inflight = options.sample().subscribe({
        next: (sample) => {
          lastData = options.onSample(sample);
          subscriber.next({ key: options.key, state: LoadingState.Streaming, data: lastData });
        },
        error: (error) => {
          const message = options.describeError(error);
          subscriber.next({ key: options.key, state: LoadingState.Streaming, data: lastData, errors: [{ message }] });
          schedule();
        },
        complete: schedule,
      });
    };
    tick();
    return () => {
      stopped = true;
      if (timer !== undefined) {
        clearTimeout(timer);
      }
      inflight?.unsubscribe();
    };
  });
}

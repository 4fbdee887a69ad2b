/**
 * `series`: profile-derived metrics from Pyroscope's SelectSeries (total of a profile type per step, grouped by
 * labels), as one wide time series frame. Values are Pyroscope's raw sums per step (CPU nanoseconds, bytes,
 * counts), with the profile type's unit; points are sparse and a point's time is its bucket end (grafana/pyroscope:
 * pkg/frontend/readpath/queryfrontend/query_select_time_series.go).
 * Step: Grafana's interval, at least 15 s like Grafana's Pyroscope data source (`minStep`).
 */
import { map, mergeMap } from 'rxjs';

import { alignSeries, toTimeSeriesFrame } from '../../frames';
import { parseProfileTypeId } from '../../core';
import { grafanaUnit } from '../query/profileTypes';
import { parseDuration } from '../query/time';
import { failure, frames, lazily, pyroscopeId, Runner } from './context';

export const MIN_STEP_MS = 15_000;

export const runSeries: Runner = (ctx, query) =>
  frames(
    lazily(() => {
      if (ctx.target.options.mode !== 'pyroscope') {
        throw failure(
          ctx,
          'series',
          'series needs a Pyroscope-mode data source: SelectSeries reads stored history, a live pprof endpoint has none'
        );
      }
      const stepMs = Math.max(MIN_STEP_MS, parseDuration(query.interval) ?? ctx.intervalMs);
      return pyroscopeId(ctx, query).pipe(
        mergeMap((id) =>
          ctx.pyroscope
            .selectSeries({
              profileTypeID: id,
              labelSelector: query.labelSelector ?? '{}',
              start: ctx.range.from,
              end: ctx.range.to,
              stepSeconds: stepMs / 1000,
              groupBy: query.groupBy,
              aggregation: query.aggregation,
              limit: query.limit,
            })
            .pipe(
              map((series) => {
                const type = parseProfileTypeId(id)!;
                const { times, aligned } = alignSeries(series);
                return [
                  toTimeSeriesFrame(
                    times,
                    series.map((s, i) => ({
                      name: type.sampleType,
                      labels: s.labels,
                      values: aligned[i],
                      unit: grafanaUnit(type.sampleUnit),
                    })),
                    { refId: query.refId, name: id, custom: { source: 'pyroscope', profile: id, stepMs } }
                  ),
                ];
              })
            )
        )
      );
    })
  );

/**
 * Wide time series frames (`meta.type: timeseries-wide`, dataplane contract): one time field and one numeric field
 * per series, which Grafana's Time series panel draws directly and stacks when asked. `toTimeSeriesFrame` writes
 * one, `fromTimeSeriesFrame` reads it back.
 */
import { DataFrame, DataFrameType, FieldType, Labels, createDataFrame } from '@grafana/data';

export interface WideSeries {
  name: string;
  values: ReadonlyArray<number | null>;
  labels?: Labels;
  unit?: string;
  displayName?: string;
}

export const TIME_SERIES_TIME_FIELD = 'time';

export function toTimeSeriesFrame(
  times: readonly number[],
  series: readonly WideSeries[],
  options: { refId?: string; name?: string; custom?: Record<string, unknown> } = {}
): DataFrame {
  return createDataFrame({
    name: options.name,
    refId: options.refId,
    meta: { type: DataFrameType.TimeSeriesWide, typeVersion: [0, 1], custom: options.custom },
    fields: [
      { name: TIME_SERIES_TIME_FIELD, type: FieldType.time, values: [...times] },
      ...series.map((s) => ({
        name: s.name,
        type: FieldType.number,
        values: [...s.values],
        labels: s.labels,
        config: { unit: s.unit, displayName: s.displayName },
      })),
    ],
  });
}

/** The times and series of a wide time series frame: the inverse of `toTimeSeriesFrame`. */
export function fromTimeSeriesFrame(frame: DataFrame): { times: number[]; series: WideSeries[] } {
  const time = frame.fields.find((f) => f.type === FieldType.time);
  const series = frame.fields
    .filter((f) => f !== time && f.type === FieldType.number)
    .map((f) => {
      const s: WideSeries = { name: f.name, values: Array.from(f.values as ArrayLike<number | null>) };
      if (f.labels) {
        s.labels = f.labels;
      }
      if (f.config.unit !== undefined) {
        s.unit = f.config.unit;
      }
      if (f.config.displayName !== undefined) {
        s.displayName = f.config.displayName;
      }
      return s;
    });
  return { times: Array.from((time?.values ?? []) as ArrayLike<number>), series };
}

/** Union of the timestamps of several sparse series, each aligned to it with null where it has no point. */
export function alignSeries(parts: ReadonlyArray<{ timestamps: readonly number[]; values: readonly number[] }>) {
  const times = [...new Set(parts.flatMap((p) => p.timestamps))].sort((a, b) => a - b);
  const index = new Map(times.map((t, i) => [t, i]));
  const aligned = parts.map((p) => {
    const out: Array<number | null> = new Array(times.length).fill(null);
    p.timestamps.forEach((t, i) => (out[index.get(t)!] = p.values[i]));
    return out;
  });
  return { times, aligned };
}

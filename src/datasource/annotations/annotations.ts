/**
 * Dashboard annotations from this data source (`annotations: true` in plugin.json): an annotation query is an
 * ordinary query whose frames become events.
 * - `findings` frames: one region per finding over the window it applies to, tagged with id, severity and layer;
 * - time series frames (`series`, `cpuSplit`): one region per detected spike window, so a spike found in profile
 *   data shows on every metrics panel of the dashboard.
 */
import { AnnotationEvent, AnnotationQuery, AnnotationSupport, DataFrame, FieldType } from '@grafana/data';
import { Observable, of } from 'rxjs';

import type { GoRuntimeQuery } from '../types';
import { detectSpikes } from './spikes';

function findingEvents(frame: DataFrame): AnnotationEvent[] {
  const field = (name: string) => frame.fields.find((f) => f.name === name)?.values ?? [];
  const [time, timeEnd, title, text, tags] = ['time', 'timeEnd', 'title', 'text', 'tags'].map(field);
  return Array.from({ length: frame.length }, (_, i) => ({
    time: time[i],
    timeEnd: timeEnd[i],
    isRegion: timeEnd[i] > time[i],
    title: title[i],
    text: text[i],
    tags: tags[i],
  }));
}

function spikeEvents(frame: DataFrame): AnnotationEvent[] {
  const time = frame.fields.find((f) => f.type === FieldType.time);
  const numeric = frame.fields.filter((f) => f.type === FieldType.number);
  if (!time || numeric.length === 0 || frame.length < 2) {
    return [];
  }
  const times = time.values as number[];
  const total = times.map((_, i) => {
    const parts = numeric.map((f) => f.values[i]).filter((v) => v !== null && v !== undefined);
    return parts.length ? parts.reduce((a, b) => a + b, 0) : null;
  });
  const step = times[1] - times[0];
  return detectSpikes(times, total, step).map((s) => ({
    time: s.from,
    timeEnd: s.to,
    isRegion: true,
    title: `Spike in ${frame.name ?? 'profile data'}`,
    text: `peak ${(s.peak / (s.typical || 1)).toFixed(1)}x the median of the range`,
    tags: ['go-runtime', 'spike'],
  }));
}

export function framesToEvents(frames: DataFrame[]): AnnotationEvent[] {
  return frames.flatMap((frame) => (frame.name === 'findings' ? findingEvents(frame) : spikeEvents(frame)));
}

export const annotationSupport: AnnotationSupport<GoRuntimeQuery> = {
  getDefaultQuery: () => ({ queryType: 'findings' }),
  processEvents: (
    _anno: AnnotationQuery<GoRuntimeQuery>,
    data: DataFrame[]
  ): Observable<AnnotationEvent[] | undefined> => of(framesToEvents(data)),
};

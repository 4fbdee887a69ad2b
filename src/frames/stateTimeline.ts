/**
 * Goroutine-group lanes from an execution trace as a State timeline frame: the wide form Grafana's State timeline
 * panel reads (grafana/grafana:public/app/plugins/panel/state-timeline, `prepareTimelineFields`): one time field and
 * one string field per lane, each row the lane's state from that time until the next row. Colours come from value
 * mappings in each field's config, so the native panel and ours draw the same colours.
 *
 * Writer, reader and field names live here together; the panel reads these frames only through
 * {@link readStateTimeline}.
 */
import { DataFrame, Field, FieldType, MappingType, ValueMapping, createDataFrame } from '@grafana/data';

export const STATE_TIMELINE_FRAME_NAME = 'goroutine group lanes';
export const STATE_TIMELINE_TIME_FIELD = 'time';

/** Colours per state label (the labels of core/model/goroutineState.ts). */
export const STATE_COLORS: Readonly<Record<string, string>> = {
  running: 'green',
  runnable: 'orange',
  syscall: 'purple',
  'IO wait': 'blue',
  'chan receive': 'light-blue',
  'chan send': 'super-light-blue',
  select: 'dark-blue',
  'mutex/rwmutex': 'red',
  waitgroup: 'light-red',
  cond: 'dark-red',
  semacquire: 'semi-dark-red',
  sleep: 'text',
  GC: 'yellow',
  'idle/system': 'transparent',
  other: 'gray',
};

export interface Lane {
  name: string;
  /** Goroutines in the lane's group, shown in its display name. */
  count: number;
  /** Per row: the state label, or null (nothing to show). */
  states: ReadonlyArray<string | null>;
}

export interface StateTimeline {
  /** Row start times, ms since the epoch. */
  times: number[];
  lanes: Lane[];
  /** Time the last row ends, ms. */
  end: number;
}

function mappings(): ValueMapping[] {
  return [
    {
      type: MappingType.ValueToText,
      options: Object.fromEntries(
        Object.entries(STATE_COLORS).map(([label, color], index) => [label, { color, index }])
      ),
    },
  ];
}

/**
 * Writes lanes as a State timeline frame. A last row at `end` with null states closes every lane, so the panel
 * draws the final bucket to its end instead of to the edge of the dashboard.
 */
export function stateTimelineFrame(
  timeline: StateTimeline,
  options: { refId?: string; custom?: Record<string, unknown> } = {}
): DataFrame {
  return createDataFrame({
    name: STATE_TIMELINE_FRAME_NAME,
    refId: options.refId,
    meta: { preferredVisualisationType: 'table', custom: { kind: 'state-timeline', ...options.custom } },
    fields: [
      { name: STATE_TIMELINE_TIME_FIELD, type: FieldType.time, values: [...timeline.times, timeline.end] },
      ...timeline.lanes.map((lane) => ({
        name: lane.name,
        type: FieldType.string,
        values: [...lane.states, null],
        labels: { goroutines: String(lane.count) },
        config: { displayName: `${lane.name} (${lane.count})`, mappings: mappings() },
      })),
    ],
  });
}

/** Reads a frame written by {@link stateTimelineFrame}; undefined for any other frame. */
export function readStateTimeline(frame: DataFrame): StateTimeline | undefined {
  if (frame.name !== STATE_TIMELINE_FRAME_NAME) {
    return undefined;
  }
  const time = frame.fields.find((f) => f.name === STATE_TIMELINE_TIME_FIELD && f.type === FieldType.time);
  if (!time || time.values.length === 0) {
    return undefined;
  }
  const allTimes = Array.from(time.values as ArrayLike<number>);
  const lanes = frame.fields
    .filter((f): f is Field<string | null> => f !== time && f.type === FieldType.string)
    .map((f) => ({
      name: f.name,
      count: Number(f.labels?.goroutines ?? 0),
      states: Array.from(f.values as ArrayLike<string | null>).slice(0, allTimes.length - 1),
    }));
  return { times: allTimes.slice(0, -1), lanes, end: allTimes[allTimes.length - 1] };
}

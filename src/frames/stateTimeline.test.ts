/**
 * Goroutine-group lanes of a real demo trace written as a State timeline frame and read back unchanged; the frame
 * has the shape Grafana's State timeline panel reads (a time field, then one string field per lane, value mappings
 * with colours for every state).
 */
import { FieldType } from '@grafana/data';
import { readFixtureBytes } from '../../tests/support/fixtures';
import { analyzeTrace } from '../core/analysis/traceAnalysis';
import { groupLanes, TRACE_STATE_LABELS, traceBuckets } from '../core/analysis/traceTimeline';
import { readStateTimeline, STATE_COLORS, stateTimelineFrame, StateTimeline } from './stateTimeline';

function timeline(): StateTimeline {
  const a = analyzeTrace(readFixtureBytes('mutex-contention', 'trace.bin'));
  const buckets = traceBuckets(a, 12);
  const startMs = 1_700_000_000_000;
  const lanes = groupLanes(a, buckets, 4);
  return {
    times: buckets.edges.slice(0, -1).map((ns) => startMs + ns / 1e6),
    lanes: lanes.map((l) => ({ name: l.name, count: l.count, states: l.states })),
    end: startMs + buckets.edges[buckets.edges.length - 1] / 1e6,
  };
}

describe('state timeline frame', () => {
  it('round-trips lanes of the mutex-contention trace', () => {
    const written = timeline();
    const frame = stateTimelineFrame(written, { refId: 'A' });
    expect(readStateTimeline(frame)).toEqual(written);
  });

  it('has the State timeline shape: time first, one string field per lane, colours for every state', () => {
    const frame = stateTimelineFrame(timeline());
    expect(frame.fields[0].type).toBe(FieldType.time);
    expect(frame.fields.slice(1).every((f) => f.type === FieldType.string)).toBe(true);
    expect(frame.fields[0].values.length).toBe(13);
    const mapped = Object.keys((frame.fields[1].config.mappings?.[0] as { options: object }).options);
    expect(mapped.sort()).toEqual([...TRACE_STATE_LABELS].sort());
    expect(Object.keys(STATE_COLORS).sort()).toEqual([...TRACE_STATE_LABELS].sort());
  });

  it('reads nothing from another frame', () => {
    expect(readStateTimeline({ name: 'goroutine states', fields: [], length: 0 })).toBeUndefined();
  });
});

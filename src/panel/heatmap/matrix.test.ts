import { toStateHeatmapFrame, streamingStateHeatmap, pushStateColumn } from '../../frames/heatmap';
import { GOROUTINE_STATE_LABELS, GOROUTINE_STATES } from '../../core/model/goroutineState';
import { columnTotal, countAt, emptyMatrix, groupRows, isStatesFrame, readStatesFrame } from './matrix';
import { stateGroupOf, statesOfGroup } from './stateGroups';

const labels = GOROUTINE_STATES.map((s) => GOROUTINE_STATE_LABELS[s]);

describe('readStatesFrame', () => {
  it('reads the data source frame into columns x rows with the state names', () => {
    const frame = toStateHeatmapFrame(
      ['running', 'chan send'],
      [
        { time: 2000, counts: [1, 7] },
        { time: 1000, counts: [2, 3] },
      ]
    );
    expect(isStatesFrame(frame)).toBe(true);
    const m = readStatesFrame(frame);
    expect(Array.from(m.times)).toEqual([1000, 2000]);
    expect(m.rows).toEqual(['running', 'chan send']);
    expect(countAt(m, 0, 1)).toBe(3);
    expect(countAt(m, 1, 1)).toBe(7);
    expect(m.max).toBe(7);
    expect(m.xIsEnd).toBe(true);
    expect(columnTotal(m, 1)).toBe(8);
  });

  it('reads a streaming frame as it grows', () => {
    const frame = streamingStateHeatmap(['a', 'b'], 10);
    pushStateColumn(frame, ['a', 'b'], { time: 10, counts: [1, 2] });
    pushStateColumn(frame, ['a', 'b'], { time: 20, counts: [3, 4] });
    const m = readStatesFrame(frame);
    expect(Array.from(m.times)).toEqual([10, 20]);
    expect(countAt(m, 1, 0)).toBe(3);
  });

  it('returns an empty matrix for a frame without the fields', () => {
    expect(emptyMatrix().times.length).toBe(0);
    const frame = toStateHeatmapFrame(['a'], []);
    expect(readStatesFrame(frame).times.length).toBe(0);
  });
});

describe('state groups', () => {
  it('folds every data source state into a group and sums counts', () => {
    for (const label of labels) {
      expect(stateGroupOf(label)).not.toBe('');
    }
    expect(stateGroupOf('chan send')).toBe('channels/select');
    expect(stateGroupOf('mutex/rwmutex')).toBe('locks/sync');
    expect(stateGroupOf('something new')).toBe('something new');
    expect(statesOfGroup('channels/select').sort()).toEqual(['chan receive', 'chan send', 'select']);

    const m = readStatesFrame(
      toStateHeatmapFrame(labels, [{ time: 1, counts: labels.map((l) => (l.startsWith('chan') ? 5 : 1)) }])
    );
    const g = groupRows(m, stateGroupOf);
    expect(g.rows.length).toBeLessThan(m.rows.length);
    expect(countAt(g, 0, g.rows.indexOf('channels/select'))).toBe(11);
    expect(columnTotal(g, 0)).toBe(columnTotal(m, 0));
    expect(g.max).toBe(11);
  });
});

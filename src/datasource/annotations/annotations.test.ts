import { toFindingsFrame } from '../../frames/findings';
import { toTimeSeriesFrame } from '../../frames/timeSeries';
import { framesToEvents } from './annotations';
import { detectSpikes } from './spikes';

describe('spike windows', () => {
  const times = Array.from({ length: 20 }, (_, i) => (i + 1) * 15_000);
  it('finds a run well above the median and joins runs split by one normal point', () => {
    const values = times.map((_, i) => (i === 8 || i === 10 || i === 11 ? 500 : 100 + (i % 3)));
    expect(detectSpikes(times, values, 15_000)).toEqual([
      { from: 8 * 15_000, to: 12 * 15_000, peak: 500, typical: 101 },
    ]);
  });

  it('ignores noise on a flat series and too-short series', () => {
    expect(
      detectSpikes(
        times,
        times.map((_, i) => 100 + (i % 5)),
        15_000
      )
    ).toEqual([]);
    expect(detectSpikes([1, 2, 3], [1, 100, 1], 1)).toEqual([]);
  });
});

describe('annotation events', () => {
  it('turn findings into regions over their window, tagged by id, severity and layer', () => {
    const frame = toFindingsFrame([
      {
        id: 'gc-pressure',
        layer: 1,
        severity: 'warning',
        title: 'GC pressure',
        summary: 'GC share 41%',
        nextStep: 'raise GOGC',
        from: 1000,
        to: 5000,
        evidence: {},
      },
    ]);
    expect(framesToEvents([frame])).toEqual([
      {
        time: 1000,
        timeEnd: 5000,
        isRegion: true,
        title: 'GC pressure',
        text: 'GC share 41%\nNext step: raise GOGC',
        tags: ['go-runtime', 'gc-pressure', 'warning', 'layer-1'],
      },
    ]);
  });

  it('turn spikes of a time series frame into regions', () => {
    const times = Array.from({ length: 10 }, (_, i) => (i + 1) * 1000);
    const frame = toTimeSeriesFrame(times, [{ name: 'cpu', values: times.map((_, i) => (i === 6 ? 900 : 100)) }], {
      name: 'cpu series',
    });
    const [event] = framesToEvents([frame]);
    expect(event).toMatchObject({
      time: 6000,
      timeEnd: 7000,
      isRegion: true,
      title: 'Spike in cpu series',
      tags: ['go-runtime', 'spike'],
    });
    expect(event.text).toBe('peak 9.0x the median of the range');
  });
});

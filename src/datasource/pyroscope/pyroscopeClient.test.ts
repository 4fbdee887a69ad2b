import { concatSeries, metadataRanges } from './pyroscopeClient';

describe('Pyroscope client pieces', () => {
  it('joins series pieces of 150,000 points each without spreading them as call arguments', () => {
    const piece = (offset: number) => ({
      labels: { service_name: 'a' },
      timestamps: Array.from({ length: 150_000 }, (_, i) => offset + i),
      values: Array.from({ length: 150_000 }, () => 1),
    });
    const [joined] = concatSeries([[piece(0)], [piece(150_000)], [piece(300_000)]]);
    expect(joined.timestamps).toHaveLength(450_000);
    expect(joined.timestamps[449_999]).toBe(449_999);
    expect(joined.values.reduce((a, b) => a + b, 0)).toBe(450_000);
  });

  it('asks metadata for at most the 7-day lookback, in pieces of at most a day', () => {
    const day = 86_400_000;
    expect(metadataRanges({ start: 0, end: 30 * day })).toHaveLength(7);
    expect(metadataRanges({ start: 0, end: 36 * 3600_000 })).toEqual([
      { start: 0, end: day },
      { start: day, end: 36 * 3600_000 },
    ]);
  });
});

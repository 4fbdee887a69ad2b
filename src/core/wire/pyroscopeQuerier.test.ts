import { decodeConnectError, decodeLabelsSet, decodeNames, decodeProfileTypes, decodeSeries } from './pyroscopeQuerier';
import { parsePyroscopeJson } from './pyroscopeJson';

describe('Pyroscope querier responses (documented Connect JSON shapes)', () => {
  it('reads ProfileTypes (the ID key is upper case)', () => {
    const types = decodeProfileTypes({
      profileTypes: [
        {
          ID: 'process_cpu:cpu:nanoseconds:cpu:nanoseconds',
          name: 'process_cpu',
          sampleType: 'cpu',
          sampleUnit: 'nanoseconds',
          periodType: 'cpu',
          periodUnit: 'nanoseconds',
        },
      ],
    });
    expect(types).toEqual([
      {
        id: 'process_cpu:cpu:nanoseconds:cpu:nanoseconds',
        name: 'process_cpu',
        sampleType: 'cpu',
        sampleUnit: 'nanoseconds',
        periodType: 'cpu',
        periodUnit: 'nanoseconds',
      },
    ]);
    expect(decodeProfileTypes({})).toEqual([]);
    expect(() => decodeProfileTypes({ profileTypes: [{ name: 'x' }] })).toThrow(/without ID/);
  });

  it('reads names, label sets and sparse series with omitted zero values', () => {
    expect(decodeNames({ names: ['service_name', '__name__'] })).toEqual(['service_name', '__name__']);
    expect(decodeNames({})).toEqual([]);
    expect(
      decodeLabelsSet({
        labelsSet: [
          {
            labels: [
              { name: '__profile_type__', value: 'goroutines:goroutine:count:goroutine:count' },
              { name: 'service_name', value: 'demo' },
            ],
          },
        ],
      })
    ).toEqual([{ __profile_type__: 'goroutines:goroutine:count:goroutine:count', service_name: 'demo' }]);
    expect(
      decodeSeries({
        series: [
          {
            labels: [{ name: 'pod', value: 'a' }],
            points: [{ value: 270000000, timestamp: '1779729327372' }, { timestamp: '1779729342372' }],
          },
        ],
      })
    ).toEqual([{ labels: { pod: 'a' }, timestamps: [1779729327372, 1779729342372], values: [270000000, 0] }]);
  });

  it('recognises Connect errors and non-JSON bodies', () => {
    expect(
      decodeConnectError('{"code":"invalid_argument","message":"the query time range exceeds the limit"}')
    ).toEqual({
      code: 'invalid_argument',
      message: 'the query time range exceeds the limit',
    });
    expect(decodeConnectError('<html>Bad gateway</html>')).toBeUndefined();
    expect(() => parsePyroscopeJson('<!DOCTYPE html><html>login</html>')).toThrow(/an HTML page/);
  });
});

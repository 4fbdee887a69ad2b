import { migrateQuery } from './migrate';
import { GoRuntimeQuery } from '../types';

describe('migrateQuery', () => {
  it('brings the first release shape ({profile}) to the current one', () => {
    expect(migrateQuery({ refId: 'A', profile: 'heap' } as GoRuntimeQuery)).toEqual({
      refId: 'A',
      queryType: 'flamegraph',
      profileType: 'heap',
      schemaVersion: 2,
    });
  });

  it("reads Grafana's Pyroscope data source queries", () => {
    const pasted = {
      refId: 'B',
      queryType: 'metrics',
      profileTypeId: 'process_cpu:cpu:nanoseconds:cpu:nanoseconds',
      labelSelector: '{}',
      groupBy: ['pod'],
      maxNodes: '512',
    };
    expect(migrateQuery(pasted as unknown as GoRuntimeQuery)).toEqual({
      refId: 'B',
      queryType: 'series',
      profileType: 'process_cpu:cpu:nanoseconds:cpu:nanoseconds',
      labelSelector: '{}',
      groupBy: ['pod'],
      maxNodes: 512,
      schemaVersion: 2,
    });
    expect(migrateQuery({ refId: 'C', queryType: 'both' } as unknown as GoRuntimeQuery).queryType).toBe('flamegraph');
  });

  it('turns a flat baselineOffset or baselineFrom/To into a baseline', () => {
    expect(
      migrateQuery({ refId: 'A', queryType: 'comparison', baselineOffset: '1h' } as unknown as GoRuntimeQuery)
    ).toMatchObject({
      queryType: 'diff',
      baseline: { kind: 'offset', offset: '1h' },
    });
    expect(
      migrateQuery({
        refId: 'A',
        queryType: 'diff',
        baselineFrom: 'now-2h',
        baselineTo: 'now-1h',
      } as unknown as GoRuntimeQuery).baseline
    ).toEqual({
      kind: 'range',
      from: 'now-2h',
      to: 'now-1h',
    });
  });

  it('is idempotent and keeps unknown query types for validation to report', () => {
    const once = migrateQuery({
      refId: 'A',
      profile: 'cpu',
      baselineOffset: '30m',
      queryType: 'comparison',
    } as unknown as GoRuntimeQuery);
    expect(migrateQuery(once)).toEqual(once);
    expect(migrateQuery({ refId: 'A', queryType: 'flames' } as unknown as GoRuntimeQuery).queryType).toBe('flames');
  });

  it('drops numbers that are not numbers and splits a comma-separated groupBy', () => {
    expect(migrateQuery({ refId: 'A', maxNodes: 'lots', groupBy: 'pod, region' } as unknown as GoRuntimeQuery)).toEqual(
      {
        refId: 'A',
        queryType: 'flamegraph',
        groupBy: ['pod', 'region'],
        schemaVersion: 2,
      }
    );
  });
});

import { diffBody, labelValuesBody, selectMergeStacktracesBody, selectSeriesBody, splitRange } from './requests';

const CPU = 'process_cpu:cpu:nanoseconds:cpu:nanoseconds';

describe('Pyroscope request bodies', () => {
  it('match the documented Appendix A example', () => {
    expect(
      JSON.stringify(
        selectMergeStacktracesBody({
          profileTypeID: CPU,
          labelSelector: '{service_name="pyroscope"}',
          start: 1779729300000,
          end: 1779732900000,
          maxNodes: 8192,
        })
      )
    ).toBe(
      `{"profileTypeID":"${CPU}","labelSelector":"{service_name=\\"pyroscope\\"}","start":1779729300000,"end":1779732900000,"maxNodes":8192}`
    );
  });

  it('default an empty selector to {} and omit maxNodes when unset (server default)', () => {
    expect(selectMergeStacktracesBody({ profileTypeID: CPU, labelSelector: ' ', start: 1, end: 2 })).toEqual({
      profileTypeID: CPU,
      labelSelector: '{}',
      start: 1,
      end: 2,
    });
  });

  it('send SelectSeries step in seconds, never below 1 ms', () => {
    expect(selectSeriesBody({ profileTypeID: CPU, labelSelector: '{}', start: 0, end: 1, stepSeconds: 0 }).step).toBe(
      0.001
    );
    expect(
      selectSeriesBody({
        profileTypeID: CPU,
        labelSelector: '{}',
        start: 0,
        end: 1,
        stepSeconds: 15,
        aggregation: 'sum',
      })
    ).toEqual({
      profileTypeID: CPU,
      labelSelector: '{}',
      start: 0,
      end: 1,
      step: 15,
      groupBy: [],
      aggregation: 'TIME_SERIES_AGGREGATION_TYPE_SUM',
    });
  });

  it('wrap Diff sides and label queries as documented', () => {
    const side = { profileTypeID: CPU, labelSelector: '{}', start: 1, end: 2 };
    expect(diffBody(side, { ...side, start: 3, end: 4 })).toEqual({ left: side, right: { ...side, start: 3, end: 4 } });
    expect(labelValuesBody('pod', '{}', { start: 1, end: 2 })).toEqual({ name: 'pod', matchers: [], start: 1, end: 2 });
  });

  it('splits ranges above the 24h query limit', () => {
    const day = 24 * 3600_000;
    expect(splitRange({ start: 0, end: 2.5 * day })).toEqual([
      { start: 0, end: day },
      { start: day, end: 2 * day },
      { start: 2 * day, end: 2.5 * day },
    ]);
  });
});

/**
 * The frame contract read back: for every frame kind, the reader (`fromXFrame`) returns what the writer
 * (`toXFrame`) was given, on analyses of real captures of the demo service (fixtures/demo).
 */
import '../../tests/support/grafanaModuleShims';

import { readFileSync } from 'fs';

import { buildCallTree } from '../core/analysis/callTree';
import { diagnose } from '../core/analysis/findings/runner';
import { rowLabels } from '../core/analysis/flameLabels';
import { clusterGoroutines } from '../core/analysis/goroutines/cluster';
import { snapshotFromText } from '../core/analysis/goroutines/fromText';
import { countByState } from '../core/analysis/goroutines/series';
import { fromNestedSet, toNestedSet } from '../core/analysis/nestedSet';
import { topFunctions } from '../core/analysis/topTable';
import { GOROUTINE_STATE_LABELS, GOROUTINE_STATES } from '../core/model/goroutineState';
import { parsePprof } from '../core/model/parsePprof';
import { fixturePath } from '../../tests/support/fixtures';
import { scenarioInputs } from '../../tests/support/findingsFixtures';
import { fromFindingsFrame, toFindingsFrame, type FindingRow } from './findings';
import { fromFlameFrame, isDiffFrame, isFlameFrame, toFlameFrame } from './flame';
import { fromStateHeatmapFrame, isStateHeatmapFrame, toStateHeatmapFrame } from './heatmap';
import {
  clusterRow,
  fromClustersFrame,
  fromTopFrame,
  isClustersFrame,
  toClustersFrame,
  toTopFrame,
  type ClusterRow,
} from './table';
import { fromTimeSeriesFrame, toTimeSeriesFrame } from './timeSeries';

const profile = (scenario: string, file: string) => parsePprof(readFileSync(fixturePath(scenario, file)));
const dump = (scenario: string, file: string) => snapshotFromText(readFileSync(fixturePath(scenario, file), 'utf8'));
const STATE_NAMES = GOROUTINE_STATES.map((s) => GOROUTINE_STATE_LABELS[s]);

describe('frame contract: each reader returns what its writer was given', () => {
  it('flame: the nested set of a real CPU profile, and its diff columns', () => {
    const nested = toNestedSet(buildCallTree(profile('busy-select', 'cpu.pb.gz')));
    expect(nested.levels.length).toBeGreaterThan(50);
    const frame = toFlameFrame(nested, { unit: 'ns' });
    expect(isFlameFrame(frame)).toBe(true);
    const back = fromFlameFrame(frame);
    expect(Array.from(back.levels)).toEqual(Array.from(nested.levels));
    expect(Array.from(back.values)).toEqual(Array.from(nested.values));
    expect(Array.from(back.selfs)).toEqual(Array.from(nested.selfs));
    expect(rowLabels(back)).toEqual(rowLabels(nested));
    expect(back.valuesRight).toBeUndefined();

    const diff = toFlameFrame({ ...nested, valuesRight: nested.selfs, selfsRight: nested.values }, { unit: 'ns' });
    expect(isDiffFrame(diff)).toBe(true);
    expect(Array.from(fromFlameFrame(diff).valuesRight!)).toEqual(Array.from(nested.selfs));
    expect(Array.from(fromFlameFrame(diff).selfsRight!)).toEqual(Array.from(nested.values));
  });

  it('flame, in the core: fromNestedSet undoes toNestedSet on a real heap profile', () => {
    const tree = buildCallTree(profile('gc-pressure', 'allocs.pb.gz'));
    const nested = toNestedSet(tree);
    const again = toNestedSet(fromNestedSet(nested, tree.sampleType));
    expect(Array.from(again.levels)).toEqual(Array.from(nested.levels));
    expect(Array.from(again.values)).toEqual(Array.from(nested.values));
    expect(Array.from(again.selfs)).toEqual(Array.from(nested.selfs));
    expect(rowLabels(again)).toEqual(rowLabels(nested));
    // Every node's parent is the row one level up before it, and its total covers its children.
    const back = fromNestedSet(nested);
    expect(back.count).toBe(tree.count);
    const childSum = new Float64Array(back.count);
    for (let i = 1; i < back.count; i++) {
      expect(nested.levels[back.parent[i]]).toBe(nested.levels[i] - 1);
      childSum[back.parent[i]] += back.total[i];
    }
    for (let i = 0; i < back.count; i++) {
      expect(back.total[i]).toBeCloseTo(back.self[i] + childSum[i], 6);
    }
  });

  it('top table: the top functions of a real CPU profile', () => {
    const p = profile('clock-hot-path', 'cpu.pb.gz');
    const top = topFunctions(p);
    const rows = top.rows.slice(0, 20).map((r) => ({ name: r.name, flat: r.flat, cum: r.cum }));
    expect(rows.length).toBeGreaterThan(5);
    const frame = toTopFrame(rows, top.total, 'ns');
    expect(fromTopFrame(frame)).toEqual({ rows, unit: 'ns' });
    // Self is the flat value and Total the cumulative one, each with its share of the whole.
    const col = (name: string) => frame.fields.find((f) => f.name === name)!.values;
    expect(col('Self')).toEqual(rows.map((r) => r.flat));
    expect(col('Total')).toEqual(rows.map((r) => r.cum));
    expect(col('Self %')).toEqual(rows.map((r) => r.flat / top.total));
    expect(col('Total %')).toEqual(rows.map((r) => r.cum / top.total));
    expect(rows.some((r) => r.flat !== r.cum)).toBe(true);
  });

  it('goroutine clusters: the clusters of a real leak dump, and columns a transform removed read as defaults', () => {
    const result = clusterGoroutines(dump('goroutine-leak', 'goroutine.debug2.txt'));
    // The data source's own row mapping, with a growth figure on every other row.
    const rows: ClusterRow[] = result.clusters.map((c, i) => clusterRow(c, 1, i % 2 ? null : i * 1.5));
    expect(rows.length).toBeGreaterThan(3);
    const frame = toClustersFrame(rows);
    expect(isClustersFrame(frame)).toBe(true);
    expect(fromClustersFrame(frame)).toEqual(rows);
    frame.fields = frame.fields.filter((f) => f.name !== 'Wait min' && f.name !== 'Growth /min');
    expect(fromClustersFrame(frame)).toEqual(rows.map((r) => ({ ...r, waitMinutesMin: 0, growthPerMinute: null })));
  });

  it('findings: the findings of a real scenario, from the structured copy and from the columns alone', () => {
    const findings = diagnose(scenarioInputs('gc-pressure'));
    expect(findings.length).toBeGreaterThan(0);
    const rows: FindingRow[] = findings.map((f, i) => ({
      id: f.id,
      layer: f.layer,
      severity: f.severity,
      title: f.title,
      summary: f.summary,
      nextStep: f.nextStep,
      from: 1000 * i,
      to: 1000 * i + 500,
      evidence: f.evidence,
    }));
    const frame = toFindingsFrame(rows);
    expect(fromFindingsFrame(frame)).toEqual(rows);
    // A transform that drops meta leaves the columns: summary and next step come back from their own fields.
    const columnsOnly = { ...frame, meta: undefined };
    expect(fromFindingsFrame(columnsOnly)).toEqual(JSON.parse(JSON.stringify(rows)));
    // The annotation text still carries both, for Grafana's annotation mapping.
    const text = frame.fields.find((f) => f.name === 'text')!;
    expect(text.values[0]).toBe(`${rows[0].summary}\nNext step: ${rows[0].nextStep}`);
    expect(text.config.custom?.hideFrom?.viz).toBe(true);
  });

  it('state heatmap: state counts of real goroutine dumps over time', () => {
    const columns = ['goroutine.debug2.txt', 'goroutine.later.debug2.txt'].map((file, i) => {
      const byState = countByState(dump('goroutine-leak', file));
      return { time: 1_700_000_000_000 + i * 3000, counts: GOROUTINE_STATES.map((s) => byState[s]) };
    });
    expect(columns[1].counts).not.toEqual(columns[0].counts);
    const frame = toStateHeatmapFrame(STATE_NAMES, columns);
    expect(isStateHeatmapFrame(frame)).toBe(true);
    expect(fromStateHeatmapFrame(frame)).toEqual({ states: STATE_NAMES, columns, xIsEnd: true });
  });

  it('time series: goroutine counts per state of real dumps, with units and labels', () => {
    const snapshots = ['goroutine.debug2.txt', 'goroutine.later.debug2.txt'].map((f) => dump('goroutine-leak', f));
    const times = [1000, 4000];
    const series = GOROUTINE_STATES.slice(0, 4).map((s) => ({
      name: GOROUTINE_STATE_LABELS[s],
      values: snapshots.map((snap) => countByState(snap)[s]),
      unit: 'short',
      labels: { state: s },
      displayName: `goroutines ${s}`,
    }));
    const frame = toTimeSeriesFrame(times, series);
    expect(fromTimeSeriesFrame(frame)).toEqual({ times, series });
  });
});

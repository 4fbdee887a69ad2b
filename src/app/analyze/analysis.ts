/**
 * The "Analyze a file" page's analysis: one or two read inputs (readInput.ts) → what the page shows, computed by the
 * core in the browser and shaped as the panel's views take it (flame frame, findings, cluster rows), so the page
 * reuses the panel's components as they are.
 *
 * - One profile: its flame graph and top table for the chosen sample type, findings from the rules that use its
 *   kind, goroutine clusters when it is a goroutine profile.
 * - One goroutine text (dump, crash output): the flame graph of its stacks (one sample per goroutine, as
 *   `go tool pprof` draws a goroutine profile), clusters, findings.
 * - Two inputs of the same kind: a diff. The FIRST is the comparison, the SECOND the baseline (the page says so and
 *   can swap them); findings say what changed. Two dumps also give each cluster's growth.
 * - Two inputs of different kinds (a CPU profile and a goroutine dump of the same moment): each is shown and the
 *   findings use both, as `goprof diagnose` does with a directory of captures.
 */
import type { DataFrame } from '@grafana/data';

import {
  alignTrees,
  buildCallTree,
  type CallTree,
  type ClusterResult,
  diagnoseReport,
  type DiagnosisProfiles,
  diffProfiles,
  type Finding,
  type FlatCumRow,
  goroutineCallTree,
  type GoroutineCluster,
  goroutineSeries,
  type Profile,
  pruneCallTree,
  resolveSampleType,
  type TimedGoroutineSnapshot,
  type TimeWindow,
  toNestedSet,
  topFunctions,
} from '../../core';
import { grafanaUnit } from '../../datasource/query/profileTypes';
import { clusterRow, type ClusterRow, toFlameFrame } from '../../frames';
import type { PanelFinding } from '../../panel/findings/readFindings';
import { PROFILE_KIND_TITLES, profileTime, raceText, type LoadedInput, type ProfileInput } from './readInput';

export const DEFAULT_MAX_NODES = 2048;
const TOP_ROWS = 50;

export interface AnalysisOptions {
  /** Sample type of profiles; default each profile's default. */
  sampleType?: string;
  inverted?: boolean;
  maxNodes?: number;
}

/** A goroutine cluster as the panel's clusters list shows it, with its stack for "copy as text". */
export interface PageCluster extends ClusterRow {
  cluster: GoroutineCluster;
}

export interface ClustersView {
  /** Which input they come from. */
  source: string;
  total: number;
  rows: PageCluster[];
  /** How the counts were obtained (e.g. "growth between the two dumps"). */
  note?: string;
}

export interface TopView {
  rows: FlatCumRow[];
  total: number;
  /** Grafana unit of the values. */
  unit: string;
  sampleType: string;
  /** Rows in the whole table (only the first {@link TOP_ROWS} are kept). */
  functions: number;
}

export interface ProfileDownload {
  label: string;
  fileName: string;
  profile: Profile;
}

export interface AnalysisView {
  /** One line per input: what it is and its size. */
  inputs: string[];
  /** Set for a comparison: the names of both sides. */
  comparison?: { comparison: string; baseline: string };
  flame?: DataFrame;
  /** What the flame graph shows, for its header. */
  flameContext: string;
  /** Sample types offered (profiles), and the one shown. */
  sampleTypes: string[];
  sampleType?: string;
  top?: TopView;
  clusters?: ClustersView;
  findings: PanelFinding[];
  /** Inputs the rules could not use, rule failures. */
  findingNotes: string[];
  downloads: ProfileDownload[];
  /** Why the program died, when the text is crash output: the reason line and the lines under it. */
  causes: Array<{ input: string; message: string; lines: string[] }>;
  /** Data races reported in the text, one line each. */
  races: string[];
}

function clusterRows(result: ClusterResult, growth?: Map<string, number | null>): PageCluster[] {
  return result.clusters.map((c) => ({ ...clusterRow(c, 1, growth?.get(c.key) ?? null), cluster: c }));
}

function goroutinesOf(input: LoadedInput) {
  return input.type === 'goroutines' ? input : input.goroutines;
}

function windowOf(input: LoadedInput): TimeWindow {
  if (input.type === 'profile') {
    const start = profileTime(input.profile);
    if (start !== undefined) {
      return { from: start, to: start + Math.max(input.profile.durationNanos / 1e6, 1000) };
    }
  }
  return { from: input.time - 1000, to: input.time };
}

/** Each input in its place among the diagnosis inputs; what the rules cannot use is returned as a note. */
function diagnosisProfiles(inputs: readonly LoadedInput[], notes: string[]): DiagnosisProfiles {
  const profiles: DiagnosisProfiles = {};
  const goroutines: TimedGoroutineSnapshot[] = [];
  for (const input of inputs) {
    if (input.type === 'goroutines') {
      // Every dump of the text: several make a series, whose growth the rules judge.
      goroutines.push(...input.series.map((s) => ({ time: s.time, snapshot: s.snapshot })));
      continue;
    }
    if (input.goroutines) {
      goroutines.push({ time: input.goroutines.snapshot.timestamp ?? input.time, snapshot: input.goroutines.snapshot });
      continue;
    }
    const { kind, profile } = input;
    if (kind === 'threadcreate' || kind === 'other') {
      notes.push(`${input.name}: the rules do not use ${PROFILE_KIND_TITLES[kind]}s`);
    } else if (kind !== 'goroutine' && kind !== 'goroutineleak') {
      profiles[kind] = profile;
    }
  }
  if (goroutines.length) {
    profiles.goroutines = goroutines;
  }
  const windows = inputs.map(windowOf);
  profiles.window = {
    from: Math.min(...windows.map((w) => w.from)),
    to: Math.max(...windows.map((w) => w.to)),
  };
  return profiles;
}

function toPanelFinding(f: Finding, window: TimeWindow, timed: boolean): PanelFinding {
  return {
    id: f.id,
    layer: f.layer,
    severity: f.severity,
    title: f.title,
    summary: f.summary,
    nextStep: f.nextStep,
    window: (timed && f.window) || window,
    evidence: f.evidence,
  };
}

/** No window is shown for findings of inputs with no time of their own (pasted text). */
const UNKNOWN_WINDOW: TimeWindow = { from: NaN, to: NaN };

function findingsOf(
  inputs: readonly LoadedInput[],
  profiles: DiagnosisProfiles,
  baseline: DiagnosisProfiles | undefined,
  notes: string[]
) {
  const report = diagnoseReport({ ...profiles, baseline, source: 'files' });
  notes.push(...report.failures.map((f) => `rule ${f.id} failed: ${f.message}`));
  const timed = inputs.some((i) => i.timeKnown);
  return report.findings.map((f) => toPanelFinding(f, timed ? profiles.window! : UNKNOWN_WINDOW, timed));
}

function describeInput(input: LoadedInput): string {
  if (input.type === 'goroutines') {
    const s = input.snapshot;
    const what = s.cause ? 'crash output' : `goroutine dump (${s.source})`;
    const series = input.series.length > 1 ? `${input.series.length} dumps, the last with ` : '';
    const notes = input.notes.length ? ` (${input.notes.join('; ')})` : '';
    const count = `${s.total.toLocaleString('en-US')} goroutines in ${input.clusters.clusters.length} clusters`;
    return `${input.name}: ${what}, ${series}${count}${notes}`;
  }
  const p = input.profile;
  const seconds = p.durationNanos > 0 ? `, ${(p.durationNanos / 1e9).toFixed(1)} s` : '';
  return `${input.name}: ${PROFILE_KIND_TITLES[input.kind]}, ${p.samples.count.toLocaleString('en-US')} samples${seconds}`;
}

/** Growth per minute of each cluster across the dumps of one text, when it holds several. */
function seriesGrowth(input: LoadedInput): { growth: Map<string, number | null>; note: string } | undefined {
  if (input.type !== 'goroutines' || input.series.length < 2) {
    return undefined;
  }
  const series = goroutineSeries(input.series.map((s) => ({ time: s.time, snapshot: s.snapshot })));
  return {
    growth: new Map(series.clusters.map((c) => [c.key, c.growth.perMinute])),
    note: `the last of ${input.series.length} dumps; growth across them`,
  };
}

function flameFrame(tree: CallTree, maxNodes: number, custom: Record<string, unknown>): DataFrame {
  const pruned = maxNodes > 0 ? pruneCallTree(tree, maxNodes) : tree;
  return toFlameFrame(toNestedSet(pruned), {
    unit: grafanaUnit(tree.sampleType.unit),
    custom: { ...custom, total: tree.total[0], nodes: pruned.count, prunedFrom: tree.count },
  });
}

function sampleTypeOf(profile: Profile, wanted: string | undefined): string {
  const known = wanted !== undefined && profile.sampleTypes.some((st) => st.type === wanted);
  return profile.sampleTypes[resolveSampleType(profile, known ? wanted : undefined)].type;
}

function topOf(profile: Profile, sampleType: string): TopView {
  const table = topFunctions(profile, { sampleType });
  return {
    rows: table.rows.slice(0, TOP_ROWS),
    total: table.total,
    unit: grafanaUnit(table.sampleType.unit),
    sampleType,
    functions: table.rows.length,
  };
}

function downloadName(name: string): string {
  const base = name.replace(/\.(pb\.gz|pprof|pb|gz|prof|out|txt)$/i, '').replace(/[^\w.-]+/g, '-') || 'profile';
  return `${base}.pb.gz`;
}

const SOURCE = 'this file, analysed in your browser';

/** The page's view of one or two read inputs (see the module comment). */
export function analyzeInputs(inputs: readonly LoadedInput[], options: AnalysisOptions = {}): AnalysisView {
  if (inputs.length === 0) {
    throw new Error('nothing to analyse');
  }
  const maxNodes = options.maxNodes ?? DEFAULT_MAX_NODES;
  const inverted = options.inverted === true;
  const [first, second] = inputs;
  const notes: string[] = [];
  const view: AnalysisView = {
    inputs: inputs.map(describeInput),
    flameContext: first.name,
    sampleTypes: [],
    findings: [],
    findingNotes: notes,
    downloads: [],
    causes: inputs.flatMap((i) => {
      const cause = i.type === 'goroutines' ? i.snapshot.cause : undefined;
      return cause ? [{ input: i.name, message: cause.message, lines: cause.lines.slice(1, 12) }] : [];
    }),
    races: inputs.flatMap((i) => (i.type === 'goroutines' ? i.races.map((r) => `${i.name}: ${raceText(r)}`) : [])),
  };
  const sameKind =
    second !== undefined &&
    (first.type === 'profile' && second.type === 'profile'
      ? first.profile.sampleTypes.some((a) => second.profile.sampleTypes.some((b) => a.type === b.type))
      : first.type === 'goroutines' && second.type === 'goroutines');
  if (sameKind) {
    compare(view, first, second, { maxNodes, inverted, sampleType: options.sampleType }, notes);
    return view;
  }

  const profileInput = inputs.find((i): i is ProfileInput => i.type === 'profile');
  const flameInput = profileInput ?? first;
  if (flameInput.type === 'profile') {
    const { profile } = flameInput;
    const sampleType = sampleTypeOf(profile, options.sampleType);
    view.sampleTypes = profile.sampleTypes.map((st) => st.type);
    view.sampleType = sampleType;
    view.flame = flameFrame(buildCallTree(profile, { sampleType, inverted }), maxNodes, {
      source: SOURCE,
      profile: PROFILE_KIND_TITLES[flameInput.kind],
      sampleType,
    });
    view.top = topOf(profile, sampleType);
    view.downloads.push({ label: 'Download profile', fileName: downloadName(flameInput.name), profile });
  } else {
    view.flame = flameFrame(goroutineCallTree(flameInput.snapshot, { inverted }), maxNodes, {
      source: SOURCE,
      profile: 'goroutine stacks',
      sampleType: 'goroutines',
    });
  }
  view.flameContext = flameInput.name;
  const goroutineInput = inputs.find((i) => goroutinesOf(i) !== undefined);
  if (goroutineInput) {
    const g = goroutinesOf(goroutineInput)!;
    const series = seriesGrowth(goroutineInput);
    view.clusters = {
      source: goroutineInput.name,
      total: g.snapshot.total,
      rows: clusterRows(g.clusters, series?.growth),
      note: series?.note,
    };
  }
  view.findings = findingsOf(inputs, diagnosisProfiles(inputs, notes), undefined, notes);
  return view;
}

function compare(
  view: AnalysisView,
  comparison: LoadedInput,
  baseline: LoadedInput,
  options: Required<Pick<AnalysisOptions, 'maxNodes' | 'inverted'>> & { sampleType?: string },
  notes: string[]
): void {
  view.comparison = { comparison: comparison.name, baseline: baseline.name };
  view.flameContext = `${comparison.name} against the baseline ${baseline.name}`;
  const custom = { source: SOURCE, baselineFile: baseline.name };
  if (comparison.type === 'profile' && baseline.type === 'profile') {
    const shared = comparison.profile.sampleTypes
      .map((st) => st.type)
      .filter((t) => baseline.profile.sampleTypes.some((b) => b.type === t));
    const preferred = sampleTypeOf(comparison.profile, options.sampleType);
    const sampleType = shared.includes(preferred) ? preferred : shared[0];
    view.sampleTypes = shared;
    view.sampleType = sampleType;
    const d = diffProfiles(baseline.profile, comparison.profile, { sampleType, inverted: options.inverted });
    view.flame = flameFrame(d.tree, options.maxNodes, {
      ...custom,
      profile: PROFILE_KIND_TITLES[comparison.kind],
      sampleType,
      baselineScale: d.baselineScale,
      baselineTotal: d.baselineTotal,
      comparisonTotal: d.comparisonTotal,
    });
    view.top = topOf(comparison.profile, sampleType);
    view.downloads.push(
      { label: 'Download comparison profile', fileName: downloadName(comparison.name), profile: comparison.profile },
      { label: 'Download baseline profile', fileName: downloadName(baseline.name), profile: baseline.profile }
    );
    if (d.baselineScale !== 1) {
      notes.push(
        `the baseline is scaled by ${d.baselineScale.toFixed(3)} (comparison duration / baseline duration) so both compare as rates`
      );
    }
  }
  if (comparison.type === 'goroutines' && baseline.type === 'goroutines') {
    const tree = alignTrees(
      goroutineCallTree(baseline.snapshot, { inverted: options.inverted }),
      goroutineCallTree(comparison.snapshot, { inverted: options.inverted })
    );
    view.flame = flameFrame(tree, options.maxNodes, { ...custom, profile: 'goroutine stacks', sampleType: 'goroutines' });
  }
  const g = goroutinesOf(comparison);
  const gBase = goroutinesOf(baseline);
  if (g) {
    let growth: Map<string, number | null> | undefined;
    let note: string | undefined;
    if (gBase) {
      // Dumps carry no capture time; the files' modification times stand in when they are in order.
      const [tBase, tComp] = [gBase.snapshot.timestamp ?? baseline.time, g.snapshot.timestamp ?? comparison.time];
      const ordered = tComp > tBase;
      const series = goroutineSeries([
        { time: ordered ? tBase : tComp - 60_000, snapshot: gBase.snapshot },
        { time: tComp, snapshot: g.snapshot },
      ]);
      growth = new Map(series.clusters.map((c) => [c.key, c.growth.perMinute]));
      note = ordered
        ? `growth since the baseline ${baseline.name}`
        : `growth since the baseline ${baseline.name} (its time is not before the comparison's: assumed one minute earlier)`;
    }
    view.clusters = { source: comparison.name, total: g.snapshot.total, rows: clusterRows(g.clusters, growth), note };
  }
  const current = diagnosisProfiles([comparison], notes);
  const before = diagnosisProfiles([baseline], notes);
  if (current.goroutines && before.goroutines) {
    // Growth is judged across snapshots of one series: the baseline dump is the earlier snapshot.
    const [b] = before.goroutines;
    const [c] = current.goroutines;
    current.goroutines = [{ ...b, time: Math.min(b.time, c.time - 60_000) }, c];
  }
  view.findings = findingsOf([comparison, baseline], current, before, notes);
}

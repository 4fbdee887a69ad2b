/**
 * The scenario x finding matrix, which must be diagonal: every fixture folder of the demo
 * service (fixtures/demo/<scenario>, made by `npm run fixtures`) diagnosed exactly as `goprof diagnose <dir>` does,
 * with capture times from fixtures/manifest.json. The expected finding of each scenario is the manifest's own
 * `finding` (written by the demo service's scenario table).
 *
 * A finding "hits" at warning or critical. Expected and allowed beyond the diagonal, deliberately:
 * - busy-select also makes the scheduler busy (its Gosched calls): scheduler-overhead is reported there at `info`,
 *   "explained by busy-select-loop" (schedulerOverhead.ts). Any other info-level finding off the diagonal is allowed
 *   too, since info never asks for action; only warning/critical off the diagonal is a cross-fire.
 */
import { readFileSync } from 'fs';
import { join, relative } from 'path';

import { diagnose, type DiagnosisInputs, FINDING_IDS, type FindingId, type Severity } from '../core';
import { loadDiagnosisFiles } from './diagnoseFiles';

export interface MatrixRow {
  scenario: string;
  /** The finding the scenario must trigger; null for idle and normal-load. */
  expected: FindingId | null;
  /** Most severe severity per finding id that fired. */
  fired: Partial<Record<FindingId, Severity>>;
}

interface ManifestRun {
  scenario: string;
  finding: string | null;
}

interface ManifestCapture {
  file: string;
  capturedAt: string;
}

const RANK: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };

interface Manifest {
  runs: ManifestRun[];
  captures: ManifestCapture[];
}

function readManifest(fixturesRoot: string): Manifest {
  return JSON.parse(readFileSync(join(fixturesRoot, 'manifest.json'), 'utf8')) as Manifest;
}

/** The inputs of one fixture folder, as `goprof diagnose <dir>` reads them, with the manifest's capture times. */
export function fixtureInputs(
  fixturesRoot: string,
  scenario: string,
  manifest = readManifest(fixturesRoot)
): DiagnosisInputs {
  const capturedAt = new Map(manifest.captures.map((c) => [c.file, Date.parse(c.capturedAt)]));
  const timeOf = (path: string) => capturedAt.get(relative(fixturesRoot, path).split('\\').join('/'));
  const { profiles } = loadDiagnosisFiles([join(fixturesRoot, 'demo', scenario)], { timeOf });
  return { ...profiles, source: 'files' };
}

export function computeFindingsMatrix(fixturesRoot: string): MatrixRow[] {
  const manifest = readManifest(fixturesRoot);
  return manifest.runs.map((run) => {
    const fired: MatrixRow['fired'] = {};
    for (const f of diagnose(fixtureInputs(fixturesRoot, run.scenario, manifest))) {
      const had = fired[f.id];
      if (had === undefined || RANK[f.severity] < RANK[had]) {
        fired[f.id] = f.severity;
      }
    }
    return { scenario: run.scenario, expected: (run.finding as FindingId | null) ?? null, fired };
  });
}

const hits = (s: Severity | undefined) => s === 'critical' || s === 'warning';

/** Everything that keeps the matrix from being diagonal; empty when it is. */
export function matrixProblems(rows: readonly MatrixRow[]): string[] {
  const problems: string[] = [];
  for (const row of rows) {
    if (row.expected && !hits(row.fired[row.expected])) {
      problems.push(`${row.scenario}: ${row.expected} did not fire (got ${row.fired[row.expected] ?? 'nothing'})`);
    }
    for (const id of FINDING_IDS) {
      if (id !== row.expected && hits(row.fired[id])) {
        problems.push(`${row.scenario}: ${id} fired at ${row.fired[id]} (a cross-fire)`);
      }
    }
  }
  return problems;
}

function cell(row: MatrixRow, id: FindingId): string {
  const s = row.fired[id];
  if (id === row.expected) {
    return hits(s) ? `**hit** (${s})` : '**MISS**';
  }
  if (hits(s)) {
    return `CROSS-FIRE (${s})`;
  }
  return s === 'info' ? 'info' : '·';
}

export function matrixMarkdown(rows: readonly MatrixRow[]): string {
  const header = `| scenario | ${FINDING_IDS.join(' | ')} |`;
  const rule = `| --- | ${FINDING_IDS.map(() => '---').join(' | ')} |`;
  const body = rows.map((r) => `| ${r.scenario} | ${FINDING_IDS.map((id) => cell(r, id)).join(' | ')} |`);
  return [header, rule, ...body].join('\n');
}

/** Replaces the text between `<!-- name:start -->` and `<!-- name:end -->`; throws when the markers are missing. */
export function replaceMarked(text: string, name: string, content: string): string {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  if (i < 0 || j < i) {
    throw new Error(`markers ${start} ... ${end} not found`);
  }
  return `${text.slice(0, i + start.length)}\n${content}\n${text.slice(j)}`;
}

/** The text between the markers, trimmed. */
export function markedSection(text: string, name: string): string | undefined {
  const start = `<!-- ${name}:start -->`;
  const i = text.indexOf(start);
  const j = text.indexOf(`<!-- ${name}:end -->`);
  return i < 0 || j < i ? undefined : text.slice(i + start.length, j).trim();
}

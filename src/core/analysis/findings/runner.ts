/**
 * The diagnosis runner: runs every finding rule over one window's inputs and returns the findings, most severe first.
 *
 * Entry point for the data source (`findings` query type and annotations), the panel and the CLI:
 *
 *   import { diagnose } from '../core';   // adapters: src/core/index.ts
 *   const findings: Finding[] = diagnose({
 *     window: { from, to },                 // epoch ms, the dashboard/query window
 *     cpu, heap, allocs, mutex, block,      // decoded profiles (model/profile.ts), each optional
 *     goroutines: [{ time, snapshot }],     // goroutine snapshots, any order; two or more give growth
 *     baseline: { ...same shape... },       // optional: the window before, for "rose from 4% to 31%"
 *     source: 'pprof' | 'pyroscope',        // pyroscope: merged profiles cover exactly `window` (gives rates)
 *   });
 *
 * Pure and synchronous: no I/O, no clock, deterministic for its input. Gathering the inputs is gather.ts (pprof
 * target or profile store behind injected interfaces). `diagnoseReport` also returns rule failures (a rule that
 * throws is reported there and the other rules still run).
 */
import { allocHotConversionRule } from './allocHotConversion';
import { busySelectLoopRule } from './busySelectLoop';
import { clockHotPathRule } from './clockHotPath';
import { crashFindings } from './crash';
import { THRESHOLDS } from './thresholds';
import { diagnosisContext, type DiagnosisContext } from './context';
import { gcPressureRule } from './gcPressure';
import { goroutineLeakSuspectRule } from './goroutineLeakSuspect';
import { mapHotRule } from './mapHot';
import { mutexContentionRule } from './mutexContention';
import { schedulerOverheadRule } from './schedulerOverhead';
import { syscallHeavyRule } from './syscallHeavy';
import { SEVERITY_RANK, type DiagnosisInputs, type Finding, type FindingId, type Layer } from './types';

export type Rule = (ctx: DiagnosisContext) => Finding[];

export interface RuleEntry {
  id: FindingId;
  layer: Layer;
  run: Rule;
}

/** In layer order: where CPU goes, scheduling, memory, system interaction. */
export const RULES: readonly RuleEntry[] = [
  { id: 'busy-select-loop', layer: 1, run: busySelectLoopRule },
  { id: 'clock-hot-path', layer: 1, run: clockHotPathRule },
  { id: 'map-hot', layer: 1, run: mapHotRule },
  { id: 'goroutine-leak-suspect', layer: 2, run: goroutineLeakSuspectRule },
  { id: 'mutex-contention', layer: 2, run: mutexContentionRule },
  { id: 'scheduler-overhead', layer: 2, run: schedulerOverheadRule },
  { id: 'gc-pressure', layer: 3, run: gcPressureRule },
  { id: 'alloc-hot-conversion', layer: 3, run: allocHotConversionRule },
  { id: 'syscall-heavy', layer: 4, run: syscallHeavyRule },
];

export interface RuleFailure {
  id: FindingId;
  message: string;
}

export interface DiagnosisReport {
  findings: Finding[];
  failures: RuleFailure[];
  /** Inputs the rules could not judge and why ("the CPU profile holds 0.12 s of CPU, below ..."). */
  notes: string[];
}

/**
 * Why the CPU rules stayed silent, when they did for lack of CPU: a mostly idle target, or a short capture on a busy
 * machine, gives too few samples for shares to mean anything (THRESHOLDS.cpuMinSeconds, cpuMinCores).
 */
function cpuNotes(ctx: DiagnosisContext): string[] {
  const use = ctx.current.cpuUse;
  if (!use || use.significant) {
    return [];
  }
  const cores = use.cores === undefined ? '' : ` (${use.cores.toFixed(2)} cores)`;
  return [
    `cpu: the profile holds ${use.seconds.toFixed(2)} s of CPU${cores}, below the ${THRESHOLDS.cpuMinSeconds.value} s ` +
      `and ${THRESHOLDS.cpuMinCores.value} cores the CPU rules need to judge shares: capture longer, or while the service is busy`,
  ];
}

export interface DiagnoseOptions {
  /** Run only these rules (default: all). */
  only?: readonly FindingId[];
}

/** Most severe first, then by layer, then by id; stable otherwise. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
      a.layer - b.layer ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

export function diagnoseReport(inputs: DiagnosisInputs, options: DiagnoseOptions = {}): DiagnosisReport {
  const ctx = diagnosisContext(inputs);
  const findings: Finding[] = [];
  const failures: RuleFailure[] = [];
  for (const rule of RULES) {
    if (options.only && !options.only.includes(rule.id)) {
      continue;
    }
    try {
      findings.push(...rule.run(ctx));
    } catch (error) {
      failures.push({ id: rule.id, message: error instanceof Error ? error.message : String(error) });
    }
  }
  // A dump printed by a dying process says why it died: the crash's own finding (deadlock, test timeout, map race).
  const crashed = [...(inputs.goroutines ?? [])].sort((a, b) => b.time - a.time).find((s) => s.snapshot.cause);
  if (crashed !== undefined) {
    findings.push(...crashFindings(crashed.snapshot).filter((f) => !options.only || options.only.includes(f.id)));
  }
  return { findings: sortFindings(findings), failures, notes: cpuNotes(ctx) };
}

export function diagnose(inputs: DiagnosisInputs, options: DiagnoseOptions = {}): Finding[] {
  return diagnoseReport(inputs, options).findings;
}

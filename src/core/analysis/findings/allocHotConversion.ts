/**
 * `alloc-hot-conversion` (layer 3, memory): interface conversions or small-object churn under one caller (README
 * "Findings": `runtime.convT*`, `mallocgc` tiny/small paths under one caller). GC work inside the allocator (mark
 * assist) is left out here and counted by gc-pressure, so an allocation storm that is mostly GC is that finding.
 */
import type { DiagnosisContext, ProfileSetView } from './context';
import { type CallerShare, stackShare } from './cpuStacks';
import { allocationSites } from './allocationSites';
import { callerEvidence, compareShare, num, pct, sentences, shortName, worse } from './format';
import { isAllocationFrame, isCollectorFrame, isConversionFrame } from './frameSets';
import { frameIndex } from '../frames';
import { measureGc } from './gcPressure';
import { THRESHOLDS } from './thresholds';
import type { Finding } from './types';

export interface AllocMeasure {
  /** Allocator CPU (conversions included, GC work excluded) of the heaviest caller. */
  top: CallerShare | undefined;
  /** Conversion CPU of the heaviest converting caller. */
  topConversion: CallerShare | undefined;
  allocationByCaller: CallerShare[];
  conversion: number;
  /** Share per conversion function (`runtime.convTstring`...), largest first. */
  conversions: Array<{ name: string; share: number }>;
}

export function measureAlloc(view: ProfileSetView): AllocMeasure | undefined {
  const cpu = view.significantCpu;
  if (!cpu) {
    return undefined;
  }
  const allocation = stackShare(cpu, isAllocationFrame, { exclude: isCollectorFrame });
  const conversion = stackShare(cpu, isConversionFrame, { exclude: isCollectorFrame });
  const conversions = frameIndex(cpu)
    .names.filter(isConversionFrame)
    .map((name) => ({ name, share: stackShare(cpu, (n) => n === name, { exclude: isCollectorFrame }).share }))
    .filter((c) => c.share > 0)
    .sort((a, b) => b.share - a.share);
  return {
    top: allocation.byCaller[0],
    topConversion: conversion.byCaller[0],
    allocationByCaller: allocation.byCaller,
    conversion: conversion.share,
    conversions,
  };
}

export function allocHotConversionRule(ctx: DiagnosisContext): Finding[] {
  const m = measureAlloc(ctx.current);
  if (!m || !m.top) {
    return [];
  }
  const cpu = ctx.current;
  const byConversion = cpu.cpuSeverity(m.topConversion?.share ?? 0, THRESHOLDS.allocConversionShare.value, Infinity);
  const byAllocation = cpu.cpuSeverity(m.top.share, THRESHOLDS.allocCallerShare.value, THRESHOLDS.allocCritical.value);
  if (!byConversion && !byAllocation) {
    return [];
  }
  // The caller named is the converting one when conversions fire, else the heaviest allocating one.
  const caller = byConversion ? m.topConversion!.caller : m.top.caller;
  const callerAlloc = m.allocationByCaller.find((c) => c.caller === caller) ?? m.top;
  const severity = worse(
    byConversion ?? 'info',
    cpu.cpuSeverity(callerAlloc.share, THRESHOLDS.allocCallerShare.value, THRESHOLDS.allocCritical.value)
  );
  const before = ctx.baseline ? measureAlloc(ctx.baseline) : undefined;
  const baseline = compareShare(
    `allocation under ${shortName(caller)}`,
    callerAlloc.share,
    before ? (before.allocationByCaller.find((c) => c.caller === caller)?.share ?? 0) : undefined,
    ctx.baseline
  );
  const gc = measureGc(ctx.current);
  const sites = allocationSites(ctx.current, 3);
  const callers = callerEvidence(m.allocationByCaller, 'allocating');
  const conversionList = m.conversions
    .slice(0, 4)
    .map((c) => `${shortName(c.name)} ${pct(c.share)}`)
    .join(', ');
  const converting = byConversion !== undefined;
  return [
    {
      id: 'alloc-hot-conversion',
      layer: 3,
      severity,
      title: converting
        ? `Interface conversions allocate in ${shortName(caller)}`
        : `Small-object allocation churn in ${shortName(caller)}`,
      summary: sentences(
        `${pct(callerAlloc.share)} of CPU is spent allocating under ${shortName(caller)}` +
          (m.conversion > 0 ? `, ${pct(m.conversion)} of CPU in conversions to interfaces (${conversionList}).` : '.'),
        gc &&
          `The GC work this allocation causes adds ${pct(gc.collector)} of CPU plus ${pct(gc.writeBarrier)} in write barriers.`,
        sites.text,
        baseline.text
      ),
      evidence: {
        numbers: [
          num(`allocating under ${shortName(caller)}`, callerAlloc.share, 'percentunit'),
          num('conversions to interfaces (runtime.convT*)', m.conversion, 'percentunit'),
          ...m.conversions.slice(0, 4).map((c) => num(c.name, c.share, 'percentunit')),
          ...callers.numbers.filter((n) => !n.label.endsWith(` ${shortName(caller)}`)),
          ...(gc ? [num('GC work', gc.collector, 'percentunit')] : []),
          ...baseline.numbers,
          ...sites.numbers,
        ],
        stacks: [callerAlloc.stack, ...callers.stacks.filter((s) => s !== callerAlloc.stack)].slice(0, 2),
      },
      nextStep: converting
        ? 'Keep values concrete in the hot loop: typed fields or generics instead of []any/interface{} ' +
          "(a structured logger's typed field constructors, strconv.Append* into a reused buffer). " +
          '`go build -gcflags=-m` shows the conversions that escape to the heap at the lines in the stacks.'
        : 'Reuse what the loop allocates (preallocated slices, sync.Pool for short-lived buffers, values instead ' +
          'of pointers); `go build -gcflags=-m` shows what escapes to the heap at the lines in the stacks.',
    },
  ];
}

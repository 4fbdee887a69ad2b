/**
 * `findings`: the four-layer diagnosis of the dashboard window (the rules of src/core/analysis/findings).
 *
 * The core gathers (pprof: a goroutine dump, then the CPU profile and the allocs/mutex/block deltas for N seconds,
 * then a second dump and the heap; Pyroscope: the merges of the window and short goroutine slices spread over it)
 * through I/O this data source provides (findings/sources.ts), then runs every rule. An input that cannot be read
 * is left out and named in a notice; a rule that fails is named too; the other rules still run.
 */
import type { DataFrame } from '@grafana/data';
import { Observable, catchError, forkJoin, map, mergeMap, of, throwError } from 'rxjs';
import { isQueryFailure } from '../transport/failure';

import { gatherFromPprof, gatherFromStore, type GatherResult } from '../../core';
import { toFindingsFrame } from '../../frames';
import { cancellableGather, pprofFetcher, storedSource } from '../findings/sources';
import { defaultDiagnose, DiagnosisInputs } from '../findings/seam';
import type { GoRuntimeQuery } from '../types';
import { captureSeconds, failure, frames, lazily, noDataReason, pyroscopeId, RunContext, Runner } from './context';
import { baselineWindow } from './diff';

function gatherLive(ctx: RunContext, query: GoRuntimeQuery): Observable<GatherResult> {
  const seconds = captureSeconds(ctx, query, 'cpu');
  return cancellableGather((scope) =>
    gatherFromPprof(pprofFetcher(ctx.pprof, scope, query.instance), { seconds, source: ctx.target.name })
  );
}

function gatherStored(
  ctx: RunContext,
  query: GoRuntimeQuery,
  window: { from: number; to: number }
): Observable<GatherResult> {
  const selector = query.labelSelector ?? '{}';
  // The gatherer names each input (`cpu: ...`), so a failure carries only its cause: identical causes then group.
  const merged = (profileTypeID: string, w: { from: number; to: number }) =>
    ctx.pyroscope
      .mergeProfile({ profileTypeID, labelSelector: selector, start: w.from, end: w.to })
      .pipe(catchError((e) => throwError(() => (isQueryFailure(e) ? new Error(e.cause) : e))));
  return pyroscopeId(ctx, { ...query, profileType: 'goroutine' }).pipe(
    mergeMap((goroutineId) =>
      cancellableGather((scope) => gatherFromStore(storedSource(scope, merged, goroutineId), window))
    )
  );
}

export const runFindings: Runner = (ctx, query) =>
  frames(
    lazily(() => {
      const pyroscope = ctx.target.options.mode === 'pyroscope';
      const window = { from: ctx.range.from, to: ctx.range.to };
      const main = pyroscope ? gatherStored(ctx, query, window) : gatherLive(ctx, query);
      const baseline =
        pyroscope && query.baseline ? gatherStored(ctx, query, baselineWindow(ctx, query, window)) : of(undefined);
      return forkJoin([main, baseline]).pipe(
        map(([m, b]) => diagnoseFrames(ctx, query, m, b, pyroscope ? 'pyroscope' : 'pprof'))
      );
    })
  );

/**
 * `cpu: X`, `heap: X`, `baseline cpu: X` with one cause X become `cpu, heap, baseline cpu: X`: a store that refuses
 * the selector refuses every merge with the same words.
 */
export function groupCauses(missing: readonly string[]): string[] {
  const byCause = new Map<string, string[]>();
  for (const m of missing) {
    const colon = m.indexOf(': ');
    const [what, cause] = colon < 0 ? ['', m] : [m.slice(0, colon), m.slice(colon + 2)];
    byCause.set(cause, [...(byCause.get(cause) ?? []), what]);
  }
  return [...byCause].map(([cause, whats]) => (whats[0] ? `${[...new Set(whats)].join(', ')}: ${cause}` : cause));
}

function diagnoseFrames(
  ctx: RunContext,
  query: GoRuntimeQuery,
  main: GatherResult,
  baseline: GatherResult | undefined,
  source: 'pprof' | 'pyroscope'
): DataFrame[] {
  const p = main.profiles;
  if (!p.cpu && !p.heap && !p.allocs && !p.mutex && !p.block && !p.goroutines?.length) {
    const window = { from: ctx.range.from, to: ctx.range.to };
    throw failure(
      ctx,
      'findings',
      main.missing.length
        ? `no input could be read: ${groupCauses(main.missing).join('; ')}`
        : source === 'pyroscope'
          ? noDataReason(ctx, 'Go runtime', query.labelSelector ?? '{}', window)
          : 'no input could be read'
    );
  }
  const inputs: DiagnosisInputs = { ...p, baseline: baseline?.profiles, source };
  const report = (ctx.diagnose ?? defaultDiagnose)(inputs);
  const window = p.window ?? { from: ctx.range.from, to: ctx.range.to };
  const rows = report.findings.map((f) => ({
    ...f,
    from: f.window?.from ?? window.from,
    to: f.window?.to ?? window.to,
  }));
  const missing = groupCauses([...main.missing, ...(baseline?.missing ?? []).map((m) => `baseline ${m}`)]);
  const notices = [
    ...missing.map((text) => ({ severity: 'warning' as const, text: `not used: ${text}` })),
    ...report.failures.map((f) => ({ severity: 'warning' as const, text: `rule ${f.id} failed: ${f.message}` })),
  ];
  const frame = toFindingsFrame(rows, {
    refId: query.refId,
    custom: { source, window, missing, ruleFailures: report.failures },
  });
  if (notices.length) {
    frame.meta = { ...frame.meta, notices };
  }
  return [frame];
}

/**
 * `map-hot` (layer 1, where CPU goes): map hashing and growth in a hot path (README "Findings": the CPU share of
 * `runtime.mapaccess*`/`mapassign*`/hash functions/growth). Only the CPU share is observable: map internals such as
 * overflow buckets or probe distance are not in profiles (no Go profile or GODEBUG setting exposes them).
 */
import type { DiagnosisContext, ProfileSetView } from './context';
import { type CallerShare, stackShare } from './cpuStacks';
import { callerEvidence, compareShare, num, pct, sentences, shortName } from './format';
import { isMapFrame } from './frameSets';
import { THRESHOLDS } from './thresholds';
import type { Finding } from './types';

/** Parts of map work, for the summary. Growth: rehash/split of Swiss tables (1.24+), hashGrow/evacuate before. */
const PARTS: ReadonlyArray<[string, (name: string) => boolean]> = [
  ['lookups', (n) => n.startsWith('runtime.mapaccess')],
  ['inserts', (n) => n.startsWith('runtime.mapassign')],
  [
    'growth',
    (n) => /^internal\/runtime\/maps\.\(\*table\)\.(rehash|split|grow)|^runtime\.(hashGrow|growWork|evacuate)/.test(n),
  ],
  ['hashing', (n) => /^(aeshash\w*|memhash\w*|runtime\.(strhash|memhash\w*|nilinterhash|interhash|typehash))$/.test(n)],
];

export interface MapMeasure {
  share: number;
  byCaller: CallerShare[];
  parts: Array<{ part: string; share: number }>;
}

export function measureMap(view: ProfileSetView): MapMeasure | undefined {
  const cpu = view.significantCpu;
  if (!cpu) {
    return undefined;
  }
  const all = stackShare(cpu, isMapFrame);
  return {
    share: all.share,
    byCaller: all.byCaller,
    parts: PARTS.map(([part, match]) => ({ part, share: stackShare(cpu, match).share })),
  };
}

export function mapHotRule(ctx: DiagnosisContext): Finding[] {
  const m = measureMap(ctx.current);
  const top = m?.byCaller[0];
  if (!m || !top) {
    return [];
  }
  const severity = ctx.current.cpuSeverity(top.share, THRESHOLDS.mapCallerShare.value, THRESHOLDS.mapCritical.value);
  if (!severity) {
    return [];
  }
  const before = ctx.baseline ? measureMap(ctx.baseline) : undefined;
  const baseline = compareShare(
    `map work under ${shortName(top.caller)}`,
    top.share,
    before ? (before.byCaller.find((c) => c.caller === top.caller)?.share ?? 0) : undefined,
    ctx.baseline
  );
  const callers = callerEvidence(m.byCaller, 'map work');
  const parts = m.parts.filter((p) => p.share > 0);
  return [
    {
      id: 'map-hot',
      layer: 1,
      severity,
      title: `Map operations take ${pct(top.share)} of CPU in ${shortName(top.caller)}`,
      summary: sentences(
        `${pct(top.share)} of CPU is map work under ${shortName(top.caller)}` +
          (parts.length ? `: ${parts.map((p) => `${p.part} ${pct(p.share)}`).join(', ')}.` : '.'),
        parts.some((p) => p.part === 'growth' && p.share >= 0.05) &&
          'Growth shows up: the map is rebuilt or grows without a size hint.',
        baseline.text
      ),
      evidence: {
        numbers: [
          ...callers.numbers,
          ...parts.map((p) => num(`map ${p.part}`, p.share, 'percentunit')),
          ...baseline.numbers,
        ],
        stacks: callers.stacks,
      },
      nextStep:
        'Size maps that are rebuilt with make(map[K]V, n); look a key up once (v, ok := m[k]) instead of ' +
        'check-then-get; prefer small fixed-size or integer keys over long strings where hashing dominates, and a ' +
        'slice where keys are dense integers. Profiles show map CPU only, not bucket or probe internals.',
    },
  ];
}

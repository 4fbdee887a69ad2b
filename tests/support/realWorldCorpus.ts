/**
 * The real-world corpus (fixtures/real-world, sources in its SOURCES.md): every goroutine dump, crash output and
 * race report checked against counts made without our parser (regular expressions over the raw text), every
 * profile checked against google/pprof's parser (tools/pprofcheck, the parser behind `go tool pprof`). One row per
 * file; `scripts/corpus-table.ts` prints the table and tests/node/realWorldCorpus.test.ts asserts every verdict.
 */
import { readdirSync, readFileSync } from 'fs';
import { join, resolve } from 'path';
import { buildReport } from '../../src/cli/report';
import { parsePprof } from '../../src/core/model/parsePprof';
import { recogniseGoroutineText } from '../../src/core/wire/goroutineText';
import { topFunctions } from '../../src/core/analysis/topTable';
import type { Profile } from '../../src/core/model/profile';
import {
  goFlatCum,
  type GoFileReport,
  type GoReport,
  goToolPprofTop,
  type PprofTop,
} from '../../tools/pprofcheck/runner';

export const CORPUS = resolve(__dirname, '..', '..', 'fixtures', 'real-world');

export interface CorpusRow {
  file: string;
  source: string;
  ours: string;
  independent: string;
  /** `ok`, or what differs. */
  verdict: string;
}

/** Where each file came from, short (SOURCES.md has the links and licences). */
export function sources(): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of readFileSync(join(CORPUS, 'SOURCES.md'), 'utf8').split('\n')) {
    const m = /^\| `([^`]+)` \| ([^|]+) \|/.exec(line);
    if (m) {
      out.set(m[1], m[2].trim());
    }
  }
  return out;
}

const HEADER = /^\s*goroutine (\d+)(?: gp=\S+ m=\S+(?: mp=\S+)?)? \[([^\]]*)\]:\s*$/gm;
const RACE_GOROUTINE = /by (?:goroutine \d+|main goroutine):\s*$/gm;

/** Reason and wait minutes per header, read from the bracket text alone. */
function bracketStates(text: string): string[] {
  return [...text.matchAll(HEADER)].map((m) => {
    const items = m[2].split(', ');
    const minutes = items.find((i) => /^\d+ minutes$/.test(i));
    return `${items[0]}|${minutes ? parseInt(minutes, 10) : 0}`;
  });
}

export function dumpRows(): CorpusRow[] {
  const dir = join(CORPUS, 'dumps');
  const names = sources();
  return readdirSync(dir)
    .sort()
    .map((file) => {
      const text = readFileSync(join(dir, file), 'utf8');
      const headers = [...text.matchAll(HEADER)].length;
      const raceGoroutines = [...text.matchAll(RACE_GOROUTINE)].length;
      let ours: string;
      let verdict: string;
      try {
        const found = recogniseGoroutineText(text);
        const goroutines = found.parts.flatMap((p) => (p.format === 'debug=2' ? p.dump.goroutines : []));
        const named = found.races.reduce((n, r) => n + r.accesses.length, 0);
        const states = goroutines.map((g) => `${g.header.status}|${g.header.waitMinutes}`);
        const truncated = found.parts.some((p) => p.format === 'debug=2' && p.dump.truncated);
        const cause = found.parts.map((p) => (p.format === 'debug=2' ? p.dump.cause?.kind : undefined)).find(Boolean);
        ours =
          `${goroutines.length} goroutine${goroutines.length === 1 ? '' : 's'}` +
          (named > 0 ? `, ${named} race accesses` : '') +
          (cause ? `, cause ${cause}` : '') +
          (truncated ? ', truncated' : '') +
          (found.prefix ? `, ${found.prefix.kind} prefix removed` : '');
        const problems: string[] = [];
        if (goroutines.length !== headers) {
          problems.push(`goroutines ${goroutines.length} != headers ${headers}`);
        }
        if (named !== raceGoroutines) {
          problems.push(`race accesses ${named} != "by goroutine" lines ${raceGoroutines}`);
        }
        if (states.join('\n') !== bracketStates(text).join('\n')) {
          problems.push('states differ from the bracket text');
        }
        verdict = problems.length === 0 ? 'ok' : problems.join('; ');
      } catch (error) {
        ours = `error: ${error instanceof Error ? error.message : String(error)}`;
        verdict = headers === 0 && raceGoroutines === 0 ? 'ok (nothing to find)' : 'FAILED';
      }
      return {
        file: `dumps/${file}`,
        source: names.get(file) ?? '?',
        ours,
        independent: `${headers} headers` + (raceGoroutines > 0 ? `, ${raceGoroutines} "by goroutine" lines` : ''),
        verdict,
      };
    });
}

/** A value in its unit, short: seconds for time units, the plain number otherwise. */
function shown(v: number, unit: string): string {
  const nanosPer: Record<string, number> = { nanoseconds: 1, microseconds: 1e3, milliseconds: 1e6, seconds: 1e9 };
  return nanosPer[unit] ? `${((v * nanosPer[unit]) / 1e9).toFixed(2)}s` : String(v);
}

/** How many rows of `go tool pprof -top` each sample type is held to (all rows are held to pprofcheck). */
const TOP_ROWS = 5;

interface SampleTypeCheck {
  problems: string[];
  /** Our total (signed sum). */
  total: number;
  pprofTop: PprofTop;
  /** Set when the top rows hold unsymbolized addresses (named per mapping or `<unknown>`, as pprof names them). */
  unsymbolized: boolean;
  /** Set when pprof's percentage base (the sum of |v|) differs from our net total: a delta with negative samples. */
  absoluteBase?: number;
}

/**
 * One sample type of one profile against both independent readings: every function row (flat and cum) and the
 * total against google/pprof's parser (pprofcheck), and the first rows of `go tool pprof -top` itself.
 */
function checkSampleType(path: string, profile: Profile, typeIndex: number, go: GoReport): SampleTypeCheck {
  const { type, unit } = profile.sampleTypes[typeIndex];
  const table = topFunctions(profile, { sampleType: typeIndex });
  const problems: string[] = [];
  if (table.total !== go.total) {
    problems.push(`${type}: total ${table.total} != ${go.total}`);
  }
  const ours = new Map(table.rows.map((r) => [r.name, r]));
  const differing = go.functions.filter((g) => {
    const r = ours.get(g.name);
    return !r || r.flat !== g.flat || r.cum !== g.cum;
  });
  if (differing.length > 0 || table.rows.length !== go.functions.length) {
    const first = differing[0];
    const r = first && ours.get(first.name);
    problems.push(
      `${type}: ${differing.length} of ${go.functions.length} rows differ from pprofcheck (ours ${table.rows.length})` +
        (first ? `, e.g. ${first.name} ${r ? `${r.flat}/${r.cum}` : 'absent'} != ${first.flat}/${first.cum}` : '')
    );
  }
  // A sample type whose every value is 0 has nothing to show; pprof is not asked (it is the slow part).
  const pprofTop =
    go.pprofTotal === 0 && go.functions.length === 0
      ? { total: 0, rows: [] }
      : goToolPprofTop(path, type, unit, TOP_ROWS);
  let unsymbolized = false;
  for (const row of pprofTop.rows) {
    const r = ours.get(row.name);
    if (!r || r.flat !== row.flat || r.cum !== row.cum) {
      problems.push(`${type}: pprof -top ${row.name} ${row.flat}/${row.cum} != ${r ? `${r.flat}/${r.cum}` : 'absent'}`);
    }
    unsymbolized ||= /^\[.*\]$/.test(row.name) || row.name === '<unknown>';
  }
  // pprof divides by the sum of |value| (internal/report computeTotal); ours is the signed sum, the net change
  // of a delta profile. Both are shown; only a difference with another cause is a problem.
  let absoluteBase: number | undefined;
  if (pprofTop.total !== table.total) {
    if (pprofTop.total === go.pprofTotal && go.pprofTotal !== Math.abs(table.total)) {
      absoluteBase = go.pprofTotal;
    } else {
      problems.push(`${type}: pprof -top total ${pprofTop.total} != ${table.total}`);
    }
  }
  return { problems, total: table.total, pprofTop, unsymbolized, absoluteBase };
}

/** The profile files of the corpus, sorted. */
export function profileFiles(): string[] {
  return readdirSync(join(CORPUS, 'profiles')).sort();
}

/** One profile's row: per sample type, totals and function rows against google/pprof and `go tool pprof -top`. */
export function profileRow(file: string, source = sources().get(file) ?? '?'): CorpusRow {
  const path = join(CORPUS, 'profiles', file);
  const bytes = new Uint8Array(readFileSync(path));
  let go: GoFileReport | undefined;
  let goError: string | undefined;
  try {
    go = goFlatCum([path], 'all')[0];
  } catch (error) {
    goError = error instanceof Error ? error.message.replace(`${path}: `, '') : String(error);
  }
  let profile: Profile;
  try {
    profile = parsePprof(bytes, { source: file });
  } catch (error) {
    const ours = `error: ${error instanceof Error ? error.message : String(error)}`;
    let verdict = 'FAILED';
    if (/legacy gperftools/.test(ours) && go) {
      // google/pprof still reads the pre-protobuf formats; we name them and say how to convert.
      verdict = 'ok (legacy format named, conversion given)';
    } else if (goError) {
      verdict = 'ok (refused, as google/pprof refuses it)';
    }
    const goReport = go?.reports.find((r) => r.sampleType === go!.defaultSampleType) ?? go?.reports.at(-1);
    return {
      file: `profiles/${file}`,
      source,
      ours: ours.length > 90 ? `${ours.slice(0, 87)}...` : ours,
      independent: goError ?? (goReport ? `legacy format read: total ${goReport.total}` : 'parsed'),
      verdict,
    };
  }
  if (!go) {
    return { file: `profiles/${file}`, source, ours: 'parsed', independent: goError ?? '?', verdict: 'FAILED' };
  }
  const problems: string[] = [];
  const totals: string[] = [];
  const pprofTotals: string[] = [];
  const absoluteBases: string[] = [];
  let unsymbolized = false;
  let pprofTopName = '-';
  // The default sample type (default_sample_type, else the last) is what both tools show first.
  const report = buildReport(profile, { source: file, top: 1, maxNodes: 1 });
  profile.sampleTypes.forEach(({ type, unit }, i) => {
    const goReport = go!.reports[i];
    if (goReport?.sampleType !== type) {
      problems.push(`sample type ${i} is ${type} here, ${goReport?.sampleType ?? 'absent'} in google/pprof`);
      return;
    }
    const checked = checkSampleType(path, profile, i, goReport);
    problems.push(...checked.problems);
    totals.push(`${type} ${shown(checked.total, unit)}`);
    pprofTotals.push(`${type} ${shown(checked.pprofTop.total, unit)}`);
    unsymbolized ||= checked.unsymbolized;
    if (checked.absoluteBase !== undefined) {
      absoluteBases.push(`${type} ${shown(checked.absoluteBase, unit)}`);
    }
    if (type === report.profile.sampleType) {
      pprofTopName = checked.pprofTop.rows[0]?.name ?? '-';
    }
  });
  const notes = [
    ...(absoluteBases.length > 0
      ? ["delta with negative samples: our totals are net, pprof's are the sum of |v|"]
      : []),
    ...(unsymbolized ? ['unsymbolized addresses: one row per mapping, `[binary]`, or `<unknown>`, as pprof -top'] : []),
  ];
  const verdict = problems.length > 0 ? problems.join('; ') : notes.length > 0 ? `ok (${notes.join('; ')})` : 'ok';
  return {
    file: `profiles/${file}`,
    source,
    ours: `${totals.join(', ')}; top ${report.top[0]?.function ?? '-'}`,
    independent: `go tool pprof -top: ${pprofTotals.join(', ')}; top ${pprofTopName}`,
    verdict,
  };
}

/** One row per profile (see {@link profileRow}). */
export function profileRows(): CorpusRow[] {
  const names = sources();
  return profileFiles().map((file) => profileRow(file, names.get(file) ?? '?'));
}

export function markdownTable(rows: readonly CorpusRow[]): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  return [
    '| file | source | ours | independent | verdict |',
    '| --- | --- | --- | --- | --- |',
    ...rows.map((r) => `| ${[r.file, r.source, r.ours, r.independent, r.verdict].map(cell).join(' | ')} |`),
  ].join('\n');
}

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
import { goFlatCum } from '../../tools/pprofcheck/runner';

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

function seconds(v: number, unit: string): string {
  return unit === 'nanoseconds' ? `${(v / 1e9).toFixed(2)}s` : String(v);
}

export function profileRows(): CorpusRow[] {
  const dir = join(CORPUS, 'profiles');
  const names = sources();
  const files = readdirSync(dir).sort();
  const rows: CorpusRow[] = [];
  for (const file of files) {
    const path = join(dir, file);
    const bytes = new Uint8Array(readFileSync(path));
    let go: ReturnType<typeof goFlatCum>[number] | undefined;
    let goError: string | undefined;
    try {
      go = goFlatCum([path], '')[0];
    } catch (error) {
      goError = 'google/pprof cannot parse it as a protobuf profile';
      void error;
    }
    let ours: string;
    let verdict: string;
    try {
      const profile = parsePprof(bytes, { source: file });
      const report = buildReport(profile, { source: file, top: 5, maxNodes: 1000 });
      const goReport = go!.reports[0];
      const unit = report.profile.unit;
      const negative = goReport.pprofTotal !== Math.abs(goReport.total);
      ours = `total ${seconds(report.profile.total, unit)}; top ${report.top[0]?.function ?? '-'}`;
      const problems: string[] = [];
      if (report.profile.total !== goReport.total) {
        problems.push(`total ${report.profile.total} != ${goReport.total}`);
      }
      const byName = new Map(goReport.functions.map((f) => [f.name, f]));
      for (const row of report.top) {
        const g = byName.get(row.function);
        if (!g || g.flat !== row.self || g.cum !== row.total) {
          problems.push(`row ${row.function}: ${row.self}/${row.total} != ${g ? `${g.flat}/${g.cum}` : 'absent'}`);
        }
      }
      const goTop = [...goReport.functions].sort((a, b) => b.flat - a.flat || a.name.localeCompare(b.name))[0];
      verdict = problems.length === 0 ? 'ok' : problems.join('; ');
      if (verdict === 'ok' && negative) {
        verdict = `ok (delta: net total; pprof's % base is ${seconds(goReport.pprofTotal, unit)} of |v|)`;
      }
      rows.push({
        file: `profiles/${file}`,
        source: names.get(file) ?? '?',
        ours,
        independent: `total ${seconds(goReport.total, unit)}; top ${goTop?.name ?? '-'}`,
        verdict,
      });
    } catch (error) {
      ours = `error: ${error instanceof Error ? error.message : String(error)}`;
      // google/pprof still reads the pre-protobuf formats; we name them and say how to convert.
      verdict = /legacy gperftools/.test(ours) ? 'ok (legacy format named, conversion given)' : 'FAILED';
      const goReport = go?.reports[0];
      rows.push({
        file: `profiles/${file}`,
        source: names.get(file) ?? '?',
        ours: ours.length > 90 ? `${ours.slice(0, 87)}...` : ours,
        independent: goError ?? (goReport ? `legacy format read: total ${goReport.total}` : 'parsed'),
        verdict,
      });
    }
  }
  return rows;
}

export function markdownTable(rows: readonly CorpusRow[]): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  return [
    '| file | source | ours | independent | verdict |',
    '| --- | --- | --- | --- | --- |',
    ...rows.map((r) => `| ${[r.file, r.source, r.ours, r.independent, r.verdict].map(cell).join(' | ')} |`),
  ].join('\n');
}

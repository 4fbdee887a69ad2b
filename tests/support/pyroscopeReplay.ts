/**
 * Replays responses recorded from a real Grafana Pyroscope (fixtures/pyroscope/, see its README and index.json):
 * a request whose path, JSON body and tenant header equal a recorded one gets the recorded status, content type and
 * body, byte for byte. Anything else is answered `599 not recorded` and listed in `unmatched`, so a test can assert
 * the data source sent exactly the requests the real server was asked.
 *
 * With `deriveSeries`, a SelectSeries that was not recorded is answered from a recorded one when the real server's
 * answer follows from it: same profile type, selector, step, grouping and aggregation, a range inside the recorded
 * one and starting on its point grid (v1 places points at start + k*step, each covering (T - step, T], so a point's
 * value depends on the profiles in that interval only). Such answers are listed in `answered` as `derived:<file>`.
 */
import type { ServerResponse } from 'http';
import { readFileSync } from 'fs';
import { join } from 'path';

import { FakeServer, RecordedRequest, startFakeServer } from './fakeServer';
import { fixturesRoot } from './fixtures';

export const RECORDED_DIR = join(fixturesRoot, 'pyroscope');

export interface RecordedEntry {
  file: string;
  method: string;
  httpMethod: string;
  path: string;
  requestBody: unknown;
  requestHeaders?: Record<string, string>;
  status: number;
  contentType: string | null;
  window?: { start: number; end: number };
  scenario: string;
  source: string;
  note: string;
  pyroscopeVersion: string;
}

export interface RecordedIndex {
  pyroscopeVersion: string;
  scenarioLog: Array<{ scenario: string; onUTC: string; offUTC: string }>;
  windows: Record<string, { start: number; end: number }>;
  entries: RecordedEntry[];
}

export function loadRecordedIndex(dir = RECORDED_DIR): RecordedIndex {
  return JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8'));
}

export function recordedBody(file: string, dir = RECORDED_DIR): string {
  return readFileSync(join(dir, file), 'utf8');
}

export function recordedJson(file: string, dir = RECORDED_DIR): Record<string, unknown> {
  return JSON.parse(recordedBody(file, dir));
}

/** Entries recorded from the second, multi-tenant server (tenant header required there). */
export const isMultiTenant = (e: RecordedEntry) => /multi-tenant/i.test(e.source);

function canonical(value: unknown): string {
  if (Array.isArray(value)) {
    return `[${value.map(canonical).join(',')}]`;
  }
  if (value && typeof value === 'object') {
    const keys = Object.keys(value as object).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function tenantOf(headers: Record<string, unknown> | undefined): string {
  const entry = Object.entries(headers ?? {}).find(([k]) => k.toLowerCase() === 'x-scope-orgid');
  return entry ? String(entry[1]) : '';
}

function keyOf(path: string, body: unknown, tenant: string): string {
  return `${path} ${canonical(body)} ${tenant}`;
}

function parsedBody(raw: string): unknown {
  if (raw === '') {
    return null;
  }
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

export interface PyroscopeReplay extends FakeServer {
  /** Requests that matched no recording. */
  unmatched: RecordedRequest[];
  /** Recorded files answered, in order. */
  answered: string[];
}

interface SeriesBody {
  profileTypeID: string;
  labelSelector: string;
  start: number;
  end: number;
  step: number;
  groupBy?: string[];
  aggregation?: string;
}

interface RecordedSeries {
  series?: Array<{ labels?: unknown; points: Array<{ timestamp: string; value?: number }> }>;
}

/** The recorded SelectSeries answer `wanted` follows from, restricted to its range; undefined when none does. */
function derivedSeries(entries: RecordedEntry[], wanted: SeriesBody, dir: string) {
  const same = (r: SeriesBody) =>
    r.profileTypeID === wanted.profileTypeID &&
    r.labelSelector === wanted.labelSelector &&
    r.step === wanted.step &&
    canonical(r.groupBy ?? []) === canonical(wanted.groupBy ?? []) &&
    (r.aggregation ?? '') === (wanted.aggregation ?? '') &&
    r.start <= wanted.start &&
    wanted.end <= r.end &&
    (wanted.start - r.start) % (r.step * 1000) === 0;
  const entry = entries.find(
    (e) => e.method === 'SelectSeries' && e.status === 200 && same(e.requestBody as SeriesBody)
  );
  if (!entry) {
    return undefined;
  }
  const recorded = JSON.parse(readFileSync(join(dir, entry.file), 'utf8')) as RecordedSeries;
  const inside = (t: string) => Number(t) >= wanted.start && Number(t) <= wanted.end;
  const series = (recorded.series ?? [])
    .map((s) => ({ ...s, points: s.points.filter((p) => inside(p.timestamp)) }))
    .filter((s) => s.points.length > 0);
  return { file: entry.file, body: JSON.stringify(series.length ? { series } : {}) };
}

export async function startPyroscopeReplay(
  select: (e: RecordedEntry) => boolean = (e) => !isMultiTenant(e),
  dir = RECORDED_DIR,
  options: { deriveSeries?: boolean } = {}
): Promise<PyroscopeReplay> {
  const entries = loadRecordedIndex(dir).entries.filter(select);
  const byKey = new Map(
    entries.map((e) => [keyOf(e.path, e.requestBody, tenantOf(e.requestHeaders as Record<string, unknown>)), e])
  );
  const unmatched: RecordedRequest[] = [];
  const answered: string[] = [];
  const answer = (req: RecordedRequest, res: ServerResponse) => {
    const entry = byKey.get(keyOf(req.path, parsedBody(req.body), tenantOf(req.headers)));
    const derived =
      !entry && options.deriveSeries && req.path.endsWith('/SelectSeries')
        ? derivedSeries(entries, parsedBody(req.body) as SeriesBody, dir)
        : undefined;
    if (derived) {
      answered.push(`derived:${derived.file}`);
      res.writeHead(200, { 'content-type': 'application/json' }).end(derived.body);
      return;
    }
    if (!entry) {
      unmatched.push(req);
      res.writeHead(599, { 'content-type': 'text/plain' }).end(`not recorded: POST ${req.path} ${req.body}`);
      return;
    }
    answered.push(entry.file);
    const headers = entry.contentType ? { 'content-type': entry.contentType } : {};
    res.writeHead(entry.status, headers).end(readFileSync(join(dir, entry.file)));
  };
  const routes = Object.fromEntries([...new Set(entries.map((e) => e.path))].map((p) => [p, answer]));
  const server = await startFakeServer(routes);
  return { ...server, unmatched, answered };
}

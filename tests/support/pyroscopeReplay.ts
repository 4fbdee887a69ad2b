/**
 * Replays responses recorded from a real Grafana Pyroscope (fixtures/pyroscope/, see its README and index.json):
 * a request whose path, JSON body and tenant header equal a recorded one gets the recorded status, content type and
 * body, byte for byte. Anything else is answered `599 not recorded` and listed in `unmatched`, so a test can assert
 * the data source sent exactly the requests the real server was asked.
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

export async function startPyroscopeReplay(
  select: (e: RecordedEntry) => boolean = (e) => !isMultiTenant(e),
  dir = RECORDED_DIR
): Promise<PyroscopeReplay> {
  const entries = loadRecordedIndex(dir).entries.filter(select);
  const byKey = new Map(
    entries.map((e) => [keyOf(e.path, e.requestBody, tenantOf(e.requestHeaders as Record<string, unknown>)), e])
  );
  const unmatched: RecordedRequest[] = [];
  const answered: string[] = [];
  const answer = (req: RecordedRequest, res: ServerResponse) => {
    const entry = byKey.get(keyOf(req.path, parsedBody(req.body), tenantOf(req.headers)));
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

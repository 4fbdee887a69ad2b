/**
 * A Grafana Pyroscope stand-in that behaves as the real v1.21.1 and v2.0.6 servers did in the recordings
 * (fixtures/pyroscope/, fixtures/pyroscope-v2/), answering with real demo-service captures (fixtures/demo).
 *
 * What it copies from the real server:
 * - a store of uploads: every service pushes one profile per type every 15 s (CPU every 30 s), stamped at the start
 *   of the period it covers; a merge over [start, end) adds up every upload stamped in it (so snapshot profiles sum);
 * - validation with the real messages and status: 400 `invalid_argument` for a bad selector, an unbraced selector, a
 *   malformed profile type ID, start > end, a missing range, SelectSeries without step, and a range over the 1d
 *   max_query_length ("actual: 48h0m0s, limit: 1d") on every method, metadata included;
 * - v1's nested error messages (`message` is itself a JSON Connect error) or v2's prefixed ones (`version: 'v2'`);
 * - `200 {}` for a merge, a series and a zero flame graph for windows beyond the 7-day lookback;
 * - no-data shapes: `names:["total"]` with one zero level, `{sampleType:[{}], stringTable:[""]}`, series `{}`, a Diff
 *   without `leftTicks` when the baseline is empty;
 * - SelectSeries points at start + k*step, each covering (T - step, T], only where uploads exist, so the first point
 *   (T = start) covers the step before the window; labels only for `groupBy`;
 * - merged profiles hold only the requested sample type, `timeNanos` = end, `durationNanos` = the covered part;
 * - `multiTenant: true`: 401 `unauthenticated: invalid_argument: no org id` without X-Scope-OrgID; only the tenants in
 *   `tenantsWithData` hold profiles.
 *
 * Differences that remain:
 * - every upload of a type holds the same capture (one fixture per type), so series are flat and stacks never change;
 * - flame graphs are not truncated to maxNodes, and SelectMergeProfile ignores maxNodes as the real one does by default;
 * - selector parsing covers `{name op "value", ...}` only; parse error positions and texts other than the unbalanced
 *   regexp and the unbraced selector are approximations of Prometheus' parser;
 * - v2 SelectSeries timestamps align to the same origin as v1 here (the real v2 aligns to its own step grid), and
 *   v2's max_query_length message prints the range it computed itself (47h57m39.994s for a 48 h request), here the
 *   requested one;
 * - no exemplars, no SelectHeatmap, no AnalyzeQuery, no legacy /pyroscope/render;
 * - the transient `500 canceled: stream error` is produced only on demand (`failNextMerges`), not by load.
 */
import { readFileSync } from 'fs';
import type { ServerResponse } from 'http';
import { join } from 'path';

import { buildCallTree } from '../../src/core/analysis/callTree';
import { toNestedSet } from '../../src/core/analysis/nestedSet';
import { uncompressPprof, parsePprof } from '../../src/core/model/parsePprof';
import { decodePprofWire, PprofWire } from '../../src/core/wire/pprofWire';
import { resolveLimits } from '../../src/core/wire/limits';
import { FakeServer, RecordedRequest, startFakeServer } from './fakeServer';
import { fixturesRoot, readFixtureBytes } from './fixtures';

/** The protojson spelling of a wire profile: lowerCamelCase names, int64/uint64 as strings, zeros omitted. */
export function wireToProtojson(
  w: PprofWire,
  merge: { sampleType?: string; factor?: number } = {}
): Record<string, unknown> {
  const s = (n: number | bigint) => String(n);
  const width = w.sampleTypes.length;
  // A merge answers only the requested sample type, every value multiplied by the number of uploads merged.
  const column = merge.sampleType ? w.sampleTypes.findIndex((t) => w.strings[t.type] === merge.sampleType) : -1;
  const factor = merge.factor ?? 1;
  const sampleValues = (i: number) => {
    const row = [...w.samples.values.subarray(w.samples.valueStart[i], w.samples.valueStart[i + 1])];
    return (column >= 0 && row.length === width ? [row[column]] : row).map((v) => s(v * factor));
  };
  const opt = (n: number) => (n === 0 ? undefined : s(n));
  const sample = Array.from({ length: w.samples.count }, (_, i) => {
    const ws = w.samples;
    const label = [];
    for (let l = ws.labelStart[i]; l < ws.labelStart[i + 1]; l++) {
      label.push({
        key: s(ws.labelKey[l]),
        str: opt(ws.labelStr[l]),
        num: opt(ws.labelNum[l]),
        numUnit: opt(ws.labelUnit[l]),
      });
    }
    return {
      locationId: [...ws.locationIds.subarray(ws.locationStart[i], ws.locationStart[i + 1])].map(s),
      value: sampleValues(i),
      ...(label.length ? { label } : {}),
    };
  });
  const loc = w.locations;
  const location = Array.from({ length: loc.count }, (_, i) => {
    const line = [];
    for (let j = loc.lineStart[i]; j < loc.lineStart[i + 1]; j++) {
      line.push({ functionId: s(loc.lineFunctionId[j]), line: opt(loc.lineNumber[j]) });
    }
    const address = (BigInt(loc.addressHi[i]) << BigInt(32)) + BigInt(loc.addressLo[i]);
    return { id: s(loc.id[i]), mappingId: opt(loc.mappingId[i]), address: address ? s(address) : undefined, line };
  });
  const fn = w.functions;
  const fns = Array.from({ length: fn.count }, (_, i) => ({
    id: s(fn.id[i]),
    name: opt(fn.name[i]),
    systemName: opt(fn.systemName[i]),
    filename: opt(fn.filename[i]),
    startLine: opt(fn.startLine[i]),
  }));
  return JSON.parse(
    JSON.stringify({
      sampleType: (column >= 0 ? [w.sampleTypes[column]] : w.sampleTypes).map((t) => ({
        type: s(t.type),
        unit: s(t.unit),
      })),
      sample,
      mapping: w.mappings.map((m) => ({
        id: s(m.id),
        memoryStart: s(m.memoryStart),
        memoryLimit: s(m.memoryLimit),
        filename: opt(m.filename),
        hasFunctions: m.hasFunctions || undefined,
      })),
      location,
      function: fns,
      stringTable: w.strings,
      timeNanos: s(w.timeNanos),
      durationNanos: opt(w.durationNanos),
      periodType: w.periodType ? { type: s(w.periodType.type), unit: s(w.periodType.unit) } : undefined,
      period: opt(w.period),
    })
  );
}

/** The total of one sample type over a capture (one upload's SelectSeries value). */
export function wireTotal(w: PprofWire, sampleType: string): number {
  const column = w.sampleTypes.findIndex((t) => w.strings[t.type] === sampleType);
  if (column < 0) {
    return 0;
  }
  let total = 0;
  for (let i = 0; i < w.samples.count; i++) {
    total += w.samples.values[w.samples.valueStart[i] + column];
  }
  return total;
}

export function fixtureProtojson(scenario: string, file: string): Record<string, unknown> {
  return wireToProtojson(decodePprofWire(uncompressPprof(readFixtureBytes(scenario, file)), resolveLimits()));
}

export interface NestedRows {
  levels: ArrayLike<number>;
  values: ArrayLike<number>;
  selfs: ArrayLike<number>;
  labelIds: ArrayLike<number>;
  names: readonly string[];
}

/**
 * Pyroscope's flame graph encoding of nested-set rows (pkg/model/flamegraph.go): per level, 4-tuples
 * `[xDelta, total, self, nameIndex]`, children placed after their parent's self, x delta-encoded per level.
 */
export function encodeFlamegraph(rows: NestedRows): Record<string, unknown> {
  const names = ['total'];
  const nameIndex = new Map([['total', 0]]);
  const levels: number[][] = [];
  const prevEnd: number[] = [];
  const x: number[] = [];
  const nextChildX: number[] = []; // per row: where its next child starts
  const stack: number[] = []; // row index per level
  let maxSelf = 0;
  for (let i = 0; i < rows.levels.length; i++) {
    const level = rows.levels[i];
    stack[level] = i;
    const parent = level === 0 ? -1 : stack[level - 1];
    x[i] = parent < 0 ? 0 : nextChildX[parent];
    if (parent >= 0) {
      nextChildX[parent] += rows.values[i];
    }
    nextChildX[i] = x[i] + rows.selfs[i];
    const label = level === 0 ? 'total' : rows.names[rows.labelIds[i]];
    if (!nameIndex.has(label)) {
      nameIndex.set(label, names.length);
      names.push(label);
    }
    levels[level] = levels[level] ?? [];
    levels[level].push(x[i] - (prevEnd[level] ?? 0), rows.values[i], rows.selfs[i], nameIndex.get(label)!);
    prevEnd[level] = x[i] + rows.values[i];
    maxSelf = Math.max(maxSelf, rows.selfs[i]);
  }
  return {
    names,
    levels: levels.map((values) => ({ values: values.map(String) })),
    total: String(rows.values[0] ?? 0),
    maxSelf: String(maxSelf),
  };
}

/** The nested-set rows of a fixture profile, as the core computes them (sorted by name, like Pyroscope). */
export function fixtureRows(scenario: string, file: string, sampleType?: string) {
  return toNestedSet(buildCallTree(parsePprof(readFixtureBytes(scenario, file)), { sampleType }));
}

export interface FakePyroscope extends FakeServer {
  /** Connect calls by method name, with their parsed JSON bodies. */
  calls(method: string): Array<{ body: Record<string, unknown>; raw: string; headers: RecordedRequest['headers'] }>;
  /** Largest number of SelectMergeProfile calls in flight at once. */
  maxConcurrentMerges(): number;
  /** The next `n` SelectMergeProfile calls answer Pyroscope's transient `500 canceled: stream error`. */
  failNextMerges(n: number): void;
}

export interface FakePyroscopeOptions {
  mergeDelayMs?: number;
  /** The server's clock (lookback and covered parts are relative to it). */
  now?: () => number;
  version?: 'v1' | 'v2';
  multiTenant?: boolean;
  tenantsWithData?: string[];
}

const DAY_MS = 24 * 3600_000;
export const LOOKBACK_MS = 7 * DAY_MS;
const PHASE_MS = 2_372;
export const SERVICES = ['checkout', 'goruntime-demo'];

interface StoredType {
  id: string;
  scenario: string;
  file: string;
  periodMs: number;
}

/** The profile types pyroscope-go pushes (as the recordings list them), each backed by one demo capture. */
export const STORED_TYPES: StoredType[] = [
  ['block:contentions:count:contentions:count', 'normal-load', 'block.pb.gz'],
  ['block:delay:nanoseconds:contentions:count', 'normal-load', 'block.pb.gz'],
  ['goroutines:goroutine:count:goroutine:count', 'goroutine-leak', 'goroutine.pb.gz'],
  ['memory:alloc_objects:count:space:bytes', 'normal-load', 'heap.pb.gz'],
  ['memory:alloc_space:bytes:space:bytes', 'normal-load', 'heap.pb.gz'],
  ['memory:inuse_objects:count:space:bytes', 'normal-load', 'heap.pb.gz'],
  ['memory:inuse_space:bytes:space:bytes', 'normal-load', 'heap.pb.gz'],
  ['mutex:contentions:count:contentions:count', 'mutex-contention', 'mutex.pb.gz'],
  ['mutex:delay:nanoseconds:contentions:count', 'mutex-contention', 'mutex.pb.gz'],
  ['process_cpu:cpu:nanoseconds:cpu:nanoseconds', 'gc-pressure', 'cpu.pb.gz'],
].map(([id, scenario, file]) => ({ id, scenario, file, periodMs: id.startsWith('process_cpu') ? 30_000 : 15_000 }));

const PROFILE_TYPE_FORM = /^[^:]+:[^:]+:[^:]+:[^:]+:[^:]+(:delta)?$/;

function json(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/** JSON as Go's encoding/json writes it: `<`, `>` and `&` escaped as \u003c, \u003e, \u0026. */
function goJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&]/g, (c) => `\\u00${c.charCodeAt(0).toString(16)}`);
}

/** Go's time.Duration.String() for whole and fractional seconds: 48h0m0s, 47h57m39.994s. */
export function goDuration(ms: number): string {
  const h = Math.floor(ms / 3600_000);
  const m = Math.floor((ms % 3600_000) / 60_000);
  const s = (ms % 60_000) / 1000;
  return `${h}h${m}m${Number(s.toFixed(3))}s`;
}

interface Matcher {
  name: string;
  op: '=' | '!=' | '=~' | '!~';
  test: (value: string) => boolean;
}

class SelectorError extends Error {}

/** `{name op "value", ...}` as Pyroscope's (Prometheus') parser reads it. */
export function parseSelector(selector: string): Matcher[] {
  const text = selector.trim();
  if (!text.startsWith('{') || !text.endsWith('}')) {
    const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text)?.[0] ?? text.slice(0, 1);
    throw new SelectorError(
      `1:${word.length + 1}: parse error: unexpected "${text.charAt(word.length)}" in label selector, expected "{"`
    );
  }
  const inner = text.slice(1, -1);
  const out: Matcher[] = [];
  const re = /\s*([A-Za-z_][A-Za-z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"\s*(,|$)/gy;
  let m: RegExpExecArray | null;
  while (re.lastIndex < inner.length && (m = re.exec(inner))) {
    const [, name, op, raw] = m;
    const value = raw.replace(/\\(.)/g, '$1');
    let test: (v: string) => boolean;
    if (op === '=~' || op === '!~') {
      let rx: RegExp;
      try {
        rx = new RegExp(`^(?:${value})$`);
      } catch (e) {
        const why = /Unterminated group/.test(String(e)) ? `missing closing ): \`${value}\`` : String(e);
        throw new SelectorError(`1:2: parse error: error parsing regexp: ${why}`);
      }
      test = op === '=~' ? (v) => rx.test(v) : (v) => !rx.test(v);
    } else {
      test = op === '=' ? (v) => v === value : (v) => v !== value;
    }
    out.push({ name, op: op as Matcher['op'], test });
  }
  if (re.lastIndex < inner.length && inner.trim() !== '') {
    throw new SelectorError(`1:${re.lastIndex + 2}: parse error: unexpected character in label matcher`);
  }
  return out;
}

function flatten(rows: NestedRows, factor: number) {
  return {
    levels: rows.levels,
    names: rows.names,
    labelIds: rows.labelIds,
    values: Array.from(rows.values, (v) => v * factor),
    selfs: Array.from(rows.selfs, (v) => v * factor),
  };
}

/** Pyroscope's diff encoding of one tree seen with two factors: 7-tuples, each side delta-encoded on its own. */
function encodeDiff(rows: NestedRows, left: number, right: number): Record<string, unknown> {
  const l = encodeFlamegraph(flatten(rows, left));
  const r = encodeFlamegraph(flatten(rows, right));
  const levels = (l.levels as Array<{ values: string[] }>).map((level, d) => {
    const rv = (r.levels as Array<{ values: string[] }>)[d].values;
    const values: string[] = [];
    for (let i = 0; i < level.values.length; i += 4) {
      values.push(level.values[i], level.values[i + 1], level.values[i + 2], rv[i], rv[i + 1], rv[i + 2], rv[i + 3]);
    }
    return { values };
  });
  const total = rows.values[0] ?? 0;
  return {
    names: l.names,
    levels,
    total: String(total * (left + right)),
    maxSelf: String(Math.max(Number(l.maxSelf), Number(r.maxSelf))),
    ...(left > 0 ? { leftTicks: String(total * left) } : {}),
    ...(right > 0 ? { rightTicks: String(total * right) } : {}),
  };
}

/** LabelNames as each version answered for the demo service (v2 lacks the otel_scope_* and process_runtime_* names). */
export function recordedLabelNames(version: 'v1' | 'v2'): string[] {
  const file = version === 'v1' ? 'names-v1.21.1.json' : 'names-v2.0.6.json';
  return JSON.parse(readFileSync(join(fixturesRoot, 'pyroscope-v2', file), 'utf8')).names;
}

const NO_DATA_FLAME = { flamegraph: { names: ['total'], levels: [{ values: ['0', '0', '0', '0'] }] } };

export async function startFakePyroscope(options: FakePyroscopeOptions = {}): Promise<FakePyroscope> {
  const now = options.now ?? Date.now;
  const version = options.version ?? 'v1';
  let inflight = 0;
  let maxInflight = 0;
  let failMerges = 0;
  const rowsCache = new Map<string, NestedRows>();
  const wireCache = new Map<string, PprofWire>();
  const wireOf = (t: StoredType) => {
    const key = `${t.scenario}/${t.file}`;
    if (!wireCache.has(key)) {
      wireCache.set(key, decodePprofWire(uncompressPprof(readFixtureBytes(t.scenario, t.file)), resolveLimits()));
    }
    return wireCache.get(key)!;
  };
  const rowsOf = (t: StoredType) => {
    if (!rowsCache.has(t.id)) {
      rowsCache.set(t.id, fixtureRows(t.scenario, t.file, t.id.split(':')[1]));
    }
    return rowsCache.get(t.id)!;
  };

  const invalid = (res: ServerResponse, message: string, nested = true) =>
    json(res, 400, {
      code: 'invalid_argument',
      message: nested && version === 'v1' ? goJson({ code: 'invalid_argument', message }) : message,
    });

  /** Services the selector picks, or a validation failure already answered. */
  const services = (selector: string, res: ServerResponse): string[] | undefined => {
    try {
      const matchers = parseSelector(selector || '{}');
      return SERVICES.filter((s) =>
        matchers.every((m) => m.test(m.name === 'service_name' || m.name === 'service' ? s : ''))
      );
    } catch (e) {
      if (!(e instanceof SelectorError)) {
        throw e;
      }
      invalid(res, version === 'v1' ? e.message : `parsing label selector ${JSON.stringify(selector)}: ${e.message}`);
      return undefined;
    }
  };

  /** The range checks every method makes, in the real server's order; false when a failure was answered. */
  const rangeOk = (b: Record<string, unknown>, res: ServerResponse): boolean => {
    if (b.start === undefined || b.end === undefined) {
      invalid(res, 'missing time range in the query', false);
      return false;
    }
    const [start, end] = [Number(b.start), Number(b.end)];
    if (start > end) {
      invalid(res, 'query start time is after end time', false);
      return false;
    }
    if (end - start > DAY_MS) {
      const actual = goDuration(end - start);
      invalid(res, `the query time range exceeds the limit (max_query_length, actual: ${actual}, limit: 1d)`, false);
      return false;
    }
    return true;
  };

  /** Uploads of `type` per service stamped in [from, to), clipped to the lookback. */
  const uploads = (type: StoredType, from: number, to: number): number => {
    const lo = Math.max(from, now() - LOOKBACK_MS);
    const hi = Math.min(to, now());
    if (hi <= lo) {
      return 0;
    }
    const first = Math.ceil((lo - PHASE_MS) / type.periodMs);
    const last = Math.ceil((hi - PHASE_MS) / type.periodMs) - 1;
    return Math.max(0, last - first + 1);
  };

  const tenantHasData = (req: RecordedRequest) =>
    !options.multiTenant || (options.tenantsWithData ?? ['team-a']).includes(String(req.headers['x-scope-orgid']));

  const typeOf = (id: unknown, res: ServerResponse): StoredType | null | undefined => {
    const text = String(id ?? '');
    if (!PROFILE_TYPE_FORM.test(text)) {
      invalid(
        res,
        `profile-type selection must be of the form <name>:<sample-type>:<sample-unit>:<period-type>:<period-unit>(:delta), got(${text.split(':').length}): ${JSON.stringify(text)}`
      );
      return undefined;
    }
    return STORED_TYPES.find((t) => t.id === text) ?? null;
  };

  /** Number of stored profiles a Select call merges (0: no data), or undefined when a failure was answered. */
  const selectCount = (b: Record<string, unknown>, req: RecordedRequest, res: ServerResponse) => {
    if (!rangeOk(b, res)) {
      return undefined;
    }
    const type = typeOf(b.profileTypeID, res);
    if (type === undefined) {
      return undefined;
    }
    const picked = services(String(b.labelSelector ?? '{}'), res);
    if (!picked) {
      return undefined;
    }
    const n = type && tenantHasData(req) ? picked.length * uploads(type, Number(b.start), Number(b.end)) : 0;
    return { type, n };
  };

  const route =
    (handler: (body: Record<string, unknown>, res: ServerResponse, req: RecordedRequest) => void) =>
    (req: RecordedRequest, res: ServerResponse) => {
      if (req.method !== 'POST') {
        res.writeHead(405).end();
        return;
      }
      if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) {
        res.writeHead(415).end();
        return;
      }
      if (options.multiTenant && !req.headers['x-scope-orgid']) {
        json(res, 401, { code: 'unauthenticated', message: 'invalid_argument: no org id' });
        return;
      }
      let body: Record<string, unknown>;
      try {
        body = req.body ? JSON.parse(req.body) : {};
      } catch {
        const method = req.path.split('/').pop();
        const token = /^[{\s]*([^\s"{}:,]+)/.exec(req.body)?.[1] ?? req.body.slice(0, 3);
        // Go's protobuf errors print a no-break space after "proto:" (google.golang.org/protobuf internal/detrand).
        invalid(
          res,
          `unmarshal message: unmarshal into *querierv1.${method}Request: proto:\u00a0syntax error (line 1:2): invalid value ${token}`,
          false
        );
        return;
      }
      const selector = String(body.labelSelector ?? (body.right as Record<string, unknown>)?.labelSelector ?? '');
      if (selector.includes('login')) {
        // A proxy in front of Pyroscope that wants a login: an HTML page with status 200.
        res.writeHead(200, { 'content-type': 'text/html' }).end('<!DOCTYPE html><html><title>Sign in</title></html>');
        return;
      }
      handler(body, res, req);
    };

  const metadata =
    (answer: (b: Record<string, unknown>, data: boolean) => unknown) =>
    (b: Record<string, unknown>, res: ServerResponse, req: RecordedRequest) => {
      if (!rangeOk(b, res)) {
        return;
      }
      const matchers = (b.matchers as string[] | undefined) ?? [];
      for (const m of matchers) {
        if (!services(m, res)) {
          return;
        }
      }
      const recent = Number(b.end) > now() - LOOKBACK_MS && tenantHasData(req);
      json(res, 200, answer(b, recent));
    };

  const labelNames = recordedLabelNames(version);

  const server = await startFakeServer({
    '/querier.v1.QuerierService/ProfileTypes': route(
      metadata((_b, data) =>
        data
          ? {
              profileTypes: STORED_TYPES.map((t) => {
                const [name, sampleType, sampleUnit, periodType, periodUnit] = t.id.split(':');
                return { ID: t.id, name, sampleType, sampleUnit, periodType, periodUnit };
              }),
            }
          : {}
      )
    ),
    '/querier.v1.QuerierService/LabelNames': route(metadata((_b, data) => (data ? { names: labelNames } : {}))),
    '/querier.v1.QuerierService/LabelValues': route(
      metadata((b, data) => {
        const values: Record<string, string[]> = {
          service_name: SERVICES,
          service: SERVICES,
          pyroscope_spy: ['gospy'],
        };
        return data && values[String(b.name)] ? { names: values[String(b.name)] } : {};
      })
    ),
    '/querier.v1.QuerierService/Series': route(
      metadata((b, data) => {
        const wanted = (b.labelNames as string[] | undefined) ?? ['__profile_type__', 'service_name'];
        const sets = new Map<string, Array<{ name: string; value: string }>>();
        for (const service of data ? SERVICES : []) {
          for (const t of STORED_TYPES) {
            const labels = [
              { name: '__profile_type__', value: t.id },
              { name: 'service_name', value: service },
            ].filter((l) => wanted.includes(l.name));
            sets.set(JSON.stringify(labels), labels);
          }
        }
        return sets.size ? { labelsSet: [...sets.values()].map((labels) => ({ labels })) } : {};
      })
    ),
    '/querier.v1.QuerierService/SelectMergeStacktraces': route((b, res, req) => {
      const hit = selectCount(b, req, res);
      if (!hit) {
        return;
      }
      json(
        res,
        200,
        hit.n > 0 && hit.type ? { flamegraph: encodeFlamegraph(flatten(rowsOf(hit.type), hit.n)) } : NO_DATA_FLAME
      );
    }),
    '/querier.v1.QuerierService/Diff': route((b, res, req) => {
      const left = selectCount(b.left as Record<string, unknown>, req, res);
      if (!left) {
        return;
      }
      const right = selectCount(b.right as Record<string, unknown>, req, res);
      if (!right) {
        return;
      }
      const type = left.type ?? right.type;
      if (!type || left.n + right.n === 0) {
        json(res, 200, { flamegraph: { names: ['total'], levels: [{ values: ['0', '0', '0', '0', '0', '0', '0'] }] } });
        return;
      }
      json(res, 200, { flamegraph: encodeDiff(rowsOf(type), left.n, right.n) });
    }),
    '/querier.v1.QuerierService/SelectMergeProfile': route((b, res, req) => {
      const hit = selectCount(b, req, res);
      if (!hit) {
        return;
      }
      inflight++;
      maxInflight = Math.max(maxInflight, inflight);
      setTimeout(() => {
        inflight--;
        if (failMerges > 0) {
          failMerges--;
          json(res, 500, { code: 'unknown', message: 'canceled: stream error: stream ID 481; CANCEL' });
          return;
        }
        const [start, end] = [Number(b.start), Number(b.end)];
        if (end <= now() - LOOKBACK_MS) {
          json(res, 200, {});
          return;
        }
        if (!hit.type || hit.n === 0) {
          json(res, 200, { sampleType: [{}], stringTable: [''], periodType: {} });
          return;
        }
        const covered = Math.min(end, now()) - Math.max(start, now() - LOOKBACK_MS);
        json(res, 200, {
          ...wireToProtojson(wireOf(hit.type), { sampleType: hit.type.id.split(':')[1], factor: hit.n }),
          timeNanos: `${end}000000`,
          durationNanos: `${Math.max(0, covered)}000000`,
        });
      }, options.mergeDelayMs ?? 5);
    }),
    '/querier.v1.QuerierService/SelectSeries': route((b, res, req) => {
      if (!rangeOk(b, res)) {
        return;
      }
      if (!b.step) {
        invalid(res, version === 'v1' ? 'step must be non-zero' : 'step must be >= 1ms');
        return;
      }
      const type = typeOf(b.profileTypeID, res);
      if (type === undefined) {
        return;
      }
      const picked = services(String(b.labelSelector ?? '{}'), res);
      if (!picked) {
        return;
      }
      const step = Number(b.step) * 1000;
      const groupBy = (b.groupBy as string[] | undefined) ?? [];
      const average = b.aggregation === 'TIME_SERIES_AGGREGATION_TYPE_AVERAGE';
      const perUpload = type ? wireTotal(wireOf(type), type.id.split(':')[1]) : 0;
      const groups = groupBy.includes('service_name') ? picked.map((s) => [s]) : [picked];
      const series = [];
      for (const group of type && tenantHasData(req) ? groups : []) {
        const points = [];
        for (let t = Number(b.start); t <= Number(b.end); t += step) {
          // A point at T covers (T - step, T]; uploads stamped at s count when T - step < s <= T.
          const n = group.length * uploads(type!, t - step + 1, t + 1);
          if (n > 0) {
            points.push({ value: average ? perUpload : perUpload * n, timestamp: String(t) });
          }
        }
        if (points.length) {
          const labels = groupBy.includes('service_name') ? [{ name: 'service_name', value: group[0] }] : undefined;
          series.push({ ...(labels ? { labels } : {}), points });
        }
      }
      json(res, 200, series.length ? { series } : {});
    }),
  });
  return {
    ...server,
    calls: (method) =>
      server.requests
        .filter((r) => r.path === `/querier.v1.QuerierService/${method}`)
        .map((r) => ({ body: r.body ? JSON.parse(r.body) : {}, raw: r.body, headers: r.headers })),
    maxConcurrentMerges: () => maxInflight,
    failNextMerges: (n) => {
      failMerges = n;
    },
  };
}

/**
 * A Grafana Pyroscope stand-in speaking the documented Connect JSON API (grafana/pyroscope:
 * api/querier/v1/querier.proto, served as JSON by connect-go), answering with data derived from real demo-service
 * captures (fixtures/demo): merged profiles as protojson `google.v1.Profile`, flame graphs in Pyroscope's
 * delta-encoded level format, series as sparse points.
 * Pyroscope itself cannot run on dev/CI machines; recorded responses from a real server (fixtures/pyroscope) are
 * tested separately.
 */
import type { ServerResponse } from 'http';

import { buildCallTree } from '../../src/core/analysis/callTree';
import { toNestedSet } from '../../src/core/analysis/nestedSet';
import { uncompressPprof, parsePprof } from '../../src/core/model/parsePprof';
import { decodePprofWire, PprofWire } from '../../src/core/wire/pprofWire';
import { resolveLimits } from '../../src/core/wire/limits';
import { FakeServer, RecordedRequest, startFakeServer } from './fakeServer';
import { readFixtureBytes } from './fixtures';

/** The protojson spelling of a wire profile: lowerCamelCase names, int64/uint64 as strings, zeros omitted. */
export function wireToProtojson(w: PprofWire): Record<string, unknown> {
  const s = (n: number | bigint) => String(n);
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
      value: [...ws.values.subarray(ws.valueStart[i], ws.valueStart[i + 1])].map(s),
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
      sampleType: w.sampleTypes.map((t) => ({ type: s(t.type), unit: s(t.unit) })),
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
}

const FIXTURE_BY_TYPE: Array<[RegExp, string, string]> = [
  [/^process_cpu:/, 'gc-pressure', 'cpu.pb.gz'],
  [/^memory:/, 'normal-load', 'heap.pb.gz'],
  [/^goroutines?:/, 'goroutine-leak', 'goroutine.pb.gz'],
  [/^mutex:/, 'mutex-contention', 'mutex.pb.gz'],
  [/^block:/, 'normal-load', 'block.pb.gz'],
];

function json(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/**
 * Routes by label selector make the failure cases: `{service_name="too-long"}` answers Pyroscope's range-limit
 * error, `{service_name="login"}` a proxy's HTML login page, `{service_name="empty"}` no data.
 */
export async function startFakePyroscope(options: { mergeDelayMs?: number } = {}): Promise<FakePyroscope> {
  let inflight = 0;
  let maxInflight = 0;
  const cpuRows = fixtureRows('gc-pressure', 'cpu.pb.gz', 'cpu');
  const special = (body: Record<string, unknown>, res: ServerResponse): boolean => {
    const selector = String(
      body.labelSelector ?? (body.right as Record<string, unknown> | undefined)?.labelSelector ?? ''
    );
    if (selector.includes('too-long')) {
      json(res, 400, {
        code: 'invalid_argument',
        message: 'the query time range exceeds the limit (max_query_length, actual: 48h0m0s, limit: 24h0m0s)',
      });
      return true;
    }
    if (selector.includes('login')) {
      res.writeHead(200, { 'content-type': 'text/html' }).end('<!DOCTYPE html><html><title>Sign in</title></html>');
      return true;
    }
    return false;
  };
  const route =
    (handler: (body: Record<string, unknown>, res: ServerResponse) => void) =>
    (req: RecordedRequest, res: ServerResponse) => {
      const body = req.body ? JSON.parse(req.body) : {};
      if (!special(body, res)) {
        handler(body, res);
      }
    };
  const server = await startFakeServer({
    '/querier.v1.QuerierService/ProfileTypes': route((_b, res) =>
      json(res, 200, {
        profileTypes: [
          ['process_cpu:cpu:nanoseconds:cpu:nanoseconds', 'process_cpu', 'cpu', 'nanoseconds', 'cpu', 'nanoseconds'],
          ['memory:inuse_space:bytes:space:bytes', 'memory', 'inuse_space', 'bytes', 'space', 'bytes'],
          ['goroutines:goroutine:count:goroutine:count', 'goroutines', 'goroutine', 'count', 'goroutine', 'count'],
          ['mutex:delay:nanoseconds:contentions:count', 'mutex', 'delay', 'nanoseconds', 'contentions', 'count'],
        ].map(([ID, name, sampleType, sampleUnit, periodType, periodUnit]) => ({
          ID,
          name,
          sampleType,
          sampleUnit,
          periodType,
          periodUnit,
        })),
      })
    ),
    '/querier.v1.QuerierService/LabelNames': route((_b, res) =>
      json(res, 200, { names: ['__name__', '__profile_type__', 'pod', 'service_name'] })
    ),
    '/querier.v1.QuerierService/LabelValues': route((b, res) =>
      json(res, 200, { names: b.name === 'service_name' ? ['checkout', 'goruntime-demo'] : ['pod-a', 'pod-b'] })
    ),
    '/querier.v1.QuerierService/Series': route((_b, res) =>
      json(res, 200, {
        labelsSet: [
          {
            labels: [
              { name: '__profile_type__', value: 'goroutines:goroutine:count:goroutine:count' },
              { name: 'service_name', value: 'goruntime-demo' },
            ],
          },
          {
            labels: [
              { name: '__profile_type__', value: 'process_cpu:cpu:nanoseconds:cpu:nanoseconds' },
              { name: 'service_name', value: 'goruntime-demo' },
            ],
          },
        ],
      })
    ),
    '/querier.v1.QuerierService/SelectMergeStacktraces': route((b, res) =>
      String(b.labelSelector).includes('empty')
        ? json(res, 200, {})
        : json(res, 200, { flamegraph: encodeFlamegraph(cpuRows) })
    ),
    '/querier.v1.QuerierService/Diff': route((_b, res) => {
      // Baseline: the normal-load capture; comparison: the gc-pressure capture, aligned by the core's diff.
      json(res, 200, {
        flamegraph: {
          names: ['total', 'main.a', 'main.b'],
          levels: [
            { values: ['0', '10', '0', '0', '30', '0', '0'] },
            { values: ['0', '10', '10', '0', '10', '10', '1', '0', '0', '0', '0', '20', '20', '2'] },
          ],
          total: '40',
          maxSelf: '20',
          leftTicks: '10',
          rightTicks: '30',
        },
      });
    }),
    '/querier.v1.QuerierService/SelectMergeProfile': route((b, res) => {
      inflight++;
      maxInflight = Math.max(maxInflight, inflight);
      setTimeout(() => {
        inflight--;
        const hit = FIXTURE_BY_TYPE.find(([re]) => re.test(String(b.profileTypeID)));
        if (!hit || String(b.labelSelector).includes('empty')) {
          json(res, 200, {});
          return;
        }
        json(res, 200, fixtureProtojson(hit[1], hit[2]));
      }, options.mergeDelayMs ?? 5);
    }),
    '/querier.v1.QuerierService/SelectSeries': route((b, res) => {
      const step = Number(b.step) * 1000;
      const points = [];
      for (let t = Number(b.start) + step; t <= Number(b.end); t += step) {
        points.push({ value: 100 + (points.length % 3), timestamp: String(t) });
      }
      json(res, 200, { series: [{ labels: [{ name: 'service_name', value: 'goruntime-demo' }], points }] });
    }),
  });
  return {
    ...server,
    calls: (method) =>
      server.requests
        .filter((r) => r.path === `/querier.v1.QuerierService/${method}`)
        .map((r) => ({ body: r.body ? JSON.parse(r.body) : {}, raw: r.body, headers: r.headers })),
    maxConcurrentMerges: () => maxInflight,
  };
}

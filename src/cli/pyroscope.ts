/**
 * `goprof` against a Grafana Pyroscope server, so a CI job can ask "what is wrong with service X in the last hour":
 *
 *   goprof diagnose --pyroscope URL --selector '{service_name="x"}' --from now-1h [--to now] [--tenant T] [--json]
 *   goprof analyze  --pyroscope URL --selector '{service_name="x"}' --profile cpu --from now-1h [--to now] [--json]
 *
 * `--from`/`--to` take Grafana's relative syntax (`now`, `now-15m`, `now-2d`), RFC 3339 with a zone
 * (`2026-12-06T07:45:00Z`) or epoch milliseconds. Requests are Pyroscope's Connect JSON API
 * (grafana/pyroscope:api/querier/v1/querier.proto), split into pieces of its 1d max_query_length; `--tenant` sends
 * X-Scope-OrgID for a multi-tenant server. Exit codes as for the other commands: 0 ran, 2 bad input or no data,
 * 3 unreachable.
 */
import {
  decodeConnectError,
  decodeProfileTypes,
  diagnoseReport,
  type DiagnosisProfiles,
  gatherFromStore,
  mergeProfiles,
  parsePyroscopeJson,
  type Profile,
  profileFromWire,
  pyroscopeProfileToWire,
  type StoredProfileKind,
} from '../core';
import { diagnosisJson, diagnosisText } from './diagnoseOutput';
import { formatReport } from './format';
import { buildReport, buildSummary, inferKind, type ReportKind } from './report';

export interface PyroscopeIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  fetch?: typeof fetch;
  now?: () => number;
}

export class CliUsageError extends Error {}

const UNIT_MS: Record<string, number> = {
  s: 1000,
  m: 60_000,
  h: 3600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
};

/** A time argument: `now`, `now-<n><s|m|h|d|w>`, RFC 3339 with a zone, or epoch milliseconds. */
export function parseCliTime(text: string, now: number, flag = '--from'): number {
  const t = text.trim();
  if (t === 'now') {
    return now;
  }
  const relative = /^now-(\d+)([smhdw])$/.exec(t);
  if (relative) {
    return now - Number(relative[1]) * UNIT_MS[relative[2]];
  }
  if (/^\d{10,}$/.test(t)) {
    return Number(t);
  }
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i.test(t)) {
    const ms = Date.parse(t);
    if (Number.isFinite(ms)) {
      return ms;
    }
  }
  throw new CliUsageError(
    `${flag} takes now, now-<N><s|m|h|d|w> (now-1h), RFC 3339 with a zone (2026-12-06T07:45:00Z) or epoch milliseconds; got "${text}"`
  );
}

/** Pyroscope profile type IDs as the Go SDK pushes them, by the CLI's profile names. */
export const PYROSCOPE_TYPE_IDS: Record<string, string> = {
  cpu: 'process_cpu:cpu:nanoseconds:cpu:nanoseconds',
  heap: 'memory:inuse_space:bytes:space:bytes',
  allocs: 'memory:alloc_space:bytes:space:bytes',
  goroutine: 'goroutines:goroutine:count:goroutine:count',
  mutex: 'mutex:delay:nanoseconds:contentions:count',
  block: 'block:delay:nanoseconds:contentions:count',
};

const STORE_KINDS: Record<StoredProfileKind, string> = {
  cpu: 'cpu',
  heap: 'heap',
  allocs: 'allocs',
  mutex: 'mutex',
  block: 'block',
  goroutine: 'goroutine',
};

const DAY_MS = 86_400_000;

/** No HTTP answer at all: the server could not be reached. */
export class PyroscopeUnreachableError extends Error {}

/** A Pyroscope server as the CLI reads it. */
export class PyroscopeHttp {
  constructor(
    readonly url: string,
    private readonly io: PyroscopeIO,
    private readonly tenant?: string
  ) {}

  async call(method: string, body: object): Promise<Record<string, unknown>> {
    const endpoint = `${this.url.replace(/\/+$/, '')}/querier.v1.QuerierService/${method}`;
    let response: Response;
    try {
      response = await (this.io.fetch ?? fetch)(endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'connect-protocol-version': '1',
          ...(this.tenant ? { 'X-Scope-OrgID': this.tenant } : {}),
        },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(60_000),
      });
    } catch (error) {
      const cause = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : '';
      throw new PyroscopeUnreachableError(`POST ${endpoint} failed, no response: ${cause}`);
    }
    const text = await response.text();
    if (!response.ok) {
      const connect = decodeConnectError(text);
      const detail = connect ? `${connect.code}: ${connect.message}` : text.slice(0, 200).split('\n')[0];
      const tenant =
        response.status === 401
          ? ' (multi-tenant Pyroscope: give the tenant with --tenant, sent as X-Scope-OrgID)'
          : '';
      throw new Error(`POST ${endpoint}: HTTP ${response.status} ${detail}${tenant}`);
    }
    return parsePyroscopeJson(text);
  }

  /** SelectMergeProfile over [from, to] in pieces of at most a day; undefined without samples. */
  async merged(profileTypeID: string, selector: string, from: number, to: number): Promise<Profile | undefined> {
    const profiles: Profile[] = [];
    for (let start = from; start < to; start += DAY_MS) {
      const body = await this.call('SelectMergeProfile', {
        profileTypeID,
        labelSelector: selector,
        start: Math.floor(start),
        end: Math.ceil(Math.min(to, start + DAY_MS)),
      });
      if (Array.isArray(body.sample) && body.sample.length > 0) {
        profiles.push(profileFromWire(pyroscopeProfileToWire(body, 0)));
      }
    }
    return profiles.length === 0 ? undefined : profiles.length === 1 ? profiles[0] : mergeProfiles(profiles);
  }

  /** The goroutine profile type ID this server stores (`goroutines` from the Go SDK, `goroutine` from Alloy). */
  async goroutineId(to: number): Promise<string> {
    const types = decodeProfileTypes(await this.call('ProfileTypes', { start: to - 3600_000, end: to }));
    return types.find((t) => /^goroutines?:goroutine:/.test(t.id))?.id ?? PYROSCOPE_TYPE_IDS.goroutine;
  }
}

interface PyroscopeArgs {
  url: string;
  selector: string;
  from: number;
  to: number;
  tenant?: string;
  json: boolean;
  profile: string;
  top: number;
  sampleType?: string;
}

/** The flags both commands share; `extra` handles the command's own. */
export function parsePyroscopeArgs(argv: readonly string[], now: number): PyroscopeArgs {
  const raw: Record<string, string> = {};
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    if (flag === '--json') {
      json = true;
      continue;
    }
    if (
      !['--pyroscope', '--selector', '--from', '--to', '--tenant', '--profile', '--top', '--sample-type'].includes(flag)
    ) {
      throw new CliUsageError(`unknown option ${flag} with --pyroscope`);
    }
    const value = inline ?? argv[++i];
    if (value === undefined) {
      throw new CliUsageError(`${flag} needs a value`);
    }
    raw[flag] = value;
  }
  if (!/^https?:\/\//i.test(raw['--pyroscope'] ?? '')) {
    throw new CliUsageError('--pyroscope takes the server URL, e.g. http://pyroscope:4040');
  }
  const selector = (raw['--selector'] ?? '{}').trim();
  if (!selector.startsWith('{') || !selector.endsWith('}')) {
    throw new CliUsageError(
      `--selector is a label selector in braces, e.g. '{service_name="checkout"}'; got ${selector}`
    );
  }
  const from = parseCliTime(raw['--from'] ?? 'now-1h', now, '--from');
  const to = parseCliTime(raw['--to'] ?? 'now', now, '--to');
  if (from >= to) {
    throw new CliUsageError(
      `--from must be before --to (${new Date(from).toISOString()} >= ${new Date(to).toISOString()})`
    );
  }
  const profile = raw['--profile'] ?? 'cpu';
  if (!PYROSCOPE_TYPE_IDS[profile] && !/^[^:]+:[^:]+:[^:]+:[^:]+:[^:]+(:delta)?$/.test(profile)) {
    throw new CliUsageError(
      `--profile with --pyroscope is one of ${Object.keys(PYROSCOPE_TYPE_IDS).join(', ')} or a Pyroscope profile type ID`
    );
  }
  const top = Number(raw['--top'] ?? 20);
  return {
    url: raw['--pyroscope'],
    selector,
    from,
    to,
    tenant: raw['--tenant'],
    json,
    profile,
    top: Number.isFinite(top) && top > 0 ? Math.floor(top) : 20,
    sampleType: raw['--sample-type'],
  };
}

export const PYROSCOPE_USAGE = [
  'usage: goprof diagnose --pyroscope URL [--selector \'{service_name="x"}\'] [--from now-1h] [--to now] [--tenant T] [--json]',
  "       goprof analyze --pyroscope URL [--selector '{...}'] [--profile cpu|heap|allocs|goroutine|mutex|block|<type ID>] [--from now-1h] [--to now] [--top N] [--json]",
].join('\n');

/** `--help` (or `-h`) anywhere: the usage on stdout, exit 0, as every goprof command answers it. */
function answeredHelp(argv: readonly string[], io: PyroscopeIO): boolean {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout(`${PYROSCOPE_USAGE}\n`);
    return true;
  }
  return false;
}

function fail(error: unknown, io: PyroscopeIO): number {
  if (error instanceof CliUsageError) {
    io.stderr(`goprof: ${error.message}\n${PYROSCOPE_USAGE}\n`);
    return 2;
  }
  io.stderr(`goprof: ${error instanceof Error ? error.message : String(error)}\n`);
  return error instanceof PyroscopeUnreachableError ? 3 : 2;
}

function noData(args: PyroscopeArgs, what: string): string {
  return `no ${what} stored for ${args.selector} between ${new Date(args.from).toISOString()} and ${new Date(args.to).toISOString()} (Pyroscope keeps 7 days by default; check the selector's service name)`;
}

export async function runPyroscopeDiagnose(argv: readonly string[], io: PyroscopeIO): Promise<number> {
  if (answeredHelp(argv, io)) {
    return 0;
  }
  try {
    const args = parsePyroscopeArgs(argv, (io.now ?? Date.now)());
    const server = new PyroscopeHttp(args.url, io, args.tenant);
    const goroutineId = await server.goroutineId(args.to);
    const window = { from: args.from, to: args.to };
    const gathered = await gatherFromStore(
      {
        merged: (kind, w) =>
          server.merged(
            kind === 'goroutine' ? goroutineId : PYROSCOPE_TYPE_IDS[STORE_KINDS[kind]],
            args.selector,
            w.from,
            w.to
          ),
      },
      window
    );
    const p: DiagnosisProfiles = gathered.profiles;
    if (!p.cpu && !p.heap && !p.allocs && !p.mutex && !p.block && !p.goroutines?.length) {
      const unreachable = gathered.missing.some((m) => m.includes('failed, no response'));
      io.stderr(
        `goprof diagnose: ${gathered.missing.length ? `no input could be read:\n  ${gathered.missing.join('\n  ')}` : noData(args, 'profiles')}\n`
      );
      return unreachable ? 3 : 2;
    }
    const report = diagnoseReport({ ...p, source: 'pyroscope' });
    const inputs = (['cpu', 'heap', 'allocs', 'mutex', 'block'] as const).filter((k) => p[k]).map(String);
    if (p.goroutines?.length) {
      inputs.push(`${p.goroutines.length} goroutine slices`);
    }
    const out = {
      target: `${args.url} ${args.selector}`,
      window,
      findings: report.findings,
      inputs,
      missing: gathered.missing,
      failures: report.failures,
      notes: report.notes,
      baselineWindow: undefined,
    };
    io.stdout(`${args.json ? diagnosisJson(out) : diagnosisText(out)}\n`);
    return 0;
  } catch (error) {
    return fail(error, io);
  }
}

export async function runPyroscopeAnalyze(argv: readonly string[], io: PyroscopeIO): Promise<number> {
  if (answeredHelp(argv, io)) {
    return 0;
  }
  try {
    const args = parsePyroscopeArgs(argv, (io.now ?? Date.now)());
    const server = new PyroscopeHttp(args.url, io, args.tenant);
    const id =
      args.profile === 'goroutine'
        ? await server.goroutineId(args.to)
        : (PYROSCOPE_TYPE_IDS[args.profile] ?? args.profile);
    const profile = await server.merged(id, args.selector, args.from, args.to);
    if (!profile) {
      io.stderr(`goprof: ${noData(args, `${id} profiles`)}\n`);
      return 2;
    }
    const hint = Object.keys(PYROSCOPE_TYPE_IDS).find((k) => PYROSCOPE_TYPE_IDS[k] === id) ?? id.split(':')[0];
    const kind: ReportKind = inferKind(profile, hint);
    const options = {
      source: `${args.url} ${id}${args.selector}`,
      url: args.url,
      kind,
      sampleType: args.sampleType ?? id.split(':')[1],
      top: args.top,
      maxNodes: 2048,
    };
    // The text report prints no flame graph: only the JSON one builds it.
    io.stdout(
      args.json
        ? `${JSON.stringify(buildReport(profile, options), null, 2)}\n`
        : formatReport(buildSummary(profile, options))
    );
    return 0;
  } catch (error) {
    return fail(error, io);
  }
}

/**
 * Command-line parsing for `goprof` (no dependency: the grammar is small and the errors must be ours).
 *
 *   goprof analyze <source> [--profile cpu|heap|allocs|goroutine|goroutineleak|mutex|block|threadcreate]
 *                  [--seconds N] [--sample-type T] [--top N] [--json] [--max-nodes N]
 *                  [--samples K --interval S] [--timeout S] [--main-module PREFIX]...
 */
export const PROFILE_KINDS = [
  'cpu',
  'heap',
  'allocs',
  'goroutine',
  'goroutineleak',
  'mutex',
  'block',
  'threadcreate',
] as const;
export type ProfileKind = (typeof PROFILE_KINDS)[number];

export interface AnalyzeArgs {
  command: 'analyze';
  source: string;
  profile?: ProfileKind;
  seconds?: number;
  sampleType?: string;
  top: number;
  json: boolean;
  maxNodes: number;
  /** Goroutine snapshots to take (URL sources, --profile goroutine); >1 measures growth. */
  samples: number;
  /** Seconds between goroutine snapshots. */
  interval: number;
  /** Extra seconds allowed on top of --seconds for the HTTP request. */
  timeout: number;
  mainModules?: string[];
  /** Report long waits on stderr (default: when stderr is a terminal). */
  progress?: boolean;
  /** Follow redirects to other origins too (same-origin redirects are always followed). */
  followRedirects?: boolean;
}

export type ParsedArgs = AnalyzeArgs | { command: 'help' };

/** Bad command line: exit code 2 with the message and the usage. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export const USAGE = `Usage: goprof <command> [options]

Commands:
  analyze <source>     one profile or goroutine dump: summary, CPU split, top functions, flame graph, goroutines
  diagnose <source>    findings by layer (CPU, scheduling, memory, system) from a live service or capture files
  help                 this text; \`goprof <command> --help\` describes one command

Usage: goprof analyze <source> [options]

<source> is a Go service base URL (pprof under /debug/pprof, e.g. http://localhost:6060) or a profile file.

Options:
  --profile KIND       cpu (default for URLs), heap, allocs, goroutine, goroutineleak, mutex, block, threadcreate
  --seconds N          CPU profile length (default 5); for other kinds, a delta profile over N seconds
  --sample-type T      sample type to analyse (default: the profile's default, e.g. cpu, inuse_space)
  --top N              rows of the top table (default 10)
  --max-nodes N        node budget of the flame graph (default 2000; 0 = unlimited)
  --json               print the JSON report (stable contract, see src/cli/README.md)
  --samples K          goroutine profiles: take K debug=2 snapshots to measure growth (default 1)
  --interval S         seconds between those snapshots (default 5)
  --timeout S          extra seconds allowed for the request beyond --seconds (default 30); the whole
                       exchange, body included, must finish within --seconds + --timeout
  --follow-redirects   follow redirects to other hosts too (default: same origin only)
  --main-module P      import-path prefix of your own code (repeatable; default: inferred from file names)
  --progress           report long waits (captures, snapshot intervals) on stderr; on by default in a terminal

Exit codes: 0 ok, 2 bad input or usage, 3 target unreachable.`;

function positiveNumber(flag: string, value: string | undefined, integer: boolean, allowZero = false): number {
  if (value === undefined || value.startsWith('--')) {
    throw new UsageError(`${flag} needs a value`);
  }
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || (n === 0 && !allowZero) || (integer && !Number.isInteger(n))) {
    throw new UsageError(
      `${flag} must be a ${integer ? 'whole ' : ''}number${allowZero ? '' : ' above 0'}, got "${value}"`
    );
  }
  return n;
}

export function parseArgs(argv: readonly string[]): ParsedArgs {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    return { command: 'help' };
  }
  if (argv[0] !== 'analyze') {
    throw new UsageError(`unknown command "${argv[0]}" (expected "analyze" or "diagnose")`);
  }
  const out: AnalyzeArgs = {
    command: 'analyze',
    source: '',
    top: 10,
    json: false,
    maxNodes: 2000,
    samples: 1,
    interval: 5,
    timeout: 30,
  };
  const rest = argv.slice(1);
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    const [flag, inline] =
      arg.startsWith('--') && arg.includes('=')
        ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
        : [arg, undefined];
    const value = (): string | undefined => (inline !== undefined ? inline : rest[++i]);
    switch (flag) {
      case '--profile': {
        const kind = value();
        if (!PROFILE_KINDS.includes(kind as ProfileKind)) {
          throw new UsageError(`--profile must be one of ${PROFILE_KINDS.join(', ')}, got "${kind ?? ''}"`);
        }
        out.profile = kind as ProfileKind;
        break;
      }
      case '--seconds':
        out.seconds = positiveNumber(flag, value(), true);
        break;
      case '--sample-type': {
        const t = value();
        if (!t || t.startsWith('--')) {
          throw new UsageError('--sample-type needs a value');
        }
        out.sampleType = t;
        break;
      }
      case '--top':
        out.top = positiveNumber(flag, value(), true, true);
        break;
      case '--max-nodes':
        out.maxNodes = positiveNumber(flag, value(), true, true);
        break;
      case '--samples':
        out.samples = positiveNumber(flag, value(), true);
        break;
      case '--interval':
        out.interval = positiveNumber(flag, value(), false);
        break;
      case '--timeout':
        out.timeout = positiveNumber(flag, value(), false);
        break;
      case '--main-module': {
        const m = value();
        if (!m || m.startsWith('--')) {
          throw new UsageError('--main-module needs a value');
        }
        out.mainModules = [...(out.mainModules ?? []), m];
        break;
      }
      case '--json':
        out.json = true;
        break;
      case '--progress':
        out.progress = true;
        break;
      case '--follow-redirects':
        out.followRedirects = true;
        break;
      case '--help':
      case '-h':
        return { command: 'help' };
      default:
        if (arg.startsWith('-')) {
          throw new UsageError(`unknown option "${arg}"`);
        }
        if (out.source) {
          throw new UsageError(`more than one source given ("${out.source}" and "${arg}")`);
        }
        out.source = arg;
    }
  }
  if (!out.source) {
    throw new UsageError('missing <source>: a Go service URL or a profile file');
  }
  return out;
}

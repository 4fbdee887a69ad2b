/**
 * `goprof`: the analysis core on the command line (bin/goprof.js loads this file through tsx).
 *
 *   goprof analyze <url|file> [--profile KIND] [--seconds N] [--sample-type T] [--top N] [--json] ...
 *   goprof analyze|diagnose --pyroscope URL --selector '{service_name="x"}' --from now-1h ... (pyroscope.ts)
 *
 * Exit codes: 0 ok; 2 bad input (bad usage, HTTP error status, redirect refused or looping, not a profile, damaged
 * profile, over limits) with the cause on stderr; 3 target unreachable (connection refused, DNS failure, missing
 * file) or reached but not answering completely in time (its own message); 1 internal error.
 * Everything written goes through terminalText.ts: names from a profile or an error body cannot drive the terminal.
 *
 * This file parses the command line and loads the code of the command it names only when that command runs
 * (analyze.ts, diagnose.ts, pyroscope.ts), so `goprof --help` or a usage error starts without setting up the
 * analysis code: see {@link command}.
 */
import { parseArgs, USAGE, UsageError } from './args';
import { EXIT_BAD_INPUT, EXIT_OK } from './exitCodes';
import { directWriter } from './stdio';
import { terminalSafe } from './terminalText';

export { EXIT_BAD_INPUT, EXIT_INTERNAL, EXIT_OK, EXIT_UNREACHABLE } from './exitCodes';

export interface Output {
  stdout(text: string): void;
  stderr(text: string): void;
}

const processOutput: Output = {
  stdout: directWriter(1, () => process.stdout),
  stderr: directWriter(2, () => process.stderr),
};

/**
 * A command's module, loaded on first use. In the bundle (scripts/build-cli.mjs) esbuild turns each of these
 * `require` calls into a call that runs the module's top level (and its imports') then, instead of at start; under
 * tsx and jest it is Node's require. Not `import()`: that goes through Node's ES module loader, which tsx's CommonJS
 * hook (bin/goprof.js) does not serve.
 */
const command = {
  analyze: () => require('./analyze') as typeof import('./analyze'),
  diagnose: () => require('./diagnose') as typeof import('./diagnose'),
  pyroscope: () => require('./pyroscope') as typeof import('./pyroscope'),
};

export async function run(argv: readonly string[], output: Output = processOutput): Promise<number> {
  const out = terminalSafe(output);
  const pyroscope = argv.some((a) => a === '--pyroscope' || a.startsWith('--pyroscope='));
  if (argv[0] === 'diagnose') {
    return pyroscope
      ? command.pyroscope().runPyroscopeDiagnose(argv.slice(1), out)
      : command.diagnose().runDiagnose(argv.slice(1), out);
  }
  if (argv[0] === 'analyze' && pyroscope) {
    return command.pyroscope().runPyroscopeAnalyze(argv.slice(1), out);
  }
  let parsed;
  try {
    parsed = parseArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      out.stderr(`goprof: ${error.message}\n\n${USAGE}\n`);
      return EXIT_BAD_INPUT;
    }
    throw error;
  }
  if (parsed.command === 'help') {
    out.stdout(`${USAGE}\n`);
    return EXIT_OK;
  }
  return command.analyze().runAnalyze(parsed, out);
}

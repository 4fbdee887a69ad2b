/**
 * Raw records of a goroutine dump in text form, as the runtime prints it: `/debug/pprof/goroutine?debug=2`,
 * `runtime.Stack(buf, true)` and the goroutine part of crash output (all three use `traceback.go`'s printer).
 *
 * These are *wire* records: what the text says, nothing inferred. States are grouped and validated in
 * `model/goroutineSnapshot.ts`. Grammar: golang/go:src/runtime/traceback.go.
 */

/**
 * One printed frame. Frames are interned per dump: every goroutine parked at the same call site shares one object,
 * so identity comparison works within a dump and large dumps stay small in memory.
 */
export interface DumpFrame {
  /** Function as printed: escaped import path (`gopkg.in/yaml%2ev3.F`), `[...]` for generics, `panic` for gopanic. */
  readonly func: string;
  /** Source file, '' when the dump gives none (cgo `non-Go function`, truncated input). */
  readonly file: string;
  /** Source line, 0 when unknown. */
  readonly line: number;
  /** The `+0x…` offset of the PC in the function, -1 when not printed (inlined frames, cgo frames). */
  readonly pcOffset: number;
  /** Printed without a PC offset: the call was inlined into the frame below (args print as `...`). */
  readonly inlined: boolean;
  /**
   * Small integer naming (func, file, line) within one dump: frames that differ only in `pcOffset` share it.
   * Clustering compares these instead of strings.
   */
  readonly site: number;
}

/** Items of the bracket in a goroutine header, shared by every goroutine with the same bracket text. */
export interface DumpHeaderState {
  /** Status or wait reason with the header's own suffixes removed (`chan send`, `running`, `GC worker (idle)`). */
  readonly status: string;
  /** ` (leaked)`: Go 1.26 `_Gleaked`, found by the goroutineleak GC. */
  readonly leaked: boolean;
  /** ` (scan)`: the `_Gscan` bit was set while printing. */
  readonly scan: boolean;
  /** Durably blocked inside a synctest bubble: ` (durable)` suffix or a `(durable)`/`(synctest)` wait reason. */
  readonly durable: boolean;
  /** `, N minutes`: a lower bound of the wait (set at a GC, golang/go:src/runtime/mgcmark.go), 0 when absent. */
  readonly waitMinutes: number;
  /** `, locked to thread`. */
  readonly lockedToThread: boolean;
  /** `, synctest bubble N` (1.25+) or `, synctest group N` (1.24 experiment): the id, else undefined. */
  readonly synctestBubble: string | undefined;
  /** Bracket items this parser does not know, kept verbatim (future runtime versions). */
  readonly extra: readonly string[] | undefined;
}

export interface DumpAncestor {
  /** `[originating from goroutine N]:` (GODEBUG=tracebackancestors=N). */
  readonly id: number;
  readonly frames: DumpFrame[];
  readonly args: Array<string | undefined> | undefined;
  /** `...additional frames elided...` inside the ancestor section. */
  elided: boolean;
  createdBy: DumpFrame | undefined;
}

export interface DumpGoroutine {
  /** Goroutine id. Ids above 2^53 (never reached by the runtime's counter in practice) lose precision. */
  id: number;
  /** Header bracket, parsed (shared object). */
  header: DumpHeaderState;
  /** `gp=0x…`, `m=N|nil`, `mp=0x…` of traceback level ≥ 2 (GOTRACEBACK=system/crash, runtime throws), Go 1.22+. */
  gp: string | undefined;
  m: string | undefined;
  mp: string | undefined;
  /**
   * Frames, leaf first. With an elision line, the frames above it come first, then the outer ones. Goroutines with
   * the same frames share one frozen array.
   */
  frames: readonly DumpFrame[];
  /** Raw argument text per frame (`0xc000010000, 0x5`, `...`), undefined for frames printed without parentheses.
   *  The whole array is undefined when the parser was asked not to keep arguments. */
  args: Array<string | undefined> | undefined;
  /** `...N frames elided...` (1.21+) gives N; `...additional frames elided...` (≤1.20) gives -1; 0 when none. */
  elidedFrames: number;
  /** Index in `frames` where the elision line was printed (frames.length when none). */
  elidedAt: number;
  /** `created by <func>` frame; undefined for goroutine 1, system stacks, or truncated input. */
  createdBy: DumpFrame | undefined;
  /** `created by … in goroutine N` (Go 1.21+), -1 when not printed. */
  creatorId: number;
  /** Ancestor sections, oldest last. */
  ancestors: DumpAncestor[] | undefined;
  /** `goroutine running on other thread; stack unavailable`. */
  stackUnavailable: boolean;
  /** The input ended inside this goroutine (mid-line or after a function line without its file line). */
  truncated: boolean;
  /** Character offset of the header line in the input. */
  offset: number;
}

export type ForeignBlockKind = 'panic' | 'fatal-error' | 'signal' | 'race' | 'runtime-stack' | 'text';

/** Text outside goroutine blocks: panic messages, fatal errors, signal lines, race reports, log lines. */
export interface ForeignBlock {
  kind: ForeignBlockKind;
  /** Character offset of the first line. */
  offset: number;
  lines: string[];
}

/**
 * Why the process printed its goroutines, from the crash text before them: `panic: …`, `fatal error: …`, a signal
 * (`SIGQUIT: quit`, `[signal SIGSEGV: …]`), or `go test`'s `panic: test timed out after …`.
 */
export interface CrashCause {
  kind: 'panic' | 'fatal-error' | 'signal' | 'test-timeout';
  /** The first line as printed, e.g. `fatal error: all goroutines are asleep - deadlock!`. */
  message: string;
  /** Every line of the reason text (panic value, signal header, `PC=… m=… sigcode=…`, running tests). */
  lines: string[];
  /** `SIGSEGV`, `SIGQUIT`… when a signal is named. */
  signal: string | undefined;
  /** `10m0s` of `panic: test timed out after 10m0s`. */
  testTimeout: string | undefined;
  /** `running tests:` listed under a test timeout (Go 1.20+, golang/go:src/testing/testing.go runningList). */
  runningTests: Array<{ name: string; elapsed: string }>;
}

export interface SkippedLine {
  offset: number;
  text: string;
}

export interface GoroutineDump {
  format: 'debug=2';
  goroutines: DumpGoroutine[];
  foreign: ForeignBlock[];
  /** Lines inside goroutine blocks that fit no rule of the grammar. They are skipped, never fatal. */
  skippedLines: number;
  /** The first few skipped lines, for diagnostics. */
  skippedSamples: SkippedLine[];
  /**
   * The input looks cut: it ends mid-goroutine or inside a header, its last goroutine stops before `created by`,
   * it lacks the final newline, or it is exactly 64 MiB (runtime/pprof cuts debug=2 output there without a marker).
   */
  truncated: boolean;
  /** Why {@link truncated} is set, in words; undefined when the input looks whole. */
  truncation?: string;
  /** `gp=`/`fp=` seen: traceback level ≥ 2, so runtime frames and system goroutines are included. */
  systemLevel: boolean;
  /** Number of distinct frames (interned call sites) in the dump. */
  distinctFrames: number;
  /** The crash reason printed before the goroutines, when there is one (set by goroutineText.ts). */
  cause?: CrashCause;
}

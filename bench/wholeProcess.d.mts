/** Types of wholeProcess.mjs (whole-process timing shared by the bench scripts). */
export interface ProcessRun {
  wallMs: number;
  cpuMs: number;
  status: number | null;
  stdout: string;
  stderr: string;
}
export interface ProcessContender {
  name: string;
  argv: string[];
  env?: Record<string, string>;
  silent?: boolean;
}
export interface MeasuredContender extends ProcessContender {
  stdout: string;
  wall: number[];
  cpu: number[];
}
export function runOnce(argv: string[], env?: Record<string, string>): ProcessRun;
export function median(xs: number[]): number;
export function measureProcesses(
  contenders: ProcessContender[],
  options: { runs: number; warmup: number }
): MeasuredContender[];
/** Path of bin/goprof.js. */
export const GOPROF: string;
/** Builds dist-cli/goprof.js when bin/goprof.js would not run it. */
export function ensureFreshBundle(): void;
/** The go command, or undefined. */
export function findGo(): string | undefined;
/** The pprof binary that `go tool pprof` runs (`go tool -n pprof`), or undefined. */
export function pprofBinary(go: string | undefined): string | undefined;

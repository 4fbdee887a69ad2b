/**
 * The classes a frame (and a CPU sample) can belong to: the first layer of the four-layer method (README
 * "Findings"): "where CPU goes". String ids are stable: they appear in the CLI's JSON and in the panel.
 */
export const FRAME_CLASSES = [
  'user',
  'third-party',
  'stdlib',
  'runtime-gc',
  'runtime-scheduler',
  'syscall',
  'cgo',
  'runtime-other',
] as const;

export type FrameClass = (typeof FRAME_CLASSES)[number];

export const FRAME_CLASS_TITLES: Readonly<Record<FrameClass, string>> = {
  user: 'User code (main module)',
  'third-party': 'Third-party modules',
  stdlib: 'Standard library',
  'runtime-gc': 'GC and allocation',
  'runtime-scheduler': 'Scheduler',
  syscall: 'Syscalls and netpoll',
  cgo: 'cgo and external code',
  'runtime-other': 'Other runtime',
};

/** Classes of runtime-side work: frames of these classes form the "runtime stretch" at the leaf of a stack. */
export function isRuntimeSideClass(c: FrameClass): boolean {
  return c !== 'user' && c !== 'third-party' && c !== 'stdlib';
}

/**
 * Frame classification: the public surface used by the CPU split, aggregation, the panel and the goroutine analysis.
 */
export { FRAME_CLASSES, FRAME_CLASS_TITLES, isRuntimeSideClass } from './classes';
export type { FrameClass } from './classes';
export { classifyFrame, classifyFunction, isAddressFrame, isOutsideRuntimeAndStdlib } from './frameClass';
export type { ClassifyOptions, FrameInfo } from './frameClass';
export { inferMainModules } from './mainModule';
export { cpuSplit, classifySample } from './cpuSplit';
export type { CpuSplit, CpuSplitOptions } from './cpuSplit';
export { profileFrameClasses } from './profileClasses';

/**
 * The one entry to the analysis core for the adapters (src/frames, src/datasource, src/panel, src/cli, src/app):
 * they import from here, never from deeper paths (eslint.config.mjs enforces it). To give adapters another name,
 * export it here.
 */
export { buildCallTree, OTHER_LABEL } from './analysis/callTree';
export type { CallTree } from './analysis/callTree';
export { FRAME_CLASS_TITLES, FRAME_CLASSES } from './analysis/classify/classes';
export type { FrameClass } from './analysis/classify/classes';
export { cpuSplit } from './analysis/classify/cpuSplit';
export type { CpuSplit } from './analysis/classify/cpuSplit';
export { inferMainModules } from './analysis/classify/mainModule';
export { alignTrees, diffProfiles } from './analysis/diff';
export { crashFindings } from './analysis/findings/crash';
export { gatherFromPprof, gatherFromStore } from './analysis/findings/gather';
export type { GatherResult, PprofFetcher, StoredProfileKind, StoredProfileSource } from './analysis/findings/gather';
export { diagnose, diagnoseReport } from './analysis/findings/runner';
export type { DiagnosisReport, RuleFailure } from './analysis/findings/runner';
export { quantile, traceFindings } from './analysis/findings/traceFindings';
export { FINDING_IDS, LAYER_TITLES } from './analysis/findings/types';
export type {
  DiagnosisInputs,
  DiagnosisProfiles,
  Evidence,
  EvidenceNumber,
  Finding,
  FindingId,
  Layer,
  Severity,
  TimeWindow,
} from './analysis/findings/types';
export { internLabels, rowLabels } from './analysis/flameLabels';
export type { FlameLabels } from './analysis/flameLabels';
export { clusterGoroutines } from './analysis/goroutines/cluster';
export type { ClusterResult, GoroutineCluster } from './analysis/goroutines/cluster';
export { clustersText } from './analysis/goroutines/clusterText';
export type { ClusterTextInput } from './analysis/goroutines/clusterText';
export { snapshotFromProfile } from './analysis/goroutines/fromProfile';
export { snapshotFromText, snapshotsFromText } from './analysis/goroutines/fromText';
export type { GoroutineTextInput, TextSnapshots } from './analysis/goroutines/fromText';
export type { GoroutineByteStream } from './wire/goroutineText';
export { countByReason, countByState, goroutineSeries } from './analysis/goroutines/series';
export type { ClusterGrowth, TimedGoroutineSnapshot } from './analysis/goroutines/series';
export { goroutineCallTree } from './analysis/goroutines/stackTree';
export { mergeProfiles } from './analysis/merge';
export { fromNestedSet, toNestedSet } from './analysis/nestedSet';
export type { FlameFrame, NestedSetRows } from './analysis/nestedSet';
export { pruneCallTree } from './analysis/prune';
export { AnalysisOptionError, resolveSampleType } from './analysis/selection';
export { formatBytes, pct, shortName } from './analysis/textFormat';
export { topFunctions } from './analysis/topTable';
export type { FlatCumRow } from './analysis/topTable';
export { analyzeTrace, LATENCY_PROFILES } from './analysis/traceAnalysis';
export { groupWaitCallTree, WAIT_CATEGORIES, waitCategory } from './analysis/traceGroupWaits';
export type { GroupWaitRecord, WaitCategory, WaitKind } from './analysis/traceGroupWaits';
export type { LatencyProfileName, TraceAnalysis } from './analysis/traceAnalysis';
export {
  groupLanes,
  latencyCallTree,
  TRACE_STATE_LABELS,
  traceBuckets,
  traceStateColumns,
} from './analysis/traceTimeline';
export { InputError, isInputError, LimitExceededError, MalformedInputError, NotThisFormatError } from './errors';
export {
  contentionKindFromStacks,
  inferProfileKind,
  isCumulativeSampleType,
  parseProfileTypeId,
  pprofFor,
  pprofProfile,
  pyroscopeIdFor,
} from './model/goProfiles';
export type { ProfileKind } from './model/goProfiles';
export type { GoroutineSnapshot } from './model/goroutineSnapshot';
export { GOROUTINE_STATE_LABELS, GOROUTINE_STATES } from './model/goroutineState';
export type { GoroutineState } from './model/goroutineState';
export { parsePprof } from './model/parsePprof';
export { encodePprofGzip } from './model/pprofEncode';
export type { Profile, ValueType } from './model/profile';
export { profileFromWire } from './model/validate';
export type { CrashCause } from './wire/goroutineDumpTypes';
export { describeNonDump } from './wire/goroutineText';
export type { RaceReport } from './wire/goroutineText';
export { concatChunks, readChunksBounded, type ChunkReader } from './wire/boundedChunks';
export { isGzip } from './wire/gzip';
export { DEFAULT_DECODE_LIMITS } from './wire/limits';
export { parsePprofIndex } from './wire/pprofIndex';
export type { PprofIndexEntry } from './wire/pprofIndex';
export { decodeFlameGraph, decodeFlameGraphDiff } from './wire/pyroscopeFlamegraph';
export type { PyroscopeFlameRows } from './wire/pyroscopeFlamegraph';
export { parsePyroscopeJson } from './wire/pyroscopeJson';
export type { JsonObject } from './wire/pyroscopeJson';
export { pyroscopeProfileToWire } from './wire/pyroscopeProfile';
export {
  decodeConnectError,
  decodeLabelsSet,
  decodeNames,
  decodeProfileTypes,
  decodeSeries,
} from './wire/pyroscopeQuerier';
export type { PyroscopeProfileType, PyroscopeSeries } from './wire/pyroscopeQuerier';
export { describeNonPprof, looksLikeText } from './wire/sniff';

/**
 * Findings: the brief's four-layer diagnosis as rules over the core's results (issue 7). Start at runner.ts.
 */
export { diagnose, diagnoseReport, sortFindings, RULES } from './runner';
export type { DiagnoseOptions, DiagnosisReport, Rule, RuleEntry, RuleFailure } from './runner';
export { gatherFromPprof, gatherFromStore } from './gather';
export type {
  GatherResult,
  PprofFetcher,
  PprofGatherOptions,
  StoreGatherOptions,
  StoredProfileKind,
  StoredProfileSource,
} from './gather';
export { THRESHOLDS, thresholdsMarkdown } from './thresholds';
export type { Threshold, ThresholdKey } from './thresholds';
export { CRASH_FINDING_IDS, FINDING_IDS, LAYER_TITLES, SEVERITY_RANK } from './types';
export { crashFindings } from './crash';
export type {
  DiagnosisInputs,
  DiagnosisProfiles,
  Evidence,
  EvidenceCluster,
  EvidenceNumber,
  EvidenceUnit,
  Finding,
  FindingId,
  Layer,
  Severity,
  TimeWindow,
} from './types';

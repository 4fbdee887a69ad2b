/**
 * The seam between the data source and the findings rules (src/core/analysis/findings).
 *
 * The core defines what a diagnosis needs (`DiagnosisInputs`), how to gather it behind injected I/O interfaces
 * (`gatherFromPprof` with a `PprofFetcher`, `gatherFromStore` with a `StoredProfileSource`) and the rules
 * (`diagnoseReport`). The data source supplies the I/O through Grafana's data proxy (findings/sources.ts) and turns
 * the report into a table frame and annotations (runners/findings.ts). `Diagnose` is injectable so tests can see
 * exactly which inputs were gathered.
 */
import { diagnoseReport, type DiagnosisInputs, type DiagnosisReport } from '../../core';
export type { DiagnosisInputs, DiagnosisProfiles, DiagnosisReport, Finding, RuleFailure } from '../../core';


export type Diagnose = (inputs: DiagnosisInputs) => DiagnosisReport;

export const defaultDiagnose: Diagnose = (inputs) => diagnoseReport(inputs);

/**
 * The one entry to the frame contract for the adapters (src/datasource, src/panel, src/cli, src/app):
 * they import from here, never from deeper paths (eslint.config.mjs enforces it). To give adapters another name,
 * export it here.
 */
export { FINDING_FIELDS, findingText, fromFindingsFrame, isFindingsFrame, toFindingsFrame } from './findings';
export type { FindingRow } from './findings';
export { FLAME_FIELDS, flameFrameOptions, fromFlameFrame, isDiffFrame, isFlameFrame, toFlameFrame } from './flame';
export type { FlameColumns, FlameFrameOptions } from './flame';
export {
  fromStateHeatmapFrame,
  isStateHeatmapFrame,
  pushStateColumn,
  STATE_HEATMAP_FIELDS,
  streamingStateHeatmap,
  toStateHeatmapFrame,
} from './heatmap';
export type { StateColumn, StateHeatmap } from './heatmap';
export { EXPORT_FIELDS, exportRefs, isProfileExporter } from './profileExport';
export type { ExportedProfile, ExportRef, ProfileExporter } from './profileExport';
export { readStateTimeline, STATE_COLORS, stateTimelineFrame } from './stateTimeline';
export type { StateTimeline } from './stateTimeline';
export {
  CLUSTER_BUCKET_FIELD,
  CLUSTER_FIELDS,
  clusterBucketEnds,
  clusterRow,
  fromClustersFrame,
  fromTopFrame,
  isClustersFrame,
  toClustersFrame,
  TOP_FIELDS,
  toTopFrame,
} from './table';
export type { ClusterRow, TopRow } from './table';
export { alignSeries, fromTimeSeriesFrame, TIME_SERIES_TIME_FIELD, toTimeSeriesFrame } from './timeSeries';
export type { WideSeries } from './timeSeries';
export {
  readTraceGroups,
  readTraceGroupWaits,
  readTraceSpans,
  traceGroupsFrame,
  traceGroupWaitsFrame,
  traceSpansFrame,
} from './traceTables';
export type { GroupWaitRow, SpanRow } from './traceTables';

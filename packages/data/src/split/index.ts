export { holdoutSplit, holdoutDefaults, holdoutTestCount, holdoutValidationCount } from './holdout';
export type { HoldoutConfig } from './holdout';
export { leaveLastOutSplit, leaveLastOutSequences } from './leaveLastOut';
export type { LeaveLastOutOptions, SequenceSplit } from './leaveLastOut';
export { temporalSplit, temporalDefaults } from './temporal';
export type { TemporalConfig, TemporalSplit } from './temporal';
export { exportSplitCsv, importSplitCsv, SPLIT_PARTS } from './splitCsv';
export type { SplitManifest, SplitPartName } from './splitCsv';

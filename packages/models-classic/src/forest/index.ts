export { RandomForest } from './random-forest';
export type { ForestArrays } from './random-forest';
export { randomForestDefaults, resolveRandomForestConfig } from './config';
export type { RandomForestConfig } from './config';
export { quantileBins, binRows } from './binning';
export type { FeatureBins } from './binning';

export { evaluateNextItem } from './evaluate-next-item';
export type { EvaluateNextItemOptions, NextItemEvaluation, NextItemTruth } from './evaluate-next-item';
export { interactionsFromSequences, interactionsFromTargets } from './sequence-interactions';
export { runSequentialBench, isSequenceFittable } from './run-sequential-bench';
export type { SequenceFittable, SequentialBenchOptions, SequentialBenchResult } from './run-sequential-bench';

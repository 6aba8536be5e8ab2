import type { TrainResult } from './trainable-model';

/** What a neural model reports about its last fit (`describe()`, saved with the model). */
export interface NeuralFitSummary {
  /** The TF.js backend that trained it. */
  backend: string;
  bestEpoch: number;
  epochsRun: number;
  /** Validation NDCG@10 of the best epoch; null when the fit had no validation. */
  bestValidationNdcg: number | null;
  examplesPerSecond: number;
}

export function fitSummary(backend: string, result: TrainResult): NeuralFitSummary {
  return {
    backend,
    bestEpoch: result.bestEpoch,
    epochsRun: result.epochsRun,
    bestValidationNdcg: Number.isNaN(result.bestScore) ? null : result.bestScore,
    examplesPerSecond: result.examplesPerSecond,
  };
}

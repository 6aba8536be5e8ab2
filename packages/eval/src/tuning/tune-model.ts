import { ConfigError, ModelFitError, isDisposable, isRefittable } from '@musicrec/core';
import type { FitContext, Recommender, RecommenderFactory, Split } from '@musicrec/core';
import { validationScorer } from '../evaluate/validation-scorer';
import { gridPoint, gridSize, sampleGridIndices } from './search-space';
import type { SearchSpace } from './search-space';

export interface TuningTrial {
  params: Record<string, unknown>;
  /** Validation NDCG@10; NaN when the fit failed. */
  score: number;
  fitSeconds: number;
  /** Why the fit failed (ModelFitError message). */
  error?: string;
  /** What the fitted model said about itself (`describe()`). */
  info?: Record<string, unknown>;
  /** What the fit chose on validation, as params (`Refittable.refitParams()`), e.g. the epoch early stopping kept. */
  refitParams?: Record<string, unknown>;
}

export interface TuneOptions {
  /** Most trials to run. */
  budget: number;
  seed: number;
  /** Default: 'grid' when the grid fits in the budget, else 'random'. */
  strategy?: 'grid' | 'random';
  /** Parameters every trial uses as they are. */
  fixed?: Record<string, unknown>;
  /** Extra fit context (catalog, dataset...); seed, validation and validate are filled in. */
  ctx?: Partial<FitContext>;
  /** Score only a seeded sample of this many validation users (default all). */
  maxValidationUsers?: number;
  onTrial?: (t: TuningTrial & { index: number; total: number }) => void;
  /** Keep the best trial's fitted model (trained on `split.train`) in the result. */
  keepBestModel?: boolean;
}

export interface TuneResult {
  /** `fixed` merged with the best trial's parameters: pass straight to `factory.create`. */
  best: Record<string, unknown>;
  bestScore: number;
  /** The best trial's `info` (its model's `describe()`). */
  bestInfo?: Record<string, unknown>;
  /**
   * What the best trial's model chose on validation (`Refittable.refitParams()`; `{}` for a model
   * that is not Refittable): lay it over `best` for a refit where no validation fold is left.
   */
  bestRefitParams: Record<string, unknown>;
  trials: TuningTrial[];
  /** The best trial's fitted model, when `keepBestModel` was set. */
  bestModel?: Recommender;
}

/**
 * Picks parameters on the validation fold, never the test fold: each trial fits on
 * `split.train` and scores NDCG@10 on `split.validation` with the training items excluded.
 * Every grid point when the grid has at most `budget` points, else a seeded uniform sample
 * of `budget` distinct points. Ties go to the earlier trial. A trial whose fit throws a
 * ModelFitError is recorded with score NaN; any other error propagates. Every trial model that
 * is not returned (`keepBestModel`) is disposed when it is `Disposable` (TF.js tensors, sessions).
 */
export async function tuneModel(
  factory: RecommenderFactory,
  space: SearchSpace,
  split: Split,
  opts: TuneOptions,
): Promise<TuneResult> {
  const { budget, seed } = opts;
  const fixed = opts.fixed ?? {};
  if (!Number.isInteger(budget) || budget < 1) throw new ConfigError(`tuneModel: budget must be a positive integer, got ${budget}`);
  for (const key of Object.keys(space)) {
    if (key in fixed) throw new ConfigError(`tuneModel: "${key}" is both searched and fixed (${JSON.stringify(fixed[key])})`);
  }
  const size = gridSize(space);
  const strategy = opts.strategy ?? (size <= budget ? 'grid' : 'random');
  if (strategy === 'grid' && size > budget) {
    throw new ConfigError(`tuneModel: the grid has ${size} points, more than the budget of ${budget}; raise it or use strategy "random"`);
  }
  const indices =
    strategy === 'grid' ? Array.from({ length: size }, (_, i) => i) : sampleGridIndices(size, Math.min(budget, size), seed);

  const score = validationScorer(split.train, split.validation, { k: 10, maxUsers: opts.maxValidationUsers, seed });
  const trials: TuningTrial[] = [];
  let bestIndex = -1;
  let bestModel: Recommender | undefined;
  for (const index of indices) {
    const params = gridPoint(space, index);
    const model = factory.create({ ...fixed, ...params });
    const t0 = performance.now();
    let trial: TuningTrial;
    try {
      await model.fit(split.train, { seed, validation: split.validation, validate: score, ...opts.ctx });
      const fitSeconds = (performance.now() - t0) / 1000;
      trial = {
        params,
        score: score(model),
        fitSeconds,
        ...(model.describe ? { info: model.describe() } : {}),
        ...(isRefittable(model) ? { refitParams: model.refitParams() } : {}),
      };
    } catch (e) {
      if (!(e instanceof ModelFitError)) throw e;
      trial = { params, score: NaN, fitSeconds: (performance.now() - t0) / 1000, error: e.message };
    }
    trials.push(trial);
    opts.onTrial?.({ ...trial, index: trials.length - 1, total: indices.length });
    let keep = false;
    if (Number.isFinite(trial.score) && (bestIndex < 0 || trial.score > trials[bestIndex].score)) {
      bestIndex = trials.length - 1;
      if (opts.keepBestModel) {
        // the model it replaces is nobody's now: free what it holds outside the heap (Disposable)
        if (isDisposable(bestModel)) bestModel.dispose();
        bestModel = model;
        keep = true;
      }
    }
    // a trial model nothing keeps (its describe() and refitParams() are read above)
    if (!keep && isDisposable(model)) model.dispose();
  }
  if (bestIndex < 0) {
    throw new ModelFitError(
      `${factory.name}: every tuning trial failed: ${trials.map((t) => `${JSON.stringify(t.params)}: ${t.error}`).join('; ')}`,
    );
  }
  return {
    best: { ...fixed, ...trials[bestIndex].params },
    bestScore: trials[bestIndex].score,
    bestInfo: trials[bestIndex].info,
    bestRefitParams: trials[bestIndex].refitParams ?? {},
    trials,
    ...(bestModel ? { bestModel } : {}),
  };
}

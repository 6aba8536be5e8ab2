import {
  DataError,
  ModelFitError,
  loadModelDir,
  saveModelDir,
  type FitContext,
  type Interactions,
  type Recommender,
} from '@musicrec/core';
import { COLD_START_SCORER } from '@musicrec/core';
import type { ColdStartScorer } from '@musicrec/core';
import { resolvePopularityConfig, type PopularityConfig } from './config';

/**
 * Most-popular baseline: every user gets the same item scores (training users per item, or
 * their summed values). Ties are left to core `topK`, which prefers the lower item index.
 */
export class PopularityRecommender implements Recommender, ColdStartScorer {
  readonly name = 'popularity';
  readonly [COLD_START_SCORER] = true as const;
  readonly params: Readonly<PopularityConfig>;
  /** Score of each item, the same for every user. */
  private itemScores: Float32Array = new Float32Array(0);
  private nUsers = 0;

  constructor(params: Partial<PopularityConfig> = {}) {
    this.params = resolvePopularityConfig(params);
  }

  get nItems(): number {
    return this.itemScores.length;
  }

  /** The per-item popularity scores (a view; do not modify). */
  get scores(): Float32Array {
    return this.itemScores;
  }

  async fit(train: Interactions, _ctx: FitContext): Promise<void> {
    if (train.nnz === 0) throw new ModelFitError('popularity: the training matrix has no interactions');
    const scores = new Float32Array(train.nItems);
    if (this.params.weighting === 'count') {
      const idx = train.indices;
      for (let k = 0; k < idx.length; k++) scores[idx[k]] += 1;
    } else {
      // summed in float64 so large play counts do not lose precision before the final rounding
      const sums = new Float64Array(train.nItems);
      const idx = train.indices;
      const val = train.values;
      for (let k = 0; k < idx.length; k++) sums[idx[k]] += val[k];
      scores.set(sums);
    }
    this.itemScores = scores;
    this.nUsers = train.nUsers;
  }

  scoreUsers(users: Int32Array, out?: Float32Array): Float32Array {
    if (this.nUsers === 0) throw new ModelFitError('popularity: scoreUsers called before fit or load');
    const nItems = this.itemScores.length;
    const scores = out ?? new Float32Array(users.length * nItems);
    if (scores.length !== users.length * nItems) {
      throw new RangeError(`popularity: out has length ${scores.length}, expected ${users.length} × ${nItems}`);
    }
    for (let b = 0; b < users.length; b++) {
      const u = users[b];
      if (!(u >= 0 && u < this.nUsers)) throw new RangeError(`popularity: user index ${u} out of range [0, ${this.nUsers})`);
      scores.set(this.itemScores, b * nItems);
    }
    return scores;
  }

  /**
   * Cold start from liked items: popularity ignores the basket, so this is the same row every
   * user gets (items are still range-checked so a bad id fails here, as with other models).
   */
  scoreFromItems(items: Int32Array, weights?: Float32Array, out?: Float32Array): Float32Array {
    if (this.nUsers === 0) throw new ModelFitError('popularity: scoreFromItems called before fit or load');
    const nItems = this.itemScores.length;
    if (weights && weights.length !== items.length) throw new RangeError(`popularity: ${weights.length} weights for ${items.length} items`);
    for (let q = 0; q < items.length; q++) {
      if (!(items[q] >= 0 && items[q] < nItems)) throw new RangeError(`popularity: item index ${items[q]} out of range [0, ${nItems})`);
    }
    const scores = out ?? new Float32Array(nItems);
    if (scores.length !== nItems) throw new RangeError(`popularity: out has length ${scores.length}, expected ${nItems}`);
    scores.set(this.itemScores);
    return scores;
  }

  async save(dir: string): Promise<void> {
    await saveModelDir(dir, { model: this.name, params: this.params, nUsers: this.nUsers }, { itemScores: this.itemScores });
  }

  static async load(dir: string): Promise<PopularityRecommender> {
    const { meta, arrays } = await loadModelDir(dir);
    if (meta.model !== 'popularity') {
      throw new DataError(`expected a saved "popularity" model, found ${JSON.stringify(meta.model)}`, { file: dir, field: 'meta.model' });
    }
    const scores = arrays.itemScores;
    if (!(scores instanceof Float32Array)) {
      throw new DataError('saved popularity model has no float32 array "itemScores"', { file: dir, field: 'arrays.itemScores' });
    }
    const nUsers = meta.nUsers;
    if (typeof nUsers !== 'number' || !Number.isInteger(nUsers) || nUsers < 1) {
      throw new DataError(`nUsers must be a positive integer, got ${JSON.stringify(nUsers)}`, { file: dir, field: 'meta.nUsers' });
    }
    const model = new PopularityRecommender(meta.params as Partial<PopularityConfig>);
    model.itemScores = scores;
    model.nUsers = nUsers;
    return model;
  }
}

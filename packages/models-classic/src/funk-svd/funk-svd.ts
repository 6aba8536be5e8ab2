import {
  DataError,
  ModelFitError,
  Rng,
  loadModelDir,
  float32ArrayOf,
  saveModelDir,
  type FitContext,
  type Interactions,
  type Recommender,
} from '@musicrec/core';
import { REFITTABLE, SIMILAR_ITEMS, factorSimilarItems, type Refittable, type SimilarItems, type TopKResult } from '@musicrec/core';
import { scoreLatent } from '../bpr/latent-scores';
import { resolveFunkSvdConfig, type FunkSvdConfig } from './config';
import { funkSvdStep, type FunkSvdStepParams } from './funk-svd-step';

/** What the last fit did, for the report row. */
interface FunkSvdFitInfo {
  epochsRun: number;
  bestEpoch: number;
  trainRmse: number;
  bestValidationRmse: number | null;
}

/**
 * Funk-SVD: biased matrix factorisation r̂ = μ + b_u + b_i + p_u·q_i fitted by SGD to the
 * observed ratings only (the stored weights through `transform`, log1p of play counts by
 * default). A rating model: `predictPairs` is what it is for; `scoreUsers` ranks by the
 * predicted rating over all items, which says how much a user would like an item they
 * played, not whether they would play it.
 */
export class FunkSvdRecommender implements Recommender, Refittable, SimilarItems {
  readonly name = 'funk-svd';
  readonly [REFITTABLE] = true as const;
  readonly [SIMILAR_ITEMS] = true as const;
  readonly params: FunkSvdConfig;
  /** nUsers × factors, row-major. */
  userFactors: Float32Array = new Float32Array(0);
  /** nItems × factors, row-major. */
  itemFactors: Float32Array = new Float32Array(0);
  userBias: Float32Array = new Float32Array(0);
  itemBias: Float32Array = new Float32Array(0);
  /** Global mean μ of the training ratings. */
  mean = 0;
  /** Range of the training ratings, the bounds of clipped predictions. */
  minRating = 0;
  maxRating = 0;
  nUsers = 0;
  nItems = 0;
  private fitInfo: FunkSvdFitInfo | null = null;

  constructor(params: Partial<FunkSvdConfig> = {}) {
    this.params = resolveFunkSvdConfig(params);
  }

  get factors(): number {
    return this.params.factors;
  }

  /** The ratings the model fits for the stored weights of `m` (the configured transform), entry by entry. */
  ratingsOf(m: Interactions, role = 'interactions'): Float32Array {
    const out = new Float32Array(m.nnz);
    const log = this.params.transform === 'log1p';
    for (let u = 0; u < m.nUsers; u++) {
      for (let k = m.indptr[u]; k < m.indptr[u + 1]; k++) {
        const r = log ? Math.log1p(m.values[k]) : m.values[k];
        if (!Number.isFinite(r)) {
          throw new DataError(
            `funk-svd: weight ${m.values[k]} of user "${m.userIds[u]}", item "${m.itemIds[m.indices[k]]}" gives rating ${r} under transform "${this.params.transform}"`,
            { field: `${role}.values` },
          );
        }
        out[k] = r;
      }
    }
    return out;
  }

  async fit(train: Interactions, ctx: FitContext): Promise<void> {
    const c = this.params;
    const { nUsers, nItems, nnz } = train;
    if (nnz === 0) throw new ModelFitError('funk-svd: the training matrix has no interactions');
    const validation = ctx.validation && ctx.validation.nnz > 0 && c.validateEvery > 0 ? ctx.validation : null;
    if (validation && (validation.nUsers !== nUsers || validation.nItems !== nItems)) {
      throw new ModelFitError(
        `funk-svd: validation is ${validation.nUsers} × ${validation.nItems}, train is ${nUsers} × ${nItems}; they must share users and items`,
      );
    }
    const ratings = this.ratingsOf(train, 'train');
    const validationRatings = validation ? this.ratingsOf(validation, 'validation') : null;
    const F = c.factors;
    this.nUsers = nUsers;
    this.nItems = nItems;
    let sum = 0;
    let lo = Infinity;
    let hi = -Infinity;
    for (let k = 0; k < nnz; k++) {
      sum += ratings[k];
      lo = Math.min(lo, ratings[k]);
      hi = Math.max(hi, ratings[k]);
    }
    this.mean = sum / nnz;
    this.minRating = lo;
    this.maxRating = hi;
    const root = new Rng(ctx.seed);
    const initRng = root.fork('init');
    const orderRng = root.fork('order');
    this.userFactors = initRng.normalArray(nUsers * F, c.initStd);
    this.itemFactors = initRng.normalArray(nItems * F, c.initStd);
    this.userBias = new Float32Array(nUsers);
    this.itemBias = new Float32Array(nItems);

    const step: FunkSvdStepParams = { learningRate: c.learningRate, reg: c.reg, biasReg: c.biasReg };
    const userOfEntry = new Int32Array(nnz);
    for (let u = 0; u < nUsers; u++) userOfEntry.fill(u, train.indptr[u], train.indptr[u + 1]);
    const order = new Int32Array(nnz);
    for (let k = 0; k < nnz; k++) order[k] = k;
    const indices = train.indices;

    let best: { rmse: number; epoch: number; state: Float32Array[] } = { rmse: Infinity, epoch: 0, state: [] };
    let checksWithoutGain = 0;
    let epochsRun = 0;
    let trainRmse = Number.NaN;
    for (let epoch = 1; epoch <= c.epochs; epoch++) {
      orderRng.shuffle(order);
      let squared = 0;
      for (let s = 0; s < nnz; s++) {
        const k = order[s];
        const e = funkSvdStep(
          this.userFactors,
          this.itemFactors,
          this.userBias,
          this.itemBias,
          this.mean,
          F,
          userOfEntry[k],
          indices[k],
          ratings[k],
          step,
        );
        squared += e * e;
      }
      epochsRun = epoch;
      trainRmse = Math.sqrt(squared / nnz);
      this.assertFinite(epoch);
      const metrics: Record<string, number> = { trainRmse };
      if (validation && validationRatings && (epoch % c.validateEvery === 0 || epoch === c.epochs)) {
        const rmse = this.rmseOn(validation, validationRatings);
        metrics.validationRmse = rmse;
        if (rmse < best.rmse) {
          best = { rmse, epoch, state: this.state().map((a) => a.slice()) };
          checksWithoutGain = 0;
        } else if (++checksWithoutGain >= c.patience) {
          ctx.onProgress?.({ stage: 'fit funk-svd', current: epoch, total: c.epochs, metrics, message: 'early stop' });
          break;
        }
      }
      ctx.onProgress?.({ stage: 'fit funk-svd', current: epoch, total: c.epochs, metrics });
    }
    if (best.epoch > 0) [this.userFactors, this.itemFactors, this.userBias, this.itemBias] = best.state;
    this.fitInfo = {
      epochsRun,
      bestEpoch: best.epoch > 0 ? best.epoch : epochsRun,
      // the running error of the last epoch, measured during its updates
      trainRmse,
      bestValidationRmse: best.epoch > 0 ? best.rmse : null,
    };
  }

  /** Predicted ratings r̂ of the pairs (users[k], items[k]), clipped to the training range when configured. */
  predictPairs(users: Int32Array, items: Int32Array): Float32Array {
    if (this.itemFactors.length === 0) throw new ModelFitError('funk-svd: predictPairs called before fit or load');
    if (users.length !== items.length) {
      throw new RangeError(`funk-svd: predictPairs got ${users.length} users but ${items.length} items`);
    }
    const F = this.params.factors;
    const P = this.userFactors;
    const Q = this.itemFactors;
    const clip = this.params.clipPredictions;
    const out = new Float32Array(users.length);
    for (let k = 0; k < users.length; k++) {
      const u = users[k];
      const i = items[k];
      if (!(u >= 0 && u < this.nUsers)) throw new RangeError(`funk-svd: user index ${u} (pair ${k}) out of range [0, ${this.nUsers})`);
      if (!(i >= 0 && i < this.nItems)) throw new RangeError(`funk-svd: item index ${i} (pair ${k}) out of range [0, ${this.nItems})`);
      let r = this.mean + this.userBias[u] + this.itemBias[i];
      for (let f = 0, pu = u * F, qi = i * F; f < F; f++) r += P[pu + f] * Q[qi + f];
      if (clip) r = Math.min(this.maxRating, Math.max(this.minRating, r));
      out[k] = r;
    }
    return out;
  }

  scoreUsers(users: Int32Array, out?: Float32Array): Float32Array {
    const { nItems, nUsers } = this;
    if (this.itemFactors.length === 0) throw new ModelFitError('funk-svd: scoreUsers called before fit or load');
    const scores = out ?? new Float32Array(users.length * nItems);
    if (scores.length !== users.length * nItems) {
      throw new RangeError(`funk-svd: out has length ${scores.length}, expected ${users.length} × ${nItems}`);
    }
    for (let b = 0; b < users.length; b++) {
      const u = users[b];
      if (!(u >= 0 && u < nUsers)) throw new RangeError(`funk-svd: user index ${u} out of range [0, ${nUsers})`);
    }
    return scoreLatent(this.userFactors, this.itemFactors, this.params.factors, nItems, users, scores, this.itemBias, this.userBias, this.mean);
  }

  /** The k items whose factor rows q_j have the largest cosine with q_item (biases left out), best first, the item itself never listed. */
  similarItems(item: number, k: number): TopKResult {
    if (this.itemFactors.length === 0) throw new ModelFitError('funk-svd: similarItems called before fit or load');
    return factorSimilarItems(this.itemFactors, this.params.factors, item, k);
  }

  /** The epoch early stopping kept on validation (lowest RMSE); `{}` when the last fit validated nothing. */
  refitParams(): Record<string, unknown> {
    return this.fitInfo && this.fitInfo.bestValidationRmse !== null ? { epochs: this.fitInfo.bestEpoch } : {};
  }

  describe(): Record<string, unknown> {
    return { ...this.fitInfo };
  }

  async save(dir: string): Promise<void> {
    await saveModelDir(
      dir,
      {
        model: this.name,
        params: this.params,
        nUsers: this.nUsers,
        nItems: this.nItems,
        mean: this.mean,
        minRating: this.minRating,
        maxRating: this.maxRating,
        fit: this.fitInfo,
      },
      { userFactors: this.userFactors, itemFactors: this.itemFactors, userBias: this.userBias, itemBias: this.itemBias },
    );
  }

  static async load(dir: string): Promise<FunkSvdRecommender> {
    const { meta, arrays } = await loadModelDir(dir);
    if (meta.model !== 'funk-svd') {
      throw new DataError(`expected a saved "funk-svd" model, found ${JSON.stringify(meta.model)}`, { file: dir, field: 'meta.model' });
    }
    const model = new FunkSvdRecommender(meta.params as Partial<FunkSvdConfig>);
    const nUsers = meta.nUsers as number;
    const nItems = meta.nItems as number;
    const F = model.params.factors;
    for (const key of ['mean', 'minRating', 'maxRating'] as const) {
      if (typeof meta[key] !== 'number') throw new DataError(`expected a number, found ${JSON.stringify(meta[key])}`, { file: dir, field: `meta.${key}` });
      model[key] = meta[key] as number;
    }
    model.userFactors = float32ArrayOf(arrays, 'userFactors', nUsers * F, dir);
    model.itemFactors = float32ArrayOf(arrays, 'itemFactors', nItems * F, dir);
    model.userBias = float32ArrayOf(arrays, 'userBias', nUsers, dir);
    model.itemBias = float32ArrayOf(arrays, 'itemBias', nItems, dir);
    model.nUsers = nUsers;
    model.nItems = nItems;
    model.fitInfo = (meta.fit as FunkSvdFitInfo | null) ?? null;
    return model;
  }

  /** Root mean squared error of the predictions on the stored pairs of `m` against `ratings`. */
  private rmseOn(m: Interactions, ratings: Float32Array): number {
    const users = new Int32Array(m.nnz);
    for (let u = 0; u < m.nUsers; u++) users.fill(u, m.indptr[u], m.indptr[u + 1]);
    const predicted = this.predictPairs(users, m.indices);
    let squared = 0;
    for (let k = 0; k < predicted.length; k++) squared += (ratings[k] - predicted[k]) ** 2;
    return Math.sqrt(squared / predicted.length);
  }

  private state(): Float32Array[] {
    return [this.userFactors, this.itemFactors, this.userBias, this.itemBias];
  }

  private assertFinite(epoch: number): void {
    const names = ['userFactors', 'itemFactors', 'userBias', 'itemBias'];
    this.state().forEach((a, n) => {
      for (let k = 0; k < a.length; k++) {
        if (!Number.isFinite(a[k])) {
          throw new ModelFitError(
            `funk-svd: ${names[n]}[${k}] became ${a[k]} in epoch ${epoch}; lower learningRate (${this.params.learningRate}) or raise reg`,
          );
        }
      }
    });
  }
}



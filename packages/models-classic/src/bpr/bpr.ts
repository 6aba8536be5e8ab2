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
import { AliasSampler } from './alias-sampler';
import { bprStep, type BprStepParams } from './bpr-step';
import { scoreLatent } from './latent-scores';
import { resolveBprConfig, type BprConfig } from './config';

/** Redraws of a negative that the user already has before the triple is skipped. */
const MAX_NEGATIVE_TRIES = 32;

/** What the last fit did, for the report row. */
interface BprFitInfo {
  epochsRun: number;
  bestEpoch: number;
  bestValidationNdcg: number | null;
  /** Triples dropped because no unseen negative was found in MAX_NEGATIVE_TRIES draws. */
  skippedTriples: number;
}

/**
 * BPR-MF (Rendle et al. 2009): matrix factorisation with an item bias, trained by SGD on
 * (user, positive, sampled negative) triples to rank each user's items above the rest.
 * Every stored entry of the training matrix is a positive; weights are not used.
 */
export class BprRecommender implements Recommender, Refittable, SimilarItems {
  readonly name = 'bpr';
  readonly [SIMILAR_ITEMS] = true as const;
  readonly [REFITTABLE] = true as const;
  readonly params: BprConfig;
  /** nUsers × factors, row-major. */
  userFactors: Float32Array = new Float32Array(0);
  /** nItems × factors, row-major. */
  itemFactors: Float32Array = new Float32Array(0);
  itemBias: Float32Array = new Float32Array(0);
  nUsers = 0;
  nItems = 0;
  private fitInfo: BprFitInfo | null = null;

  constructor(params: Partial<BprConfig> = {}) {
    this.params = resolveBprConfig(params);
  }

  get factors(): number {
    return this.params.factors;
  }

  async fit(train: Interactions, ctx: FitContext): Promise<void> {
    const c = this.params;
    const { nUsers, nItems, nnz } = train;
    if (nnz === 0) throw new ModelFitError('bpr: the training matrix has no interactions');
    if (nItems < 2) throw new ModelFitError(`bpr: need at least 2 items to sample negatives, got ${nItems}`);
    const F = c.factors;
    this.nUsers = nUsers;
    this.nItems = nItems;
    const root = new Rng(ctx.seed);
    const initRng = root.fork('init');
    const rng = root.fork('triples');
    this.userFactors = initRng.normalArray(nUsers * F, c.initStd);
    this.itemFactors = initRng.normalArray(nItems * F, c.initStd);
    this.itemBias = new Float32Array(nItems);

    const step: BprStepParams = {
      learningRate: c.learningRate,
      userReg: c.userReg ?? c.reg,
      posItemReg: c.posItemReg ?? c.reg,
      negItemReg: c.negItemReg ?? c.reg,
      biasReg: c.biasReg ?? c.reg,
    };
    const userOfEntry = new Int32Array(nnz);
    for (let u = 0; u < nUsers; u++) userOfEntry.fill(u, train.indptr[u], train.indptr[u + 1]);
    const negatives = c.sampling === 'popularity' ? popularitySampler(train, c.popAlpha) : null;
    const indices = train.indices;

    const validate = c.validateEvery > 0 ? ctx.validate : undefined;
    let best = { score: -Infinity, epoch: 0, user: this.userFactors, item: this.itemFactors, bias: this.itemBias };
    let checksWithoutGain = 0;
    let skipped = 0;
    let epochsRun = 0;
    for (let epoch = 1; epoch <= c.epochs; epoch++) {
      let ordered = 0;
      for (let s = 0; s < nnz; s++) {
        const k = rng.int(nnz);
        const u = userOfEntry[k];
        const i = indices[k];
        let j = -1;
        for (let t = 0; t < MAX_NEGATIVE_TRIES; t++) {
          const cand = negatives ? negatives.sample(rng) : rng.int(nItems);
          if (!train.has(u, cand)) {
            j = cand;
            break;
          }
        }
        if (j < 0) {
          skipped++;
          continue;
        }
        if (bprStep(this.userFactors, this.itemFactors, this.itemBias, F, u, i, j, step) > 0) ordered++;
      }
      epochsRun = epoch;
      this.assertFinite(epoch);
      const metrics: Record<string, number> = { orderedFraction: ordered / nnz };
      if (validate && (epoch % c.validateEvery === 0 || epoch === c.epochs)) {
        const score = validate(this);
        metrics.validationNdcg = score;
        if (score > best.score) {
          best = { score, epoch, user: this.userFactors.slice(), item: this.itemFactors.slice(), bias: this.itemBias.slice() };
          checksWithoutGain = 0;
        } else if (++checksWithoutGain >= c.patience) {
          ctx.onProgress?.({ stage: 'fit bpr', current: epoch, total: c.epochs, metrics, message: 'early stop' });
          break;
        }
      }
      ctx.onProgress?.({ stage: 'fit bpr', current: epoch, total: c.epochs, metrics });
    }
    if (best.epoch > 0) {
      this.userFactors = best.user;
      this.itemFactors = best.item;
      this.itemBias = best.bias;
    }
    this.fitInfo = {
      epochsRun,
      bestEpoch: best.epoch > 0 ? best.epoch : epochsRun,
      bestValidationNdcg: best.epoch > 0 ? best.score : null,
      skippedTriples: skipped,
    };
  }

  scoreUsers(users: Int32Array, out?: Float32Array): Float32Array {
    const { nItems, nUsers } = this;
    const F = this.params.factors;
    if (this.itemFactors.length === 0) throw new ModelFitError('bpr: scoreUsers called before fit or load');
    const scores = out ?? new Float32Array(users.length * nItems);
    if (scores.length !== users.length * nItems) {
      throw new RangeError(`bpr: out has length ${scores.length}, expected ${users.length} × ${nItems}`);
    }
    for (let b = 0; b < users.length; b++) {
      const u = users[b];
      if (!(u >= 0 && u < nUsers)) throw new RangeError(`bpr: user index ${u} out of range [0, ${nUsers})`);
    }
    return scoreLatent(this.userFactors, this.itemFactors, F, nItems, users, scores, this.itemBias);
  }

  /**
   * The k items whose factor rows q_j have the largest cosine with q_item (the item bias, which
   * ranks items the same for everyone, left out), best first, the item itself never listed.
   */
  similarItems(item: number, k: number): TopKResult {
    if (this.itemFactors.length === 0) throw new ModelFitError('bpr: similarItems called before fit or load');
    return factorSimilarItems(this.itemFactors, this.params.factors, item, k);
  }

  /** The epoch early stopping kept on validation; `{}` when the last fit validated nothing. */
  refitParams(): Record<string, unknown> {
    return this.fitInfo && this.fitInfo.bestValidationNdcg !== null ? { epochs: this.fitInfo.bestEpoch } : {};
  }

  describe(): Record<string, unknown> {
    return { ...this.fitInfo };
  }

  async save(dir: string): Promise<void> {
    await saveModelDir(
      dir,
      { model: this.name, params: this.params, nUsers: this.nUsers, nItems: this.nItems, fit: this.fitInfo },
      { userFactors: this.userFactors, itemFactors: this.itemFactors, itemBias: this.itemBias },
    );
  }

  static async load(dir: string): Promise<BprRecommender> {
    const { meta, arrays } = await loadModelDir(dir);
    if (meta.model !== 'bpr') throw new DataError(`expected a saved "bpr" model, found ${JSON.stringify(meta.model)}`, { file: dir, field: 'meta.model' });
    const model = new BprRecommender(meta.params as Partial<BprConfig>);
    const nUsers = meta.nUsers as number;
    const nItems = meta.nItems as number;
    const F = model.params.factors;
    model.userFactors = float32ArrayOf(arrays, 'userFactors', nUsers * F, dir);
    model.itemFactors = float32ArrayOf(arrays, 'itemFactors', nItems * F, dir);
    model.itemBias = float32ArrayOf(arrays, 'itemBias', nItems, dir);
    model.nUsers = nUsers;
    model.nItems = nItems;
    model.fitInfo = (meta.fit as BprFitInfo | null) ?? null;
    return model;
  }

  private assertFinite(epoch: number): void {
    for (const [name, a] of [['userFactors', this.userFactors], ['itemFactors', this.itemFactors], ['itemBias', this.itemBias]] as const) {
      for (let k = 0; k < a.length; k++) {
        if (!Number.isFinite(a[k])) {
          throw new ModelFitError(`bpr: ${name}[${k}] became ${a[k]} in epoch ${epoch}; lower learningRate (${this.params.learningRate}) or raise reg`);
        }
      }
    }
  }
}

/** Negatives ∝ (number of users of the item)^alpha, as word2vec-style popularity sampling. */
function popularitySampler(train: Interactions, alpha: number): AliasSampler {
  const counts = train.itemCounts();
  const weights = new Float64Array(counts.length);
  for (let i = 0; i < counts.length; i++) weights[i] = counts[i] > 0 ? Math.pow(counts[i], alpha) : 0;
  return AliasSampler.fromWeights(weights);
}



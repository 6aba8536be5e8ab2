import {
  DataError,
  FACTOR_FOLD_IN,
  COLD_START_SCORER,
  SIMILAR_ITEMS,
  factorSimilarItems,
  Interactions,
  ModelFitError,
  Rng,
  loadModelDir,
  saveModelDir,
  type FitContext,
  recommendTopK,
  type Recommender,
  type TopKResult,
  type FactorFoldIn,
  type ColdStartScorer,
  type SimilarItems,
  type StoredArray,
} from '@musicrec/core';
import { EXPLAINER, REFITTABLE, type Explainer, type Explanation, type Refittable } from '@musicrec/core';
import { itemSimilarityOf, nearestLikedItems } from '../cold-start/item-similarity';
import { AlsEngine } from './als-engine';
import { allocateAlsBuffers, simdApplies } from './als-buffers';
import { buildRowSystem, choleskySolveInPlace } from './cholesky-solver';
import { bm25LengthNorms, bm25Weight, confidenceValues } from './confidence';
import { resolveIalsConfig, type IalsConfig } from './config';
import { accumulateGram, addToDiagonal } from './gram';
import { FactorScorer } from './factor-scorer';
import { FactorTopK, type FactorTopKOptions } from './factor-topk';
import { scoreUsersByFactors } from './score';
import { simdKernelModule } from './simd-module';

/**
 * Below this many estimated multiply-adds for the whole fit (about a second of one core at
 * the SIMD kernels' speed), starting the workers (about half a second of CPU each: tsx
 * loads the worker's modules again) costs more than the second thread saves.
 */
const MIN_WORK_FOR_THREADS = 5e9;

/** The same bound for recommendAll, in multiply-adds of scoring every item for every user asked. */
const MIN_SCORING_WORK_FOR_THREADS = 5e9;

/** What the last fit did, for the report row. */
interface IalsFitInfo {
  iterationsRun: number;
  bestIteration: number;
  bestValidationNdcg: number | null;
  threadsUsed: number;
  /** Which kernels solved the half-steps: 'simd' (WebAssembly f32x4) or 'js' (Float64). */
  kernel: 'simd' | 'js';
  /** Wall-clock seconds per iteration (both half-steps), mean over the iterations run. */
  secondsPerIteration: number;
}

/**
 * Implicit ALS (Hu, Koren, Volinsky 2008), solved like the `implicit` library: alternating
 * user and item half-steps, each row by a few conjugate-gradient steps (or an exact
 * Cholesky solve), on worker threads over shared memory. Scores are U·Vᵀ.
 */
export class ImplicitALS implements Recommender, FactorFoldIn, ColdStartScorer, SimilarItems, Explainer, Refittable {
  readonly name = 'ials';
  readonly [REFITTABLE] = true as const;
  readonly [FACTOR_FOLD_IN] = true as const;
  readonly [COLD_START_SCORER] = true as const;
  readonly [SIMILAR_ITEMS] = true as const;
  readonly [EXPLAINER] = true as const;
  readonly params: IalsConfig;
  /** nUsers × factors, row-major. */
  userFactors: Float32Array = new Float32Array(0);
  /** nItems × factors, row-major. */
  itemFactors: Float32Array = new Float32Array(0);
  nUsers = 0;
  nItems = 0;
  /** BM25 length norm per item from the training data (weighting 'bm25' only), for fold-in. */
  private bm25Norms: Float32Array | null = null;
  /** Each training user's items (CSR), for the liked items `explain` names; null for a model saved without them. */
  private history: { indptr: Int32Array; indices: Int32Array } | null = null;
  /** VᵀV + λI for fold-in, computed on first use. */
  private itemGram: Float64Array | null = null;
  private fitInfo: IalsFitInfo | null = null;
  /** SIMD scorer over the current factors, built on first use after they change. */
  private scorer: FactorScorer | null = null;
  /** Fused top-k over the current factors (recommendAll), built on first use after they change. */
  private topk: FactorTopK | null = null;

  constructor(params: Partial<IalsConfig> = {}) {
    this.params = resolveIalsConfig(params);
  }

  get factors(): number {
    return this.params.factors;
  }

  async fit(train: Interactions, ctx: FitContext): Promise<void> {
    const c = this.params;
    const f = c.factors;
    const { nUsers, nItems, nnz } = train;
    if (nnz === 0) throw new ModelFitError('ials: the training matrix has no interactions');
    this.nUsers = nUsers;
    this.nItems = nItems;
    this.itemGram = null;
    this.bm25Norms = c.weighting === 'bm25' ? bm25LengthNorms(train) : null;
    this.history = { indptr: train.indptr, indices: train.indices };

    const confidence = confidenceValues(train, c.weighting, c.alpha);
    const byItem = new Interactions(train.indptr, train.indices, confidence, train.userIds, train.itemIds).transpose();
    const threads = effectiveThreads(c, nUsers, nItems, nnz);
    const simd = c.simd && simdApplies(f, c.solver);
    const rng = new Rng(ctx.seed).fork('ials-init');
    const buffers = allocateAlsBuffers(
      {
        factors: f,
        regularization: c.regularization,
        solver: c.solver,
        cgSteps: c.cgSteps,
        userIndptr: train.indptr,
        userIndices: train.indices,
        userConfidence: confidence,
        itemIndptr: byItem.indptr,
        itemIndices: byItem.indices,
        itemConfidence: byItem.values,
        userFactors: rng.normalArray(nUsers * f, c.initStd),
        itemFactors: rng.normalArray(nItems * f, c.initStd),
      },
      threads,
      simd ? simdKernelModule : null,
      threads > 1,
    );
    // scoreUsers (and so ctx.validate) reads the live factors during the fit
    this.userFactors = buffers.userFactors;
    this.itemFactors = buffers.itemFactors;
    this.factorsChanged();

    const validate = c.validateEvery > 0 ? ctx.validate : undefined;
    let best = { score: -Infinity, iteration: 0, user: null as Float32Array | null, item: null as Float32Array | null };
    let checksWithoutGain = 0;
    let iterationsRun = 0;
    let solveSeconds = 0;
    const engine = AlsEngine.create(buffers);
    try {
      for (let it = 1; it <= c.iterations; it++) {
        const t0 = performance.now();
        await engine.halfStep('users');
        await engine.halfStep('items');
        solveSeconds += (performance.now() - t0) / 1000;
        iterationsRun = it;
        assertFinite(buffers.userFactors, f, 'user', it);
        assertFinite(buffers.itemFactors, f, 'item', it);
        this.factorsChanged();
        let score: number | undefined;
        if (validate && it % c.validateEvery === 0) {
          score = validate(this);
          if (score > best.score) {
            best = { score, iteration: it, user: buffers.userFactors.slice(), item: buffers.itemFactors.slice() };
            checksWithoutGain = 0;
          } else {
            checksWithoutGain++;
          }
        }
        ctx.onProgress?.({
          stage: 'fit ials',
          current: it,
          total: c.iterations,
          metrics: score === undefined ? undefined : { validationNdcg: score },
        });
        if (checksWithoutGain >= c.patience) break;
      }
    } catch (e) {
      // a worker's ModelFitError arrives as a plain Error with that name
      if (e instanceof Error && e.name === 'ModelFitError' && !(e instanceof ModelFitError)) throw new ModelFitError(e.message);
      throw e;
    } finally {
      await engine.close();
    }
    // slice() also moves the factors off the SharedArrayBuffers
    this.userFactors = best.user ?? buffers.userFactors.slice();
    this.itemFactors = best.item ?? buffers.itemFactors.slice();
    this.factorsChanged();
    this.fitInfo = {
      iterationsRun,
      bestIteration: best.user ? best.iteration : iterationsRun,
      bestValidationNdcg: best.user ? best.score : null,
      threadsUsed: threads,
      kernel: buffers.kernel,
      secondsPerIteration: iterationsRun > 0 ? solveSeconds / iterationsRun : 0,
    };
  }

  scoreUsers(users: Int32Array, out?: Float32Array): Float32Array {
    const n = users.length * this.nItems;
    if (out && out.length !== n) throw new RangeError(`ials: out has length ${out.length}, expected ${n}`);
    for (let b = 0; b < users.length; b++) {
      const u = users[b];
      if (!(u >= 0 && u < this.nUsers)) throw new RangeError(`ials: user index ${u} out of range [0, ${this.nUsers})`);
    }
    const scores = out ?? new Float32Array(n);
    if (this.params.simd) {
      this.scorer ??= new FactorScorer(simdKernelModule, this.userFactors, this.itemFactors, this.nItems, this.params.factors);
      this.scorer.score(users, scores);
    } else {
      scoreUsersByFactors(this.userFactors, users, this.itemFactors, this.nItems, this.params.factors, scores);
    }
    return scores;
  }

  /**
   * Top `k` items for each of `users`, best first, the items of `exclude` (normally the
   * training matrix) left out: exactly `recommendTopK(this, users, nItems, k, { exclude })`,
   * but from the fused SIMD kernel that never materialises the score matrix and skips items
   * whose norm cannot reach a user's k-th score. `threads` defaults to the fit's threads when
   * scoring everything would take more than about half a second on one core, else 1.
   */
  async recommendAll(users: Int32Array, k: number, exclude?: Interactions, options: FactorTopKOptions = {}): Promise<TopKResult> {
    if (!this.params.simd) return recommendTopK(this, users, this.nItems, k, { exclude });
    this.topk ??= new FactorTopK(this.userFactors, this.itemFactors, this.params.factors);
    const work = users.length * this.nItems * this.params.factors;
    const threads = options.threads ?? (work >= MIN_SCORING_WORK_FOR_THREADS ? this.params.threads : 1);
    return this.topk.recommend(users, k, exclude, { threads });
  }

  /**
   * The user vector that best explains `items` (with optional interaction weights, default
   * 1) against the fixed item factors: the exact solve of one user half-step, no refit.
   * This is the cold-start path for a user the model has not seen.
   */
  foldInUser(items: Int32Array, weights?: Float32Array): Float32Array {
    const c = this.params;
    const f = c.factors;
    if (weights && weights.length !== items.length) {
      throw new RangeError(`ials: ${weights.length} weights for ${items.length} items`);
    }
    const confidence = new Float32Array(items.length);
    for (let k = 0; k < items.length; k++) {
      const i = items[k];
      if (!(i >= 0 && i < this.nItems)) throw new RangeError(`ials: item index ${i} out of range [0, ${this.nItems})`);
      const w = weights ? weights[k] : 1;
      const fw =
        c.weighting === 'bm25'
          ? bm25Weight(w, this.bm25Norms![i], items.length, this.nItems)
          : c.weighting === 'log1p'
            ? Math.log1p(w)
            : w;
      confidence[k] = 1 + c.alpha * fw;
      if (!Number.isFinite(confidence[k])) {
        throw new RangeError(`ials: weight ${w} of item ${i} gives confidence ${confidence[k]} with weighting "${c.weighting}"`);
      }
    }
    if (!this.itemGram) {
      const g = new Float64Array(f * f);
      accumulateGram(this.itemFactors, f, 0, this.nItems, g);
      addToDiagonal(g, f, c.regularization);
      this.itemGram = g;
    }
    const a = new Float64Array(f * f);
    const b = new Float64Array(f);
    buildRowSystem(this.itemGram, this.itemFactors, items, confidence, 0, items.length, f, a, b);
    if (!choleskySolveInPlace(a, b, f)) {
      throw new ModelFitError('ials: the fold-in system is not positive definite (raise regularization)');
    }
    return Float32Array.from(b);
  }

  /**
   * Cold start from liked items: the fold-in vector of the basket (`foldInUser`) against
   * every item factor. For a training user's own items this approximates their trained row
   * (the exact user half-step against the final item factors, not the one the fit ran).
   */
  scoreFromItems(items: Int32Array, weights?: Float32Array, out?: Float32Array): Float32Array {
    if (this.nItems === 0) throw new ModelFitError('ials: scoreFromItems called before fit or load');
    const scores = out ?? new Float32Array(this.nItems);
    if (scores.length !== this.nItems) throw new RangeError(`ials: out has length ${scores.length}, expected ${this.nItems}`);
    const x = this.foldInUser(items, weights);
    const f = this.params.factors;
    const v = this.itemFactors;
    for (let i = 0; i < this.nItems; i++) {
      let s = 0;
      for (let d = 0; d < f; d++) s += x[d] * v[i * f + d];
      scores[i] = s;
    }
    return scores;
  }

  /** The k items whose factor rows are nearest `item`'s by cosine (the item itself left out). */
  similarItems(item: number, k: number): TopKResult {
    if (this.nItems === 0) throw new ModelFitError('ials: similarItems called before fit or load');
    return factorSimilarItems(this.itemFactors, this.params.factors, item, k);
  }

  /** The iteration count early stopping kept on validation; `{}` when the last fit validated nothing. */
  refitParams(): Record<string, unknown> {
    return this.fitInfo && this.fitInfo.bestValidationNdcg !== null ? { iterations: this.fitInfo.bestIteration } : {};
  }

  /**
   * Why `item` scores what it does for training user `user`: the score is one dot product of the
   * trained user and item factors (contributions `{ cf: score }`), and the user's training items
   * nearest `item` by item-factor cosine are the "because you liked" list (empty for a model
   * saved without its training rows).
   */
  explain(user: number, item: number): Explanation {
    if (this.nItems === 0) throw new ModelFitError('ials: explain called before fit or load');
    this.checkItem(item);
    const score = this.scoreUsers(Int32Array.of(user))[item];
    const liked = this.history ? this.history.indices.subarray(this.history.indptr[user], this.history.indptr[user + 1]) : null;
    return {
      score,
      contributions: { cf: score },
      nearestLikedItems: liked ? this.nearestLiked(liked, item) : [],
      details: { userFactors: 'trained', ...(liked ? {} : { note: 'saved without training rows: no liked items to name' }) },
    };
  }

  /** The same for a basket of liked items: the fold-in user (`scoreFromItems`), the basket's items nearest `item`. */
  explainFromItems(items: Int32Array, item: number, weights?: Float32Array): Explanation {
    if (this.nItems === 0) throw new ModelFitError('ials: explainFromItems called before fit or load');
    this.checkItem(item);
    const score = this.scoreFromItems(items, weights)[item];
    return { score, contributions: { cf: score }, nearestLikedItems: this.nearestLiked(items, item), details: { userFactors: 'fold-in' } };
  }

  private nearestLiked(liked: Int32Array, item: number): Explanation['nearestLikedItems'] {
    return nearestLikedItems(liked, item, itemSimilarityOf(this, this.nItems)!);
  }

  private checkItem(i: number): void {
    if (!(Number.isInteger(i) && i >= 0 && i < this.nItems)) throw new RangeError(`ials: item index ${i} out of range [0, ${this.nItems})`);
  }

  describe(): Record<string, unknown> {
    return this.fitInfo ? { ...this.fitInfo } : {};
  }

  async save(dir: string): Promise<void> {
    const arrays: Record<string, StoredArray> = { userFactors: this.userFactors, itemFactors: this.itemFactors };
    if (this.bm25Norms) arrays.bm25Norms = this.bm25Norms;
    if (this.history) {
      arrays.historyIndptr = this.history.indptr;
      arrays.historyIndices = this.history.indices;
    }
    await saveModelDir(
      dir,
      { model: this.name, params: this.params, nUsers: this.nUsers, nItems: this.nItems, fitInfo: this.fitInfo },
      arrays,
    );
  }

  /** Drops the scorers built over the old factors (and the top-k workers, idle by then). */
  private factorsChanged(): void {
    this.scorer = null;
    void this.topk?.close();
    this.topk = null;
  }

  static async load(dir: string): Promise<ImplicitALS> {
    const { meta, arrays } = await loadModelDir(dir);
    if (meta.model !== 'ials') throw new DataError(`expected an ials model, found ${JSON.stringify(meta.model)}`, { file: dir, field: 'meta.model' });
    const model = new ImplicitALS(meta.params as Partial<IalsConfig>);
    const f = model.params.factors;
    model.nUsers = meta.nUsers as number;
    model.nItems = meta.nItems as number;
    model.fitInfo = (meta.fitInfo as IalsFitInfo | null) ?? null;
    model.userFactors = arrays.userFactors as Float32Array;
    model.itemFactors = arrays.itemFactors as Float32Array;
    if (!(model.userFactors instanceof Float32Array) || model.userFactors.length !== model.nUsers * f) {
      throw new DataError(`userFactors must be ${model.nUsers} × ${f} float32`, { file: dir, field: 'arrays.userFactors' });
    }
    if (!(model.itemFactors instanceof Float32Array) || model.itemFactors.length !== model.nItems * f) {
      throw new DataError(`itemFactors must be ${model.nItems} × ${f} float32`, { file: dir, field: 'arrays.itemFactors' });
    }
    if (model.params.weighting === 'bm25') {
      const norms = arrays.bm25Norms;
      if (!(norms instanceof Float32Array) || norms.length !== model.nItems) {
        throw new DataError(`bm25Norms must be ${model.nItems} float32`, { file: dir, field: 'arrays.bm25Norms' });
      }
      model.bm25Norms = norms;
    }
    // models saved before the training rows were kept load without them (explain then names no liked items)
    const { historyIndptr, historyIndices } = arrays;
    if (historyIndptr !== undefined || historyIndices !== undefined) {
      if (!(historyIndptr instanceof Int32Array) || historyIndptr.length !== model.nUsers + 1 || !(historyIndices instanceof Int32Array)) {
        throw new DataError(`historyIndptr must be ${model.nUsers + 1} int32 beside int32 historyIndices`, { file: dir, field: 'arrays.historyIndptr' });
      }
      if (historyIndptr[0] !== 0 || historyIndptr[model.nUsers] !== historyIndices.length || historyIndices.some((i) => !(i >= 0 && i < model.nItems))) {
        throw new DataError(`historyIndptr / historyIndices do not describe ${model.nUsers} rows of items in [0, ${model.nItems})`, { file: dir, field: 'arrays.historyIndices' });
      }
      model.history = { indptr: historyIndptr, indices: historyIndices };
    }
    return model;
  }
}

/** The configured threads, or 1 when the whole fit is too small to pay for starting workers. */
function effectiveThreads(c: IalsConfig, nUsers: number, nItems: number, nnz: number): number {
  if (c.threads === 1) return 1;
  const f = c.factors;
  const perRow = c.solver === 'cg' ? (1 + c.cgSteps) * f * f : (f * f * f) / 3;
  const perEntry = c.solver === 'cg' ? 4 * (1 + c.cgSteps) * f : f * f;
  const work = c.iterations * ((nUsers + nItems) * (perRow + (f * f) / 2) + 2 * nnz * perEntry);
  return work < MIN_WORK_FOR_THREADS ? 1 : c.threads;
}


function assertFinite(factors: Float32Array, f: number, side: string, iteration: number): void {
  for (let k = 0; k < factors.length; k++) {
    if (!Number.isFinite(factors[k])) {
      throw new ModelFitError(
        `ials: ${side} factors became ${factors[k]} at iteration ${iteration} (row ${Math.floor(k / f)}); ` +
          'lower alpha or raise regularization',
      );
    }
  }
}

import { join } from 'node:path';
import {
  ConfigError,
  DataError,
  ModelFitError,
  Rng,
  isColdStartScorer,
  loadModelDir,
  saveModelDir,
  type ColdStartScorer,
  type FitContext,
  type Interactions,
  type Recommender,
} from '@musicrec/core';
import { REFITTABLE, type Refittable } from '@musicrec/core';
import { COLD_START_SCORER, EXPLAINER, SIMILAR_ITEMS, isSimilarItems } from '@musicrec/core';
import type { Explainer, Explanation, SimilarItems, TopKResult } from '@musicrec/core';
import { ContentKnnRecommender } from '../content-knn';
import {
  buildColdItemImputation,
  coldItemArrays,
  hasColdItemImputation,
  imputeColdScores,
  imputedFrom,
  itemSimilarityOf,
  loadColdItemImputation,
  nearestLikedItems,
  noColdItemImputation,
  type ColdItemImputation,
  type ItemSimilarityFn,
  type LikedNeighbor,
} from '../cold-start';
import { MmrRecommender, type ItemVectors } from '../mmr';
import { PopularityRecommender } from '../popularity';
import { blendInto, topMinMaxInto, zScoreInto, type TopScratch } from './blend';
import {
  BUCKETS,
  MEMBERS,
  historyBucket,
  resolveEnsembleConfig,
  untunedWeights,
  type BucketWeights,
  type EnsembleBucket,
  type EnsembleConfig,
  type EnsembleMember,
} from './config';
import { cfMemberFactory } from './member-factories';
import { simplexGrid } from './simplex-grid';
import { tuneBucket } from './weight-tuning';

/** Users whose member rows are held at once while scoring (bounds memory at 3 × this × nItems floats). */
const SCORE_BATCH = 64;
const MMR_DIR = 'mmr';
const BLEND_VIEW_NAME = 'ensemble-blend';

/** How the weights in use were obtained, for the report row. */
interface WeightsInfo {
  source: 'given' | 'tuned' | 'untuned';
  /** Best validation NDCG@10 per tuned bucket. */
  validationNdcg: Partial<Record<EnsembleBucket, number>>;
  /** Validation users scored per bucket. */
  validationUsers: Partial<Record<EnsembleBucket, number>>;
  /** Buckets where the one-standard-error rule kept CF alone over a noisily better blend. */
  keptCfOnly?: EnsembleBucket[];
  /** Buckets tuned on simulated short histories (see `minBucketUsers`). */
  simulatedBuckets?: EnsembleBucket[];
  note?: string;
}

/** What the ensemble adds to an explanation (`Explanation.details`). */
export type EnsembleDetails = {
  /** The z-scored member scores themselves. */
  memberScores: Partial<Record<EnsembleMember, number>>;
  bucket: EnsembleBucket;
  historyLength: number;
  /**
   * For an item nobody played: the played items (with weights summing to 1) whose CF and
   * popularity scores its own were imputed from; empty for a played item, or where the
   * bucket's cold-item share is 0.
   */
  coldItemImputedFrom: { item: number; weight: number }[];
};

/**
 * Why a score is what it is: the blend term by term (`contributions`: weight × z-scored member
 * score per fitted member; `score` is exactly their sum in member order), and the liked items
 * behind it.
 */
export interface EnsembleExplanation extends Explanation {
  details: EnsembleDetails;
}

const CONTENT_MEMBER = MEMBERS.indexOf('content');

/**
 * Adaptive ensemble: a collaborative member (iALS by default), content-kNN (skipped, with
 * the reason recorded, when the catalog has no content) and popularity. Each member's row
 * is normalised per user (`normalization`: min–max over its top unseen items by default, or a
 * z-score over the catalogue), then summed with the weights of the
 * user's training-history bucket (new / cold / active), tuned per bucket on the validation
 * fold by a grid over the weight simplex. Optional MMR re-ranking of the blended list
 * (`mmrLambda` < 1) through the existing `MmrRecommender`.
 */
export class AdaptiveEnsemble implements Recommender, ColdStartScorer, Explainer, SimilarItems, Refittable {
  readonly name = 'ensemble';
  readonly [REFITTABLE] = true as const;
  readonly [COLD_START_SCORER] = true as const;
  readonly [EXPLAINER] = true as const;
  readonly [SIMILAR_ITEMS] = true as const;
  readonly params: Readonly<EnsembleConfig>;
  /** [cf, content, popularity]; null where skipped or before fit. */
  private members: (Recommender | null)[] = [null, null, null];
  private skipped: Partial<Record<EnsembleMember, string>> = {};
  private weights: BucketWeights | null = null;
  private weightsInfo: WeightsInfo | null = null;
  private history: { indptr: Int32Array; indices: Int32Array } = { indptr: new Int32Array(1), indices: new Int32Array(0) };
  private nItems = 0;
  private similarity: ItemSimilarityFn | null = null;
  private imputation: ColdItemImputation = noColdItemImputation(0);
  private mmr: MmrRecommender | null = null;
  private topScratch: TopScratch | null = null;

  constructor(params: Partial<EnsembleConfig> = {}) {
    this.params = resolveEnsembleConfig(params);
  }

  get nUsers(): number {
    return this.history.indptr.length - 1;
  }

  /** The weights in use per bucket ([cf, content, popularity]); null before fit. */
  get bucketWeights(): BucketWeights | null {
    return this.weights;
  }

  /** A fitted member (null when skipped). */
  member(name: EnsembleMember): Recommender | null {
    return this.members[MEMBERS.indexOf(name)];
  }

  /** Bucket of a training-history length under this model's thresholds. */
  bucketOf(historyLength: number): EnsembleBucket {
    return BUCKETS[historyBucket(historyLength, this.params.newMaxItems, this.params.coldMaxItems)];
  }

  async fit(train: Interactions, ctx: FitContext): Promise<void> {
    if (train.nnz === 0) throw new ModelFitError('ensemble: the training matrix has no interactions');
    const c = this.params;
    this.skipped = {};
    const cf = cfMemberFactory(c.cf).create(c.cfParams);
    await cf.fit(train, ctx);
    const content = await this.fitContent(train, ctx);
    const popularity = new PopularityRecommender();
    await popularity.fit(train, ctx);
    this.members = [cf, content, popularity];
    this.history = { indptr: train.indptr, indices: train.indices };
    this.nItems = train.nItems;
    this.imputation = content && c.coldNeighbors > 0 ? buildColdItemImputation(content, train, c.coldNeighbors) : noColdItemImputation(train.nItems);
    if (c.bucketWeights) {
      this.setWeights(c.bucketWeights, { source: 'given', validationNdcg: {}, validationUsers: {} });
    } else if (ctx.validation) {
      this.tuneWeights(train, ctx.validation, ctx.seed);
    } else {
      this.setWeights(untunedWeights, { source: 'untuned', validationNdcg: {}, validationUsers: {}, note: 'no validation fold to tune on' });
    }
    this.similarity = itemSimilarityOf(content ?? cf, train.nItems);
    this.mmr = null;
    if (c.mmrLambda < 1) {
      const mmr = new MmrRecommender(this.blendView(), { lambda: c.mmrLambda, pool: c.mmrPool }, this.mmrVectors());
      await mmr.fit(train, ctx);
      this.mmr = mmr;
    }
  }

  scoreUsers(users: Int32Array, out?: Float32Array): Float32Array {
    this.requireFitted('scoreUsers');
    return this.mmr ? this.mmr.scoreUsers(users, out) : this.blendUsers(users, out);
  }

  /**
   * Cold start from liked items: each member's `scoreFromItems`, z-scored and blended with the
   * weights of the bucket of the basket's length. No MMR here (it re-ranks training users).
   */
  scoreFromItems(items: Int32Array, weights?: Float32Array, out?: Float32Array): Float32Array {
    this.requireFitted('scoreFromItems');
    const n = this.nItems;
    const scores = out ?? new Float32Array(n);
    if (scores.length !== n) throw new RangeError(`ensemble: out has length ${scores.length}, expected ${n}`);
    const w = this.weightsOf(items.length);
    const rows = this.basketRows(items, weights, w);
    blendInto(rows, 0, w, n, scores, 0, new Float64Array(n));
    return scores;
  }

  /** Why `item` scores what it does for training user `user`. */
  explain(user: number, item: number): EnsembleExplanation {
    this.requireFitted('explain');
    this.checkUser(user);
    this.checkItem(item);
    const liked = this.history.indices.subarray(this.history.indptr[user], this.history.indptr[user + 1]);
    const rows = this.userRows(Int32Array.of(user), [1, 1, 1]);
    return this.explainRow(rows, item, liked);
  }

  /** Why `item` scores what it does for someone who likes `items` (the cold-start path). */
  explainFromItems(items: Int32Array, item: number, weights?: Float32Array): EnsembleExplanation {
    this.requireFitted('explainFromItems');
    this.checkItem(item);
    return this.explainRow(this.basketRows(items, weights, [1, 1, 1]), item, items);
  }

  /** Similar items from the content member when it was fitted, else from the CF member. */
  similarItems(item: number, k: number): TopKResult {
    this.requireFitted('similarItems');
    const source = [this.members[CONTENT_MEMBER], this.members[MEMBERS.indexOf('cf')]].find((m) => m !== null && isSimilarItems(m));
    if (!source || !isSimilarItems(source)) throw new ConfigError('ensemble: no member has similar items');
    return source.similarItems(item, k);
  }

  /** The per-bucket weights tuned on validation; `{}` when they were given or there was no validation to tune on. */
  refitParams(): Record<string, unknown> {
    return this.weights && this.weightsInfo?.source === 'tuned' ? { bucketWeights: this.weights } : {};
  }

  describe(): Record<string, unknown> {
    return {
      tunedWeights: this.weights,
      weightsSource: this.weightsInfo?.source,
      validationNdcgByBucket: this.weightsInfo?.validationNdcg,
      validationUsersByBucket: this.weightsInfo?.validationUsers,
      ...(this.weightsInfo?.simulatedBuckets ? { simulatedBuckets: this.weightsInfo.simulatedBuckets } : {}),
      ...(this.weightsInfo?.keptCfOnly ? { keptCfOnlyByOneStandardError: this.weightsInfo.keptCfOnly } : {}),
      ...(this.weightsInfo?.note ? { weightsNote: this.weightsInfo.note } : {}),
      buckets: { new: `≤ ${this.params.newMaxItems}`, cold: `${this.params.newMaxItems + 1}–${this.params.coldMaxItems}`, active: `≥ ${this.params.coldMaxItems + 1}` },
      skippedMembers: this.skipped,
      members: Object.fromEntries(
        MEMBERS.map((m, k) => [m, this.members[k] ? { name: this.members[k]!.name, ...(this.members[k]!.describe?.() ?? {}) } : null]),
      ),
    };
  }

  /** Members in subfolders (cf/, content/, popularity/) through their own save; MMR state in mmr/. */
  async save(dir: string): Promise<void> {
    this.requireFitted('save');
    for (let k = 0; k < MEMBERS.length; k++) await this.members[k]?.save(join(dir, MEMBERS[k]));
    if (this.mmr) await this.mmr.save(join(dir, MMR_DIR));
    await saveModelDir(
      dir,
      { model: this.name, params: this.params, nItems: this.nItems, weights: this.weights, weightsInfo: this.weightsInfo, skipped: this.skipped },
      {
        historyIndptr: this.history.indptr,
        historyIndices: this.history.indices,
        ...coldItemArrays(this.imputation),
      },
    );
  }

  static async load(dir: string): Promise<AdaptiveEnsemble> {
    const { meta, arrays } = await loadModelDir(dir);
    if (meta.model !== 'ensemble') {
      throw new DataError(`expected a saved "ensemble" model, found ${JSON.stringify(meta.model)}`, { file: dir, field: 'meta.model' });
    }
    const model = new AdaptiveEnsemble(meta.params as Partial<EnsembleConfig>);
    const skipped = (meta.skipped ?? {}) as Partial<Record<EnsembleMember, string>>;
    const { historyIndptr, historyIndices } = arrays;
    if (!(historyIndptr instanceof Int32Array) || !(historyIndices instanceof Int32Array) || historyIndptr[historyIndptr.length - 1] !== historyIndices.length) {
      throw new DataError('training history must be an int32 CSR', { file: dir, field: 'arrays.historyIndptr' });
    }
    const nItems = meta.nItems;
    if (typeof nItems !== 'number' || !Number.isInteger(nItems) || nItems < 1) {
      throw new DataError(`nItems must be a positive integer, got ${JSON.stringify(nItems)}`, { file: dir, field: 'meta.nItems' });
    }
    const cf = await cfMemberFactory(model.params.cf).load(join(dir, 'cf'));
    const content = skipped.content ? null : await ContentKnnRecommender.load(join(dir, 'content'));
    const popularity = await PopularityRecommender.load(join(dir, 'popularity'));
    model.members = [cf, content, popularity];
    model.skipped = skipped;
    model.history = { indptr: historyIndptr, indices: historyIndices };
    model.nItems = nItems;
    model.weights = meta.weights as BucketWeights;
    model.weightsInfo = meta.weightsInfo as WeightsInfo;
    model.similarity = itemSimilarityOf(content ?? cf, nItems);
    model.imputation = loadColdItemImputation(arrays, nItems, dir);
    if (model.params.mmrLambda < 1) {
      const view = model.blendView();
      model.mmr = await MmrRecommender.load(join(dir, MMR_DIR), { load: async () => view });
    }
    return model;
  }

  /** Content-kNN on the catalog, or null with the reason recorded when there is no usable content. */
  private async fitContent(train: Interactions, ctx: FitContext): Promise<ContentKnnRecommender | null> {
    const catalog = ctx.catalog ?? ctx.dataset?.catalog;
    if (!catalog) {
      this.skipped.content = 'no catalog in the fit context';
      return null;
    }
    if (!catalog.audio && !catalog.tags && !catalog.artists) {
      this.skipped.content = 'the catalog has neither audio features, tags nor artists';
      return null;
    }
    const content = new ContentKnnRecommender(this.params.contentParams);
    try {
      await content.fit(train, ctx);
    } catch (e) {
      if (!(e instanceof DataError || e instanceof ModelFitError)) throw e;
      this.skipped.content = e.message;
      return null;
    }
    return content;
  }

  /** Uses `given` with a skipped member's weight forced to 0 (the others as given). */
  private setWeights(given: BucketWeights, info: WeightsInfo): void {
    const out = {} as BucketWeights;
    for (const b of BUCKETS) {
      out[b] = given[b].map((w, k) => (k >= MEMBERS.length || this.members[k] ? w : 0));
      // untuned defaults are a distribution: keep it one when a member drops out
      if (info.source === 'untuned') {
        const sum = out[b].slice(0, MEMBERS.length).reduce((a, x) => a + x, 0);
        out[b] = out[b].map((w, k) => (k >= MEMBERS.length ? w : sum > 0 ? w / sum : 0));
      }
    }
    this.weights = out;
    this.weightsInfo = info;
  }

  /** Grid search per bucket on the validation fold; a bucket without validation users keeps the untuned weights. */
  private tuneWeights(train: Interactions, validation: Interactions, seed: number): void {
    const c = this.params;
    const usersByBucket: number[][] = [[], [], []];
    for (let u = 0; u < train.nUsers; u++) {
      if (validation.rowLength(u) === 0) continue;
      usersByBucket[historyBucket(train.rowLength(u), c.newMaxItems, c.coldMaxItems)].push(u);
    }
    const { candidates, toWeights } = this.tuningCandidates(simplexGrid(this.members.map((m) => m !== null), c.weightStep));
    const rng = new Rng(seed).fork('ensemble-validation-users');
    const chosen = {} as BucketWeights;
    const info: WeightsInfo = { source: 'tuned', validationNdcg: {}, validationUsers: {} };
    const untuned: string[] = [];
    const simulationRng = new Rng(seed).fork('ensemble-simulated-histories');
    BUCKETS.forEach((bucket, b) => {
      let users: Int32Array = Int32Array.from(usersByBucket[b]);
      if (c.maxValidationUsers > 0 && users.length > c.maxValidationUsers) {
        users = rng.shuffle(users).slice(0, c.maxValidationUsers).sort();
      }
      let memberRows = (batch: Int32Array) =>
        this.tuningRows(batch.length, (m) => m.scoreUsers(batch), (b) => this.seenOf(batch[b]));
      const maxLength = b === 0 ? c.newMaxItems : b === 1 ? c.coldMaxItems : Infinity;
      if (users.length < c.minBucketUsers && Number.isFinite(maxLength)) {
        const simulated = this.simulatedHistories(train, validation, b === 0 ? 1 : c.newMaxItems + 1, maxLength, simulationRng);
        if (simulated) {
          users = simulated.users;
          memberRows = simulated.memberRows;
          (info.simulatedBuckets ??= []).push(bucket);
        }
      }
      info.validationUsers[bucket] = users.length;
      if (users.length === 0) {
        const w = untunedWeights[bucket].map((x, k) => (this.members[k] ? x : 0));
        const sum = w.reduce((a, x) => a + x, 0);
        chosen[bucket] = w.map((x) => x / sum);
        untuned.push(bucket);
        return;
      }
      const result = tuneBucket({
        memberRows,
        nItems: this.nItems,
        train,
        validation,
        users,
        candidates,
        k: 10,
        batchSize: SCORE_BATCH,
      });
      chosen[bucket] = toWeights(result.best);
      info.validationNdcg[bucket] = result.bestNdcg;
      if (result.keptFirst) (info.keptCfOnly ??= []).push(bucket);
    });
    if (untuned.length > 0) info.note = `no validation users in bucket(s) ${untuned.join(', ')}: untuned weights kept there`;
    this.weights = chosen;
    this.weightsInfo = info;
  }

  /**
   * Validation users with more than `maxLength` training items, each given a seeded random
   * subset of `lo`..`maxLength` of them as a liked-items basket: stand-ins for a bucket with too
   * few real validation users. Their rows come from the members' `scoreFromItems`; their full
   * training rows stay excluded from the ranking. null when no member path or donor exists.
   */
  private simulatedHistories(
    train: Interactions,
    validation: Interactions,
    lo: number,
    maxLength: number,
    rng: Rng,
  ): { users: Int32Array; memberRows: (batch: Int32Array) => (Float32Array | null)[] } | null {
    if (lo > maxLength || !this.members.every((m) => m === null || isColdStartScorer(m))) return null;
    const donors: number[] = [];
    for (let u = 0; u < train.nUsers; u++) if (validation.rowLength(u) > 0 && train.rowLength(u) > maxLength) donors.push(u);
    if (donors.length === 0) return null;
    const users = rng.shuffle(Int32Array.from(donors)).slice(0, this.params.simulatedUsers).sort();
    const baskets = new Map<number, Int32Array>();
    for (const u of users) {
      const length = lo + rng.int(maxLength - lo + 1);
      baskets.set(u, rng.shuffle(train.itemsOf(u).slice()).slice(0, length).sort());
    }
    const n = this.nItems;
    const memberRows = (batch: Int32Array) =>
      this.tuningRows(
        batch.length,
        (m) => {
          const rows = new Float32Array(batch.length * n);
          for (let b = 0; b < batch.length; b++) {
            (m as unknown as ColdStartScorer).scoreFromItems(baskets.get(batch[b])!, undefined, rows.subarray(b * n, (b + 1) * n));
          }
          return rows;
        },
        (b) => train.itemsOf(batch[b]),
      );
    return { users, memberRows };
  }

  /**
   * The tuning grid over five rows [cf, content, popularity, cf imputed, popularity imputed]:
   * every simplex point once with cold items left to the members (cold share 0), and, when
   * there is an imputation, once with CF and popularity read from the imputed rows (cold share
   * 1). The first candidate stays CF alone, not imputed (the one-standard-error baseline).
   * `toWeights` turns a chosen candidate back into [cf, content, popularity, cold share].
   */
  private tuningCandidates(grid: number[][]): { candidates: number[][]; toWeights: (w: number[]) => number[] } {
    const plain = grid.map(([cf, content, popularity]) => [cf, content, popularity, 0, 0]);
    const imputed = hasColdItemImputation(this.imputation)
      ? grid.filter(([cf, , popularity]) => cf > 0 || popularity > 0).map(([cf, content, popularity]) => [0, content, 0, cf, popularity])
      : [];
    const toWeights = (w: number[]) => (w[3] > 0 || w[4] > 0 ? [w[3], w[1], w[4], 1] : [w[0], w[1], w[2], 0]);
    return { candidates: [...plain, ...imputed], toWeights };
  }

  /**
   * The five tuning rows of a batch (see `tuningCandidates`) from each member's raw rows
   * (`raw`), normalised against the seen items of batch row b (`seen(b)`).
   */
  private tuningRows(count: number, raw: (m: Recommender) => Float32Array, seen: (b: number) => Int32Array): (Float32Array | null)[] {
    const n = this.nItems;
    const impute = hasColdItemImputation(this.imputation);
    const rows = this.members.map((m) => (m ? raw(m) : null));
    const imputed = [0, 2].map((k) => (impute && rows[k] ? rows[k]!.slice() : null));
    for (let b = 0; b < count; b++) {
      rows.forEach((r, k) => r && this.onBlendScale(k, r, b * n, seen(b), 0));
      imputed.forEach((r, q) => r && this.onBlendScale(q === 0 ? 0 : 2, r, b * n, seen(b), 1));
    }
    return [...rows, ...imputed];
  }

  /** The bucket weight vector for a history of `length` items. */
  private weightsOf(length: number): number[] {
    return this.weights![this.bucketOf(length)];
  }

  /** The cold-item share of the bucket of a history of `length` items (absent = 1). */
  private coldShareOf(length: number): number {
    return this.weightsOf(length)[MEMBERS.length] ?? 1;
  }

  /** The blended (pre-MMR) scores of training users. */
  private blendUsers(users: Int32Array, out?: Float32Array): Float32Array {
    const n = this.nItems;
    const scores = out ?? new Float32Array(users.length * n);
    if (scores.length !== users.length * n) throw new RangeError(`ensemble: out has length ${scores.length}, expected ${users.length} × ${n}`);
    for (let b = 0; b < users.length; b++) this.checkUser(users[b]);
    const acc = new Float64Array(n);
    const { indptr } = this.history;
    for (let start = 0; start < users.length; start += SCORE_BATCH) {
      const batch = users.subarray(start, Math.min(users.length, start + SCORE_BATCH));
      // a member every user of the batch weighs 0 is not scored at all
      const needed = [0, 0, 0];
      for (const u of batch) needed.forEach((_, k) => (needed[k] += this.weightsOf(indptr[u + 1] - indptr[u])[k] !== 0 ? 1 : 0));
      const rows = this.userRows(batch, needed);
      for (let b = 0; b < batch.length; b++) {
        const u = batch[b];
        blendInto(rows, b * n, this.weightsOf(indptr[u + 1] - indptr[u]), n, scores, (start + b) * n, acc);
      }
    }
    return scores;
  }

  /** z-scored rows (users.length × nItems) of each member with needed[k] ≠ 0; null for the others. */
  private userRows(users: Int32Array, needed: readonly number[]): (Float32Array | null)[] {
    const n = this.nItems;
    return this.members.map((m, k) => {
      if (!m || needed[k] === 0) return null;
      const rows = m.scoreUsers(users);
      for (let b = 0; b < users.length; b++) {
        const seen = this.seenOf(users[b]);
        this.onBlendScale(k, rows, b * n, seen, this.coldShareOf(seen.length));
      }
      return rows;
    });
  }

  /** z-scored scoreFromItems rows of each member with needed[k] ≠ 0. */
  private basketRows(items: Int32Array, weights: Float32Array | undefined, needed: readonly number[]): (Float32Array | null)[] {
    const n = this.nItems;
    return this.members.map((m, k) => {
      if (!m || needed[k] === 0) return null;
      if (!isColdStartScorer(m)) throw new ConfigError(`ensemble: member "${m.name}" has no scoreFromItems, so it cannot score a liked-items user`);
      const row = m.scoreFromItems(items, weights);
      this.onBlendScale(k, row, 0, Int32Array.from(items).sort(), this.coldShareOf(items.length));
      return row;
    });
  }

  /**
   * Member k's raw row → its blended-scale row, in place: cold items imputed to `coldShare`
   * (collaborative members only), then normalised.
   */
  private onBlendScale(k: number, rows: Float32Array, off: number, seen: Int32Array, coldShare: number): void {
    if (k !== CONTENT_MEMBER) imputeColdScores(this.imputation, rows, off, coldShare);
    this.normalize(rows, off, seen);
  }

  /** Puts one member row on the blend's scale in place (`normalization`); `seen` is sorted. */
  private normalize(rows: Float32Array, off: number, seen: Int32Array): void {
    const n = this.nItems;
    if (this.params.normalization === 'zscore') {
      zScoreInto(rows, off, n, rows, off);
      return;
    }
    const topN = Math.min(this.params.normalizationTopN, n);
    if (!this.topScratch || this.topScratch.items.length !== topN) this.topScratch = { items: new Int32Array(topN), scores: new Float32Array(topN) };
    topMinMaxInto(rows, off, n, rows, off, this.topScratch, seen);
  }

  private seenOf(u: number): Int32Array {
    return this.history.indices.subarray(this.history.indptr[u], this.history.indptr[u + 1]);
  }

  private explainRow(rows: readonly (Float32Array | null)[], item: number, liked: Int32Array): EnsembleExplanation {
    const w = this.weightsOf(liked.length);
    const contributions: Record<string, number> = {};
    const memberScores: Partial<Record<EnsembleMember, number>> = {};
    let score = 0;
    MEMBERS.forEach((name, k) => {
      const row = rows[k];
      if (!row) return;
      memberScores[name] = row[item];
      contributions[name] = w[k] * row[item];
      // the same float64 sum, in the same order, that blendInto computes
      if (w[k] !== 0) score += w[k] * row[item];
    });
    return {
      score,
      contributions,
      nearestLikedItems: this.similarity ? nearestLikedItems(liked, item, this.similarity) : [],
      details: {
        memberScores,
        bucket: this.bucketOf(liked.length),
        historyLength: liked.length,
        coldItemImputedFrom: this.coldShareOf(liked.length) > 0 ? imputedFrom(this.imputation, item) : [],
      },
    };
  }

  /** The blend as a Recommender for MmrRecommender to wrap (fit and save are the ensemble's own). */
  private blendView(): Recommender {
    return {
      name: BLEND_VIEW_NAME,
      params: {},
      fit: async () => {},
      scoreUsers: (users, out) => this.blendUsers(users, out),
      save: async () => {},
    };
  }

  /** MMR's diversity vectors: the CF member's item factors, else the content vectors. */
  private mmrVectors(): ItemVectors {
    const [cf, content] = this.members;
    if (cf?.itemFactors && cf.itemFactors.length > 0) return { values: cf.itemFactors, dim: cf.itemFactors.length / this.nItems };
    if (content instanceof ContentKnnRecommender && content.vectors.dim > 0) return { values: content.vectors.dense, dim: content.vectors.dim };
    throw new ConfigError(`ensemble: mmrLambda ${this.params.mmrLambda} needs item vectors: CF member "${this.params.cf}" has no item factors and there are no dense content vectors`);
  }

  private checkUser(u: number): void {
    if (!(u >= 0 && u < this.nUsers)) throw new RangeError(`ensemble: user index ${u} out of range [0, ${this.nUsers})`);
  }

  private checkItem(i: number): void {
    if (!(Number.isInteger(i) && i >= 0 && i < this.nItems)) throw new RangeError(`ensemble: item index ${i} out of range [0, ${this.nItems})`);
  }

  private requireFitted(what: string): void {
    if (!this.weights) throw new ModelFitError(`ensemble: ${what} called before fit or load`);
  }
}

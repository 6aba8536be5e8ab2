import { join } from 'node:path';
import {
  ConfigError,
  DataError,
  ModelFitError,
  isColdStartScorer,
  loadModelDir,
  saveModelDir,
  type ColdStartScorer,
  type FitContext,
  type Interactions,
  type Recommender,
} from '@musicrec/core';
import { COLD_START_SCORER, EXPLAINER, SIMILAR_ITEMS, isSimilarItems } from '@musicrec/core';
import type { Explainer, Explanation, SimilarItems, TopKResult } from '@musicrec/core';
import { ContentKnnRecommender } from '../content-knn';
import {
  buildColdItemImputation,
  coldItemArrays,
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
import { cfMemberFactory } from '../ensemble/member-factories';
import { resolveTwoStageConfig, type TwoStageConfig } from './config';
import { rerankCandidates, rerankScratch } from './rerank';

/** Users whose content and CF rows are held at once while scoring. */
const SCORE_BATCH = 64;

/** What the two-stage pipeline adds to an explanation (`Explanation.details`). */
export type TwoStageDetails = {
  /** 'candidate': picked by content and ordered by CF; 'outside': below every candidate. */
  stage: 'candidate' | 'outside';
  /** Position in the content stage's candidate list (0 = best), null when outside it. */
  contentRank: number | null;
  /** Content-kNN score (null when the content stage is skipped). */
  contentScore: number | null;
  /** The CF model's score (for an item nobody played, the imputed one). */
  cfScore: number;
  /** For an item nobody played: the played items (weights sum to 1) its CF score was imputed from; else empty. */
  cfImputedFrom: { item: number; weight: number }[];
};

/**
 * Why an item scores what it does in the two-stage pipeline: `score` is `scoreUsers`' value; a
 * candidate's score is its CF score (`contributions.cf`), an item outside the candidates has no
 * additive parts (it is placed below every candidate).
 */
export interface TwoStageExplanation extends Explanation {
  details: TwoStageDetails;
}

/**
 * Two-stage hybrid: content-kNN proposes each user's top `candidates` unseen items from
 * content similarity to their profile, and the CF model re-ranks them (`rerankCandidates`:
 * candidates keep their CF scores, every other item is pushed below them in CF order).
 * Without catalog content the content stage is skipped, with the reason recorded, and the
 * CF model ranks the whole catalogue. A candidate nobody played would sink to the bottom of
 * the CF order; its CF score is imputed from its nearest played items by content instead.
 */
export class TwoStageRecommender implements Recommender, ColdStartScorer, Explainer, SimilarItems {
  readonly name = 'two-stage';
  readonly [COLD_START_SCORER] = true as const;
  readonly [EXPLAINER] = true as const;
  readonly [SIMILAR_ITEMS] = true as const;
  readonly params: Readonly<TwoStageConfig>;
  private cf: Recommender | null = null;
  private content: ContentKnnRecommender | null = null;
  private skipped: string | null = null;
  private history: { indptr: Int32Array; indices: Int32Array } = { indptr: new Int32Array(1), indices: new Int32Array(0) };
  private nItems = 0;
  private similarity: ItemSimilarityFn | null = null;
  private imputation: ColdItemImputation = noColdItemImputation(0);

  constructor(params: Partial<TwoStageConfig> = {}) {
    this.params = resolveTwoStageConfig(params);
  }

  get nUsers(): number {
    return this.history.indptr.length - 1;
  }

  /** The fitted CF re-ranker and content candidate generator (null when skipped). */
  get members(): { cf: Recommender | null; content: ContentKnnRecommender | null } {
    return { cf: this.cf, content: this.content };
  }

  async fit(train: Interactions, ctx: FitContext): Promise<void> {
    if (train.nnz === 0) throw new ModelFitError('two-stage: the training matrix has no interactions');
    this.skipped = null;
    const cf = cfMemberFactory(this.params.cf).create(this.params.cfParams);
    await cf.fit(train, ctx);
    this.cf = cf;
    this.content = await this.fitContent(train, ctx);
    this.history = { indptr: train.indptr, indices: train.indices };
    this.nItems = train.nItems;
    this.similarity = itemSimilarityOf(this.content ?? cf, train.nItems);
    this.imputation =
      this.content && this.params.coldNeighbors > 0
        ? buildColdItemImputation(this.content, train, this.params.coldNeighbors)
        : noColdItemImputation(train.nItems);
  }

  scoreUsers(users: Int32Array, out?: Float32Array): Float32Array {
    const cf = this.requireFitted('scoreUsers');
    const n = this.nItems;
    const scores = out ?? new Float32Array(users.length * n);
    if (scores.length !== users.length * n) throw new RangeError(`two-stage: out has length ${scores.length}, expected ${users.length} × ${n}`);
    for (const u of users) this.checkUser(u);
    if (!this.content) return cf.scoreUsers(users, scores);
    const scratch = rerankScratch(this.params.candidates, n);
    for (let start = 0; start < users.length; start += SCORE_BATCH) {
      const batch = users.subarray(start, Math.min(users.length, start + SCORE_BATCH));
      const contentRows = this.content.scoreUsers(batch);
      const cfRows = scores.subarray(start * n, (start + batch.length) * n);
      cf.scoreUsers(batch, cfRows);
      for (let b = 0; b < batch.length; b++) {
        imputeColdScores(this.imputation, cfRows, b * n);
        rerankCandidates(contentRows, b * n, cfRows, b * n, n, this.seenOf(batch[b]), cfRows, b * n, scratch);
      }
    }
    return scores;
  }

  /** Cold start from liked items: content candidates from the basket (excluded), CF `scoreFromItems` re-ranks. */
  scoreFromItems(items: Int32Array, weights?: Float32Array, out?: Float32Array): Float32Array {
    const cf = this.requireFitted('scoreFromItems');
    if (!isColdStartScorer(cf)) throw new ConfigError(`two-stage: CF model "${cf.name}" has no scoreFromItems, so it cannot score a liked-items user`);
    const n = this.nItems;
    const scores = out ?? new Float32Array(n);
    if (scores.length !== n) throw new RangeError(`two-stage: out has length ${scores.length}, expected ${n}`);
    cf.scoreFromItems(items, weights, scores);
    if (!this.content) return scores;
    const contentRow = this.content.scoreFromItems(items, weights);
    imputeColdScores(this.imputation, scores, 0);
    rerankCandidates(contentRow, 0, scores, 0, n, Int32Array.from(items).sort(), scores, 0, rerankScratch(this.params.candidates, n));
    return scores;
  }

  /** Why `item` scores what it does for training user `user`. */
  explain(user: number, item: number): TwoStageExplanation {
    const cf = this.requireFitted('explain');
    this.checkUser(user);
    this.checkItem(item);
    const users = Int32Array.of(user);
    return this.explainRows(cf.scoreUsers(users), this.content?.scoreUsers(users) ?? null, this.seenOf(user), item);
  }

  /** Why `item` scores what it does for someone who likes `items` (the cold-start path, as `scoreFromItems`). */
  explainFromItems(items: Int32Array, item: number, weights?: Float32Array): TwoStageExplanation {
    const cf = this.requireFitted('explainFromItems');
    if (!isColdStartScorer(cf)) throw new ConfigError(`two-stage: CF model "${cf.name}" has no scoreFromItems, so it cannot explain a liked-items user`);
    this.checkItem(item);
    const cfRow = cf.scoreFromItems(items, weights);
    return this.explainRows(cfRow, this.content?.scoreFromItems(items, weights) ?? null, Int32Array.from(items).sort(), item);
  }

  private checkItem(item: number): void {
    if (!(Number.isInteger(item) && item >= 0 && item < this.nItems)) throw new RangeError(`two-stage: item index ${item} out of range [0, ${this.nItems})`);
  }

  private explainRows(cfRow: Float32Array, contentRow: Float32Array | null, liked: Int32Array, item: number): TwoStageExplanation {
    const nearest = this.similarity ? nearestLikedItems(liked, item, this.similarity) : [];
    if (!contentRow) {
      const score = cfRow[item];
      const details: TwoStageDetails = { stage: 'candidate', contentRank: null, contentScore: null, cfScore: score, cfImputedFrom: [] };
      return { score, contributions: { cf: score }, nearestLikedItems: nearest, details };
    }
    imputeColdScores(this.imputation, cfRow, 0);
    const scratch = rerankScratch(this.params.candidates, this.nItems);
    const out = new Float32Array(this.nItems);
    const found = rerankCandidates(contentRow, 0, cfRow, 0, this.nItems, liked, out, 0, scratch);
    const rank = scratch.candidates.subarray(0, found).indexOf(item);
    const details: TwoStageDetails = {
      stage: rank >= 0 ? 'candidate' : 'outside',
      contentRank: rank >= 0 ? rank : null,
      contentScore: contentRow[item],
      cfScore: cfRow[item],
      cfImputedFrom: imputedFrom(this.imputation, item),
    };
    return { score: out[item], contributions: rank >= 0 ? { cf: out[item] } : {}, nearestLikedItems: nearest, details };
  }

  /** Similar items from the content stage when there is one (what proposes candidates), else from the CF model. */
  similarItems(item: number, k: number): TopKResult {
    const cf = this.requireFitted('similarItems');
    const source = this.content ?? cf;
    if (!isSimilarItems(source)) throw new ConfigError(`two-stage: neither stage ("${source.name}") has similar items`);
    return source.similarItems(item, k);
  }

  describe(): Record<string, unknown> {
    return {
      candidates: this.params.candidates,
      ...(this.skipped ? { contentSkipped: this.skipped } : {}),
      cf: this.cf ? { name: this.cf.name, ...(this.cf.describe?.() ?? {}) } : null,
      content: this.content ? this.content.describe() : null,
    };
  }

  /** CF model in cf/, content model in content/ (through their own save), the rest in model.json. */
  async save(dir: string): Promise<void> {
    const cf = this.requireFitted('save');
    await cf.save(join(dir, 'cf'));
    if (this.content) await this.content.save(join(dir, 'content'));
    await saveModelDir(
      dir,
      { model: this.name, params: this.params, nItems: this.nItems, skipped: this.skipped },
      { historyIndptr: this.history.indptr, historyIndices: this.history.indices, ...coldItemArrays(this.imputation) },
    );
  }

  static async load(dir: string): Promise<TwoStageRecommender> {
    const { meta, arrays } = await loadModelDir(dir);
    if (meta.model !== 'two-stage') {
      throw new DataError(`expected a saved "two-stage" model, found ${JSON.stringify(meta.model)}`, { file: dir, field: 'meta.model' });
    }
    const { historyIndptr, historyIndices } = arrays;
    if (!(historyIndptr instanceof Int32Array) || !(historyIndices instanceof Int32Array) || historyIndptr[historyIndptr.length - 1] !== historyIndices.length) {
      throw new DataError('training history must be an int32 CSR', { file: dir, field: 'arrays.historyIndptr' });
    }
    const nItems = meta.nItems;
    if (typeof nItems !== 'number' || !Number.isInteger(nItems) || nItems < 1) {
      throw new DataError(`nItems must be a positive integer, got ${JSON.stringify(nItems)}`, { file: dir, field: 'meta.nItems' });
    }
    const model = new TwoStageRecommender(meta.params as Partial<TwoStageConfig>);
    model.skipped = (meta.skipped as string | null) ?? null;
    model.cf = await cfMemberFactory(model.params.cf).load(join(dir, 'cf'));
    model.content = model.skipped ? null : await ContentKnnRecommender.load(join(dir, 'content'));
    model.history = { indptr: historyIndptr, indices: historyIndices };
    model.nItems = nItems;
    model.similarity = itemSimilarityOf(model.content ?? model.cf, nItems);
    model.imputation = loadColdItemImputation(arrays, nItems, dir);
    return model;
  }

  private async fitContent(train: Interactions, ctx: FitContext): Promise<ContentKnnRecommender | null> {
    const catalog = ctx.catalog ?? ctx.dataset?.catalog;
    if (!catalog) {
      this.skipped = 'no catalog in the fit context: CF ranks every item';
      return null;
    }
    const content = new ContentKnnRecommender(this.params.contentParams);
    try {
      await content.fit(train, ctx);
    } catch (e) {
      if (!(e instanceof DataError || e instanceof ModelFitError)) throw e;
      this.skipped = `${e.message}: CF ranks every item`;
      return null;
    }
    return content;
  }

  private seenOf(u: number): Int32Array {
    return this.history.indices.subarray(this.history.indptr[u], this.history.indptr[u + 1]);
  }

  private checkUser(u: number): void {
    if (!(u >= 0 && u < this.nUsers)) throw new RangeError(`two-stage: user index ${u} out of range [0, ${this.nUsers})`);
  }

  private requireFitted(what: string): Recommender {
    if (!this.cf) throw new ModelFitError(`two-stage: ${what} called before fit or load`);
    return this.cf;
  }
}

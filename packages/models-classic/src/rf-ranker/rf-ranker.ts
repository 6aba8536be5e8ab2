import { join } from 'node:path';
import {
  DataError,
  ModelFitError,
  Rng,
  loadModelDir,
  saveModelDir,
  topK,
  type Catalog,
  type FitContext,
  type Interactions,
  type Recommender,
  type StoredArray,
} from '@musicrec/core';
import { ContentKnnRecommender } from '../content-knn';
import { RandomForest } from '../forest';
import { ItemKnnRecommender } from '../item-knn';
import { baseFactory } from './base-models';
import { CandidateFeatures, type RfRankerFeature, type UserItems } from './candidate-features';
import { resolveRfRankerConfig, type RfRankerConfig } from './config';
import { itemSideOf, type ItemSide } from './item-side';
import { labelSplit } from './label-split';

/** Users scored per batch of base / item-kNN / content score rows. */
const BATCH = 64;
/** Added per base rank step / candidates, so equal forest scores keep the base order (float32 resolves 1e-6 near 1). */
const BASE_ORDER_TIE_BREAK = 1e-4;
const FLOAT32_LOWEST = -3.4028234663852886e38;

/** The models and facts one scoring pass reads: fitted on base-fit (training rows) or on all of train (scoring). */
interface Stage {
  base: Recommender;
  itemKnn: ItemKnnRecommender | null;
  content: ContentKnnRecommender | null;
  side: ItemSide;
  users: UserItems;
  features: CandidateFeatures;
}

/** Counts of the forest's training set, for the report row. */
interface TrainingSummary {
  baseFitInteractions: number;
  labelInteractions: number;
  users: number;
  rows: number;
  positives: number;
  /** Wall seconds of the fit's three parts (base-fit models and rows, forest, full-train refit). */
  seconds: { firstLevel: number; forest: number; refit: number };
}

/**
 * Learning to rank over a collaborative model's candidates (two-level stacking). Fit:
 * (1) `labelSplit` holds back labelFraction of each user's training items; (2) the base
 * model (and the item-kNN / content-kNN feature models) fit the rest; (3) each user's top
 * `candidates` unseen base items become rows, labelled 1 when held back, all positives
 * plus up to negativesPerPositive× as many seeded negatives, users with no positive
 * skipped; (4) a random forest regresses the labels; (5) the base and feature models are
 * refitted on all of train, which is what scoring uses. Scoring: the forest's score on
 * the user's candidates (in [0, 1], plus a 1e-4 tie-break towards the base order);
 * every other item gets base − rowMax − 2 (< 0), so the order below the candidates
 * is the base model's and every score is finite.
 */
export class RfRankerRecommender implements Recommender {
  readonly name = 'rf-ranker';
  readonly params: Readonly<RfRankerConfig>;
  private stage: Stage | null = null;
  private forest: RandomForest | null = null;
  private summary: TrainingSummary | null = null;

  constructor(params: Partial<RfRankerConfig> = {}) {
    this.params = resolveRfRankerConfig(params);
  }

  get nUsers(): number {
    return this.stage ? this.stage.users.indptr.length - 1 : 0;
  }

  get nItems(): number {
    return this.stage ? this.stage.side.logPopularity.length : 0;
  }

  /** Feature columns the forest was trained on (optional ones depend on the catalog). */
  get featureNames(): readonly RfRankerFeature[] {
    return this.requireFitted('featureNames').stage.features.names;
  }

  async fit(train: Interactions, ctx: FitContext): Promise<void> {
    const p = this.params;
    const catalog = ctx.catalog ?? ctx.dataset?.catalog;
    const { baseFit, labels } = labelSplit(train, p.labelFraction, new Rng(ctx.seed).fork('rf-ranker/labels').seed);
    if (labels.nnz === 0) throw new ModelFitError('rf-ranker: no user has two training items, so nothing can be held back as labels');
    const t0 = performance.now();
    const firstLevel = await this.fitStage(baseFit, catalog, ctx.seed);
    const { x, y, summary } = this.trainingRows(firstLevel, labels, new Rng(ctx.seed).fork('rf-ranker/negatives'));
    if (summary.positives === 0) {
      throw new ModelFitError(`rf-ranker: none of the ${labels.nnz} held-back items is among the base model's top ${p.candidates} candidates`);
    }
    const t1 = performance.now();
    this.forest = RandomForest.fit(
      x,
      y,
      firstLevel.features.width,
      { trees: p.trees, maxDepth: p.maxDepth, minLeaf: p.minLeaf, featureFraction: p.featureFraction, bins: p.bins },
      new Rng(ctx.seed).fork('rf-ranker/forest').seed,
    );
    const t2 = performance.now();
    // second level: the models that produce the features at scoring time see all of train
    this.stage = await this.fitStage(train, catalog, ctx.seed);
    const seconds = { firstLevel: (t1 - t0) / 1000, forest: (t2 - t1) / 1000, refit: (performance.now() - t2) / 1000 };
    for (const key of ['firstLevel', 'forest', 'refit'] as const) seconds[key] = Number(seconds[key].toFixed(2));
    this.summary = { ...summary, baseFitInteractions: baseFit.nnz, labelInteractions: labels.nnz, seconds };
  }

  scoreUsers(users: Int32Array, out?: Float32Array): Float32Array {
    const { stage, forest } = this.requireFitted('scoreUsers');
    const n = this.nItems;
    const scores = out ?? new Float32Array(users.length * n);
    if (scores.length !== users.length * n) {
      throw new RangeError(`rf-ranker: out has length ${scores.length}, expected ${users.length} × ${n}`);
    }
    for (const u of users) if (!(u >= 0 && u < this.nUsers)) throw new RangeError(`rf-ranker: user index ${u} out of range [0, ${this.nUsers})`);
    const c = this.params.candidates;
    const d = stage.features.width;
    const candItems = new Int32Array(c);
    const candScores = new Float32Array(c);
    const rowsX = new Float32Array(c * d);
    const predicted = new Float32Array(c);
    for (let start = 0; start < users.length; start += BATCH) {
      const batch = users.subarray(start, Math.min(users.length, start + BATCH));
      const rows = this.scoreRows(stage, batch);
      for (let b = 0; b < batch.length; b++) {
        const u = batch[b];
        const nc = topK(rows.base, c, candItems, candScores, this.userItems(stage, u), b * n, n);
        const o = (start + b) * n;
        let rowMax = -Infinity;
        for (let i = 0; i < n; i++) if (rows.base[b * n + i] > rowMax) rowMax = rows.base[b * n + i];
        for (let i = 0; i < n; i++) scores[o + i] = Math.max(FLOAT32_LOWEST, rows.base[b * n + i] - rowMax - 2);
        if (nc === 0) continue;
        stage.features.fill(
          u,
          candItems,
          candScores,
          nc,
          { itemKnn: rows.itemKnn, itemKnnOffset: b * n, content: rows.content, contentOffset: b * n },
          rowsX,
          0,
        );
        forest.predict(rowsX.subarray(0, nc * d), predicted.subarray(0, nc));
        for (let k = 0; k < nc; k++) scores[o + candItems[k]] = predicted[k] + (BASE_ORDER_TIE_BREAK * (nc - k)) / nc;
      }
    }
    return scores;
  }

  describe(): Record<string, unknown> {
    const { stage, forest } = this.requireFitted('describe');
    const featureImportances: Record<string, number> = {};
    stage.features.names.forEach((f, j) => (featureImportances[f] = Number(forest.importances[j].toFixed(4))));
    return {
      featureImportances,
      featuresUsed: [...stage.features.names],
      forestNodes: forest.nNodes,
      ...(this.summary ? { training: this.summary } : {}),
    };
  }

  async save(dir: string): Promise<void> {
    const { stage, forest } = this.requireFitted('save');
    const { side } = stage;
    const arrays: Record<string, StoredArray> = {
      ...forest.toArrays(),
      userIndptr: stage.users.indptr,
      userIndices: stage.users.indices,
      logPopularity: side.logPopularity,
      popularityRank: side.popularityRank,
    };
    if (side.artist) arrays.artist = side.artist;
    if (side.tagIndptr && side.tagIndices) {
      arrays.tagIndptr = side.tagIndptr;
      arrays.tagIndices = side.tagIndices;
    }
    await saveModelDir(
      dir,
      {
        model: this.name,
        params: this.params,
        nUsers: this.nUsers,
        nItems: this.nItems,
        features: stage.features.names,
        hasItemKnn: stage.itemKnn !== null,
        hasContent: stage.content !== null,
        training: this.summary,
      },
      arrays,
    );
    await stage.base.save(join(dir, 'base'));
    if (stage.itemKnn) await stage.itemKnn.save(join(dir, 'item-knn'));
    if (stage.content) await stage.content.save(join(dir, 'content'));
  }

  static async load(dir: string): Promise<RfRankerRecommender> {
    const { meta, arrays } = await loadModelDir(dir);
    if (meta.model !== 'rf-ranker') {
      throw new DataError(`expected a saved "rf-ranker" model, found ${JSON.stringify(meta.model)}`, { file: dir, field: 'meta.model' });
    }
    const model = new RfRankerRecommender(meta.params as Partial<RfRankerConfig>);
    const nUsers = nonNegativeInteger(meta.nUsers, dir, 'meta.nUsers');
    const nItems = nonNegativeInteger(meta.nItems, dir, 'meta.nItems');
    const get = <C extends Int32ArrayConstructor | Float32ArrayConstructor>(name: string, ctor: C, length?: number): InstanceType<C> => {
      const a = arrays[name];
      if (!(a instanceof ctor) || (length !== undefined && a.length !== length)) {
        throw new DataError(`expected ${ctor.name} array "${name}"${length !== undefined ? ` of length ${length}` : ''}`, { file: dir, field: `arrays.${name}` });
      }
      return a as InstanceType<C>;
    };
    const users: UserItems = { indptr: get('userIndptr', Int32Array, nUsers + 1), indices: get('userIndices', Int32Array) };
    if (users.indptr[nUsers] !== users.indices.length) {
      throw new DataError(`user CSR ends at ${users.indptr[nUsers]} but holds ${users.indices.length} items`, { file: dir, field: 'arrays.userIndptr' });
    }
    for (let p = 0; p < users.indices.length; p++) {
      if (!(users.indices[p] >= 0 && users.indices[p] < nItems)) {
        throw new DataError(`item index ${users.indices[p]} out of range [0, ${nItems})`, { file: dir, field: 'arrays.userIndices' });
      }
    }
    const side: ItemSide = {
      logPopularity: get('logPopularity', Float32Array, nItems),
      popularityRank: get('popularityRank', Float32Array, nItems),
      artist: arrays.artist ? get('artist', Int32Array, nItems) : null,
      tagIndptr: arrays.tagIndptr ? get('tagIndptr', Int32Array, nItems + 1) : null,
      tagIndices: arrays.tagIndices ? get('tagIndices', Int32Array) : null,
    };
    const features = new CandidateFeatures(side, users, meta.hasItemKnn === true, meta.hasContent === true);
    const saved = meta.features as unknown;
    if (!Array.isArray(saved) || saved.join() !== features.names.join()) {
      throw new DataError(`saved features ${JSON.stringify(saved)} differ from the ones rebuilt from the saved sources (${features.names.join(', ')})`, {
        file: dir,
        field: 'meta.features',
      });
    }
    model.forest = RandomForest.fromArrays(arrays, features.width, dir);
    model.stage = {
      base: await baseFactory(model.params.base).load(join(dir, 'base')),
      itemKnn: meta.hasItemKnn === true ? await ItemKnnRecommender.load(join(dir, 'item-knn')) : null,
      content: meta.hasContent === true ? await ContentKnnRecommender.load(join(dir, 'content')) : null,
      side,
      users,
      features,
    };
    model.summary = (meta.training as TrainingSummary | null) ?? null;
    return model;
  }

  /** Fits the base and feature models on `train` and gathers the item and user facts. */
  private async fitStage(train: Interactions, catalog: Catalog | undefined, seed: number): Promise<Stage> {
    const base = baseFactory(this.params.base).create(this.params.baseParams);
    await base.fit(train, { seed, catalog });
    // item-kNN as a feature only when it is not the base model itself (its score would be a copy)
    let itemKnn: ItemKnnRecommender | null = null;
    if (this.params.base !== 'item-knn') {
      itemKnn = new ItemKnnRecommender();
      await itemKnn.fit(train, { seed, catalog });
    }
    let content: ContentKnnRecommender | null = null;
    if (catalog && (catalog.audio || catalog.tags)) {
      content = new ContentKnnRecommender({ profile: 'mean' });
      await content.fit(train, { seed, catalog });
    }
    const side = itemSideOf(train, catalog);
    const users: UserItems = { indptr: train.indptr, indices: train.indices };
    return { base, itemKnn, content, side, users, features: new CandidateFeatures(side, users, itemKnn !== null, content !== null) };
  }

  /**
   * The forest's training set: per user with held-back items, the base model's top
   * candidates (base-fit items excluded), positives = held-back candidates, all kept,
   * plus a seeded sample of negativesPerPositive × as many negatives.
   */
  private trainingRows(stage: Stage, labels: Interactions, rng: Rng): { x: Float32Array; y: Float32Array; summary: Pick<TrainingSummary, 'users' | 'rows' | 'positives'> } {
    const c = this.params.candidates;
    const n = labels.nItems;
    const d = stage.features.width;
    const candidates: number[] = [];
    for (let u = 0; u < labels.nUsers; u++) if (labels.rowLength(u) > 0) candidates.push(u);
    const users = Int32Array.from(candidates);
    let x = new Float32Array(Math.min(users.length * c, 1 << 16) * d);
    let y = new Float32Array(x.length / d);
    let rows = 0;
    let positives = 0;
    let usersKept = 0;
    const candItems = new Int32Array(c);
    const candScores = new Float32Array(c);
    const order = new Int32Array(c);
    const userRows = new Float32Array(c * d);
    for (let start = 0; start < users.length; start += BATCH) {
      const batch = users.subarray(start, Math.min(users.length, start + BATCH));
      const scoreRows = this.scoreRows(stage, batch);
      for (let b = 0; b < batch.length; b++) {
        const u = batch[b];
        const nc = topK(scoreRows.base, c, candItems, candScores, this.userItems(stage, u), b * n, n);
        let nPos = 0;
        for (let k = 0; k < nc; k++) if (labels.has(u, candItems[k])) nPos++;
        if (nPos === 0) continue;
        stage.features.fill(
          u,
          candItems,
          candScores,
          nc,
          { itemKnn: scoreRows.itemKnn, itemKnnOffset: b * n, content: scoreRows.content, contentOffset: b * n },
          userRows,
          0,
        );
        // choose the negatives: a seeded partial shuffle of the non-positive candidate positions
        let nNeg = 0;
        for (let k = 0; k < nc; k++) if (!labels.has(u, candItems[k])) order[nNeg++] = k;
        const keepNeg = Math.min(nNeg, Math.round(this.params.negativesPerPositive * nPos));
        for (let k = 0; k < keepNeg; k++) {
          const pick = k + rng.int(nNeg - k);
          const t = order[pick];
          order[pick] = order[k];
          order[k] = t;
        }
        const need = (rows + nPos + keepNeg) * d;
        if (need > x.length) {
          const grown = new Float32Array(Math.max(need, 2 * x.length));
          grown.set(x);
          x = grown;
          const grownY = new Float32Array(grown.length / d);
          grownY.set(y);
          y = grownY;
        }
        for (let k = 0; k < nc; k++) {
          if (!labels.has(u, candItems[k])) continue;
          x.set(userRows.subarray(k * d, k * d + d), rows * d);
          y[rows++] = 1;
        }
        for (let k = 0; k < keepNeg; k++) {
          x.set(userRows.subarray(order[k] * d, order[k] * d + d), rows * d);
          y[rows++] = 0;
        }
        positives += nPos;
        usersKept++;
      }
    }
    return { x: x.slice(0, rows * d), y: y.slice(0, rows), summary: { users: usersKept, rows, positives } };
  }

  /** Base, item-kNN and content score rows of a batch of users (batch.length × nItems each). */
  private scoreRows(stage: Stage, batch: Int32Array): { base: Float32Array; itemKnn: Float32Array | null; content: Float32Array | null } {
    return {
      base: stage.base.scoreUsers(batch),
      itemKnn: stage.itemKnn ? stage.itemKnn.scoreUsers(batch) : null,
      content: stage.content ? stage.content.scoreUsers(batch) : null,
    };
  }

  private userItems(stage: Stage, u: number): Int32Array {
    return stage.users.indices.subarray(stage.users.indptr[u], stage.users.indptr[u + 1]);
  }

  private requireFitted(what: string): { stage: Stage; forest: RandomForest } {
    if (!this.stage || !this.forest) throw new ModelFitError(`rf-ranker: ${what} called before fit or load`);
    return { stage: this.stage, forest: this.forest };
  }
}

function nonNegativeInteger(value: unknown, dir: string, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new DataError(`must be a non-negative integer, got ${JSON.stringify(value)}`, { file: dir, field });
  }
  return value;
}

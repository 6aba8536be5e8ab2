import { recommendTopK } from '@musicrec/core';
import type { Catalog, Dataset, Split } from '@musicrec/core';
import { TagTfidfCosine, audioSimilarity, beyondAccuracy, evaluateRankings, usersWithItems } from '@musicrec/eval';
import type { ItemSimilarity, MmrCurve, ReportRow } from '@musicrec/eval';
import { mmrRerank } from '@musicrec/models-classic';
import { findModel, type ModelEntry } from './registry';
import { trainingView } from './runModel';

/** λ values of the curve, from the base order (1) towards diversity. */
export const MMR_LAMBDAS: readonly number[] = [1, 0.9, 0.8, 0.7, 0.5, 0.3];
/** Base candidates per user that MMR reorders (the MmrRecommender default). */
export const MMR_POOL = 100;

/** Item content similarity: audio features where the catalogue has them, else tags (the order ILS uses). */
export function contentSimilarity(catalog: Catalog, nItems: number): ItemSimilarity | null {
  if (catalog.audio && catalog.audio.columns.length > 0) return audioSimilarity(catalog.audio, nItems);
  if (catalog.tags) return new TagTfidfCosine(catalog.tags, nItems);
  return null;
}

/**
 * The curve's base model: by default the run's iALS row with its tuned params, else its
 * item-kNN (all neighbours) row, else item-kNN-all with its registry params. `preferred`
 * names another model: its row's params when the run has one, else its registry params.
 */
export function pickMmrBase(rows: readonly ReportRow[], preferred?: string): { entry: ModelEntry; params: Record<string, unknown> } {
  if (preferred) {
    const entry = findModel(preferred);
    const row = rows.find((r) => r.model === preferred && (r.protocol === undefined || r.protocol === 'holdout'));
    return { entry, params: row ? row.params : (entry.params ?? {}) };
  }
  for (const name of ['ials', 'item-knn-all']) {
    const row = rows.find((r) => r.model === name && (r.protocol === undefined || r.protocol === 'holdout'));
    if (row) return { entry: findModel(name), params: row.params };
  }
  const entry = findModel('item-knn-all');
  return { entry, params: entry.params ?? {} };
}

/**
 * Fits the base once on train ∪ validation, takes each test user's top-`pool` unseen items,
 * and re-ranks them with MMR (`mmrRerank`, diversity = content cosine, items without content
 * count as dissimilar) at every λ; NDCG@10 on the test fold, ILS@10 under the same
 * similarity, coverage. Null when the catalogue has no content to diversify on.
 */
export async function mmrCurve(
  dataset: Dataset,
  split: Split,
  base: { entry: ModelEntry; params: Record<string, unknown> },
  seed: number,
  opts: { lambdas?: readonly number[]; pool?: number } = {},
): Promise<MmrCurve | null> {
  const fullTrain = split.fullTrain;
  const nItems = fullTrain.nItems;
  const similarity = contentSimilarity(dataset.catalog, nItems);
  if (!similarity) return null;
  const poolSize = Math.min(opts.pool ?? MMR_POOL, nItems);
  const model = base.entry.factory.create(base.params);
  await model.fit(trainingView(fullTrain, base.entry), { seed, catalog: dataset.catalog, dataset });
  const users = usersWithItems(split.test);
  const pool = recommendTopK(model, users, nItems, poolSize, { exclude: fullTrain });
  const cosine = (i: number, j: number): number => {
    const c = similarity.cosine(i, j);
    return c === c ? c : 0;
  };
  const k = 10;
  const points: MmrCurve['points'] = [];
  for (const lambda of opts.lambdas ?? MMR_LAMBDAS) {
    const items = new Int32Array(users.length * k).fill(-1);
    for (let row = 0; row < users.length; row++) {
      const start = row * poolSize;
      let found = 0;
      while (found < poolSize && pool.items[start + found] >= 0) found++;
      const order = mmrRerank(
        pool.items.subarray(start, start + found),
        pool.scores.subarray(start, start + found),
        k,
        lambda,
        cosine,
      );
      items.set(order, row * k);
    }
    const recs = { items, scores: new Float32Array(items.length), k };
    const ndcg10 = evaluateRankings(recs, users, split.test, [k]).perK[String(k)].ndcg;
    const beyond = beyondAccuracy(recs, users, { train: fullTrain, catalog: dataset.catalog }, k);
    points.push({ lambda, ndcg10, ils10: beyond.ils, coverage: beyond.coverage });
  }
  return { base: base.entry.name, baseParams: { ...model.params }, similarity: similarity.source, pool: poolSize, points };
}

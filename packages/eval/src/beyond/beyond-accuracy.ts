import { ConfigError, DataError } from '@musicrec/core';
import type { Catalog, Interactions, TopKResult } from '@musicrec/core';
import { DenseCosine, TagTfidfCosine, audioSimilarity } from './item-similarity';
import type { ItemSimilarity, SimilaritySource } from './item-similarity';

/**
 * What a list is besides accurate, at cut-off k (10 in reports). -1 slots are skipped.
 *
 * - coverage        = |distinct items recommended across all users| / nItems
 * - ils             = mean over users of the mean pairwise cosine similarity of their list
 *                     (pairs with a missing vector skipped; users with no measurable pair skipped);
 *                     null when there is no vector source or no measurable pair at all
 * - novelty         = mean over every recommended (user, item) slot of −log2((trainCount(i) + 1) / (nUsers + 1)),
 *                     trainCount = training users of the item
 * - artistDiversity = mean over users of |distinct artists| / |items with a known artist|, null without artists
 * - genreDiversity  = the same over genres, null without genres
 */
export interface BeyondAccuracy {
  coverage: number;
  ils: number | null;
  novelty: number;
  artistDiversity: number | null;
  genreDiversity: number | null;
  /** Which item vectors the ILS used. */
  ilsSource?: SimilaritySource | null;
}

export interface BeyondAccuracyContext {
  train: Interactions;
  catalog?: Catalog;
  /** Dense item vectors, row-major nItems × dim (e.g. a model's item factors). */
  itemVectors?: { dim: number; values: Float32Array };
}

/**
 * Beyond-accuracy measures of `recs` (row r = users[r]). ILS uses, in order of preference:
 * `itemVectors`, the catalogue's audio features (z-scored), its tags (TF-IDF).
 */
export function beyondAccuracy(
  recs: TopKResult,
  users: Int32Array,
  ctx: BeyondAccuracyContext,
  k = 10,
): BeyondAccuracy {
  const { train, catalog } = ctx;
  const nItems = train.nItems;
  const stride = recs.k;
  if (!Number.isInteger(k) || k < 1 || k > stride) {
    throw new ConfigError(`beyondAccuracy: k = ${k} must be an integer in [1, ${stride}] (the list length)`);
  }
  if (recs.items.length !== users.length * stride) {
    throw new ConfigError(`recommendations hold ${recs.items.length} items, expected ${users.length} × ${stride}`);
  }
  if (catalog && catalog.itemIds.length !== nItems) {
    throw new DataError(`catalog describes ${catalog.itemIds.length} items, the training matrix has ${nItems}`, {
      field: 'catalog.itemIds',
    });
  }
  const items = recs.items;
  for (let j = 0; j < items.length; j++) {
    if (items[j] < -1 || items[j] >= nItems) {
      throw new DataError(`item index ${items[j]} at row ${Math.floor(j / stride)} is outside [0, ${nItems})`, {
        field: 'recs.items',
      });
    }
  }

  // coverage and novelty
  const seen = new Uint8Array(nItems);
  const trainCount = train.itemCounts();
  const logUsers = Math.log2(train.nUsers + 1);
  let distinct = 0;
  let noveltySum = 0;
  let slots = 0;
  for (let row = 0; row < users.length; row++) {
    for (let j = 0; j < k; j++) {
      const i = items[row * stride + j];
      if (i < 0) continue;
      if (seen[i] === 0) {
        seen[i] = 1;
        distinct++;
      }
      noveltySum += logUsers - Math.log2(trainCount[i] + 1);
      slots++;
    }
  }

  const similarity = pickSimilarity(ctx, nItems);
  return {
    coverage: nItems === 0 ? 0 : distinct / nItems,
    ils: similarity ? intraListSimilarity(items, users.length, stride, k, similarity) : null,
    novelty: slots === 0 ? 0 : noveltySum / slots,
    artistDiversity: catalog?.artists ? labelDiversity(items, users.length, stride, k, catalog.artists) : null,
    genreDiversity: catalog?.genres ? labelDiversity(items, users.length, stride, k, catalog.genres) : null,
    ilsSource: similarity ? similarity.source : null,
  };
}

function pickSimilarity(ctx: BeyondAccuracyContext, nItems: number): ItemSimilarity | null {
  if (ctx.itemVectors) return new DenseCosine('itemVectors', ctx.itemVectors.dim, ctx.itemVectors.values, nItems);
  const catalog = ctx.catalog;
  if (catalog?.audio && catalog.audio.columns.length > 0) return audioSimilarity(catalog.audio, nItems);
  if (catalog?.tags) return new TagTfidfCosine(catalog.tags, nItems);
  return null;
}

function intraListSimilarity(
  items: Int32Array,
  nRows: number,
  stride: number,
  k: number,
  sim: ItemSimilarity,
): number | null {
  let userSum = 0;
  let nUsers = 0;
  for (let row = 0; row < nRows; row++) {
    const c = sim.meanPairwiseCosine(items, row * stride, row * stride + k);
    if (c !== c) continue; // no measurable pair in this list
    userSum += c;
    nUsers++;
  }
  return nUsers === 0 ? null : userSum / nUsers;
}

/** Mean distinct labels per list over the items that have a label; lists with none are skipped. */
function labelDiversity(
  items: Int32Array,
  nRows: number,
  stride: number,
  k: number,
  labels: readonly (string | null)[],
): number | null {
  // dense codes once, then a stamp array counts distinct labels per list without allocating
  const codeOf = new Map<string, number>();
  const codes = new Int32Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    if (label === null || label === undefined || label === '') {
      codes[i] = -1;
      continue;
    }
    let c = codeOf.get(label);
    if (c === undefined) {
      c = codeOf.size;
      codeOf.set(label, c);
    }
    codes[i] = c;
  }
  const stamp = new Int32Array(codeOf.size);
  let sum = 0;
  let nLists = 0;
  for (let row = 0; row < nRows; row++) {
    let known = 0;
    let distinct = 0;
    for (let j = 0; j < k; j++) {
      const i = items[row * stride + j];
      if (i < 0) continue;
      const c = codes[i];
      if (c < 0) continue;
      known++;
      if (stamp[c] !== row + 1) {
        stamp[c] = row + 1;
        distinct++;
      }
    }
    if (known === 0) continue;
    sum += distinct / known;
    nLists++;
  }
  return nLists === 0 ? null : sum / nLists;
}

import { ConfigError, Interactions, Rng } from '@musicrec/core';
import type { Catalog, Split } from '@musicrec/core';
import { sampleSeeded } from './sample';

export interface ColdItemOptions {
  /** Share of the items with content that become cold (default 0.1). */
  fraction?: number;
  seed: number;
}

export interface ColdItemSplit {
  /** Cold items' interactions moved out of train / validation / fullTrain into test. */
  split: Split;
  /** The cold items, ascending. */
  coldItems: Int32Array;
  /** The new test fold restricted to cold items: the relevance of the item-cold-start evaluation. */
  coldTest: Interactions;
}

/** 1 for each item the catalogue describes by content: an audio profile, or at least one tag. */
export function itemsWithContent(catalog: Catalog, nItems: number): Uint8Array {
  const has = new Uint8Array(nItems);
  if (catalog.audio && catalog.audio.columns.length > 0) {
    for (let i = 0; i < nItems; i++) if (catalog.audio.present[i]) has[i] = 1;
  }
  if (catalog.tags) {
    for (let i = 0; i < nItems; i++) if (catalog.tags.indptr[i + 1] > catalog.tags.indptr[i]) has[i] = 1;
  }
  return has;
}

/**
 * Item cold start: a seeded `fraction` (rounded, at least 1) of the items with content
 * become cold. Every interaction with a cold item leaves train, validation and fullTrain
 * and is kept in test only, so no model sees a cold item in training; everything else is
 * unchanged. Evaluate by ranking the whole catalogue (fullTrain items excluded) for the users
 * of `coldTest`, whose relevant items are their cold items only.
 */
export function coldItemSplit(split: Split, hasContent: Uint8Array, opts: ColdItemOptions): ColdItemSplit {
  const fraction = opts.fraction ?? 0.1;
  if (!(fraction > 0 && fraction <= 1)) throw new ConfigError(`coldItemSplit: fraction must be in (0, 1], got ${fraction}`);
  const nItems = split.fullTrain.nItems;
  if (hasContent.length !== nItems) throw new ConfigError(`coldItemSplit: ${hasContent.length} content flags for ${nItems} items`);
  const withContent: number[] = [];
  for (let i = 0; i < nItems; i++) if (hasContent[i]) withContent.push(i);
  if (withContent.length === 0) throw new ConfigError('coldItemSplit: no item has content (audio or tags), so none can be made cold');
  const nCold = Math.max(1, Math.round(fraction * withContent.length));
  const coldItems = sampleSeeded(Int32Array.from(withContent), nCold, new Rng(opts.seed).fork('cold-items'));
  const isCold = new Uint8Array(nItems);
  for (const i of coldItems) isCold[i] = 1;

  const warm = (m: Interactions): Interactions => m.filterEntries((_, k) => isCold[m.indices[k]] === 0);
  const test = mergeEntries(split.test, split.fullTrain.filterEntries((_, k) => isCold[split.fullTrain.indices[k]] === 1));
  return {
    split: { ...split, train: warm(split.train), validation: warm(split.validation), fullTrain: warm(split.fullTrain), test },
    coldItems,
    coldTest: test.filterEntries((_, k) => isCold[test.indices[k]] === 1),
  };
}

/** The union of two matrices with no (user, item) in common, same id maps; timestamps kept when both have them. */
function mergeEntries(a: Interactions, b: Interactions): Interactions {
  const n = a.nnz + b.nnz;
  const users = new Int32Array(n);
  const items = new Int32Array(n);
  const values = new Float32Array(n);
  const withTime = a.timestamps !== undefined && b.timestamps !== undefined;
  const times = withTime ? new Float64Array(n) : undefined;
  let p = 0;
  for (const m of [a, b]) {
    for (let u = 0; u < m.nUsers; u++) {
      for (let k = m.indptr[u]; k < m.indptr[u + 1]; k++) {
        users[p] = u;
        items[p] = m.indices[k];
        values[p] = m.values[k];
        if (times) times[p] = m.timestamps![k];
        p++;
      }
    }
  }
  return Interactions.fromTriples(users, items, values, a.userIds, a.itemIds, times);
}

import { Rng } from '@musicrec/core';
import { describe, expect, it } from 'vitest';
import { DenseCosine, TagTfidfCosine } from './item-similarity';
import type { ItemSimilarity } from './item-similarity';

/** Mean of cosine(a, b) over the pairs with both vectors: the definition the fast path must match. */
function meanOfPairs(sim: ItemSimilarity, list: Int32Array): number {
  let sum = 0;
  let n = 0;
  for (let a = 0; a < list.length; a++) {
    for (let b = a + 1; b < list.length; b++) {
      if (list[a] < 0 || list[b] < 0) continue;
      const c = sim.cosine(list[a], list[b]);
      if (c !== c) continue;
      sum += c;
      n++;
    }
  }
  return n === 0 ? NaN : sum / n;
}

function randomList(rng: Rng, nItems: number, k: number): Int32Array {
  const perm = rng.shuffle(Array.from({ length: nItems }, (_, i) => i));
  const list = Int32Array.from(perm.slice(0, k));
  if (rng.next() < 0.3) list[k - 1] = -1;
  return list;
}

describe('meanPairwiseCosine equals the mean of pairwise cosines', () => {
  const rng = new Rng(13);
  const nItems = 30;

  it('for dense vectors with some missing rows', () => {
    const dim = 4;
    const values = Float32Array.from({ length: nItems * dim }, () => rng.normal());
    for (const missing of [2, 7, 11]) values.fill(0, missing * dim, missing * dim + dim);
    const sim = new DenseCosine('itemVectors', dim, values, nItems);
    expect(sim.cosine(0, 0)).toBeCloseTo(1, 6);
    expect(sim.cosine(0, 2)).toBeNaN();
    for (let t = 0; t < 40; t++) {
      const list = randomList(rng, nItems, 2 + rng.int(9));
      const want = meanOfPairs(sim, list);
      const got = sim.meanPairwiseCosine(list, 0, list.length);
      if (Number.isNaN(want)) expect(got).toBeNaN();
      else expect(got).toBeCloseTo(want, 5);
    }
  });

  it('for sparse tag vectors with untagged items and repeated tags', () => {
    const nTags = 8;
    const indptr = new Int32Array(nItems + 1);
    const tagIndices: number[] = [];
    const counts: number[] = [];
    for (let i = 0; i < nItems; i++) {
      const n = i % 5 === 0 ? 0 : 1 + rng.int(5); // every fifth item untagged
      for (let j = 0; j < n; j++) {
        tagIndices.push(rng.int(nTags)); // may repeat within an item
        counts.push(1 + rng.int(4));
      }
      indptr[i + 1] = tagIndices.length;
    }
    const sim = new TagTfidfCosine(
      { indptr, tagIndices: Int32Array.from(tagIndices), counts: Float32Array.from(counts), tagNames: Array.from({ length: nTags }, (_, t) => `t${t}`) },
      nItems,
    );
    expect(sim.cosine(1, 1)).toBeCloseTo(1, 6);
    expect(sim.cosine(0, 1)).toBeNaN();
    for (let t = 0; t < 40; t++) {
      const list = randomList(rng, nItems, 2 + rng.int(9));
      const want = meanOfPairs(sim, list);
      const got = sim.meanPairwiseCosine(list, 0, list.length);
      if (Number.isNaN(want)) expect(got).toBeNaN();
      else expect(got).toBeCloseTo(want, 5);
    }
  });
});

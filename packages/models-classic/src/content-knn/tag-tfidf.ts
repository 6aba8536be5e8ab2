import type { ItemTags } from '@musicrec/core';

/**
 * TF-IDF weights of the item × tag counts, same CSR pattern as `tags`:
 * tf = count, idf = ln((1 + n) / (1 + df)) + 1 (scikit-learn's smoothed idf, so a tag on
 * every item still counts a little), n = number of items, df = items carrying the tag.
 */
export function tagTfIdf(tags: ItemTags, nItems: number): Float32Array {
  const nTags = tags.tagNames.length;
  const df = new Int32Array(nTags);
  const end = tags.indptr[nItems];
  for (let p = 0; p < end; p++) df[tags.tagIndices[p]]++;
  const idf = new Float64Array(nTags);
  for (let t = 0; t < nTags; t++) idf[t] = Math.log((1 + nItems) / (1 + df[t])) + 1;
  const out = new Float32Array(end);
  for (let p = 0; p < end; p++) out[p] = tags.counts[p] * idf[tags.tagIndices[p]];
  return out;
}

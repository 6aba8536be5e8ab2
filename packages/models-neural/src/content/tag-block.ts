import type { ItemTags } from '@musicrec/core';

/** A dense TF-IDF block over the `width` most widespread tags. */
export interface TagBlock {
  /** nItems × columns.length, row-major, each non-empty row L2-normalised. */
  values: Float32Array;
  /** Tag names of the kept columns. */
  columns: string[];
  /** 1 where the item has at least one kept tag. */
  present: Uint8Array;
}

/**
 * Tag TF-IDF restricted to the `width` tags applied to the most items (document frequency,
 * ties → lower tag index), so the width is fixed whatever the vocabulary. tf = 1 + ln(count)
 * (Last.fm counts run into the hundreds), idf = ln((1 + n) / (1 + df)) + 1, rows L2-normalised.
 */
export function tagTfidfBlock(tags: ItemTags, nItems: number, width: number): TagBlock {
  const nTags = tags.tagNames.length;
  const df = new Int32Array(nTags);
  for (let p = 0; p < tags.tagIndices.length; p++) if (tags.counts[p] > 0) df[tags.tagIndices[p]]++;
  const byDf = Array.from({ length: nTags }, (_, t) => t)
    .filter((t) => df[t] > 0)
    .sort((a, b) => df[b] - df[a] || a - b)
    .slice(0, width);
  const column = new Int32Array(nTags).fill(-1);
  byDf.forEach((t, c) => (column[t] = c));
  const w = byDf.length;
  const values = new Float32Array(nItems * w);
  const present = new Uint8Array(nItems);
  const rows = Math.min(nItems, tags.indptr.length - 1);
  for (let i = 0; i < rows; i++) {
    let norm = 0;
    for (let p = tags.indptr[i]; p < tags.indptr[i + 1]; p++) {
      const c = column[tags.tagIndices[p]];
      const count = tags.counts[p];
      if (c < 0 || !(count > 0)) continue;
      const v = (1 + Math.log(count)) * (Math.log((1 + nItems) / (1 + df[tags.tagIndices[p]])) + 1);
      values[i * w + c] += v;
    }
    for (let c = 0; c < w; c++) norm += values[i * w + c] ** 2;
    if (norm > 0) {
      present[i] = 1;
      const s = 1 / Math.sqrt(norm);
      for (let c = 0; c < w; c++) values[i * w + c] *= s;
    }
  }
  return { values, columns: byDf.map((t) => `tag:${tags.tagNames[t]}`), present };
}

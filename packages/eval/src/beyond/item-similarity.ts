import { DataError } from '@musicrec/core';
import type { AudioFeatures, ItemTags } from '@musicrec/core';

export type SimilaritySource = 'itemVectors' | 'audio' | 'tags';

/** Cosine similarity between two items; NaN when either item has no vector. */
export interface ItemSimilarity {
  readonly source: SimilaritySource;
  cosine(a: number, b: number): number;
}

/**
 * Cosine over dense rows, normalised once up front so each pair is one dot product.
 * A row with a zero norm or a NaN entry has no direction and counts as missing.
 */
export class DenseCosine implements ItemSimilarity {
  private readonly unit: Float32Array;
  private readonly present: Uint8Array;

  constructor(
    readonly source: SimilaritySource,
    readonly dim: number,
    values: Float32Array,
    nItems: number,
  ) {
    if (!(dim > 0) || values.length !== nItems * dim) {
      throw new DataError(`item vectors hold ${values.length} values, expected nItems × dim = ${nItems} × ${dim}`, {
        field: source,
      });
    }
    this.unit = new Float32Array(values.length);
    this.present = new Uint8Array(nItems);
    for (let i = 0; i < nItems; i++) {
      let sq = 0;
      for (let c = 0; c < dim; c++) sq += values[i * dim + c] * values[i * dim + c];
      if (!(sq > 0) || !Number.isFinite(sq)) continue;
      const inv = 1 / Math.sqrt(sq);
      for (let c = 0; c < dim; c++) this.unit[i * dim + c] = values[i * dim + c] * inv;
      this.present[i] = 1;
    }
  }

  cosine(a: number, b: number): number {
    if (this.present[a] === 0 || this.present[b] === 0) return NaN;
    const u = this.unit;
    const d = this.dim;
    let dot = 0;
    for (let c = 0; c < d; c++) dot += u[a * d + c] * u[b * d + c];
    return dot;
  }
}

/**
 * Audio features z-scored per column (mean and population std over the items that have an
 * audio profile), so loudness in dB does not drown danceability in [0, 1]. A NaN value of a
 * present item becomes 0 (the column mean); a constant column contributes nothing.
 */
export function audioSimilarity(audio: AudioFeatures, nItems: number): DenseCosine {
  const dim = audio.columns.length;
  const v = audio.values;
  if (v.length !== nItems * dim || audio.present.length !== nItems) {
    throw new DataError(
      `catalog audio has ${v.length} values and ${audio.present.length} presence flags for ${nItems} items × ${dim} columns`,
      { field: 'catalog.audio' },
    );
  }
  const z = new Float32Array(v.length);
  for (let c = 0; c < dim; c++) {
    let n = 0;
    let sum = 0;
    for (let i = 0; i < nItems; i++) {
      const x = v[i * dim + c];
      if (audio.present[i] && x === x) {
        n++;
        sum += x;
      }
    }
    if (n === 0) continue;
    const mean = sum / n;
    let sq = 0;
    for (let i = 0; i < nItems; i++) {
      const x = v[i * dim + c];
      if (audio.present[i] && x === x) sq += (x - mean) * (x - mean);
    }
    const std = Math.sqrt(sq / n);
    if (!(std > 0)) continue;
    for (let i = 0; i < nItems; i++) {
      const x = v[i * dim + c];
      if (audio.present[i] && x === x) z[i * dim + c] = (x - mean) / std;
    }
  }
  // absent items keep all-zero rows, which DenseCosine treats as missing
  return new DenseCosine('audio', dim, z, nItems);
}

/**
 * Tag assignments as TF-IDF vectors: weight = count × (ln((1 + N) / (1 + df)) + 1), N = nItems,
 * df = items carrying the tag (the smoothed idf of scikit-learn), L2-normalised. Rows are
 * re-sorted by tag so a pair's cosine is a merge of two sorted lists. Untagged items are missing.
 */
export class TagTfidfCosine implements ItemSimilarity {
  readonly source = 'tags' as const;
  private readonly indptr: Int32Array;
  private readonly tags: Int32Array;
  private readonly weights: Float32Array;

  constructor(itemTags: ItemTags, nItems: number) {
    const { indptr, tagIndices, counts, tagNames } = itemTags;
    if (indptr.length !== nItems + 1 || tagIndices.length !== indptr[nItems] || counts.length !== indptr[nItems]) {
      throw new DataError(`catalog tags: indptr/tagIndices/counts do not describe ${nItems} items`, { field: 'catalog.tags' });
    }
    const nTags = tagNames.length;
    const df = new Int32Array(nTags);
    for (let j = 0; j < tagIndices.length; j++) {
      const t = tagIndices[j];
      if (!(t >= 0 && t < nTags)) {
        throw new DataError(`catalog tags: tag index ${t} outside [0, ${nTags})`, { field: 'catalog.tags.tagIndices' });
      }
    }
    // sort each row by tag and merge repeated tags (summing counts)
    const order = new Int32Array(tagIndices.length);
    for (let j = 0; j < order.length; j++) order[j] = j;
    this.indptr = new Int32Array(nItems + 1);
    const outTags = new Int32Array(tagIndices.length);
    const outW = new Float32Array(tagIndices.length);
    let p = 0;
    for (let i = 0; i < nItems; i++) {
      const row = order.subarray(indptr[i], indptr[i + 1]);
      row.sort((a, b) => tagIndices[a] - tagIndices[b]);
      let last = -1;
      for (let r = 0; r < row.length; r++) {
        const t = tagIndices[row[r]];
        if (t === last) {
          outW[p - 1] += counts[row[r]];
        } else {
          outTags[p] = t;
          outW[p] = counts[row[r]];
          df[t]++;
          last = t;
          p++;
        }
      }
      this.indptr[i + 1] = p;
    }
    const idf = new Float64Array(nTags);
    for (let t = 0; t < nTags; t++) idf[t] = Math.log((1 + nItems) / (1 + df[t])) + 1;
    for (let i = 0; i < nItems; i++) {
      let sq = 0;
      for (let j = this.indptr[i]; j < this.indptr[i + 1]; j++) {
        outW[j] *= idf[outTags[j]];
        sq += outW[j] * outW[j];
      }
      const inv = sq > 0 ? 1 / Math.sqrt(sq) : 0;
      for (let j = this.indptr[i]; j < this.indptr[i + 1]; j++) outW[j] *= inv;
    }
    this.tags = outTags.slice(0, p);
    this.weights = outW.slice(0, p);
  }

  cosine(a: number, b: number): number {
    let ja = this.indptr[a];
    const ea = this.indptr[a + 1];
    let jb = this.indptr[b];
    const eb = this.indptr[b + 1];
    if (ja === ea || jb === eb) return NaN;
    const t = this.tags;
    const w = this.weights;
    let dot = 0;
    while (ja < ea && jb < eb) {
      const ta = t[ja];
      const tb = t[jb];
      if (ta === tb) dot += w[ja++] * w[jb++];
      else if (ta < tb) ja++;
      else jb++;
    }
    return dot;
  }
}

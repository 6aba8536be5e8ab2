import { DataError } from '@musicrec/core';
import type { AudioFeatures, ItemTags } from '@musicrec/core';

export type SimilaritySource = 'itemVectors' | 'audio' | 'tags';

/** Cosine similarity between items; an item without a vector is left out. */
export interface ItemSimilarity {
  readonly source: SimilaritySource;
  /** Cosine of two items; NaN when either has no vector. */
  cosine(a: number, b: number): number;
  /**
   * Mean cosine over the pairs of items in list[start, end) that both have a vector (-1 slots
   * skipped; NaN when fewer than two have one). Uses Σ_{i≠j} v_i·v_j = ‖Σ v_i‖² − Σ ‖v_i‖² over
   * the unit vectors, so a list costs O(its vector entries), not O(pairs).
   */
  meanPairwiseCosine(list: Int32Array, start: number, end: number): number;
}

/**
 * Cosine over dense rows, normalised once up front so each pair is one dot product.
 * A row with a zero norm or a NaN entry has no direction and counts as missing.
 */
export class DenseCosine implements ItemSimilarity {
  private readonly unit: Float32Array;
  private readonly present: Uint8Array;
  private readonly sum: Float64Array;

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
    this.sum = new Float64Array(dim);
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

  meanPairwiseCosine(list: Int32Array, start: number, end: number): number {
    const u = this.unit;
    const d = this.dim;
    const sum = this.sum;
    sum.fill(0);
    let m = 0;
    let selfSq = 0;
    for (let j = start; j < end; j++) {
      const i = list[j];
      if (i < 0 || this.present[i] === 0) continue;
      m++;
      for (let c = 0; c < d; c++) {
        const x = u[i * d + c];
        sum[c] += x;
        selfSq += x * x;
      }
    }
    if (m < 2) return NaN;
    let sq = 0;
    for (let c = 0; c < d; c++) sq += sum[c] * sum[c];
    return (sq - selfSq) / (m * (m - 1));
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
  private readonly sum: Float64Array;

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
    // rows sorted by tag without comparators: bucket the entries by tag, then (stably) by item
    const nnz = tagIndices.length;
    const tagStart = new Int32Array(nTags + 1);
    for (let j = 0; j < nnz; j++) tagStart[tagIndices[j] + 1]++;
    for (let t = 0; t < nTags; t++) tagStart[t + 1] += tagStart[t];
    const itemOf = new Int32Array(nnz);
    for (let i = 0; i < nItems; i++) for (let j = indptr[i]; j < indptr[i + 1]; j++) itemOf[j] = i;
    const byTag = new Int32Array(nnz);
    for (let j = 0; j < nnz; j++) byTag[tagStart[tagIndices[j]]++] = j;
    const cursor = indptr.slice(0, nItems);
    const order = new Int32Array(nnz);
    for (let q = 0; q < nnz; q++) {
      const j = byTag[q];
      order[cursor[itemOf[j]]++] = j;
    }
    // merge a tag repeated within a row (summing its counts)
    this.indptr = new Int32Array(nItems + 1);
    const outTags = new Int32Array(nnz);
    const outW = new Float32Array(nnz);
    let p = 0;
    for (let i = 0; i < nItems; i++) {
      let last = -1;
      for (let r = indptr[i]; r < indptr[i + 1]; r++) {
        const t = tagIndices[order[r]];
        if (t === last) {
          outW[p - 1] += counts[order[r]];
        } else {
          outTags[p] = t;
          outW[p] = counts[order[r]];
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
    this.sum = new Float64Array(nTags);
  }

  meanPairwiseCosine(list: Int32Array, start: number, end: number): number {
    const { indptr, tags, weights, sum } = this;
    let m = 0;
    let selfSq = 0;
    for (let j = start; j < end; j++) {
      const i = list[j];
      if (i < 0 || indptr[i] === indptr[i + 1]) continue;
      m++;
      for (let q = indptr[i]; q < indptr[i + 1]; q++) {
        sum[tags[q]] += weights[q];
        selfSq += weights[q] * weights[q];
      }
    }
    // read each touched tag once and reset it (weights are ≥ 0, so a touched sum is > 0 or harmless 0)
    let sq = 0;
    for (let j = start; j < end; j++) {
      const i = list[j];
      if (i < 0) continue;
      for (let q = indptr[i]; q < indptr[i + 1]; q++) {
        const v = sum[tags[q]];
        if (v !== 0) {
          sq += v * v;
          sum[tags[q]] = 0;
        }
      }
    }
    return m < 2 ? NaN : (sq - selfSq) / (m * (m - 1));
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

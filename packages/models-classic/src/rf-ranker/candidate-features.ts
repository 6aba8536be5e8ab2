import type { ItemSide } from './item-side';

/** Every feature the ranker knows, in column order; optional ones are dropped when their source is missing. */
export const RF_RANKER_FEATURES = [
  'baseScore',
  'baseScoreRatio',
  'baseRank',
  'itemLogPopularity',
  'popularityRank',
  'userLogActivity',
  'itemKnnScore',
  'contentCosine',
  'tagOverlap',
  'artistRepetition',
] as const;
export type RfRankerFeature = (typeof RF_RANKER_FEATURES)[number];

/** Each user's training items as CSR (sorted rows): the profile the user-side features read. */
export interface UserItems {
  readonly indptr: Int32Array;
  readonly indices: Int32Array;
}

/** Optional per-user score rows (nItems wide, read at `offset`) for the score features. */
export interface ScoreRows {
  itemKnn: Float32Array | null;
  itemKnnOffset: number;
  content: Float32Array | null;
  contentOffset: number;
}

/** Value given to contentCosine for an item without content: below every cosine in [−1, 1]. */
export const NO_CONTENT_COSINE = -2;

/**
 * Builds the feature rows of (user, candidate) pairs. Column j holds `names[j]`. Scratch
 * for the user's tag and artist profile is reused, so filling allocates nothing.
 */
export class CandidateFeatures {
  readonly names: readonly RfRankerFeature[];
  private readonly column: Int32Array;
  private readonly tagMark: Uint8Array;
  private readonly artistCount: Int32Array;

  constructor(
    private readonly side: ItemSide,
    private readonly users: UserItems,
    hasItemKnn: boolean,
    hasContent: boolean,
  ) {
    this.names = RF_RANKER_FEATURES.filter(
      (f) =>
        (f !== 'itemKnnScore' || hasItemKnn) &&
        (f !== 'contentCosine' || hasContent) &&
        (f !== 'tagOverlap' || side.tagIndptr !== null) &&
        (f !== 'artistRepetition' || side.artist !== null),
    );
    this.column = new Int32Array(RF_RANKER_FEATURES.length).fill(-1);
    this.names.forEach((f, j) => (this.column[RF_RANKER_FEATURES.indexOf(f)] = j));
    let nTags = 0;
    if (side.tagIndices) for (let p = 0; p < side.tagIndices.length; p++) nTags = Math.max(nTags, side.tagIndices[p] + 1);
    this.tagMark = new Uint8Array(nTags);
    let nArtists = 0;
    if (side.artist) for (let i = 0; i < side.artist.length; i++) nArtists = Math.max(nArtists, side.artist[i] + 1);
    this.artistCount = new Int32Array(nArtists);
  }

  get width(): number {
    return this.names.length;
  }

  /**
   * Writes the rows of user u's candidates `items[0..n)` (best first, base scores `scores`)
   * into `out` from row `row` on.
   */
  fill(u: number, items: Int32Array, scores: Float32Array, n: number, rows: ScoreRows, out: Float32Array, row: number): void {
    const { side, column, tagMark, artistCount } = this;
    const d = this.names.length;
    const from = this.users.indptr[u];
    const to = this.users.indptr[u + 1];
    const profile = this.users.indices;
    const { tagIndptr, tagIndices, artist } = side;
    if (tagIndptr && tagIndices) {
      for (let q = from; q < to; q++) for (let p = tagIndptr[profile[q]]; p < tagIndptr[profile[q] + 1]; p++) tagMark[tagIndices[p]] = 1;
    }
    if (artist) for (let q = from; q < to; q++) if (artist[profile[q]] >= 0) artistCount[artist[profile[q]]]++;
    const activity = Math.log1p(to - from);
    for (let c = 0; c < n; c++) {
      const i = items[c];
      const o = (row + c) * d;
      out[o + column[0]] = scores[c];
      // relative to the user's best candidate: stable between the base-fit and full-train models
      out[o + column[1]] = scores[0] > 0 ? scores[c] / scores[0] : 0;
      out[o + column[2]] = c;
      out[o + column[3]] = side.logPopularity[i];
      out[o + column[4]] = side.popularityRank[i];
      out[o + column[5]] = activity;
      if (column[6] >= 0) out[o + column[6]] = rows.itemKnn![rows.itemKnnOffset + i];
      if (column[7] >= 0) {
        const s = rows.content![rows.contentOffset + i];
        out[o + column[7]] = s >= -1 ? s : NO_CONTENT_COSINE;
      }
      if (column[8] >= 0) {
        // share of the candidate's tags that the user's items also carry
        const a = tagIndptr![i];
        const b = tagIndptr![i + 1];
        let shared = 0;
        for (let p = a; p < b; p++) shared += tagMark[tagIndices![p]];
        out[o + column[8]] = b > a ? shared / (b - a) : 0;
      }
      if (column[9] >= 0) out[o + column[9]] = artist![i] >= 0 ? artistCount[artist![i]] : 0;
    }
    if (tagIndptr && tagIndices) {
      for (let q = from; q < to; q++) for (let p = tagIndptr[profile[q]]; p < tagIndptr[profile[q] + 1]; p++) tagMark[tagIndices[p]] = 0;
    }
    if (artist) for (let q = from; q < to; q++) if (artist[profile[q]] >= 0) artistCount[artist[profile[q]]] = 0;
  }
}

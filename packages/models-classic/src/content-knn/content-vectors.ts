import { DataError, type Catalog } from '@musicrec/core';
import { blocksOf, type ContentBlock, type ContentShares, type ContentSource, type ResolvedContentSource } from './config';
import { zScoreAudio } from './audio-zscore';
import { tagTfIdf } from './tag-tfidf';

export type { ResolvedContentSource } from './config';

/**
 * Unit-length item vectors: a dense block (z-scored audio, `dim` columns) followed by a
 * sparse block, CSR over `nSparse` columns: the `nTags` tag TF-IDF columns, then `nArtists`
 * artist identity columns (one 1 per item with an artist). Each block an item has is
 * L2-normalised and scaled by √(share_b / Σ its blocks' shares), so the dot product of two
 * rows is their share-weighted cosine. An item with no block has a zero row and `present[i] = 0`.
 */
export interface ContentVectors {
  readonly nItems: number;
  readonly dim: number;
  readonly dense: Float32Array;
  readonly nTags: number;
  readonly nArtists: number;
  /** nTags + nArtists. */
  readonly nSparse: number;
  readonly sparseIndptr: Int32Array;
  readonly sparseIndices: Int32Array;
  readonly sparseValues: Float32Array;
  readonly present: Uint8Array;
}

/** 'auto' → every block the catalog has that can tell items apart; an explicit source is kept as given. */
export function resolveContentSource(source: ContentSource, catalog: Catalog): ResolvedContentSource {
  if (source !== 'auto') return source;
  const blocks: ContentBlock[] = [];
  if (catalog.audio && catalog.audio.present.some((p) => p !== 0)) blocks.push('audio');
  if (catalog.tags && catalog.tags.indptr[catalog.tags.indptr.length - 1] > 0) blocks.push('tags');
  // one item per artist (Last.fm, where items are artists) makes every artist block orthogonal: no information
  if (catalog.artists && artistColumns(catalog.artists).shared) blocks.push('artist');
  if (blocks.length > 0) return blocks.join('+') as ResolvedContentSource;
  // nothing usable: the block the catalog has (empty), else tags; the fit then says what is missing
  return catalog.audio ? 'audio' : 'tags';
}

/** Artist name → column (first appearance order; null and blank names have none), and whether any two items share one. */
export function artistColumns(artists: readonly (string | null)[]): { column: Int32Array; count: number; shared: boolean } {
  const index = new Map<string, number>();
  const column = new Int32Array(artists.length).fill(-1);
  let shared = false;
  for (let i = 0; i < artists.length; i++) {
    const name = artists[i]?.trim();
    if (!name) continue;
    const known = index.get(name);
    if (known !== undefined) shared = true;
    column[i] = known ?? index.size;
    if (known === undefined) index.set(name, index.size);
  }
  return { column, count: index.size, shared };
}

/** Builds the item vectors of the blocks in `source`, weighted by `shares`. */
export function buildContentVectors(
  catalog: Catalog,
  source: ResolvedContentSource,
  shares: ContentShares,
  nItems: number,
): ContentVectors {
  if (catalog.itemIds.length !== nItems) {
    throw new DataError(`content-knn: catalog has ${catalog.itemIds.length} items, the training matrix ${nItems}`, {
      field: 'catalog.itemIds',
    });
  }
  const blocks = blocksOf(source);
  const useAudio = blocks.includes('audio');
  const useTags = blocks.includes('tags');
  const useArtist = blocks.includes('artist');
  if (useAudio && !catalog.audio) {
    throw new DataError(`content-knn: source "${source}" needs audio features and this catalog has none`, { field: 'catalog.audio' });
  }
  if (useTags && !catalog.tags) {
    throw new DataError(`content-knn: source "${source}" needs tags and this catalog has none`, { field: 'catalog.tags' });
  }
  if (useArtist && !catalog.artists) {
    throw new DataError(`content-knn: source "${source}" needs artists and this catalog has none`, { field: 'catalog.artists' });
  }
  const audio = useAudio ? catalog.audio! : undefined;
  const tags = useTags ? catalog.tags! : undefined;
  if (audio && audio.values.length !== nItems * audio.columns.length) {
    throw new DataError(`content-knn: audio has ${audio.values.length} values, expected ${nItems} × ${audio.columns.length}`, {
      field: 'catalog.audio.values',
    });
  }
  if (tags && tags.indptr.length !== nItems + 1) {
    throw new DataError(`content-knn: tags indptr has length ${tags.indptr.length}, expected ${nItems + 1}`, {
      field: 'catalog.tags.indptr',
    });
  }
  if (useArtist && catalog.artists!.length !== nItems) {
    throw new DataError(`content-knn: catalog has ${catalog.artists!.length} artists, expected ${nItems}`, { field: 'catalog.artists' });
  }

  const dim = audio ? audio.columns.length : 0;
  const dense = audio ? zScoreAudio(audio, nItems) : new Float32Array(0);
  const nTags = tags ? tags.tagNames.length : 0;
  const artists = useArtist ? artistColumns(catalog.artists!) : { column: new Int32Array(nItems).fill(-1), count: 0 };
  const tagValues = tags ? tagTfIdf(tags, nItems) : new Float32Array(0);

  // sparse rows: the item's tags, then its artist column
  const sparseIndptr = new Int32Array(nItems + 1);
  for (let i = 0; i < nItems; i++) {
    const nItemTags = tags ? tags.indptr[i + 1] - tags.indptr[i] : 0;
    sparseIndptr[i + 1] = sparseIndptr[i] + nItemTags + (artists.column[i] >= 0 ? 1 : 0);
  }
  const sparseIndices = new Int32Array(sparseIndptr[nItems]);
  const sparseValues = new Float32Array(sparseIndptr[nItems]);
  const present = new Uint8Array(nItems);

  for (let i = 0; i < nItems; i++) {
    let denseNorm = 0;
    for (let d = 0; d < dim; d++) denseNorm += dense[i * dim + d] * dense[i * dim + d];
    let tagNorm = 0;
    const tagFrom = tags ? tags.indptr[i] : 0;
    const tagTo = tags ? tags.indptr[i + 1] : 0;
    for (let p = tagFrom; p < tagTo; p++) tagNorm += tagValues[p] * tagValues[p];
    const hasArtist = artists.column[i] >= 0;
    // shares of the blocks this item has, normalised per item so its row has unit length
    const total = (denseNorm > 0 ? shares.audio : 0) + (tagNorm > 0 ? shares.tags : 0) + (hasArtist ? shares.artist : 0);
    present[i] = total > 0 ? 1 : 0;
    const denseScale = denseNorm > 0 && total > 0 ? Math.sqrt(shares.audio / total / denseNorm) : 0;
    const tagScale = tagNorm > 0 && total > 0 ? Math.sqrt(shares.tags / total / tagNorm) : 0;
    for (let d = 0; d < dim; d++) dense[i * dim + d] *= denseScale;
    let q = sparseIndptr[i];
    for (let p = tagFrom; p < tagTo; p++, q++) {
      sparseIndices[q] = tags!.tagIndices[p];
      sparseValues[q] = tagValues[p] * tagScale;
    }
    if (hasArtist) {
      sparseIndices[q] = nTags + artists.column[i];
      sparseValues[q] = total > 0 ? Math.sqrt(shares.artist / total) : 0;
    }
  }
  return {
    nItems,
    dim,
    dense,
    nTags,
    nArtists: artists.count,
    nSparse: nTags + artists.count,
    sparseIndptr,
    sparseIndices,
    sparseValues,
    present,
  };
}

/** Sparse column → (item, weight) CSR: the transpose of the sparse block, for scoring all items against a sparse profile. */
export interface SparsePostings {
  readonly indptr: Int32Array;
  readonly items: Int32Array;
  readonly values: Float32Array;
}

export function sparsePostings(v: ContentVectors): SparsePostings {
  const indptr = new Int32Array(v.nSparse + 1);
  const nnz = v.sparseIndptr[v.nItems];
  for (let p = 0; p < nnz; p++) indptr[v.sparseIndices[p] + 1]++;
  for (let t = 0; t < v.nSparse; t++) indptr[t + 1] += indptr[t];
  const cursor = indptr.slice(0, v.nSparse);
  const items = new Int32Array(nnz);
  const values = new Float32Array(nnz);
  for (let i = 0; i < v.nItems; i++) {
    for (let p = v.sparseIndptr[i]; p < v.sparseIndptr[i + 1]; p++) {
      const q = cursor[v.sparseIndices[p]]++;
      items[q] = i;
      values[q] = v.sparseValues[p];
    }
  }
  return { indptr, items, values };
}
